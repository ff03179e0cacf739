package dev.mallard.engine.txn;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.ScopedOptions;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.exec.NestedText;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The catalog tables that hold small inserts and deletes inline (ducklake-format.md §4.7, §4.6):
 * {@code ducklake_inlined_data_<table>_<schema version>} and {@code ducklake_inlined_delete_<table>}.
 */
final class InlinedTables {
  /** The reference's default since DuckDB 1.5. */
  static final int DEFAULT_LIMIT = 10;
  private static final int IN_LIST_CHUNK = 500;

  private InlinedTables() {}

  /** Inserts of at most this many rows stay inline: the connection's setting, else the lake's, else 10. */
  static int limit(DuckLakeCatalog catalog) {
    if (catalog.config().inliningRowLimit() != null) {
      return catalog.config().inliningRowLimit();
    }
    return parseLimit(catalog.metadata().globalSettings().get("data_inlining_row_limit"));
  }

  /**
   * Inserts into (and deletes from files of) {@code table} of at most this many rows stay inline:
   * the connection's setting, else the catalog option as it applies to the table (the table's, its
   * schema's, the lake's, as the reference resolves {@code data_inlining_row_limit}), else 10.
   */
  static int limit(DuckLakeCatalog catalog, TableInfo table) {
    return limit(catalog, null, table);
  }

  /** As {@link #limit(DuckLakeCatalog, TableInfo)}, with the lake's options already read (null: read them). */
  static int limit(DuckLakeCatalog catalog, ScopedOptions options, TableInfo table) {
    if (catalog.config().inliningRowLimit() != null) {
      return catalog.config().inliningRowLimit();
    }
    ScopedOptions read = options != null ? options : ScopedOptions.read(catalog.metadata());
    return parseLimit(read.get("data_inlining_row_limit", table).orElse(null));
  }

  private static int parseLimit(String stored) {
    if (stored == null) {
      return DEFAULT_LIMIT;
    }
    try {
      return Integer.parseInt(stored.trim());
    } catch (NumberFormatException e) {
      throw new UserException("The lake's option data_inlining_row_limit = '" + stored + "' is not a number of rows");
    }
  }

  /**
   * Whether rows of these columns can be kept inline: not with geometry (as the reference), variant
   * or unknown types, at any depth. Nested values are kept as DuckDB's text (see {@link NestedText#format}).
   */
  static boolean supports(List<ColumnInfo> columns) {
    return columns.stream().noneMatch(c -> c.type().kind() == TypeKind.GEOMETRY
        || c.type().kind() == TypeKind.VARIANT || c.type().kind() == TypeKind.UNKNOWN || !supports(c.children()));
  }

  static String name(long tableId, long schemaVersion) {
    return "ducklake_inlined_data_" + tableId + "_" + schemaVersion;
  }

  /**
   * Creates the inlined data table of a new table, as the reference does at CREATE TABLE; returns
   * its name, or null when the table's rows cannot be inlined.
   */
  static String createTable(Connection c, MetadataStore metadata, long tableId, long schemaVersion,
      List<ColumnInfo> columns) throws SQLException {
    if (!supports(columns)) {
      return null;
    }
    String name = name(tableId, schemaVersion);
    StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(metadata.table(name))
        .append("(row_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT");
    for (ColumnInfo column : columns) {
      ddl.append(", ").append(metadata.column(column.name())).append(' ').append(metadata.inlinedColumnType(column.type()));
    }
    ddl.append(')');
    try (Statement s = c.createStatement()) {
      s.execute(ddl.toString());
    }
    return name;
  }

