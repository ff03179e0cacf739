package dev.mallard.engine.catalog;

import com.zaxxer.hikari.HikariDataSource;
import dev.mallard.engine.MallardException.CatalogException;
import dev.mallard.engine.types.ColumnStats;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Values;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Reads the DuckLake catalog tables over JDBC. All catalog SQL lives here, parameterized; the only
 * names spliced into SQL are DuckLake's own table names, checked by the {@link Dialect}.
 */
public final class MetadataStore implements AutoCloseable {
  private static final String VISIBLE = " ? >= begin_snapshot AND (? < end_snapshot OR end_snapshot IS NULL) ";

  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final String description;
  private final CatalogVersion version;

  private MetadataStore(HikariDataSource dataSource, Dialect dialect, String description) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.description = description;
    try {
      this.version = readVersion();
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  /**
   * Opens the catalog database and checks it is a DuckLake catalog of a version Mallard reads; with
   * {@code create}, first creates an empty lake there if there is none.
   */
  public static MetadataStore open(CatalogConfig config) {
    Dialect dialect = Dialect.of(config);
    String description = config.backend().name().toLowerCase() + ":" + config.location();
    HikariDataSource dataSource = dialect.open(config);
    if (config.create()) {
      try (Connection c = dataSource.getConnection()) {
        if (!dialect.tableExists(c, "ducklake_metadata")) {
          CatalogCreator.create(c, dialect, absoluteDataPath(config.dataPathOverride()), java.time.Instant.now());
        }
      } catch (SQLException | RuntimeException e) {
        dataSource.close();
        throw new CatalogException("Cannot create a DuckLake catalog in " + description + ": " + e.getMessage(), e);
      }
    }
    return new MetadataStore(dataSource, dialect, description);
  }

  /** A new lake stores its data path absolute, so that it means the same from any working directory. */
  private static String absoluteDataPath(String path) {
    if (path.contains("://") || path.startsWith("/") || path.startsWith("file:")) {
      return path;
    }
    return java.nio.file.Path.of(path).toAbsolutePath().normalize() + "/";
  }

  public CatalogVersion version() {
    return version;
  }

  /** The name of a catalog table for SQL, checked and quoted by the dialect. */
  public String table(String name) {
    return dialect.table(name);
  }

  /**
   * Runs work in one catalog transaction: committed if it returns, rolled back if it throws. The
   * work gets a connection with auto-commit off.
   */
  public <T> T inTransaction(String what, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new CatalogException("Failed " + what + " in catalog " + description + ": " + e.getMessage(), e);
    }
  }

  /** The SQL type of a column of this type in an inlined data table, in this catalog database. */
  public String inlinedColumnType(DuckLakeType type) {
    return dialect.inlinedColumnType(type);
  }

  /** How a value of this type is bound into an inlined data table in this catalog database. */
  public InlinedBinding inlinedBinding(DuckLakeType type) {
    return dialect.inlinedBinding(type);
  }

  /** Binds a snapshot time as this catalog database stores it. */
  public void bindTimestamp(java.sql.PreparedStatement ps, int index, java.time.Instant time) throws SQLException {
    dialect.bindTimestamp(ps, index, time);
  }

  /**
   * Whether CREATE TABLE commits the open catalog transaction (MySQL): a commit then creates its
   * tables first, before any row it writes, and drops them again if it fails.
   */
  public boolean ddlCommitsTransaction() {
    return dialect.ddlCommitsTransaction();
  }

  /** Takes the catalog's commit lock where {@link #ddlCommitsTransaction} (waits for it). */
  public void lockCommits(java.sql.Connection c) throws SQLException {
    dialect.lockCommits(c);
  }

  /** Releases what {@link #lockCommits} took. */
  public void unlockCommits(java.sql.Connection c) throws SQLException {
    dialect.unlockCommits(c);
  }

  /** Quotes a column name for SQL. */
  public String column(String name) {
    return dialect.column(name);
  }

  /** A timestamp column (a timestamptz, a datetime or text, by database) as an instant; null for NULL. */
  public java.time.Instant timestamp(ResultSet rs, int column) throws SQLException {
    return dialect.timestamp(rs, column);
  }

  /** Whether a catalog table exists (DuckLake creates some of them lazily). */
  public boolean tableExists(Connection c, String name) throws SQLException {
    return dialect.tableExists(c, name);
  }

