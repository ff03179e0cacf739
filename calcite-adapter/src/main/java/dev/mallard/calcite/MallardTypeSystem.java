package dev.mallard.calcite;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's types brought in line with DuckDB's: decimals up to 38 digits (39 for the 128-bit
 * integers, whose extremes have 39), and aggregates typed closer to DuckDB, so that {@code avg} of
 * integers is not truncated and {@code sum} of INTEGERs does not overflow at 2^31.
 */
public final class MallardTypeSystem extends RelDataTypeSystemImpl {
  public static final MallardTypeSystem INSTANCE = new MallardTypeSystem();

  private MallardTypeSystem() {}

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
    return typeName == SqlTypeName.DECIMAL ? 39 : super.getMaxPrecision(typeName);
  }

  /**
   * DuckDB sums integers into HUGEINT. Sums of up to 32-bit integers go to BIGINT, which overflows
   * only after billions of rows; floats sum as doubles. Sums of BIGINTs stay BIGINT: Calcite's
   * generated code cannot add a BIGINT argument into a DECIMAL sum.
   */
  @Override
  public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    RelDataType sum = switch (argumentType.getSqlTypeName()) {
      case TINYINT, SMALLINT, INTEGER -> typeFactory.createSqlType(SqlTypeName.BIGINT);
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

  @Override
  public int getMaxScale(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxScale(typeName);
  }
}
