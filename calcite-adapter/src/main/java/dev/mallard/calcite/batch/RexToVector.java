package dev.mallard.calcite.batch;

import dev.mallard.calcite.TimestampUnits;
import dev.mallard.engine.vector.Calc;
import dev.mallard.engine.vector.Exprs;
import dev.mallard.engine.vector.PercentLike;
import dev.mallard.engine.vector.VType;
import dev.mallard.engine.vector.VectorExpr;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.avatica.util.DateTimeUtils;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.runtime.SqlFunctions;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * Translates Calcite expressions into {@link VectorExpr}s, or says it cannot: then the plan keeps
 * Calcite's own (Enumerable) operator. What it translates: input columns, literals, comparisons,
 * AND/OR/NOT, IS [NOT] NULL, + - * and unary - on integers, decimals and doubles, CAST between numeric types
 * that cannot lose digits, BETWEEN and IN (Calcite's SEARCH), CASE, EXTRACT of a date's year, quarter,
 * month or day, SUBSTRING of a VARCHAR at literal positions.
 */
final class RexToVector {
  private final RelDataType inputRowType;
  private final RexBuilder rexBuilder;

  /** The calls a {@link #projection} computes once, as columns after the input's; empty otherwise. */
  private final Common common;

  /** The calls {@code repeated} in a projection, and the translations of those met so far, in column order. */
  private record Common(Set<RexNode> repeated, List<VectorExpr> exprs, java.util.Map<RexNode, Integer> index) {
    Common(Set<RexNode> repeated) {
      this(repeated, new ArrayList<>(), new java.util.HashMap<>());
    }
  }

  RexToVector(RelDataType inputRowType, RexBuilder rexBuilder) {
    this(inputRowType, rexBuilder, new Common(Set.of()));
  }

  private RexToVector(RelDataType inputRowType, RexBuilder rexBuilder, Common common) {
    this.inputRowType = inputRowType;
    this.rexBuilder = rexBuilder;
    this.common = common;
  }

  /** Thrown inside the translation when a part is not handled. */
  private static final class Unsupported extends RuntimeException {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  /** Whether every one of {@code nodes} translates. */
  boolean supports(List<RexNode> nodes) {
    return translateAll(nodes) != null;
  }

  /** The translations, or null if any is not handled. */
  List<VectorExpr> translateAll(List<RexNode> nodes) {
    try {
      List<VectorExpr> out = new ArrayList<>();
      for (RexNode n : nodes) {
        out.add(translate(n));
      }
      return out;
    } catch (Unsupported | ArithmeticException e) {
      return null;
    }
  }

  /**
   * The translations of {@code nodes} as a {@link Calc}'s projections, each call they repeat
   * (TPC-H Q01's {@code l_extendedprice * (1 - l_discount)}, in two sums) computed once, as a
   * column after the input's; null if any is not handled. Hoisting a call out of a CASE changes
   * nothing: every branch of a batch CASE is computed for every row.
   */
  Calc projection(List<RexNode> nodes) {
    RexToVector once = new RexToVector(inputRowType, rexBuilder, new Common(repeatedCalls(nodes)));
    List<VectorExpr> projects = once.translateAll(nodes);
    return projects == null ? null : new Calc(null, once.common.exprs(), projects);
  }

  /** The calls that occur more than once in {@code nodes} (in their trees, a repeated call's operands counted once). */
  private static Set<RexNode> repeatedCalls(List<RexNode> nodes) {
    Set<RexNode> seen = new java.util.HashSet<>();
    Set<RexNode> repeated = new java.util.HashSet<>();
    RexVisitorImpl<Void> counter = new RexVisitorImpl<>(true) {
      @Override
      public Void visitCall(RexCall call) {
        if (!seen.add(call)) {
          repeated.add(call);
          return null;
        }
        return super.visitCall(call);
      }
    };
    nodes.forEach(n -> n.accept(counter));
    return repeated;
  }

  private VectorExpr translate(RexNode node) {
    if (!common.repeated().contains(node)) {
      return translateOnce(node);
    }
    Integer index = common.index().get(node);
    if (index == null) {
      common.exprs().add(translateOnce(node));
      index = common.exprs().size() - 1;
      common.index().put(node, index);
    }
    return Exprs.input(inputRowType.getFieldCount() + index, common.exprs().get(index).type());
  }

  private VectorExpr translateOnce(RexNode node) {
    VType type = BatchTypes.of(node.getType());
    if (type == null) {
      throw new Unsupported();
    }
    if (node instanceof RexInputRef ref) {
      if (BatchTypes.of(inputRowType.getFieldList().get(ref.getIndex()).getType()) == null) {
        throw new Unsupported();
      }
      return Exprs.input(ref.getIndex(), type);
    }
    if (node instanceof RexLiteral literal) {
      return Exprs.constant(literalValue(literal, type), type);
    }
    if (!(node instanceof RexCall call)) {
      throw new Unsupported();
    }
    List<RexNode> ops = call.getOperands();
    return switch (call.getKind()) {
      case EQUALS -> compare(Exprs.Cmp.EQ, ops);
      case NOT_EQUALS -> compare(Exprs.Cmp.NE, ops);
      case LESS_THAN -> compare(Exprs.Cmp.LT, ops);
      case LESS_THAN_OR_EQUAL -> compare(Exprs.Cmp.LE, ops);
      case GREATER_THAN -> compare(Exprs.Cmp.GT, ops);
      case GREATER_THAN_OR_EQUAL -> compare(Exprs.Cmp.GE, ops);
      case AND -> Exprs.and(booleans(ops));
      case OR -> Exprs.or(booleans(ops));
      case NOT -> Exprs.not(booleans(ops).get(0));
      case IS_NULL -> Exprs.isNull(translate(ops.get(0)), false);
      case IS_NOT_NULL -> Exprs.isNull(translate(ops.get(0)), true);
      case SEARCH -> translate(RexUtil.expandSearch(rexBuilder, null, call));
      case LIKE -> like(call);
      // The batch operators fail on integer overflow, so the checked forms are the same to them.
      case PLUS, CHECKED_PLUS -> arith(Exprs.Arith.ADD, call);
      case MINUS, CHECKED_MINUS -> arith(Exprs.Arith.SUB, call);
      case TIMES, CHECKED_TIMES -> arith(Exprs.Arith.MUL, call);
      case MINUS_PREFIX, CHECKED_MINUS_PREFIX -> negate(call);
      case CAST -> coerce(translate(ops.get(0)), ops.get(0).getType(), call.getType());
      case CASE -> caseWhen(call, type);
      case EXTRACT -> extract(call);
      default -> {
        if (call.getOperator() == SqlStdOperatorTable.SUBSTRING) {
          yield substring(call);
        }
        if (isFiniteDate(call)) {
          yield Exprs.mapLongs(translate(ops.get(0)), days -> TimestampUnits.finiteDate((int) days));
        }
        throw new Unsupported();
      }
    };
  }

  /** {@code SUBSTRING(s FROM start [FOR length])} of constant positions, by the function the row path calls. */
  private VectorExpr substring(RexCall call) {
    List<RexNode> ops = call.getOperands();
    if (ops.get(0).getType().getSqlTypeName() != SqlTypeName.VARCHAR) {
      throw new Unsupported(); // CHAR's padding
    }
    int[] positions = new int[ops.size() - 1];
    for (int i = 1; i < ops.size(); i++) {
      Integer position = ops.get(i) instanceof RexLiteral literal ? literal.getValueAs(Integer.class) : null;
      if (position == null) {
        throw new Unsupported(); // computed per row, or NULL
      }
      positions[i - 1] = position;
    }
    VectorExpr string = translate(ops.get(0));
    return positions.length == 1 ? Exprs.mapStrings(string, s -> SqlFunctions.substring(s, positions[0]))
        : Exprs.mapStrings(string, s -> SqlFunctions.substring(s, positions[0], positions[1]));
  }

  /** The date parts computed by the function Calcite's own code calls for them, so both give the same. */
  private static final Set<TimeUnitRange> DATE_PARTS =
      Set.of(TimeUnitRange.YEAR, TimeUnitRange.QUARTER, TimeUnitRange.MONTH, TimeUnitRange.DAY);

  private VectorExpr extract(RexCall call) {
    List<RexNode> ops = call.getOperands();
    if (!(ops.get(0) instanceof RexLiteral unit) || ops.get(1).getType().getSqlTypeName() != SqlTypeName.DATE
        || !DATE_PARTS.contains(unit.getValueAs(TimeUnitRange.class))) {
      throw new Unsupported();
    }
    TimeUnitRange part = unit.getValueAs(TimeUnitRange.class);
    return Exprs.mapLongs(translate(ops.get(1)), days -> DateTimeUtils.unixDateExtract(part, days));
  }

  /** The check that a date is finite, wrapped around the dates functions compute on (see ExactTimestamps). */
  private static boolean isFiniteDate(RexCall call) {
    return call.getOperator() instanceof SqlUserDefinedFunction f && f.getFunction() instanceof ScalarFunctionImpl impl
        && impl.method.getDeclaringClass() == TimestampUnits.class && impl.method.getName().equals("finiteDate");
  }

  /** {@code s LIKE 'pattern' [ESCAPE 'c']}, matched by Calcite's own LIKE function (as the row path). */
  private VectorExpr like(RexCall call) {
    List<RexNode> ops = call.getOperands();
    if (call.getOperator() != SqlStdOperatorTable.LIKE || ops.get(0).getType().getSqlTypeName() != SqlTypeName.VARCHAR
        || !ops.subList(1, ops.size()).stream().allMatch(o -> o instanceof RexLiteral l && !l.isNull())) {
      throw new Unsupported(); // ILIKE, SIMILAR TO, CHAR padding, patterns computed per row
    }
    String pattern = ((RexLiteral) ops.get(1)).getValueAs(String.class);
    String escape = ops.size() > 2 ? ((RexLiteral) ops.get(2)).getValueAs(String.class) : null;
    SqlFunctions.LikeFunction function = new SqlFunctions.LikeFunction();
    try {
      if (escape == null) {
        function.like("", pattern);
      } else {
        function.like("", pattern, escape);
      }
    } catch (RuntimeException e) {
      throw new Unsupported(); // a bad pattern: the row path reports it when the statement runs
    }
    PercentLike plain = escape == null ? PercentLike.of(pattern) : null;
    return Exprs.matches(translate(ops.get(0)), plain != null ? plain
        : escape == null ? s -> function.like(s, pattern) : s -> function.like(s, pattern, escape));
  }

  private List<VectorExpr> booleans(List<RexNode> ops) {
    List<VectorExpr> out = new ArrayList<>();
    for (RexNode op : ops) {
      if (op.getType().getSqlTypeName() != SqlTypeName.BOOLEAN) {
        throw new Unsupported();
      }
      out.add(translate(op));
    }
    return out;
  }

  private static Object literalValue(RexLiteral literal, VType type) {
    if (literal.isNull()) {
      return null;
    }
    SqlTypeName t = literal.getType().getSqlTypeName();
    return switch (t) {
      case BOOLEAN -> Boolean.TRUE.equals(literal.getValueAs(Boolean.class)) ? 1L : 0L;
      case TINYINT, SMALLINT, INTEGER, BIGINT -> literal.getValueAs(Long.class);
      case DATE -> (long) literal.getValueAs(Integer.class);
      case DECIMAL -> {
        BigDecimal d = literal.getValueAs(BigDecimal.class).setScale(type.scale()); // exact, or ArithmeticException
        yield d.unscaledValue().bitLength() < 64 ? (Object) d.unscaledValue().longValue() : d;
      }
      case DOUBLE, FLOAT -> literal.getValueAs(Double.class);
      case CHAR, VARCHAR -> literal.getValueAs(String.class);
      default -> throw new Unsupported();
    };
  }

  private VectorExpr compare(Exprs.Cmp op, List<RexNode> ops) {
    VectorExpr a = translate(ops.get(0));
    VectorExpr b = translate(ops.get(1));
    SqlTypeName ta = ops.get(0).getType().getSqlTypeName();
    SqlTypeName tb = ops.get(1).getType().getSqlTypeName();
    if (a.type().isExact() && b.type().isExact()) {
      boolean numeric = exactNumber(ta) && exactNumber(tb);
      if (!numeric && ta != tb) {
        throw new Unsupported(); // a date or boolean against something else
      }
      if (a.type().kind() == VType.Kind.DECIMAL || b.type().kind() == VType.Kind.DECIMAL) {
        int scale = Math.max(a.type().scale(), b.type().scale());
        return Exprs.compare(op, Exprs.rescale(a, scale), Exprs.rescale(b, scale));
      }
      return Exprs.compare(op, a, b);
    }
    if (a.type().equals(b.type())) {
      return Exprs.compare(op, a, b);
    }
    throw new Unsupported();
  }

  private static boolean exactNumber(SqlTypeName t) {
    return BatchTypes.isInteger(t) || t == SqlTypeName.DECIMAL;
  }

  private VectorExpr arith(Exprs.Arith op, RexCall call) {
    RelDataType out = call.getType();
    SqlTypeName t = out.getSqlTypeName();
    RexNode l = call.getOperands().get(0);
    RexNode r = call.getOperands().get(1);
    if (!numeric(l.getType()) || !numeric(r.getType())) {
      throw new Unsupported(); // date and interval arithmetic
    }
    VectorExpr a = translate(l);
    VectorExpr b = translate(r);
    if (t == SqlTypeName.DOUBLE || t == SqlTypeName.FLOAT) {
      return Exprs.arith(op, asDouble(a), asDouble(b), VType.DOUBLE, 0, 0);
    }
    if (!a.type().isExact() || !b.type().isExact()) {
      throw new Unsupported();
    }
    if (BatchTypes.isInteger(t)) {
      if (a.type().kind() != VType.Kind.LONG || b.type().kind() != VType.Kind.LONG) {
        throw new Unsupported();
      }
      return Exprs.arith(op, a, b, VType.LONG, BatchTypes.min(t), BatchTypes.max(t));
    }
    if (t != SqlTypeName.DECIMAL) {
      throw new Unsupported();
    }
    int scale = out.getScale();
    if (op == Exprs.Arith.MUL) {
      if (a.type().scale() + b.type().scale() != scale) {
        throw new Unsupported();
      }
      return Exprs.arith(op, a, b, VType.decimal(scale), 0, 0);
    }
    if (Math.max(a.type().scale(), b.type().scale()) > scale) {
      throw new Unsupported();
    }
    return Exprs.arith(op, Exprs.rescale(a, scale), Exprs.rescale(b, scale), VType.decimal(scale), 0, 0);
  }

  /** {@code -x} of a number; integers out of their type's range fail, as in DuckDB. */
  private VectorExpr negate(RexCall call) {
    RexNode operand = call.getOperands().get(0);
    SqlTypeName t = call.getType().getSqlTypeName();
    if (!numeric(operand.getType()) || operand.getType().getSqlTypeName() != t) {
      throw new Unsupported();
    }
    VectorExpr e = translate(operand);
    if (!e.type().equals(BatchTypes.of(call.getType()))) {
      throw new Unsupported();
    }
    return BatchTypes.isInteger(t) ? Exprs.negate(e, BatchTypes.min(t), BatchTypes.max(t)) : Exprs.negate(e, 0, 0);
  }

  private static boolean numeric(RelDataType t) {
    SqlTypeName n = t.getSqlTypeName();
    return exactNumber(n) || n == SqlTypeName.DOUBLE || n == SqlTypeName.FLOAT;
  }

  private static VectorExpr asDouble(VectorExpr e) {
    return e.type().kind() == VType.Kind.DOUBLE ? e : Exprs.toDouble(e);
  }

  /** {@code e} (of SQL type {@code from}) as SQL type {@code to}, when no value can change or fail. */
  private VectorExpr coerce(VectorExpr e, RelDataType from, RelDataType to) {
    SqlTypeName f = from.getSqlTypeName();
    SqlTypeName t = to.getSqlTypeName();
    if (f == t && from.getPrecision() == to.getPrecision() && from.getScale() == to.getScale()) {
      return e; // only the nullability differs
    }
    if (exactNumber(f) && exactNumber(t)) {
      if (BatchTypes.integerDigits(to) < BatchTypes.integerDigits(from)) {
        throw new Unsupported(); // could overflow: Calcite checks, or not
      }
      if (BatchTypes.isInteger(t)) {
        if (!BatchTypes.isInteger(f)) {
          throw new Unsupported();
        }
        return e; // a wider integer
      }
      if (to.getScale() < e.type().scale()) {
        throw new Unsupported(); // would round
      }
      return Exprs.rescale(e, to.getScale());
    }
    if (numeric(from) && (t == SqlTypeName.DOUBLE || t == SqlTypeName.FLOAT)) {
      return asDouble(e);
    }
    if (f == SqlTypeName.VARCHAR && t == SqlTypeName.VARCHAR
        && (to.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED || to.getPrecision() >= from.getPrecision()
            && from.getPrecision() != RelDataType.PRECISION_NOT_SPECIFIED)) {
      return e;
    }
    throw new Unsupported();
  }

  private VectorExpr caseWhen(RexCall call, VType type) {
    List<RexNode> ops = call.getOperands();
    List<VectorExpr> conditions = new ArrayList<>();
    List<VectorExpr> values = new ArrayList<>();
    for (int i = 0; i + 1 < ops.size(); i += 2) {
      conditions.addAll(booleans(List.of(ops.get(i))));
      values.add(coerce(translate(ops.get(i + 1)), ops.get(i + 1).getType(), call.getType()));
    }
    RexNode last = ops.get(ops.size() - 1);
    VectorExpr otherwise = coerce(translate(last), last.getType(), call.getType());
    for (VectorExpr v : values) {
      if (!v.type().equals(type)) {
        throw new Unsupported();
      }
    }
    if (!otherwise.type().equals(type)) {
      throw new Unsupported();
    }
    return Exprs.caseWhen(conditions, values, otherwise, type);
  }
}