  /** Work on an open catalog connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private CatalogVersion readVersion() {
    return query("reading the catalog version", c -> {
      if (!dialect.tableExists(c, "ducklake_metadata") || !dialect.tableExists(c, "ducklake_snapshot")) {
        throw new CatalogException(description + " is not a DuckLake catalog: it has no ducklake_metadata table");
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + dialect.column("value") + " FROM " + t("ducklake_metadata") + " WHERE "
              + dialect.column("key") + " = 'version'")) {
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new CatalogException(description + " is not a DuckLake catalog: ducklake_metadata has no version");
          }
          return CatalogVersion.parse(rs.getString(1));
        }
      }
    });
  }

  /** The catalog-wide settings ({@code ducklake_metadata} rows without a scope). */
  public Map<String, String> globalSettings() {
    return query("reading ducklake_metadata", c -> {
      Map<String, String> out = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + dialect.column("key") + ", " + dialect.column("value") + " FROM " + t("ducklake_metadata")
              + " WHERE scope IS NULL");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
      return out;
    });
  }

  public Snapshot latestSnapshot() {
    return query("reading the latest snapshot", c -> {
      try (PreparedStatement ps = c.prepareStatement(snapshotSelect()
          + " WHERE snapshot_id = (SELECT MAX(snapshot_id) FROM " + t("ducklake_snapshot") + ")");
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new CatalogException(description + " has no snapshots");
        }
        return snapshot(rs);
      }
    });
  }

  public Optional<Snapshot> snapshot(long id) {
    return query("reading snapshot " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement(snapshotSelect() + " WHERE snapshot_id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(snapshot(rs)) : Optional.empty();
        }
      }
    });
  }

  /** The newest snapshot taken at or before {@code time}. */
  public Optional<Snapshot> snapshotAt(Instant time) {
    // Times are compared in Java: the catalog stores them as text in some databases.
    return snapshots().stream().filter(s -> !s.time().isAfter(time))
        .max((a, b) -> a.time().equals(b.time()) ? Long.compare(a.id(), b.id()) : a.time().compareTo(b.time()));
  }

  public List<Snapshot> snapshots() {
    return query("reading snapshots", c -> {
      List<Snapshot> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(snapshotSelect() + " ORDER BY snapshot_id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(snapshot(rs));
        }
      }
      return out;
    });
  }

  private String snapshotSelect() {
    return "SELECT snapshot_id, snapshot_time, schema_version, next_catalog_id, next_file_id FROM "
        + t("ducklake_snapshot");
  }

  private Snapshot snapshot(ResultSet rs) throws SQLException {
    Instant time = dialect.timestamp(rs, 2); // a timestamptz, a datetime or text, by database
    return new Snapshot(rs.getLong(1), time == null ? Instant.EPOCH : time, rs.getLong(3),
        rs.getLong(4), rs.getLong(5));
  }

  /** Schemas visible at the snapshot, their paths resolved against {@code dataPath}. */
  public List<SchemaInfo> schemas(long snapshotId, String dataPath) {
    return query("reading schemas", c -> {
      List<SchemaInfo> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT schema_id, schema_uuid, schema_name, path, path_is_relative FROM " + t("ducklake_schema")
              + " WHERE" + VISIBLE + "ORDER BY schema_id")) {
        bindVisible(ps, 1, snapshotId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String path = Paths.resolveDirectory(dataPath, rs.getString(4), rs.getObject(5) == null || rs.getBoolean(5));
            out.add(new SchemaInfo(rs.getLong(1), rs.getString(2), rs.getString(3), path));
          }
        }
      }
      return out;
    });
  }

  /** Tables visible at the snapshot in the given schemas, with the columns visible then. */
  public List<TableInfo> tables(long snapshotId, Map<Long, SchemaInfo> schemasById) {
    return query("reading tables", c -> {
      Map<Long, List<ColumnInfo>> columns = columns(c, snapshotId, null);
      List<TableInfo> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT table_id, table_uuid, schema_id, table_name, path, path_is_relative FROM " + t("ducklake_table")
              + " WHERE" + VISIBLE + "ORDER BY table_id")) {
        bindVisible(ps, 1, snapshotId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            SchemaInfo schema = schemasById.get(rs.getLong(3));
            if (schema == null) {
              continue; // a table whose schema is not visible is not visible either
            }
            long tableId = rs.getLong(1);
            String path = Paths.resolveDirectory(schema.path(), rs.getString(5), rs.getObject(6) == null || rs.getBoolean(6));
            out.add(new TableInfo(tableId, rs.getString(2), schema, rs.getString(4), path,
                columns.getOrDefault(tableId, List.of())));
          }
        }
      }
      return out;
    });
  }

  /** The top-level columns of one table as they were at a snapshot. */
  public List<ColumnInfo> columnsAt(long tableId, long snapshotId) {
    return query("reading columns", c -> columns(c, snapshotId, tableId).getOrDefault(tableId, List.of()));
  }

  /** One {@code ducklake_column} row. */
  private record ColumnRow(long tableId, long id, Long parent, String name, String type, String initialDefault,
      String defaultValue, String defaultValueType, boolean nullable) {}

  private Map<Long, List<ColumnInfo>> columns(Connection c, long snapshotId, Long onlyTable) throws SQLException {
    List<ColumnRow> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT table_id, column_id, parent_column, column_name, column_type, initial_default, default_value,"
            + " nulls_allowed, " + (version.hasPartialMax() ? "default_value_type" : "NULL") + " FROM "
            + t("ducklake_column") + " WHERE" + VISIBLE
            + (onlyTable == null ? "" : " AND table_id = ?") + " ORDER BY table_id, column_order")) {
      bindVisible(ps, 1, snapshotId);
      if (onlyTable != null) {
        ps.setLong(3, onlyTable);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String defaultValue = rs.getString(7);
          // 0.4+ writers store the text NULL when a column has no default.
          if ("NULL".equals(defaultValue)) {
            defaultValue = null;
          }
          rows.add(new ColumnRow(rs.getLong(1), rs.getLong(2), longOrNull(rs, 3), rs.getString(4), rs.getString(5),
              rs.getString(6), defaultValue, rs.getString(9), rs.getObject(8) == null || rs.getBoolean(8)));
        }
      }
    }
    // Children point at their parent by column id; ids are unique within a table.
    Map<List<Long>, List<ColumnRow>> children = new HashMap<>();
    for (ColumnRow r : rows) {
      if (r.parent() != null) {
        children.computeIfAbsent(List.of(r.tableId(), r.parent()), k -> new ArrayList<>()).add(r);
      }
    }
    Map<Long, List<ColumnInfo>> out = new LinkedHashMap<>();
    for (ColumnRow r : rows) {
      if (r.parent() == null) {
        out.computeIfAbsent(r.tableId(), k -> new ArrayList<>()).add(columnTree(r, children));
      }
    }
    return out;
  }

  private static ColumnInfo columnTree(ColumnRow row, Map<List<Long>, List<ColumnRow>> children) {
    List<ColumnInfo> kids = new ArrayList<>();
    for (ColumnRow child : children.getOrDefault(List.of(row.tableId(), row.id()), List.of())) {
      kids.add(columnTree(child, children));
    }
    return new ColumnInfo(row.id(), row.name(), DuckLakeType.parse(row.type()), row.nullable(), row.initialDefault(),
        row.defaultValue(), row.defaultValueType(), kids);
  }

  /** The data files of a table visible at the snapshot, each with its visible delete file. */
  public List<DataFile> dataFiles(TableInfo table, long snapshotId) {
    return dataFiles(table, snapshotId, "", List.of());
  }

  /**
   * The data files of a table visible at {@code snapshotId} that a snapshot after {@code since}
   * added, each with its visible delete file.
   */
  public List<DataFile> addedDataFiles(TableInfo table, long since, long snapshotId) {
    return dataFiles(table, snapshotId, " AND data.begin_snapshot > ?", List.of(since));
  }

  /** The ids of the table's data files that a snapshot in {@code (since, upTo]} ended. */
  public List<Long> endedDataFileIds(long tableId, long since, long upTo) {
    return query("listing ended data files", c -> {
      List<Long> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT data_file_id FROM " + t("ducklake_data_file")
          + " WHERE table_id = ? AND end_snapshot > ? AND end_snapshot <= ?")) {
        ps.setLong(1, tableId);
        ps.setLong(2, since);
        ps.setLong(3, upTo);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getLong(1));
          }
        }
      }
      return out;
    });
  }

  /**
   * The {@code changes_made} of every snapshot after {@code since}, in order (the i-th is snapshot
   * {@code since + 1 + i}'s), or empty when they are not all known: snapshot {@code since} or one
   * after it is missing (expired), or a snapshot has no changes row.
   */
  public Optional<List<String>> changesSince(long since) {
    return query("reading snapshot changes", c -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT s.snapshot_id, ch.changes_made FROM "
          + t("ducklake_snapshot") + " s LEFT JOIN " + t("ducklake_snapshot_changes")
          + " ch ON ch.snapshot_id = s.snapshot_id WHERE s.snapshot_id >= ? ORDER BY s.snapshot_id")) {
        ps.setLong(1, since);
        try (ResultSet rs = ps.executeQuery()) {
          long expected = since;
          while (rs.next()) {
            if (rs.getLong(1) != expected) {
              return Optional.<List<String>>empty();
            }
            String changes = rs.getString(2);
            if (expected > since) {
              if (changes == null) {
                return Optional.<List<String>>empty();
              }
              out.add(changes);
            }
            expected++;
          }
          return expected > since ? Optional.of(out) : Optional.<List<String>>empty();
        }
      }
    });
  }

  private List<DataFile> dataFiles(TableInfo table, long snapshotId, String extraWhere, List<Long> extraParameters) {
    String partial = version.hasPartialMax() ? "data.partial_max" : "data.partial_file_info";
    String sql = "SELECT data.data_file_id, data.path, data.path_is_relative, data.record_count, data.file_size_bytes,"
        + " data.footer_size, data.row_id_start, data.begin_snapshot, " + partial + ", data.mapping_id,"
        + " data.partition_id, data.encryption_key,"
        + " del.delete_file_id, del.path, del.path_is_relative, del.format, del.delete_count, del.file_size_bytes,"
        + " del.begin_snapshot, del.encryption_key"
        + " FROM " + t("ducklake_data_file") + " data LEFT JOIN (SELECT * FROM " + t("ducklake_delete_file")
        + " WHERE table_id = ? AND" + VISIBLE + ") del ON del.data_file_id = data.data_file_id"
        + " WHERE data.table_id = ? AND ? >= data.begin_snapshot"
        + " AND (? < data.end_snapshot OR data.end_snapshot IS NULL)" + extraWhere + " ORDER BY data.data_file_id";
    return query("listing data files of " + table.qualifiedName(), c -> {
      List<DataFile> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, table.id());
        bindVisible(ps, 2, snapshotId);
        ps.setLong(4, table.id());
        bindVisible(ps, 5, snapshotId);
        for (int i = 0; i < extraParameters.size(); i++) {
          ps.setLong(7 + i, extraParameters.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(dataFile(rs, table, snapshotId));
          }
        }
      }
      return out;
    });
  }

  private DataFile dataFile(ResultSet rs, TableInfo table, long snapshotId) throws SQLException {
    String path = Paths.resolveFile(table.path(), rs.getString(2), rs.getBoolean(3));
    Long partialMax = null;
    Long legacyVisibleRows = null;
    if (version.hasPartialMax()) {
      partialMax = longOrNull(rs, 9);
    } else {
      PartialFileInfo info = PartialFileInfo.parse(rs.getString(9));
      partialMax = info.partialMax();
      legacyVisibleRows = info.visibleRows(snapshotId);
    }
    DeleteFile delete = null;
    long deleteId = rs.getLong(13);
    if (!rs.wasNull()) {
      delete = new DeleteFile(deleteId, Paths.resolveFile(table.path(), rs.getString(14), rs.getBoolean(15)),
          rs.getString(16), rs.getLong(17), rs.getLong(18), rs.getLong(19), rs.getString(20));
    }
    return new DataFile(rs.getLong(1), path, rs.getLong(4), rs.getLong(5), longOrNull(rs, 6), rs.getLong(7),
        rs.getLong(8), partialMax, legacyVisibleRows, longOrNull(rs, 10), longOrNull(rs, 11), rs.getString(12),
        delete);
  }

  /**
   * Every data file of a table that a snapshot up to {@code upTo} added, visible or not any more,
   * for the change feed; delete files are listed apart ({@link #deleteFileHistory}).
   */
  public List<DataFileHistory> dataFileHistory(TableInfo table, long upTo) {
    String partial = version.hasPartialMax() ? "partial_max" : "partial_file_info";
    String sql = "SELECT data_file_id, path, path_is_relative, record_count, file_size_bytes, footer_size,"
        + " row_id_start, begin_snapshot, " + partial + ", mapping_id, partition_id, encryption_key, end_snapshot"
        + " FROM " + t("ducklake_data_file") + " WHERE table_id = ? AND begin_snapshot <= ? ORDER BY data_file_id";
    return query("listing the data files of " + table.qualifiedName(), c -> {
      List<DataFileHistory> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, table.id());
        ps.setLong(2, upTo);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            PartialFileInfo legacy = version.hasPartialMax() ? PartialFileInfo.parse(null)
                : PartialFileInfo.parse(rs.getString(9));
            Long partialMax = version.hasPartialMax() ? longOrNull(rs, 9) : legacy.partialMax();
            DataFile file = new DataFile(rs.getLong(1), Paths.resolveFile(table.path(), rs.getString(2),
                rs.getBoolean(3)), rs.getLong(4), rs.getLong(5), longOrNull(rs, 6), rs.getLong(7), rs.getLong(8),
                partialMax, null, longOrNull(rs, 10), longOrNull(rs, 11), rs.getString(12), null);
            out.add(new DataFileHistory(file, longOrNull(rs, 13), legacy));
          }
        }
      }
      return out;
    });
  }

  /** Every delete file of a table that a snapshot up to {@code upTo} added, visible or not any more. */
  public List<DeleteFileHistory> deleteFileHistory(TableInfo table, long upTo) {
    String partial = version.hasPartialMax() ? "partial_max" : "NULL";
    String sql = "SELECT delete_file_id, data_file_id, path, path_is_relative, format, delete_count, file_size_bytes,"
        + " begin_snapshot, encryption_key, " + partial + " FROM " + t("ducklake_delete_file")
        + " WHERE table_id = ? AND begin_snapshot <= ? ORDER BY delete_file_id";
    return query("listing the delete files of " + table.qualifiedName(), c -> {
      List<DeleteFileHistory> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, table.id());
        ps.setLong(2, upTo);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            DeleteFile file = new DeleteFile(rs.getLong(1), Paths.resolveFile(table.path(), rs.getString(3),
                rs.getBoolean(4)), rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getString(9));
            out.add(new DeleteFileHistory(rs.getLong(2), file, longOrNull(rs, 10)));
          }
        }
      }
      return out;
    });
  }

  /**
   * Deletions of data file rows kept in the catalog ({@code ducklake_inlined_delete_<table>}) made
   * by snapshots up to {@code upTo}: data file id to position to the snapshot that deleted it.
   */
  public Map<Long, Map<Long, Long>> inlinedFileDeletionHistory(long tableId, long upTo) {
    String name = "ducklake_inlined_delete_" + tableId;
    return query("reading " + name, c -> {
      if (!dialect.tableExists(c, name)) {
        return Map.of();
      }
      Map<Long, Map<Long, Long>> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT file_id, row_id, begin_snapshot FROM " + t(name) + " WHERE begin_snapshot <= ?")) {
        ps.setLong(1, upTo);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).merge(rs.getLong(2), rs.getLong(3), Math::min);
          }
        }
      }
      return out;
    });
  }

  /**
   * Deletions of rows in data files that DuckLake keeps in the catalog instead of a delete file
   * ({@code ducklake_inlined_delete_<table>}, written by DuckDB 1.5+): data file id to the sorted
   * positions deleted at or before the snapshot.
   */
  public Map<Long, long[]> inlinedFileDeletions(long tableId, long snapshotId) {
    String name = "ducklake_inlined_delete_" + tableId;
    return query("reading " + name, c -> {
      if (!dialect.tableExists(c, name)) {
        return Map.of();
      }
      Map<Long, List<Long>> positions = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT file_id, row_id FROM " + t(name) + " WHERE begin_snapshot <= ? ORDER BY file_id, row_id")) {
        ps.setLong(1, snapshotId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            positions.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getLong(2));
          }
        }
      }
      return positions.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
          e -> e.getValue().stream().mapToLong(Long::longValue).distinct().toArray()));
    });
  }

  /** The catalog tables holding a table's inlined rows, one per schema version that wrote some. */
  public List<InlinedDataTable> inlinedDataTables(long tableId) {
    return query("listing inlined data tables", c -> {
      List<InlinedDataTable> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT table_name, schema_version FROM "
          + t("ducklake_inlined_data_tables") + " WHERE table_id = ? ORDER BY schema_version")) {
        ps.setLong(1, tableId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (dialect.tableExists(c, rs.getString(1))) {
              out.add(new InlinedDataTable(tableId, rs.getString(1), rs.getLong(2)));
            }
          }
        }
      }
      return out;
    });
  }

  /** The keys of the table's partitioning at the snapshot, in key order; empty when it is not partitioned. */
  public List<PartitionKey> partitionKeys(long tableId, long snapshotId) {
    return query("reading the partitioning", c -> {
      List<PartitionKey> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT pc.partition_id, pc.partition_key_index, pc.column_id,"
          + " pc.transform FROM " + t("ducklake_partition_info") + " pi JOIN " + t("ducklake_partition_column")
          + " pc ON pc.partition_id = pi.partition_id AND pc.table_id = pi.table_id WHERE pi.table_id = ? AND"
          + VISIBLE.replace("begin_snapshot", "pi.begin_snapshot").replace("end_snapshot", "pi.end_snapshot")
          + "ORDER BY pc.partition_key_index")) {
        ps.setLong(1, tableId);
        bindVisible(ps, 2, snapshotId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new PartitionKey(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getString(4)));
          }
        }
      }
      return out;
    });
  }

  /**
   * The keys of every partitioning the table ever had, by partition id, in key order: each data
   * file was written under the one its {@code partition_id} names, whatever the table has now.
   */
  public Map<Long, List<PartitionKey>> partitionKeysById(long tableId) {
    return query("reading the partitionings", c -> {
      Map<Long, List<PartitionKey>> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT partition_id, partition_key_index, column_id, transform"
          + " FROM " + t("ducklake_partition_column") + " WHERE table_id = ? ORDER BY partition_id,"
          + " partition_key_index")) {
        ps.setLong(1, tableId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                .add(new PartitionKey(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getString(4)));
          }
        }
      }
      return out;
    });
  }

  /**
   * Each data file's partition values ({@code ducklake_file_partition_value}) as DuckDB's text, by
   * file id and then key index; files written before the table was partitioned have none.
   */
  public Map<Long, Map<Integer, String>> filePartitionValues(long tableId) {
    return query("reading partition values", c -> {
      Map<Long, Map<Integer, String>> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT data_file_id, partition_key_index, partition_value FROM "
          + t("ducklake_file_partition_value") + " WHERE table_id = ?")) {
        ps.setLong(1, tableId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getInt(2), rs.getString(3));
          }
        }
      }
      return out;
    });
  }

  /**
   * A name mapping ({@code ducklake_name_mapping}): entries form a tree through {@code parent_column},
   * which refers to another entry's {@code column_id} within the same mapping.
   */
  public NameMapping nameMapping(long mappingId) {
    return query("reading name mapping " + mappingId, c -> {
      List<MappingRow> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT column_id, parent_column, source_name, target_field_id,"
          + " is_partition FROM " + t("ducklake_name_mapping") + " WHERE mapping_id = ? ORDER BY column_id")) {
        ps.setLong(1, mappingId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long parent = rs.getLong(2);
            Long parentId = rs.wasNull() ? null : parent;
            rows.add(new MappingRow(rs.getLong(1), parentId, rs.getString(3), rs.getLong(4), rs.getBoolean(5)));
          }
        }
      }
      if (rows.isEmpty()) {
        throw new CatalogException("Name mapping " + mappingId + ", which a data file refers to, is missing from"
            + " ducklake_name_mapping");
      }
      Map<Long, List<MappingRow>> byParent = rows.stream().filter(r -> r.parent() != null)
          .collect(Collectors.groupingBy(MappingRow::parent, LinkedHashMap::new, Collectors.toList()));
      return new NameMapping(mappingId,
          rows.stream().filter(r -> r.parent() == null).map(r -> mappingEntry(r, byParent)).toList());
    });
  }

  private record MappingRow(long id, Long parent, String sourceName, long fieldId, boolean hive) {}

  private static NameMapping.Entry mappingEntry(MappingRow row, Map<Long, List<MappingRow>> byParent) {
    return new NameMapping.Entry(row.sourceName(), row.fieldId(), row.hive(),
        byParent.getOrDefault(row.id(), List.of()).stream().map(r -> mappingEntry(r, byParent)).toList());
  }

  /**
   * The table's record count as its {@code ducklake_table_stats} row has it now, or empty when it has
   * none: an estimate for planners, not the count at any one snapshot.
   */
  public OptionalLong recordCount(long tableId) {
    return query("reading table statistics", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT record_count FROM " + t("ducklake_table_stats") + " WHERE table_id = ?")) {
        ps.setLong(1, tableId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return OptionalLong.empty();
          }
          long count = rs.getLong(1);
          return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(count);
        }
      }
    });
  }

  /** The first snapshot that had this schema version, or empty when its snapshots were expired. */
  public Optional<Long> firstSnapshotWithSchemaVersion(long schemaVersion) {
    return query("reading snapshots", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT MIN(snapshot_id) FROM " + t("ducklake_snapshot") + " WHERE schema_version = ?")) {
        ps.setLong(1, schemaVersion);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long id = rs.getLong(1);
          return rs.wasNull() ? Optional.empty() : Optional.of(id);
        }
      }
    });
  }

  /** The user columns of an inlined data table, in order, as the catalog database defines them. */
  public List<String> inlinedColumnNames(InlinedDataTable table) {
    return query("reading " + table.name(), c -> {
      List<String> names = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + t(table.name()) + " WHERE 1 = 0");
          ResultSet rs = ps.executeQuery()) {
        var md = rs.getMetaData();
        // The first three columns are DuckLake's own: row id, begin and end snapshot.
        for (int i = 4; i <= md.getColumnCount(); i++) {
          names.add(md.getColumnName(i));
        }
      }
      return names;
    });
  }

  /**
   * Streams the rows of an inlined data table visible at the snapshot, ordered by row id. The
   * handler sees a result set whose first column is the row id and whose next columns are
   * {@code columnNames} in order.
   */
  public void scanInlinedRows(InlinedDataTable table, List<String> columnNames, long snapshotId,
      ResultSetHandler handler) {
    query("reading " + table.name(), c -> {
      // Values come back in each database's own types; the dialect makes them DuckDB's text.
      Map<String, String> sqlTypes = dialect.selectsInlinedValuesByType() ? sqlTypes(c, table) : Map.of();
      String rowId = inlinedMetadataColumn("row_id");
      String begin = inlinedMetadataColumn("begin_snapshot");
      String end = inlinedMetadataColumn("end_snapshot");
      StringBuilder sql = new StringBuilder("SELECT ").append(rowId);
      for (String name : columnNames) {
        sql.append(", ").append(dialect.inlinedValue(dialect.column(name), sqlTypes.get(name)));
      }
      sql.append(" FROM ").append(t(table.name())).append(" WHERE ? >= ").append(begin).append(" AND (? < ")
          .append(end).append(" OR ").append(end).append(" IS NULL) ORDER BY ").append(rowId);
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        bindVisible(ps, 1, snapshotId);
        try (ResultSet rs = ps.executeQuery()) {
          handler.handle(dialect.inlinedValues(rs));
        }
      }
      return null;
    });
  }

  /**
   * Streams every version of the rows of an inlined data table that began at or before a snapshot,
   * ended ones included, ordered by row id and begin snapshot, for flushing them to Parquet. The
   * handler sees row id, begin snapshot, end snapshot (NULL while live), then {@code columnNames}.
   */
  public void scanInlinedRowVersions(InlinedDataTable table, List<String> columnNames, long upToSnapshot,
      ResultSetHandler handler) {
    query("reading " + table.name(), c -> {
      Map<String, String> sqlTypes = dialect.selectsInlinedValuesByType() ? sqlTypes(c, table) : Map.of();
      String rowId = inlinedMetadataColumn("row_id");
      String begin = inlinedMetadataColumn("begin_snapshot");
      StringBuilder sql = new StringBuilder("SELECT ").append(rowId).append(", ").append(begin).append(", ")
          .append(inlinedMetadataColumn("end_snapshot"));
      for (String name : columnNames) {
        sql.append(", ").append(dialect.inlinedValue(dialect.column(name), sqlTypes.get(name)));
      }
      sql.append(" FROM ").append(t(table.name())).append(" WHERE ").append(begin).append(" <= ? ORDER BY ")
          .append(rowId).append(", ").append(begin);
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        ps.setLong(1, upToSnapshot);
        try (ResultSet rs = ps.executeQuery()) {
          handler.handle(dialect.inlinedValues(rs));
        }
      }
      return null;
    });
  }

  /**
   * One of the metadata columns leading every inlined data table ({@code row_id},
   * {@code begin_snapshot}, {@code end_snapshot}) as this catalog's version names it, for SQL.
   */
  public String inlinedMetadataColumn(String name) {
    return dialect.column(version.inlinedMetadataColumn(name));
  }

  /** The SQL type name of each column of an inlined data table. */
  private Map<String, String> sqlTypes(Connection c, InlinedDataTable table) throws SQLException {
    Map<String, String> types = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + t(table.name()) + " WHERE 1 = 0");
        ResultSet rs = ps.executeQuery()) {
      var md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        types.put(md.getColumnName(i), md.getColumnTypeName(i));
      }
    }
    return types;
  }

  /**
   * Per-file statistics of the given columns: data file id to column id to stats, with min and max
   * parsed to engine values. Files written before a column existed have no entry for it.
   */
  public Map<Long, Map<Long, ColumnStats>> fileColumnStats(long tableId, Map<Long, DuckLakeType> columnTypes) {
    return fileColumnStats(tableId, columnTypes, null, 0);
  }

  /**
   * As {@link #fileColumnStats(long, Map)}, only of the data files that a snapshot in {@code (since,
   * upTo]} added.
   */
  public Map<Long, Map<Long, ColumnStats>> addedFileColumnStats(long tableId, Map<Long, DuckLakeType> columnTypes,
      long since, long upTo) {
    return fileColumnStats(tableId, columnTypes, since, upTo);
  }

  private Map<Long, Map<Long, ColumnStats>> fileColumnStats(long tableId, Map<Long, DuckLakeType> columnTypes,
      Long addedSince, long addedUpTo) {
    if (columnTypes.isEmpty()) {
      return Map.of();
    }
    String in = columnTypes.keySet().stream().map(id -> "?").collect(Collectors.joining(","));
    String added = addedSince == null ? "" : " AND data_file_id IN (SELECT data_file_id FROM "
        + t("ducklake_data_file") + " WHERE table_id = ? AND begin_snapshot > ? AND begin_snapshot <= ?)";
    return query("reading file statistics", c -> {
      Map<Long, Map<Long, ColumnStats>> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT data_file_id, column_id, value_count, null_count, min_value, max_value, contains_nan FROM "
              + t("ducklake_file_column_stats") + " WHERE table_id = ? AND column_id IN (" + in + ")" + added)) {
        ps.setLong(1, tableId);
        int i = 2;
        for (Long id : columnTypes.keySet()) {
          ps.setLong(i++, id);
        }
        if (addedSince != null) {
          ps.setLong(i++, tableId);
          ps.setLong(i++, addedSince);
          ps.setLong(i, addedUpTo);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long columnId = rs.getLong(2);
            DuckLakeType type = columnTypes.get(columnId);
            Boolean nan = rs.getObject(7) == null ? null : rs.getBoolean(7);
            ColumnStats stats = new ColumnStats(Values.parseStat(type, rs.getString(5)),
                Values.parseStat(type, rs.getString(6)), longOrNull(rs, 4), longOrNull(rs, 3), nan);
            out.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(columnId, stats);
          }
        }
      }
      return out;
    });
  }

  private static void bindVisible(PreparedStatement ps, int first, long snapshotId) throws SQLException {
    ps.setLong(first, snapshotId);
    ps.setLong(first + 1, snapshotId);
  }

  private static Long longOrNull(ResultSet rs, int col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : v;
  }

  private String t(String name) {
    return dialect.table(name);
  }

  /** Work on a result set while its connection is open. */
  @FunctionalInterface
  public interface ResultSetHandler {
    void handle(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T query(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new CatalogException("Failed " + what + " in catalog " + description + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