  /** Records a new table's inlined data table in {@code ducklake_inlined_data_tables}. */
  static void register(Connection c, MetadataStore metadata, long tableId, long schemaVersion,
      List<ColumnInfo> columns) throws SQLException {
    if (!supports(columns)) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + metadata.table("ducklake_inlined_data_tables")
        + " VALUES (?, ?, ?)")) {
      ps.setLong(1, tableId);
      ps.setString(2, name(tableId, schemaVersion));
      ps.setLong(3, schemaVersion);
      ps.executeUpdate();
    }
  }

  /** The inlined data table new rows of the table go to: the one of its latest schema version. */
  static String current(Connection c, MetadataStore metadata, long tableId, long schemaVersion, List<ColumnInfo> columns)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM "
        + metadata.table("ducklake_inlined_data_tables") + " WHERE table_id = ? ORDER BY schema_version DESC")) {
      ps.setLong(1, tableId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return rs.getString(1);
        }
      }
    }
    throw new IllegalStateException("Table " + tableId + " has no inlined data table; rows should have gone to Parquet");
  }

  /**
   * Inserts rows; they get consecutive row ids from {@code firstRowId}, or the given ones when
   * {@code rowIds} is not null.
   */
  static void insert(Connection c, MetadataStore metadata, String inlinedTable, List<ColumnInfo> columns,
      List<Object[]> rows, long firstRowId, List<Long> rowIds, long snapshot) throws SQLException {
    String marks = "?, ?, NULL" + ", ?".repeat(columns.size());
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + metadata.table(inlinedTable) + " VALUES ("
        + marks + ")")) {
      long rowId = firstRowId;
      for (int r = 0; r < rows.size(); r++) {
        Object[] row = rows.get(r);
        ps.setLong(1, rowIds == null ? rowId++ : rowIds.get(r));
        ps.setLong(2, snapshot);
        for (int i = 0; i < columns.size(); i++) {
          bind(ps, 3 + i, metadata, columns.get(i), row[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The inlined data tables of a table that exist in the catalog database. */
  private static List<String> existingTables(Connection c, MetadataStore metadata, long tableId) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM "
        + metadata.table("ducklake_inlined_data_tables") + " WHERE table_id = ?")) {
      ps.setLong(1, tableId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
    }
    List<String> existing = new ArrayList<>();
    for (String table : tables) {
      if (metadata.tableExists(c, table)) {
        existing.add(table);
      }
    }
    return existing;
  }

  /** Ends every live inlined row of a table (TRUNCATE); returns how many there were. */
  static int deleteAllRows(Connection c, MetadataStore metadata, long tableId, long snapshot) throws SQLException {
    int ended = 0;
    for (String table : existingTables(c, metadata, tableId)) {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + metadata.table(table)
          + " SET end_snapshot = ? WHERE end_snapshot IS NULL")) {
        ps.setLong(1, snapshot);
        ended += ps.executeUpdate();
      }
    }
    return ended;
  }

  /** Ends inlined rows: they stay for time travel, invisible from this snapshot on. */
  static void deleteRows(Connection c, MetadataStore metadata, long tableId, Collection<Long> rowIds, long snapshot)
      throws SQLException {
    List<Long> ids = new ArrayList<>(rowIds);
    for (String table : existingTables(c, metadata, tableId)) {
      for (int from = 0; from < ids.size(); from += IN_LIST_CHUNK) {
        List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST_CHUNK));
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + metadata.table(table)
            + " SET end_snapshot = ? WHERE end_snapshot IS NULL AND begin_snapshot <> ? AND row_id IN ("
            + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")")) {
          // Not the rows this snapshot adds: an UPDATE's new version keeps the old row id.
          ps.setLong(1, snapshot);
          ps.setLong(2, snapshot);
          for (int i = 0; i < chunk.size(); i++) {
            ps.setLong(3 + i, chunk.get(i));
          }
          ps.executeUpdate();
        }
      }
    }
  }

  /** Records deleted positions of a data file inline, creating the table the first time, as DuckDB 1.5 does. */
  static void deletePositions(Connection c, MetadataStore metadata, long tableId, long dataFileId,
      Collection<Long> positions, long snapshot) throws SQLException {
    String table = createDeleteTable(c, metadata, tableId);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + metadata.table(table) + " VALUES (?, ?, ?)")) {
      for (long position : positions) {
        ps.setLong(1, dataFileId);
        ps.setLong(2, position);
        ps.setLong(3, snapshot);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Creates a table's inlined delete table unless it exists; returns its name. */
  static String createDeleteTable(Connection c, MetadataStore metadata, long tableId) throws SQLException {
    String table = "ducklake_inlined_delete_" + tableId;
    if (!metadata.tableExists(c, table)) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + metadata.table(table) + "(file_id BIGINT, row_id BIGINT, begin_snapshot BIGINT)");
      }
    }
    return table;
  }

  /** Binds an engine value as the inlined table stores it; nested values as DuckDB's text. */
  static void bind(PreparedStatement ps, int index, MetadataStore metadata, ColumnInfo column, Object value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.NULL);
      return;
    }
    DuckLakeType type = column.type();
    if (type.kind().isNested()) {
      ps.setString(index, NestedText.format(column, value));
      return;
    }
    switch (metadata.inlinedBinding(type)) {
      case INTEGER -> ps.setLong(index, value instanceof Boolean b ? (b ? 1 : 0) : (Long) value);
      case BOOLEAN -> ps.setBoolean(index, (Boolean) value);
      case BLOB -> ps.setBytes(index, (byte[]) value);
      case UTF8_BYTES -> ps.setBytes(index, text(type, value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      case TEXT -> ps.setString(index, text(type, value));
      case UTC_DATETIME -> ps.setString(index, utcDateTime(type, value));
    }
  }

  /** A TIMESTAMPTZ value as DuckDB prints the same instant as a TIMESTAMP (UTC, no offset). */
  private static String utcDateTime(DuckLakeType type, Object value) {
    TypeKind plain = type.kind() == TypeKind.TIMESTAMPTZ_NS ? TypeKind.TIMESTAMP_NS : TypeKind.TIMESTAMP;
    return Values.format(DuckLakeType.of(plain), value);
  }

  /** DuckDB's text for a value, as inlined tables keep it. */
  static String text(DuckLakeType type, Object value) {
    return switch (type.kind()) {
      case UINT64, INT128, UINT128 -> ((BigInteger) value).toString();
      case DECIMAL -> ((BigDecimal) value).setScale(type.scale()).toPlainString();
      case FLOAT32 -> floatText((Double) value, true);
      case FLOAT64 -> floatText((Double) value, false);
      default -> Values.format(type, value);
    };
  }

  private static String floatText(double d, boolean single) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    return single ? Float.toString((float) d) : Double.toString(d);
  }

  /** A bound in {@code ducklake_table_column_stats} for inlined rows (booleans as true/false there). */
  static String statText(DuckLakeType type, Object value) {
    return type.kind() == TypeKind.BOOLEAN ? value.toString() : text(type, value);
  }
}
