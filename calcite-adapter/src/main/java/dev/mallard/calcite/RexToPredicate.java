package dev.mallard.calcite;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Interval;
import dev.mallard.engine.types.TimeTz;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimeString;
import org.apache.calcite.util.TimestampString;

/**
 * Translates a Calcite filter condition into the engine's {@link Predicate}, or gives up. It only
 * translates what it can translate without changing the result: comparisons of a column (perhaps
 * under a cast that preserves every value) with a literal that the column's type represents
 * exactly, and AND, OR, NOT, IS [NOT] NULL, IN and ranges over those. Everything else stays in
 * Calcite.
 */
final class RexToPredicate {
  private final List<ColumnInfo> columns;
  private final RexBuilder rexBuilder;

  /** @param columns the columns of the scan the condition reads, by input index */
  RexToPredicate(List<ColumnInfo> columns, RexBuilder rexBuilder) {
    this.columns = columns;
    this.rexBuilder = rexBuilder;
  }

  Optional<Predicate> translate(RexNode node) {
    return Optional.ofNullable(predicate(node));
  }

  /**
   * A conjunct comparing a column with {@code ?} parameters ({@code =, <, <=, >, >=}, and IN as an
   * OR of equalities; BETWEEN arrives as two comparisons), for the scan to bind at each execution.
   */
  Optional<ParameterFilter> translateParameter(RexNode node) {
    if (node.getKind() == SqlKind.OR) {
      ColumnRef column = null;
      List<RexNode> values = new ArrayList<>();
      for (RexNode term : ((RexCall) node).getOperands()) {
        ParameterFilter eq = parameterComparison(term);
        if (eq == null || eq.op() != Predicate.Op.EQ || (column != null && column.columnId() != eq.column().columnId())) {
          return Optional.empty();
        }
        column = eq.column();
        values.addAll(eq.values());
      }
      return column == null ? Optional.empty()
          : Optional.of(new ParameterFilter(column, Predicate.Op.EQ, true, values));
    }
    return Optional.ofNullable(parameterComparison(node));
  }

  private ParameterFilter parameterComparison(RexNode node) {
    Predicate.Op op = switch (node.getKind()) {
      case EQUALS -> Predicate.Op.EQ;
      case LESS_THAN -> Predicate.Op.LT;
      case LESS_THAN_OR_EQUAL -> Predicate.Op.LE;
      case GREATER_THAN -> Predicate.Op.GT;
      case GREATER_THAN_OR_EQUAL -> Predicate.Op.GE;
      default -> null;
    };
    if (op == null) {
      return null;
    }
    RexNode left = ((RexCall) node).getOperands().get(0);
    RexNode right = ((RexCall) node).getOperands().get(1);
    if (isParameter(left)) {
      RexNode t = left;
      left = right;
      right = t;
      op = op.flip();
    }
    ColumnRef column = columnOf(left);
    if (column == null || !isParameter(right) || !ParameterFilter.supports(column.type())) {
      return null;
    }
    return new ParameterFilter(column, op, false, List.of(right));
  }

  /** A {@code ?} parameter, perhaps under casts: a value fixed for one execution. */
  private static boolean isParameter(RexNode node) {
    while (node.getKind() == SqlKind.CAST) {
      node = ((RexCall) node).getOperands().get(0);
    }
    return node instanceof RexDynamicParam;
  }

