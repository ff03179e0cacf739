package dev.mallard.calcite;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableValues;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexExecutor;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.util.TimestampString;
import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.apache.calcite.util.TimeString;
import java.time.ZoneOffset;

/**
 * Exact TIMESTAMP(6) and TIMESTAMP(9) in Calcite, whose runtime keeps timestamps as a long of
 * milliseconds. In connections of {@link MallardTypeSystem#EXACT_TIMESTAMPS} the long counts the
 * unit of the type's precision instead ({@link TimestampUnits}): scans produce DuckDB's
 * microseconds and nanoseconds as they are, and this rewrite of the optimized plan keeps every
 * operation right in those units:
 *
 * <ul>
 *   <li>comparisons (and so filters, joins, BETWEEN, IN) compare both sides in the finer unit, a
 *       literal converted exactly; ORDER BY, GROUP BY, DISTINCT, min, max, count, CASE and COALESCE
 *       need nothing, as they only compare or move the longs;
 *   <li>anything else Calcite computes (functions, casts to other types, arithmetic, parameters) is
 *       given its timestamp arguments in milliseconds, failing for a value with finer digits
 *       rather than rounding it, and its timestamp result is converted back;
 *   <li>what cannot be converted (an aggregate such as {@code sum} of a timestamp, a window RANGE
 *       over one, a set operation or join key mixing precisions) fails when planned, with a message.
 * </ul>
 *
 * The JDBC driver shows the values at their precision.
 */
final class ExactTimestamps {
  private ExactTimestamps() {}

  private static final SqlOperator SAME = function("same");
  private static final SqlOperator FINER = function("finer");
  private static final SqlOperator COARSER = function("coarser");
  private static final SqlOperator PARSE = function("parse");
  private static final SqlOperator FINITE = function("finite");
  private static final SqlOperator FINITE_DATE = function("finiteDate");

  /** Operations right for infinite dates and timestamps too: they only compare or move values. */
  private static final Set<SqlKind> ONLY_COMPARE_OR_MOVE = EnumSet.of(SqlKind.EQUALS, SqlKind.NOT_EQUALS,
      SqlKind.LESS_THAN, SqlKind.LESS_THAN_OR_EQUAL, SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL,
      SqlKind.IS_DISTINCT_FROM, SqlKind.IS_NOT_DISTINCT_FROM, SqlKind.IS_NULL, SqlKind.IS_NOT_NULL, SqlKind.SEARCH,
      SqlKind.CASE, SqlKind.COALESCE, SqlKind.GREATEST, SqlKind.LEAST, SqlKind.AND, SqlKind.OR, SqlKind.NOT,
      SqlKind.ITEM, SqlKind.ARRAY_VALUE_CONSTRUCTOR, SqlKind.MAP_VALUE_CONSTRUCTOR, SqlKind.ROW);

  /**
   * Calcite's constant reduction, except for expressions with a fine timestamp in them, which it
   * would compute in milliseconds: those are left to run (rewritten by {@link #rewrite}), but for a
   * text cast to a TIMESTAMP(6) or (9), which becomes an exact literal.
   */
  static RexExecutor executor(RexExecutor calcite) {
    return (rexBuilder, constExps, reducedValues) -> {
      List<RexNode> others = new ArrayList<>();
      for (RexNode e : constExps) {
        if (!hasFineTimestamp(e)) {
          others.add(e);
        }
      }
      List<RexNode> reducedOthers = new ArrayList<>();
      if (!others.isEmpty()) {
        (calcite == null ? RexUtil.EXECUTOR : calcite).reduce(rexBuilder, others, reducedOthers);
      }
      int next = 0;
      for (RexNode e : constExps) {
        reducedValues.add(hasFineTimestamp(e) ? exactConstant(rexBuilder, e) : reducedOthers.get(next++));
      }
    };
  }

  private static boolean hasFineTimestamp(RexNode e) {
    if (TimestampUnits.fine(e.getType()) || TimestampUnits.fineTime(e.getType())) {
      return true;
    }
    return e instanceof RexCall call && call.getOperands().stream().anyMatch(ExactTimestamps::hasFineTimestamp);
  }

