package dev.mallard.calcite;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.types.ArrowTypes;
import dev.mallard.engine.types.DuckLakeType;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.StructKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The SQL type each DuckLake type has in Calcite. Unsigned integers widen to the next signed type;
 * types SQL has no equivalent for (interval with months and days and microseconds, timetz, uuid)
 * are shown as DuckDB prints them, as VARCHAR. Structs are ROW types whose fields can be read as
 * {@code s.a}, lists are ARRAY, maps are MAP (see {@link #nested}). Geometry is VARCHAR
 * holding DuckDB's text of the value, its WKT (see {@link RowConverter}); variant is Calcite's VARIANT,
 * whose values ({@link LakeVariant}) keep their type and show DuckDB's text.
 */
final class SqlTypes {
  private SqlTypes() {}

  static RelDataType of(ColumnInfo column, RelDataTypeFactory f) {
    RelDataType type = column.type().kind().isNested() ? nested(column, f) : base(column.type(), f);
    return f.createTypeWithNullability(type, column.nullable());
  }

  /**
   * A struct as a ROW whose fields resolve without the table's name ({@code s.a}), a list as an
   * ARRAY of its element, a map as a MAP; children are nullable as in the catalog. Times and
   * timestamps inside keep their precision, and so their unit (see {@link TimestampUnits}), as at the
   * top level: the JDBC driver reads them exactly.
   */
  private static RelDataType nested(ColumnInfo column, RelDataTypeFactory f) {
    List<RelDataType> children = new ArrayList<>();
    for (ColumnInfo child : column.children()) {
      children.add(of(child, f));
    }
    return switch (column.type().kind()) {
      case STRUCT -> f.createStructType(StructKind.PEEK_FIELDS_NO_EXPAND, children,
          column.children().stream().map(ColumnInfo::name).toList());
      case LIST -> f.createArrayType(children.get(0), -1);
      case MAP -> f.createMapType(children.get(0), children.get(1));
      default -> throw new IllegalArgumentException(column.type() + " is not nested");
    };
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
      case VARCHAR, JSON, UUID, TIMETZ, INTERVAL, GEOMETRY -> f.createSqlType(SqlTypeName.VARCHAR);
      case VARIANT -> f.createSqlType(SqlTypeName.VARIANT); // values are LakeVariant
      case BLOB -> f.createSqlType(SqlTypeName.VARBINARY);
      case DATE -> f.createSqlType(SqlTypeName.DATE);
      case TIME -> f.createSqlType(SqlTypeName.TIME, 6);
      case TIME_NS -> f.createSqlType(SqlTypeName.TIME, 9);
      case TIMESTAMP_S -> f.createSqlType(SqlTypeName.TIMESTAMP, 0);
      case TIMESTAMP_MS -> f.createSqlType(SqlTypeName.TIMESTAMP, 3);
      case TIMESTAMP -> f.createSqlType(SqlTypeName.TIMESTAMP, 6);
      case TIMESTAMP_NS -> f.createSqlType(SqlTypeName.TIMESTAMP, 9);
      case TIMESTAMPTZ -> f.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
      case TIMESTAMPTZ_NS -> f.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 9);
      case STRUCT, LIST, MAP, UNKNOWN -> f.createSqlType(SqlTypeName.ANY);
    };
  }
}