  private Predicate predicate(RexNode node) {
    if (node instanceof RexInputRef ref && ref.getIndex() < columns.size()
        && columnType(ref).kind() == TypeKind.BOOLEAN) {
      return new Predicate.Comparison(column(ref), Predicate.Op.EQ, Boolean.TRUE);
    }
    if (!(node instanceof RexCall call)) {
      return null;
    }
    switch (call.getKind()) {
      case AND:
      case OR: {
        List<Predicate> terms = new ArrayList<>();
        for (RexNode operand : call.getOperands()) {
          Predicate p = predicate(operand);
          if (p == null) {
            return null;
          }
          terms.add(p);
        }
        return call.getKind() == SqlKind.AND ? new Predicate.And(terms) : asInList(terms);
      }
      case NOT: {
        Predicate p = predicate(call.getOperands().get(0));
        return p == null ? null : new Predicate.Not(p);
      }
      case IS_NULL:
      case IS_NOT_NULL: {
        ColumnRef c = columnOf(call.getOperands().get(0));
        if (c == null) {
          return null;
        }
        Predicate isNull = new Predicate.IsNull(c);
        return call.getKind() == SqlKind.IS_NULL ? isNull : new Predicate.Not(isNull);
      }
      case SEARCH:
        return predicate(RexUtil.expandSearch(rexBuilder, null, call));
      case EQUALS:
        return comparison(call, Predicate.Op.EQ);
      case NOT_EQUALS:
        return comparison(call, Predicate.Op.NE);
      case LESS_THAN:
        return comparison(call, Predicate.Op.LT);
      case LESS_THAN_OR_EQUAL:
        return comparison(call, Predicate.Op.LE);
      case GREATER_THAN:
        return comparison(call, Predicate.Op.GT);
      case GREATER_THAN_OR_EQUAL:
        return comparison(call, Predicate.Op.GE);
      default:
        return null;
    }
  }

  /** {@code x = 1 OR x = 2 OR x = 3} reads better, and prunes the same, as {@code x IN (1, 2, 3)}. */
  private static Predicate asInList(List<Predicate> terms) {
    ColumnRef column = null;
    List<Object> values = new ArrayList<>();
    for (Predicate t : terms) {
      if (!(t instanceof Predicate.Comparison c) || c.op() != Predicate.Op.EQ
          || (column != null && column.columnId() != c.column().columnId())) {
        return new Predicate.Or(terms);
      }
      column = c.column();
      values.add(c.value());
    }
    return new Predicate.In(column, values);
  }

  private Predicate comparison(RexCall call, Predicate.Op op) {
    RexNode left = call.getOperands().get(0);
    RexNode right = call.getOperands().get(1);
    if (!isConstant(right) && isConstant(left)) {
      RexNode t = left;
      left = right;
      right = t;
      op = op.flip();
    }
    ColumnRef column = columnOf(left);
    if (column == null || !(Values.isComparable(column.type()) || comparedAsText(column.type()))) {
      return null;
    }
    Object value = null;
    if (right instanceof RexLiteral literal && !literal.isNull()) {
      value = literalValue(column.type(), literal);
    } else if (column.type().kind().isFloatingPoint()) {
      value = floatFromText(right);
    }
    return value == null ? null : new Predicate.Comparison(column, op, value);
  }

  /**
   * INTERVAL and TIMETZ columns are strings in SQL (DuckDB's text); compared with text that reads
   * as one of their values, the engine compares them as DuckDB does ({@code '1 month' = '30 days'}).
   */
  private static boolean comparedAsText(DuckLakeType type) {
    return type.kind() == TypeKind.INTERVAL || type.kind() == TypeKind.TIMETZ;
  }

  private static boolean isConstant(RexNode node) {
    return node instanceof RexLiteral || floatFromText(node) != null;
  }

  /**
   * {@code CAST('inf' AS REAL)} and the like, which Calcite cannot fold into a literal (its cast
   * knows only Java's spellings), read as DuckDB reads the text; null for anything else.
   */
  private static Double floatFromText(RexNode node) {
    if (!FloatCasts.castsTextToFloat(node)
        || !(((RexCall) node).getOperands().get(0) instanceof RexLiteral text) || text.isNull()) {
      return null;
    }
    try {
      double d = Values.parseDouble(text.getValueAs(String.class).strip());
      // A REAL is evaluated as a float; widen it the same way the column's floats are.
      return node.getType().getSqlTypeName() == SqlTypeName.DOUBLE ? d : (double) (float) d;
    } catch (NumberFormatException e) {
      return null; // not pushed: it fails where Calcite evaluates it, with the cast's message
    }
  }

