package dev.mallard.calcite;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * DuckDB's virtual columns of a DuckLake table: {@code rowid} (the row's DuckLake row id),
 * {@code snapshot_id} (the snapshot that inserted the row) and {@code filename} (its data file, or
 * the inlined data table). A query that names them gets them ({@link MallardValidator} adds them
 * to its tables as Calcite extended columns); {@code SELECT *} does not show them. They are
 * {@link ColumnInfo}s with negative ids, which the engine never sees: the scan computes them from
 * each row's address and the task it was read from.
 */
final class VirtualColumns {
  static final ColumnInfo ROW_ID = column(-1, "rowid", TypeKind.INT64);
  static final ColumnInfo SNAPSHOT_ID = column(-2, "snapshot_id", TypeKind.INT64);
  static final ColumnInfo FILENAME = column(-3, "filename", TypeKind.VARCHAR);
  static final List<ColumnInfo> ALL = List.of(ROW_ID, SNAPSHOT_ID, FILENAME);

  private VirtualColumns() {}

  private static ColumnInfo column(long id, String name, TypeKind kind) {
    return new ColumnInfo(id, name, DuckLakeType.of(kind), true, null, null, List.of());
  }

  static boolean isVirtual(ColumnInfo column) {
    return column.id() < 0;
  }

  static Optional<ColumnInfo> named(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return ALL.stream().filter(c -> c.name().equals(lower)).findFirst();
  }

  static ColumnInfo byId(long id) {
    return ALL.get((int) -id - 1);
  }

  /** The virtual columns a table whose real columns are {@code real} can show (none a real column hides). */
  static List<ColumnInfo> available(List<ColumnInfo> real) {
    return ALL.stream().filter(v -> real.stream().noneMatch(c -> c.name().equalsIgnoreCase(v.name()))).toList();
  }

  /** An EXTEND clause's column list declaring {@code columns}. */
  static SqlNodeList extendList(List<ColumnInfo> columns) {
    SqlNodeList list = new SqlNodeList(SqlParserPos.ZERO);
    for (ColumnInfo c : columns) {
      list.add(new SqlIdentifier(c.name(), SqlParserPos.ZERO));
      SqlTypeName type = c.type().kind() == TypeKind.VARCHAR ? SqlTypeName.VARCHAR : SqlTypeName.BIGINT;
      list.add(new SqlDataTypeSpec(new SqlBasicTypeNameSpec(type, SqlParserPos.ZERO), SqlParserPos.ZERO)
          .withNullable(true));
    }
    return list;
  }
}
