package dev.mallard.calcite;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.types.ArrowTypes;
import dev.mallard.engine.types.DuckLakeType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The SQL type each DuckLake type has in Calcite. Unsigned integers widen to the next signed type;
 * types SQL has no equivalent for (interval with months and days and microseconds, timetz, uuid)
 * are shown as DuckDB prints them, as VARCHAR. Nested types are typed ANY until they are supported,
 * so that their tables still load and only reading such a column fails.
 */
final class SqlTypes {
  private SqlTypes() {}

  static RelDataType of(ColumnInfo column, RelDataTypeFactory f) {
    return f.createTypeWithNullability(base(column.type(), f), column.nullable());
  }

  private static RelDataType base(DuckLakeType type, RelDataTypeFactory f) {
    return switch (type.kind()) {
      case BOOLEAN -> f.createSqlType(SqlTypeName.BOOLEAN);
      case INT8 -> f.createSqlType(SqlTypeName.TINYINT);
      case INT16, UINT8 -> f.createSqlType(SqlTypeName.SMALLINT);
      case INT32, UINT16 -> f.createSqlType(SqlTypeName.INTEGER);
      case INT64, UINT32 -> f.createSqlType(SqlTypeName.BIGINT);
      case UINT64 -> f.createSqlType(SqlTypeName.DECIMAL, 20, 0);
      case INT128, UINT128 -> f.createSqlType(SqlTypeName.DECIMAL, ArrowTypes.INT128_PRECISION, 0);
      case FLOAT32 -> f.createSqlType(SqlTypeName.REAL);
      case FLOAT64 -> f.createSqlType(SqlTypeName.DOUBLE);
      case DECIMAL -> f.createSqlType(SqlTypeName.DECIMAL, type.precision(), type.scale());
      case VARCHAR, JSON, UUID, TIMETZ, INTERVAL -> f.createSqlType(SqlTypeName.VARCHAR);
      case BLOB, GEOMETRY -> f.createSqlType(SqlTypeName.VARBINARY);
      case DATE -> f.createSqlType(SqlTypeName.DATE);
      case TIME -> f.createSqlType(SqlTypeName.TIME, 6);
      case TIME_NS -> f.createSqlType(SqlTypeName.TIME, 9);
      case TIMESTAMP_S -> f.createSqlType(SqlTypeName.TIMESTAMP, 0);
      case TIMESTAMP_MS -> f.createSqlType(SqlTypeName.TIMESTAMP, 3);
      case TIMESTAMP -> f.createSqlType(SqlTypeName.TIMESTAMP, 6);
      case TIMESTAMP_NS -> f.createSqlType(SqlTypeName.TIMESTAMP, 9);
      case TIMESTAMPTZ -> f.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
      case TIMESTAMPTZ_NS -> f.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 9);
      case STRUCT, LIST, MAP, VARIANT, UNKNOWN -> f.createSqlType(SqlTypeName.ANY);
    };
  }
}
