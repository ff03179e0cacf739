package dev.mallard.calcite;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's types brought in line with DuckDB's: decimals up to 38 digits (39 for the 128-bit
 * integers, whose extremes have 39), and aggregates typed closer to DuckDB, so that {@code avg} of
 * integers is not truncated and {@code sum} of integers does not overflow.
 */
public final class MallardTypeSystem extends RelDataTypeSystemImpl {
  /** For plain Calcite: TIMESTAMPs to the millisecond, Calcite's runtime form. */
  public static final MallardTypeSystem INSTANCE = new MallardTypeSystem(false);
  /**
   * Mallard's own connections: TIMESTAMP(6), TIMESTAMP(9), TIME(6) and TIME(9), whose values are
   * kept in micro- and nanoseconds by plans that {@link ExactTimestamps} rewrote (see there), with
   * a {@link MallardJavaTypeFactory}.
   */
  public static final MallardTypeSystem EXACT_TIMESTAMPS = new MallardTypeSystem(true);

  private final boolean exactTimestamps;

  private MallardTypeSystem(boolean exactTimestamps) {
    this.exactTimestamps = exactTimestamps;
  }

  /** Whether {@code typeSystem} keeps TIMESTAMP values exactly, in the unit of their precision. */
  public static boolean exactTimestamps(org.apache.calcite.rel.type.RelDataTypeSystem typeSystem) {
    return typeSystem instanceof MallardTypeSystem m && m.exactTimestamps;
  }

  @Override
  @SuppressWarnings("deprecation")
  public int getMaxNumericPrecision() {
    return 39;
  }

  @Override
  @SuppressWarnings("deprecation")
  public int getMaxNumericScale() {
    return 38;
  }

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    if (exactTimestamps && (typeName == SqlTypeName.TIMESTAMP
        || typeName == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE || typeName == SqlTypeName.TIME)) {
      return 9;
    }
    return typeName == SqlTypeName.DECIMAL ? 39 : super.getMaxPrecision(typeName);
  }

  /**
   * DuckDB sums every integer type into a HUGEINT and decimals into DECIMAL(38, s), so sums never
   * overflow: integers sum to DECIMAL(38,0) here (see {@link DecimalSums} for how Calcite's code is
   * made to add them), decimals to DECIMAL(38, s) (39 digits for the 128-bit integers), floats as
   * doubles.
   */
  @Override
  public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    RelDataType sum = switch (argumentType.getSqlTypeName()) {
      case TINYINT, SMALLINT, INTEGER, BIGINT -> typeFactory.createSqlType(SqlTypeName.DECIMAL, 38, 0);
      case DECIMAL -> typeFactory.createSqlType(SqlTypeName.DECIMAL,
          Math.max(38, argumentType.getPrecision()), argumentType.getScale());
      case REAL, FLOAT -> typeFactory.createSqlType(SqlTypeName.DOUBLE);
      default -> null;
    };
    return sum == null ? super.deriveSumType(typeFactory, argumentType)
        : typeFactory.createTypeWithNullability(sum, argumentType.isNullable());
  }

  /** DuckDB averages every numeric type as a DOUBLE. */
  @Override
  public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    if (SqlTypeName.NUMERIC_TYPES.contains(argumentType.getSqlTypeName())) {
      return typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.DOUBLE),
          argumentType.isNullable());
    }
    return super.deriveAvgAggType(typeFactory, argumentType);
  }

  /** DuckDB rounds a decimal cast half away from zero ({@code 1.005::DECIMAL(10,2)} is 1.01). */
  @Override
  public java.math.RoundingMode roundingMode() {
    return java.math.RoundingMode.HALF_UP;
  }

  /** DuckDB's TIME is in microseconds: {@code CAST(x AS TIME)} is a TIME(6) in Mallard's connections. */
  @Override
  public int getDefaultPrecision(SqlTypeName typeName) {
    return exactTimestamps && typeName == SqlTypeName.TIME ? 6 : super.getDefaultPrecision(typeName);
  }

  @Override
  public int getMaxScale(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxScale(typeName);
  }
}
