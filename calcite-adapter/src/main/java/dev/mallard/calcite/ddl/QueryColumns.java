package dev.mallard.calcite.ddl;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.txn.NewColumn;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;

/**
 * The columns of a table made by {@code CREATE TABLE ... AS query}: the query's columns, named by the
 * statement's column list where it has one, typed as DuckDB types them. As in DuckDB, every column
 * is nullable and has no default.
 */
public final class QueryColumns {
  private QueryColumns() {}

  static List<NewColumn> of(RelDataType rowType, List<String> columnNames) {
    List<RelDataTypeField> fields = rowType.getFieldList();
    if (columnNames.size() > fields.size()) {
      throw new UserException("CREATE TABLE ... AS names " + columnNames.size() + " columns but its query returns "
          + fields.size());
    }
    List<NewColumn> columns = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      String name = i < columnNames.size() ? columnNames.get(i) : fields.get(i).getName();
      columns.add(column(name, fields.get(i).getType()));
    }
    return columns;
  }

  /** A nullable column without default; ROW, ARRAY and MAP types become struct, list and map columns. */
  private static NewColumn column(String name, RelDataType type) {
    List<NewColumn> children = new ArrayList<>();
    TypeKind nested;
    switch (type.getSqlTypeName()) {
      case ROW -> {
        nested = TypeKind.STRUCT;
        for (RelDataTypeField field : type.getFieldList()) {
          children.add(column(field.getName(), field.getType()));
        }
      }
      case ARRAY -> {
        nested = TypeKind.LIST;
        children.add(column("element", type.getComponentType()));
      }
      case MAP -> {
        nested = TypeKind.MAP;
        children.add(column("key", type.getKeyType()));
        children.add(column("value", type.getValueType()));
      }
      default -> {
        return NewColumn.of(name, lakeType(name, type), true, null);
      }
    }
    return new NewColumn(name, DuckLakeType.of(nested), true, null, children);
  }

  /**
   * The DuckLake type of a query column. Calcite's types are those {@code SqlTypes} gives lake
   * columns, so this is its inverse where it can be: types shown as VARCHAR (uuid, json, interval,
   * timetz) come back as VARCHAR, unsigned integers as the wider signed type, and times and
   * timestamps of any precision with microseconds.
   */
  public static DuckLakeType lakeType(String column, RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case BOOLEAN -> DuckLakeType.of(TypeKind.BOOLEAN);
      case TINYINT -> DuckLakeType.of(TypeKind.INT8);
      case SMALLINT -> DuckLakeType.of(TypeKind.INT16);
      // DuckDB types a bare NULL column INTEGER.
      case INTEGER, NULL -> DuckLakeType.of(TypeKind.INT32);
      case BIGINT -> DuckLakeType.of(TypeKind.INT64);
      case DECIMAL -> type.getPrecision() > 38 && type.getScale() == 0 ? DuckLakeType.of(TypeKind.INT128)
          : DuckLakeType.decimal(Math.min(type.getPrecision(), 38), type.getScale());
      case REAL, FLOAT -> DuckLakeType.of(TypeKind.FLOAT32);
      case DOUBLE -> DuckLakeType.of(TypeKind.FLOAT64);
      case CHAR, VARCHAR -> DuckLakeType.of(TypeKind.VARCHAR);
      case BINARY, VARBINARY -> DuckLakeType.of(TypeKind.BLOB);
      case VARIANT -> DuckLakeType.of(TypeKind.VARIANT);
      case DATE -> DuckLakeType.of(TypeKind.DATE);
      // Calcite keeps at most 3 digits of a time's precision, which cannot tell seconds, milli-,
      // micro- and nanoseconds apart: times are made as DuckDB's default, microseconds, and so are
      // timestamps, but for TIMESTAMP(9) (a timestamp_ns column), which keeps its nanoseconds.
      case TIME -> DuckLakeType.of(TypeKind.TIME);
      case TIMESTAMP -> DuckLakeType.of(type.getPrecision() > 6 ? TypeKind.TIMESTAMP_NS : TypeKind.TIMESTAMP);
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ -> DuckLakeType.of(TypeKind.TIMESTAMPTZ);
      default -> throw new UnsupportedFeatureException("CREATE TABLE ... AS cannot make column " + column
          + " of type " + type.getFullTypeString() + " yet");
    };
  }
}
