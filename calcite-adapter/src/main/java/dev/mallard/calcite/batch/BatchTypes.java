package dev.mallard.calcite.batch;

import dev.mallard.engine.vector.VType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;

/** Which SQL types batch operators handle, and how their values are held (see {@link VType}). */
final class BatchTypes {
  private BatchTypes() {}

  /** How values of {@code type} are held, or null when batch operators do not handle it. */
  static VType of(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, DATE -> VType.LONG;
      case DECIMAL -> VType.decimal(type.getScale());
      case DOUBLE, FLOAT -> VType.DOUBLE;
      case CHAR, VARCHAR -> VType.STRING;
      default -> null;
    };
  }

  static boolean allSupported(RelDataType rowType) {
    for (RelDataTypeField f : rowType.getFieldList()) {
      if (of(f.getType()) == null) {
        return false;
      }
    }
    return true;
  }

  static boolean isInteger(SqlTypeName t) {
    return t == SqlTypeName.TINYINT || t == SqlTypeName.SMALLINT || t == SqlTypeName.INTEGER
        || t == SqlTypeName.BIGINT;
  }

  /** The digits before the point an integer or decimal type can hold. */
  static int integerDigits(RelDataType t) {
    return switch (t.getSqlTypeName()) {
      case TINYINT -> 3;
      case SMALLINT -> 5;
      case INTEGER -> 10;
      case BIGINT -> 19;
      case DECIMAL -> t.getPrecision() - t.getScale();
      default -> throw new IllegalArgumentException(t + " is not exact");
    };
  }

  static long min(SqlTypeName t) {
    return switch (t) {
      case TINYINT -> Byte.MIN_VALUE;
      case SMALLINT -> Short.MIN_VALUE;
      case INTEGER -> Integer.MIN_VALUE;
      default -> Long.MIN_VALUE;
    };
  }

  static long max(SqlTypeName t) {
    return switch (t) {
      case TINYINT -> Byte.MAX_VALUE;
      case SMALLINT -> Short.MAX_VALUE;
      case INTEGER -> Integer.MAX_VALUE;
      default -> Long.MAX_VALUE;
    };
  }
}