  /** A column, seen through casts that keep every value of its type unchanged. */
  private ColumnRef columnOf(RexNode node) {
    if (node instanceof RexInputRef ref) {
      return column(ref);
    }
    if (node.getKind() == SqlKind.CAST && node instanceof RexCall cast
        && cast.getOperands().get(0) instanceof RexInputRef ref && ref.getIndex() < columns.size()
        && preservesValues(cast.getOperands().get(0).getType().getSqlTypeName(), cast.getType().getSqlTypeName(),
            cast.getType().getPrecision(), cast.getType().getScale(), columnType(ref))) {
      return column(ref);
    }
    return null;
  }

  private static boolean preservesValues(SqlTypeName from, SqlTypeName to, int precision, int scale,
      DuckLakeType type) {
    TypeKind kind = type.kind();
    if (to == SqlTypeName.DOUBLE) {
      // Every float, and every integer of up to 32 bits, is a double exactly.
      return kind == TypeKind.FLOAT32 || kind == TypeKind.INT8 || kind == TypeKind.INT16 || kind == TypeKind.INT32
          || kind == TypeKind.UINT8 || kind == TypeKind.UINT16 || kind == TypeKind.UINT32;
    }
    if (SqlTypeFamily.INTEGER.getTypeNames().contains(from) && SqlTypeFamily.INTEGER.getTypeNames().contains(to)) {
      return bits(to) >= bits(from);
    }
    if (to == SqlTypeName.DECIMAL && (from == SqlTypeName.DECIMAL || SqlTypeFamily.INTEGER.getTypeNames().contains(from))) {
      int digits = from == SqlTypeName.DECIMAL ? type.precision() - type.scale() : decimalDigits(from);
      int fromScale = from == SqlTypeName.DECIMAL ? type.scale() : 0;
      return scale >= fromScale && precision - scale >= digits;
    }
    return false;
  }

  private static int bits(SqlTypeName t) {
    return switch (t) {
      case TINYINT -> 8;
      case SMALLINT -> 16;
      case INTEGER -> 32;
      default -> 64;
    };
  }

  private static int decimalDigits(SqlTypeName t) {
    return switch (t) {
      case TINYINT -> 3;
      case SMALLINT -> 5;
      case INTEGER -> 10;
      default -> 19;
    };
  }

  private ColumnRef column(RexInputRef ref) {
    if (ref.getIndex() >= columns.size() || VirtualColumns.isVirtual(columns.get(ref.getIndex()))) {
      return null; // a DML scan's address column, or a virtual column: the engine cannot filter on them
    }
    ColumnInfo c = columns.get(ref.getIndex());
    if (c.type().kind().isNested() || c.type().kind() == TypeKind.GEOMETRY || c.type().kind() == TypeKind.VARIANT) {
      // filters on structs, lists and maps are evaluated above the scan; so are those on geometry and variant,
      // whose SQL values (text) are not the engine's (WKB, variant bytes), and whose null counts DuckDB leaves inexact
      return null;
    }
    return new ColumnRef(c.id(), c.name(), c.type());
  }

  private DuckLakeType columnType(RexInputRef ref) {
    return columns.get(ref.getIndex()).type();
  }

