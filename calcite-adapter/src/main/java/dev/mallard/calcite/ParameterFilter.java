package dev.mallard.calcite;

import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A filter conjunct whose value is only known when the statement runs: {@code column op ?} or
 * {@code column IN (?, ...)}, where each value is a {@code ?} parameter (perhaps under a cast) or a
 * literal. The scan gets the computed values at each execution and turns the filter into an engine
 * {@link Predicate}, so file and row-group pruning use the bound values while the plan stays cached.
 * The conjunct also stays in the Calcite filter above the scan: a value the column's type cannot
 * hold exactly (or NULL) is simply not pushed, and the result is still right.
 *
 * @param op the comparison; {@link Predicate.Op#EQ} for IN
 * @param in whether this is {@code column IN (values)} (otherwise one value)
 * @param values what the generated code computes at each execution, in this order
 */
record ParameterFilter(ColumnRef column, Predicate.Op op, boolean in, List<RexNode> values) {
  ParameterFilter {
    values = List.copyOf(values);
  }

  /** The column kinds whose values a parameter binds exactly (timestamps and times are not pushed yet). */
  static boolean supports(DuckLakeType type) {
    return switch (type.kind()) {
      case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, INT128, UINT128, FLOAT32, FLOAT64, DECIMAL,
          VARCHAR, UUID, DATE -> true;
      default -> false;
    };
  }

  /**
   * The engine predicate for the values computed at this execution, or null when one of them is
   * NULL or not exactly a value of the column's type (then only the filter above the scan applies).
   */
  Predicate bind(List<Object> computed) {
    List<Object> engineValues = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      Object v = engineValue(column.type(), values.get(i).getType().getSqlTypeName(), computed.get(i));
      if (v == null) {
        return null;
      }
      engineValues.add(v);
    }
    return in ? new Predicate.In(column, engineValues) : new Predicate.Comparison(column, op, engineValues.get(0));
  }

  /**
   * A value Calcite computed (in its internal representation of {@code valueType}) as an engine value
   * of {@code type}, or null if it is NULL or the type cannot hold it exactly.
   */
  static Object engineValue(DuckLakeType type, SqlTypeName valueType, Object value) {
    if (value == null) {
      return null;
    }
    switch (type.kind()) {
      case INT8: case INT16: case INT32: case INT64: case UINT8: case UINT16: case UINT32:
      case UINT64: case INT128: case UINT128: {
        BigInteger i = integral(valueType, value);
        if (i == null) {
          return null;
        }
        boolean bigKind = type.kind() == TypeKind.UINT64 || type.kind() == TypeKind.INT128
            || type.kind() == TypeKind.UINT128;
        return bigKind || i.bitLength() >= 64 ? i : (Object) i.longValueExact();
      }
      case FLOAT32: case FLOAT64: {
        if (!SqlTypeFamily.NUMERIC.getTypeNames().contains(valueType) || !(value instanceof Number n)) {
          return null;
        }
        double d = n.doubleValue();
        return valueType == SqlTypeName.REAL || valueType == SqlTypeName.FLOAT ? (double) (float) d : d;
      }
      case DECIMAL: {
        if (valueType == SqlTypeName.DECIMAL && value instanceof BigDecimal d) {
          return d;
        }
        BigInteger i = integral(valueType, value);
        return i == null ? null : new BigDecimal(i);
      }
      case VARCHAR:
        return SqlTypeFamily.CHARACTER.getTypeNames().contains(valueType) && value instanceof String s ? s : null;
      case UUID: {
        if (!SqlTypeFamily.CHARACTER.getTypeNames().contains(valueType) || !(value instanceof String s)) {
          return null;
        }
        try {
          return Values.parse(type, s);
        } catch (RuntimeException e) {
          return null; // not a UUID: the filter above decides (and reports) what it means
        }
      }
      case DATE:
        return valueType == SqlTypeName.DATE && value instanceof Integer days ? days : null;
      default:
        return null;
    }
  }

  private static BigInteger integral(SqlTypeName valueType, Object value) {
    if (!SqlTypeFamily.EXACT_NUMERIC.getTypeNames().contains(valueType)) {
      return null;
    }
    if (value instanceof BigDecimal d) {
      try {
        return d.toBigIntegerExact();
      } catch (ArithmeticException e) {
        return null; // a fraction: leave the comparison to the filter above
      }
    }
    if (value instanceof BigInteger i) {
      return i;
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return BigInteger.valueOf(((Number) value).longValue());
    }
    return null;
  }

  @Override
  public String toString() {
    String shown = values.stream().map(RexNode::toString).collect(Collectors.joining(", "));
    return in ? column + " IN (" + shown + ")" : column + " " + op.symbol() + " " + shown;
  }
}