  private static RexNode exactConstant(RexBuilder rex, RexNode e) {
    if (e.getKind() == SqlKind.CAST && TimestampUnits.fineTime(e.getType())
        && ((RexCall) e).getOperands().get(0) instanceof RexLiteral text
        && SqlTypeName.CHAR_TYPES.contains(text.getTypeName()) && !text.isNull()) {
      try {
        int digits = TimestampUnits.timeDigits(e.getType());
        LocalTime t = TimestampUnits.time(TimestampUnits.parseTime(text.getValueAs(String.class), digits), digits);
        TimeString value = new TimeString(t.getHour(), t.getMinute(), t.getSecond()).withNanos(t.getNano());
        return rex.makeCast(e.getType(), rex.makeTimeLiteral(value, e.getType().getPrecision()), true, false);
      } catch (RuntimeException notExact) {
        return e; // fails when it runs, with the same message
      }
    }
    if (e.getKind() == SqlKind.CAST && e.getType().getSqlTypeName() == SqlTypeName.TIMESTAMP
        && ((RexCall) e).getOperands().get(0) instanceof RexLiteral text
        && SqlTypeName.CHAR_TYPES.contains(text.getTypeName()) && !text.isNull()) {
      try {
        long units = TimestampUnits.parse(text.getValueAs(String.class), TimestampUnits.digits(e.getType()));
        long perSecond = TimestampUnits.perSecond(TimestampUnits.digits(e.getType()));
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(units, perSecond),
            (int) (Math.floorMod(units, perSecond) * (1_000_000_000L / perSecond)), ZoneOffset.UTC);
        TimestampString value = new TimestampString(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(),
            t.getMinute(), t.getSecond()).withNanos(t.getNano());
        return rex.makeCast(e.getType(), rex.makeTimestampLiteral(value, e.getType().getPrecision()), true, false);
      } catch (RuntimeException notExact) {
        return e; // fails when it runs, with the same message
      }
    }
    return e;
  }

  static SqlOperator function(String name) {
    for (Method m : TimestampUnits.class.getMethods()) {
      if (m.getName().equals(name)) {
        return new SqlUserDefinedFunction(new SqlIdentifier("$timestamp_" + name, SqlParserPos.ZERO),
            ReturnTypes.BIGINT, InferTypes.FIRST_KNOWN, OperandTypes.VARIADIC, null, ScalarFunctionImpl.create(m));
      }
    }
    throw new IllegalStateException(name);
  }

  /** Aggregates that only compare or pass on their argument. */
  private static final Set<SqlKind> UNIT_FREE_AGGREGATES = EnumSet.of(SqlKind.MIN, SqlKind.MAX, SqlKind.COUNT,
      SqlKind.ANY_VALUE, SqlKind.SINGLE_VALUE, SqlKind.FIRST_VALUE, SqlKind.LAST_VALUE, SqlKind.NTH_VALUE,
      SqlKind.LEAD, SqlKind.LAG, SqlKind.ROW_NUMBER, SqlKind.RANK, SqlKind.DENSE_RANK, SqlKind.GROUPING,
      SqlKind.GROUPING_ID, SqlKind.GROUP_ID);

  /** The plan with every timestamp operation exact in its unit; {@code plan} if it has no fine timestamps. */
  static RelNode rewrite(RelNode plan) {
    return plan.accept(new Rels(plan.getCluster().getRexBuilder()));
  }

  private static final class Rels extends RelShuttleImpl {
    private final RexBuilder rex;
    private final Rexes rexes;

    Rels(RexBuilder rex) {
      this.rex = rex;
      this.rexes = new Rexes(rex);
    }

    @Override
    public RelNode visit(TableScan scan) {
      return scan;
    }

    @Override
    public RelNode visit(RelNode other) {
      RelNode rel = super.visit(other);
      if (rel instanceof Values values) {
        return values(values);
      }
      if (rel instanceof Aggregate aggregate) {
        for (AggregateCall call : aggregate.getAggCallList()) {
          checkArguments(call.getAggregation().getKind(), call.getArgList(), aggregate.getInput(), call.toString());
        }
        return rel;
      }
      if (rel instanceof Window window) {
        window(window);
        return rel;
      }
      if (rel instanceof SetOp setOp) {
        for (RelNode input : setOp.getInputs()) {
          sameUnits(input.getRowType(), setOp.getRowType(), "A " + setOp.kind + " of timestamps of different precisions");
        }
        return rel;
      }
      if (rel instanceof Calc calc) {
        return calc(calc);
      }
      RelNode rewritten = rel.accept(rexes);
      if (rel instanceof Join before && rewritten != rel) {
        Join after = (Join) rewritten;
        JoinInfo was = before.analyzeCondition();
        JoinInfo is = after.analyzeCondition();
        if (!was.leftKeys.equals(is.leftKeys) || !was.rightKeys.equals(is.rightKeys)) {
          throw unsupported("A join on timestamps of different precisions (" + before.getCondition() + ")");
        }
      }
      return rewritten;
    }

    private RelNode calc(Calc calc) {
      RexProgram program = calc.getProgram();
      List<RexNode> projects = new ArrayList<>();
      boolean changed = false;
      for (RexNode p : program.getProjectList()) {
        RexNode expanded = program.expandLocalRef((org.apache.calcite.rex.RexLocalRef) p);
        RexNode rewritten = expanded.accept(rexes);
        changed |= rewritten != expanded;
        projects.add(rewritten);
      }
      RexNode condition = null;
      if (program.getCondition() != null) {
        RexNode expanded = program.expandLocalRef(program.getCondition());
        condition = expanded.accept(rexes);
        changed |= condition != expanded;
      }
      if (!changed) {
        return calc;
      }
      RexProgram rewritten = RexProgram.create(calc.getInput().getRowType(), projects, condition,
          calc.getRowType(), rex);
      return calc.copy(calc.getTraitSet(), calc.getInput(), rewritten);
    }

    /** VALUES with fine timestamps: Calcite would make their literals milliseconds. */
    private RelNode values(Values values) {
      RelDataType rowType = values.getRowType();
      if (rowType.getFieldList().stream().noneMatch(f -> TimestampUnits.fine(f.getType()))) {
        return values;
      }
      RelDataTypeFactory types = rex.getTypeFactory();
      RelDataTypeFactory.Builder longs = types.builder();
      for (RelDataTypeField f : rowType.getFieldList()) {
        longs.add(f.getName(), TimestampUnits.fine(f.getType())
            ? types.createTypeWithNullability(types.createSqlType(SqlTypeName.BIGINT), f.getType().isNullable())
            : f.getType());
      }
      RelDataType longRowType = longs.build();
      List<List<RexLiteral>> tuples = new ArrayList<>();
      for (List<RexLiteral> tuple : values.getTuples()) {
        List<RexLiteral> converted = new ArrayList<>();
        for (int i = 0; i < tuple.size(); i++) {
          RelDataType type = rowType.getFieldList().get(i).getType();
          RexLiteral literal = tuple.get(i);
          if (!TimestampUnits.fine(type)) {
            converted.add(literal);
          } else if (literal.isNull()) {
            converted.add((RexLiteral) rex.makeNullLiteral(longRowType.getFieldList().get(i).getType()));
          } else {
            converted.add((RexLiteral) rex.makeLiteral(BigDecimal.valueOf(units(literal, TimestampUnits.digits(type))),
                longRowType.getFieldList().get(i).getType()));
          }
        }
        tuples.add(converted);
      }
      RelNode longValues = EnumerableValues.create(values.getCluster(), longRowType,
          com.google.common.collect.ImmutableList.copyOf(
              tuples.stream().map(com.google.common.collect.ImmutableList::copyOf).toList()));
      List<RexNode> projects = new ArrayList<>();
      for (int i = 0; i < rowType.getFieldCount(); i++) {
        RelDataType type = rowType.getFieldList().get(i).getType();
        RexNode ref = rex.makeInputRef(longRowType.getFieldList().get(i).getType(), i);
        projects.add(TimestampUnits.fine(type) ? rex.makeCall(type, SAME, List.of(ref)) : ref);
      }
      RexProgram program = RexProgram.create(longRowType, projects, null, rowType, rex);
      return EnumerableCalc.create(longValues, program);
    }

    private void window(Window window) {
      RelDataType input = window.getInput().getRowType();
      for (Window.Group group : window.groups) {
        boolean offsets = !group.lowerBound.isUnbounded() && !group.lowerBound.isCurrentRow()
            || !group.upperBound.isUnbounded() && !group.upperBound.isCurrentRow();
        boolean fineOrder = group.orderKeys.getFieldCollations().stream()
            .anyMatch(c -> TimestampUnits.fine(input.getFieldList().get(c.getFieldIndex()).getType()));
        if (!group.isRows && offsets && fineOrder) {
          throw unsupported("A window RANGE over a TIMESTAMP with digits below the millisecond");
        }
        for (Window.RexWinAggCall call : group.aggCalls) {
          for (RexNode operand : call.getOperands()) {
            if (TimestampUnits.fine(operand.getType()) && !UNIT_FREE_AGGREGATES.contains(call.getKind())) {
              throw unsupported(call.getOperator().getName() + " of a TIMESTAMP with digits below the millisecond");
            }
          }
        }
      }
    }

    private void checkArguments(SqlKind kind, List<Integer> args, RelNode input, String call) {
      for (int arg : args) {
        if (TimestampUnits.fine(input.getRowType().getFieldList().get(arg).getType())
            && !UNIT_FREE_AGGREGATES.contains(kind)) {
          throw unsupported(call + " of a TIMESTAMP with digits below the millisecond");
        }
      }
    }
  }

  private static void sameUnits(RelDataType input, RelDataType output, String what) {
    for (int i = 0; i < output.getFieldCount(); i++) {
      int in = TimestampUnits.digits(input.getFieldList().get(i).getType());
      int out = TimestampUnits.digits(output.getFieldList().get(i).getType());
      if (in != out && (in > 3 || out > 3)) {
        throw unsupported(what + " (column " + output.getFieldList().get(i).getName() + ")");
      }
    }
  }

  private static UnsupportedFeatureException unsupported(String what) {
    return new UnsupportedFeatureException(what + " is not supported yet: Calcite computes timestamps to the"
        + " millisecond, and Mallard keeps DuckDB's micro- and nanoseconds exact. Cast the column to"
        + " TIMESTAMP(3) first if milliseconds are enough.");
  }

  /** A timestamp literal's value in the unit of {@code digits}, exactly. */
  static long units(RexLiteral literal, int digits) {
    TimestampString text = literal.getValueAs(TimestampString.class);
    LocalDateTime t = LocalDateTime.parse(text.toString().replace(' ', 'T'));
    long perSecond = TimestampUnits.perSecond(digits);
    long nanosPerUnit = 1_000_000_000L / perSecond;
    if (t.getNano() % nanosPerUnit != 0) {
      throw unsupported("The literal " + text + " has more digits than its type, so comparing it");
    }
    return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), perSecond), t.getNano() / nanosPerUnit);
  }

  /** Rewrites expressions bottom up, each keeping its type. */
  private static final class Rexes extends RexShuttle {
    private final RexBuilder rex;

    Rexes(RexBuilder rex) {
      this.rex = rex;
    }

    @Override
    public RexNode visitLiteral(RexLiteral literal) {
      SqlTypeName name = literal.getTypeName();
      if (literal.isNull() || !TimestampUnits.fine(literal.getType())
          || name != SqlTypeName.TIMESTAMP && name != SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
        return literal;
      }
      RexNode units = rex.makeBigintLiteral(BigDecimal.valueOf(units(literal, TimestampUnits.digits(literal.getType()))));
      return rex.makeCall(literal.getType(), SAME, List.of(units));
    }

    @Override
    public RexNode visitDynamicParam(RexDynamicParam param) {
      if (!TimestampUnits.fine(param.getType())) {
        return param;
      }
      // Avatica hands parameters over in milliseconds.
      RexNode millis = rex.makeDynamicParam(millisType(param.getType()), param.getIndex());
      return rescale(millis, param.getType());
    }

    @Override
    public RexNode visitCall(RexCall call) {
      if (call.getKind() == SqlKind.SEARCH && call.getOperands().stream().anyMatch(o -> TimestampUnits.fine(o.getType()))) {
        return RexUtil.expandSearch(rex, null, call).accept(this);
      }
      SqlOperator op = call.getOperator();
      if (op == SAME || op == FINER || op == COARSER || op == PARSE || op == FINITE || op == FINITE_DATE
          || op instanceof TransactionTime.Operator) {
        return call;
      }
      RexCall visited = (RexCall) super.visitCall(call);
      List<RexNode> operands = visited.getOperands();
      SqlKind kind = call.getKind();
      if (kind == SqlKind.ITEM || VariantCasts.isToVariant(op)) {
        // a list's element or a map's value, already in its own unit; a variant takes the unit as it is
        return visited;
      }
      if (kind == SqlKind.ARRAY_VALUE_CONSTRUCTOR || kind == SqlKind.MAP_VALUE_CONSTRUCTOR || kind == SqlKind.ROW) {
        // Timestamps inside nested values are kept in their own unit too (see SqlTypes).
        List<RexNode> same = new ArrayList<>();
        for (int i = 0; i < operands.size(); i++) {
          same.add(rescale(operands.get(i), component(call.getType(), i)));
        }
        return visited.clone(call.getType(), same);
      }
      boolean fineOperand = operands.stream().anyMatch(o -> TimestampUnits.fine(o.getType()));
      if (!fineOperand && !TimestampUnits.fine(call.getType())) {
        return ONLY_COMPARE_OR_MOVE.contains(kind) || isSameTypeCast(call) ? visited : finiteOperands(visited);
      }
      boolean allTimestamps = operands.stream().allMatch(o -> TimestampUnits.digits(o.getType()) > 0);
      if ((SqlKind.COMPARISON.contains(kind) || kind == SqlKind.IS_DISTINCT_FROM
          || kind == SqlKind.IS_NOT_DISTINCT_FROM) && allTimestamps) {
        int finest = operands.stream().mapToInt(o -> TimestampUnits.digits(o.getType())).max().orElseThrow();
        List<RexNode> same = new ArrayList<>();
        for (RexNode o : operands) {
          same.add(rescale(o, withDigits(o.getType(), finest)));
        }
        return visited.clone(call.getType(), same);
      }
      if (kind == SqlKind.IS_NULL || kind == SqlKind.IS_NOT_NULL) {
        return visited;
      }
      if (kind == SqlKind.CASE) {
        List<RexNode> same = new ArrayList<>(operands);
        for (int i = 1; i < same.size(); i += 2) {
          same.set(i, rescale(same.get(i), call.getType()));
        }
        same.set(same.size() - 1, rescale(same.get(same.size() - 1), call.getType()));
        return visited.clone(call.getType(), same);
      }
      if ((kind == SqlKind.COALESCE || kind == SqlKind.GREATEST || kind == SqlKind.LEAST) && allTimestamps) {
        List<RexNode> same = new ArrayList<>();
        for (RexNode o : operands) {
          same.add(rescale(o, call.getType()));
        }
        return visited.clone(call.getType(), same);
      }
      if ((kind == SqlKind.CAST || kind == SqlKind.REINTERPRET) && operands.size() == 1
          && operands.get(0).getType().getSqlTypeName() == call.getType().getSqlTypeName()) {
        return rescale(operands.get(0), call.getType());
      }
      if (kind == SqlKind.CAST && TimestampUnits.fine(call.getType())
          && SqlTypeName.CHAR_TYPES.contains(operands.get(0).getType().getSqlTypeName())) {
        if (call.getType().getSqlTypeName() != SqlTypeName.TIMESTAMP) {
          throw unsupported("A cast of text to " + call.getType());
        }
        return rex.makeCall(call.getType(), PARSE, List.of(operands.get(0),
            rex.makeExactLiteral(BigDecimal.valueOf(TimestampUnits.digits(call.getType())))));
      }
      // Anything else is Calcite's, in milliseconds, and for finite values only.
      List<RexNode> millis = new ArrayList<>();
      for (RexNode o : operands) {
        millis.add(finite(TimestampUnits.fine(o.getType()) ? rescale(o, millisType(o.getType())) : o));
      }
      if (!TimestampUnits.fine(call.getType())) {
        return visited.clone(call.getType(), millis);
      }
      return rescale(visited.clone(millisType(call.getType()), millis), call.getType());
    }

    /** The type of a nested value's {@code i}-th constructor operand. */
    private static RelDataType component(RelDataType nested, int i) {
      return switch (nested.getSqlTypeName()) {
        case ARRAY, MULTISET -> nested.getComponentType();
        case MAP -> i % 2 == 0 ? nested.getKeyType() : nested.getValueType();
        default -> nested.getFieldList().get(i).getType();
      };
    }

    private static boolean isSameTypeCast(RexCall call) {
      return (call.getKind() == SqlKind.CAST || call.getKind() == SqlKind.REINTERPRET) && call.getOperands().size() == 1
          && call.getOperands().get(0).getType().getSqlTypeName() == call.getType().getSqlTypeName();
    }

    /** {@code call} with its date and timestamp operands checked to be finite (see {@link #finite}). */
    private RexNode finiteOperands(RexCall call) {
      List<RexNode> checked = new ArrayList<>();
      boolean changed = false;
      for (RexNode o : call.getOperands()) {
        RexNode f = finite(o);
        changed |= f != o;
        checked.add(f);
      }
      return changed ? call.clone(call.getType(), checked) : call;
    }

    /**
     * {@code value} as it is, failing when run if it is an infinite date or timestamp: Calcite's
     * own functions, casts and arithmetic know nothing of DuckDB's infinities and would compute a
     * wrong value from them (comparisons, ORDER BY, min and max are right, and skip this).
     */
    private RexNode finite(RexNode value) {
      SqlTypeName name = value.getType().getSqlTypeName();
      if (value instanceof RexLiteral) {
        return value;
      }
      if (name == SqlTypeName.DATE) {
        return rex.makeCall(value.getType(), FINITE_DATE, List.of(value));
      }
      if (name == SqlTypeName.TIMESTAMP || name == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
        return rex.makeCall(value.getType(), FINITE, List.of(value));
      }
      return value;
    }

    /** {@code value} converted to the unit of {@code type}, typed {@code type}. */
    private RexNode rescale(RexNode value, RelDataType type) {
      int from = TimestampUnits.digits(value.getType());
      int to = TimestampUnits.digits(type);
      if (from < 0 || to < 0 || from == to) {
        return value.getType().equals(type) || from < 0 || to < 0 ? value : rex.makeCall(type, SAME, List.of(value));
      }
      if (value instanceof RexLiteral l && !l.isNull()) {
        return rex.makeCall(type, SAME, List.of(rex.makeBigintLiteral(BigDecimal.valueOf(units(l, to)))));
      }
      if (value instanceof RexCall c && c.getOperator() == SAME && c.getOperands().get(0) instanceof RexLiteral l) {
        // A literal converted exactly now rather than per row.
        long units = l.getValueAs(Long.class);
        long factor = TimestampUnits.perSecond(Math.max(from, to)) / TimestampUnits.perSecond(Math.min(from, to));
        if (to > from || units % factor == 0) {
          long converted = to > from ? Math.multiplyExact(units, factor) : units / factor;
          return rex.makeCall(type, SAME, List.of(rex.makeBigintLiteral(BigDecimal.valueOf(converted))));
        }
      }
      long factor = TimestampUnits.perSecond(Math.max(from, to)) / TimestampUnits.perSecond(Math.min(from, to));
      RexNode factorLiteral = rex.makeBigintLiteral(BigDecimal.valueOf(factor));
      return to > from ? rex.makeCall(type, FINER, List.of(value, factorLiteral))
          : rex.makeCall(type, COARSER, List.of(value, factorLiteral, rex.makeExactLiteral(BigDecimal.valueOf(from))));
    }

    private RelDataType millisType(RelDataType type) {
      return withDigits(type, 3);
    }

    private RelDataType withDigits(RelDataType type, int digits) {
      RelDataTypeFactory types = rex.getTypeFactory();
      int precision = TimestampUnits.digits(type) == digits ? type.getPrecision() : digits;
      return types.createTypeWithNullability(types.createSqlType(type.getSqlTypeName(), precision), type.isNullable());
    }
  }
}