  /**
   * The literal as an engine value of the column's type, or null when the column's type cannot
   * hold it exactly (then the comparison is left to Calcite).
   */
  static Object literalValue(DuckLakeType type, RexLiteral literal) {
    SqlTypeName literalType = literal.getType().getSqlTypeName();
    switch (type.kind()) {
      case BOOLEAN:
        return literalType == SqlTypeName.BOOLEAN ? literal.getValueAs(Boolean.class) : null;
      case INT8: case INT16: case INT32: case INT64: case UINT8: case UINT16: case UINT32:
      case UINT64: case INT128: case UINT128: {
        BigInteger i = integral(literal);
        if (i == null) {
          return null;
        }
        boolean fitsLong = i.bitLength() < 64;
        boolean bigKind = type.kind() == TypeKind.UINT64 || type.kind() == TypeKind.INT128
            || type.kind() == TypeKind.UINT128;
        return bigKind || !fitsLong ? i : (Object) i.longValueExact();
      }
      case FLOAT32: case FLOAT64: {
        if (!SqlTypeFamily.NUMERIC.getTypeNames().contains(literalType)) {
          return null;
        }
        // As a double, not a BigDecimal, which has no NaN or infinity.
        double d = literal.getValueAs(Double.class);
        // A REAL literal is evaluated as a float; widen it the same way the column's floats are.
        return literalType == SqlTypeName.REAL || literalType == SqlTypeName.FLOAT ? (double) (float) d : d;
      }
      case DECIMAL:
        return SqlTypeFamily.EXACT_NUMERIC.getTypeNames().contains(literalType)
            ? literal.getValueAs(BigDecimal.class) : null;
      case VARCHAR: case JSON: case UUID:
        if (!SqlTypeFamily.CHARACTER.getTypeNames().contains(literalType)) {
          return null;
        }
        String s = literal.getValueAs(String.class);
        return type.kind() == TypeKind.UUID ? Values.parse(type, s) : s;
      case DATE:
        return literalType == SqlTypeName.DATE ? literal.getValueAs(DateString.class).getDaysSinceEpoch() : null;
      case TIME: case TIME_NS:
        return literalType == SqlTypeName.TIME ? exact(type, literal.getValueAs(TimeString.class).toString()) : null;
      case TIMESTAMP_S: case TIMESTAMP_MS: case TIMESTAMP: case TIMESTAMP_NS:
        return literalType == SqlTypeName.TIMESTAMP ? timestamp(type, literal) : null;
      case TIMESTAMPTZ: case TIMESTAMPTZ_NS:
        return literalType == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE ? timestamp(type, literal) : null;
      case INTERVAL: case TIMETZ:
        if (!SqlTypeFamily.CHARACTER.getTypeNames().contains(literalType)) {
          return null;
        }
        try {
          String text = literal.getValueAs(String.class);
          if (text.isBlank()) {
            return null;
          }
          return type.kind() == TypeKind.INTERVAL ? Interval.parse(text) : TimeTz.parse(text);
        } catch (IllegalArgumentException e) {
          return null; // text only DuckDB's own parser reads ('36 hours'): left to Calcite, as text
        }
      default:
        return null;
    }
  }

  private static BigInteger integral(RexLiteral literal) {
    if (!SqlTypeFamily.EXACT_NUMERIC.getTypeNames().contains(literal.getType().getSqlTypeName())) {
      return null;
    }
    BigDecimal d = literal.getValueAs(BigDecimal.class);
    try {
      return d.toBigIntegerExact();
    } catch (ArithmeticException e) {
      return null; // a fraction: an integer column cannot equal it, but leave the logic to Calcite
    }
  }

  private static Object timestamp(DuckLakeType type, RexLiteral literal) {
    return exact(type, literal.getValueAs(TimestampString.class).toString());
  }

  /** A time or timestamp literal in the column's unit, if that unit holds it without rounding. */
  private static Object exact(DuckLakeType type, String text) {
    int dot = text.indexOf('.');
    String fraction = dot < 0 ? "" : text.substring(dot + 1).replaceAll("0+$", "");
    int digits = switch (type.kind()) {
      case TIMESTAMP_S -> 0;
      case TIMESTAMP_MS -> 3;
      case TIME, TIMESTAMP, TIMESTAMPTZ -> 6;
      default -> 9;
    };
    if (fraction.length() > digits) {
      return null;
    }
    try {
      return Values.parse(type, text);
    } catch (RuntimeException e) {
      return null; // outside the column type's range
    }
  }
}
