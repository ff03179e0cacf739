package dev.mallard.engine.txn;

import dev.mallard.engine.MallardException.CatalogException;
import dev.mallard.engine.MallardException.ConflictException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.SchemaInfo;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.parquet.FileColumnStats;
import dev.mallard.engine.parquet.WrittenFile;
import dev.mallard.engine.txn.Change.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Writes a transaction's changes as one snapshot, in one catalog transaction, as the reference
 * does (ducklake-format.md §5.1): read the latest snapshot, check what committed since the
 * transaction started, take the next snapshot id (its primary key makes concurrent committers
 * take turns), assign real ids, write every row, commit. If another writer took the id first, wait
 * with jittered exponential backoff and try again.
 */
final class Committer {
  private final DuckLakeCatalog catalog;
  private final MetadataStore metadata;
  private final Transaction txn;
  private final RetryPolicy retry;

  Committer(DuckLakeCatalog catalog, Transaction txn) {
    this.catalog = catalog;
    this.metadata = catalog.metadata();
    this.txn = txn;
    this.retry = RetryPolicy.DEFAULT;
  }

  Snapshot commit() {
    for (int attempt = 0; ; attempt++) {
      Snapshot latest = metadata.latestSnapshot();
      if (latest.id() != txn.startSnapshot().id()) {
        Conflicts.check(txn, committedSince(txn.startSnapshot().id()), this::dataFilesDeletedSince);
      }
      try {
        return metadata.inTransaction("committing snapshot " + (latest.id() + 1), c -> write(c, latest));
      } catch (CatalogException e) {
        if (!isConcurrentCommit(e) || attempt >= retry.maxRetries()) {
          if (isConcurrentCommit(e)) {
            throw new ConflictException("Failed to commit after " + attempt + " retries: other writers kept"
                + " committing first (last: " + e.getMessage() + ")");
          }
          throw e;
        }
        retry.sleep(attempt);
      }
    }
  }

  /** Someone else committed the snapshot id we wanted, or held the catalog's write lock too long. */
  private static boolean isConcurrentCommit(CatalogException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState() == null ? "" : s.getSQLState();
        String message = String.valueOf(s.getMessage()).toLowerCase(Locale.ROOT);
        if (state.startsWith("23") || state.startsWith("40") || state.equals("42S01") || message.contains("primary key")
            || message.contains("unique") || message.contains("constraint") || message.contains("locked")
            || message.contains("busy") || message.contains("conflict") || message.contains("concurrent")
            || message.contains("deadlock")) {
          return true;
        }
      }
    }
    return false;
  }

  private List<Conflicts.Committed> committedSince(long snapshotId) {
    return metadata.inTransaction("reading snapshots since " + snapshotId, c -> {
      List<Conflicts.Committed> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT snapshot_id, changes_made FROM "
          + t("ducklake_snapshot_changes") + " WHERE snapshot_id > ? ORDER BY snapshot_id")) {
        ps.setLong(1, snapshotId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Conflicts.Committed(rs.getLong(1), Change.parse(rs.getString(2))));
          }
        }
      }
      return out;
    });
  }

  private Set<Long> dataFilesDeletedSince(long tableId) {
    long since = txn.startSnapshot().id();
    return metadata.inTransaction("reading deletions since " + since, c -> {
      Set<Long> out = new HashSet<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT data_file_id FROM " + t("ducklake_delete_file")
          + " WHERE table_id = ? AND begin_snapshot > ? UNION ALL SELECT data_file_id FROM "
          + t("ducklake_data_file") + " WHERE table_id = ? AND end_snapshot > ?")) {
        ps.setLong(1, tableId);
        ps.setLong(2, since);
        ps.setLong(3, tableId);
        ps.setLong(4, since);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getLong(1));
          }
        }
      }
      return out;
    });
  }

  // ---------------------------------------------------------------- one attempt

  /** The ids of the commit being written, and its change entries. */
  private final class Attempt {
    final long snapshot;
    long nextCatalogId;
    long nextFileId;
    final long schemaVersion;
    final Map<Long, Long> ids = new HashMap<>();
    final List<Change> changes = new ArrayList<>();
    /** Tables whose inlined data table was already created (see {@link #writeAfterTables}). */
    final Set<Long> tablesCreated = new HashSet<>();

    Attempt(Snapshot latest) {
      this.snapshot = latest.id() + 1;
      this.nextCatalogId = latest.nextCatalogId();
      this.nextFileId = latest.nextFileId();
      this.schemaVersion = latest.schemaVersion() + (txn.hasSchemaChanges() ? 1 : 0);
    }

    /** The real id of a schema or table, local ids mapped to the ones this commit assigned. */
    long id(long id) {
      return Transaction.isLocal(id) ? ids.get(id) : id;
    }
  }

  private Snapshot write(Connection c, Snapshot latest) throws SQLException {
    Attempt a = new Attempt(latest);
    for (SchemaInfo s : txn.newSchemas) {
      a.ids.put(s.id(), a.nextCatalogId++);
    }
    for (TableInfo t : txn.newTables) {
      a.ids.put(t.id(), a.nextCatalogId++);
    }
    if (metadata.ddlCommitsTransaction()) {
      return writeAfterTables(c, a);
    }
    return writeRows(c, a);
  }

  /**
   * Where CREATE TABLE commits the transaction (MySQL), the commit's tables are created before
   * anything else, so that the rows are still written in one transaction. The catalog's commit
   * lock is held from before the tables are made until the rows are committed, so a table left
   * behind by a writer that died mid-commit can be told apart from a concurrent writer's and
   * replaced; if the commit fails, the tables it made are dropped.
   */
  private Snapshot writeAfterTables(Connection c, Attempt a) throws SQLException {
    List<String> created = new ArrayList<>();
    metadata.lockCommits(c);
    try {
      try (PreparedStatement ps = c.prepareStatement("SELECT max(snapshot_id) FROM " + t("ducklake_snapshot"));
          ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getLong(1) != a.snapshot - 1) {
          throw new SQLException("Snapshot " + a.snapshot + " was committed concurrently", "40001");
        }
      }
      if (inliningLimit() > 0) {
        for (TableInfo table : txn.newTables) {
          long id = a.id(table.id());
          // Under the lock and with an id no committed snapshot has handed out, a table of this
          // name can only be one a writer left when it died mid-commit.
          String leftOver = InlinedTables.name(id, a.schemaVersion);
          if (metadata.tableExists(c, leftOver)) {
            try (java.sql.Statement s = c.createStatement()) {
              s.execute("DROP TABLE " + t(leftOver));
            }
          }
          String name = InlinedTables.createTable(c, metadata, id, a.schemaVersion, table.columns());
          if (name != null) {
            created.add(name);
            a.tablesCreated.add(id);
          }
        }
      }
      for (Transaction.TableWrites w : txn.writes.values()) {
        if (!w.deletedPositions.isEmpty()) {
          InlinedTables.createDeleteTable(c, metadata, a.id(w.table.id()));
        }
      }
      Snapshot written = writeRows(c, a);
      c.commit(); // before the lock is released
      return written;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      for (String name : created) {
        try (java.sql.Statement s = c.createStatement()) {
          s.execute("DROP TABLE IF EXISTS " + t(name));
        } catch (SQLException dropFailed) {
          e.addSuppressed(dropFailed);
        }
      }
      throw e;
    } finally {
      metadata.unlockCommits(c);
    }
  }

  private Snapshot writeRows(Connection c, Attempt a) throws SQLException {
    // The snapshot row first: its primary key is what makes concurrent committers take turns.
    // Its counters are updated last, once this commit's ids are known.
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_snapshot")
        + " VALUES (?, ?, ?, ?, ?)")) {
      ps.setLong(1, a.snapshot);
      metadata.bindTimestamp(ps, 2, java.time.Instant.now());
      ps.setLong(3, a.schemaVersion);
      ps.setLong(4, a.nextCatalogId);
      ps.setLong(5, a.nextFileId);
      ps.executeUpdate();
    }
    dropObjects(c, a);
    createSchemas(c, a);
    createTables(c, a);
    for (Transaction.TableWrites w : txn.writes.values()) {
      if (!w.isEmpty()) {
        writeRows(c, a, w);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("ducklake_snapshot")
        + " SET next_catalog_id = ?, next_file_id = ? WHERE snapshot_id = ?")) {
      ps.setLong(1, a.nextCatalogId);
      ps.setLong(2, a.nextFileId);
      ps.setLong(3, a.snapshot);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_snapshot_changes")
        + " VALUES (?, ?, NULL, NULL, NULL)")) {
      ps.setLong(1, a.snapshot);
      ps.setString(2, Change.format(a.changes));
      ps.executeUpdate();
    }
    return new Snapshot(a.snapshot, java.time.Instant.now(), a.schemaVersion, a.nextCatalogId, a.nextFileId);
  }

  private void dropObjects(Connection c, Attempt a) throws SQLException {
    for (long table : txn.droppedTables) {
      // The reference ends the table's row, its columns and its data files.
      for (String sql : List.of(
          "UPDATE " + t("ducklake_table") + " SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
          "UPDATE " + t("ducklake_column") + " SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
          "UPDATE " + t("ducklake_data_file") + " SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
          "UPDATE " + t("ducklake_delete_file") + " SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL")) {
        update(c, sql, a.snapshot, table);
      }
      a.changes.add(Change.of(Kind.DROPPED_TABLE, table));
    }
    for (long schema : txn.droppedSchemas) {
      update(c, "UPDATE " + t("ducklake_schema") + " SET end_snapshot = ? WHERE schema_id = ? AND end_snapshot IS NULL",
          a.snapshot, schema);
      a.changes.add(Change.of(Kind.DROPPED_SCHEMA, schema));
    }
  }

  private static void update(Connection c, String sql, long snapshot, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, snapshot);
      ps.setLong(2, id);
      ps.executeUpdate();
    }
  }

  private void createSchemas(Connection c, Attempt a) throws SQLException {
    for (SchemaInfo s : txn.newSchemas) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_schema")
          + " VALUES (?, ?, ?, NULL, ?, ?, ?)")) {
        ps.setLong(1, a.id(s.id()));
        ps.setString(2, s.uuid());
        ps.setLong(3, a.snapshot);
        ps.setString(4, s.name());
        ps.setString(5, relative(s.path(), catalog.dataPath()));
        ps.setBoolean(6, true);
        ps.executeUpdate();
      }
      a.changes.add(Change.named(Kind.CREATED_SCHEMA, s.name()));
    }
  }

  private void createTables(Connection c, Attempt a) throws SQLException {
    for (TableInfo table : txn.newTables) {
      long id = a.id(table.id());
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_table")
          + " VALUES (?, ?, ?, NULL, ?, ?, ?, ?)")) {
        ps.setLong(1, id);
        ps.setString(2, table.uuid());
        ps.setLong(3, a.snapshot);
        ps.setLong(4, a.id(table.schema().id()));
        ps.setString(5, table.name());
        ps.setString(6, relative(table.path(), table.schema().path()));
        ps.setBoolean(7, true);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_column")
          + " VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, 'literal', 'duckdb')")) {
        for (ColumnInfo column : table.columns()) {
          insertColumn(ps, a.snapshot, id, column, null);
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_schema_versions")
          + " VALUES (?, ?, ?)")) {
        ps.setLong(1, a.snapshot);
        ps.setLong(2, a.schemaVersion);
        ps.setLong(3, id);
        ps.executeUpdate();
      }
      if (inliningLimit() > 0) {
        if (!a.tablesCreated.contains(id)) {
          InlinedTables.createTable(c, metadata, id, a.schemaVersion, table.columns());
        }
        InlinedTables.register(c, metadata, id, a.schemaVersion, table.columns());
      }
      a.changes.add(Change.named(Kind.CREATED_TABLE, table.schema().name(), table.name()));
    }
  }

  private static void insertColumn(PreparedStatement ps, long snapshot, long tableId, ColumnInfo column, Long parent)
      throws SQLException {
    ps.setLong(1, column.id());
    ps.setLong(2, snapshot);
    ps.setLong(3, tableId);
    ps.setLong(4, column.id()); // column_order is the column id in every catalog the reference writes
    ps.setString(5, column.name());
    ps.setString(6, column.type().toString());
    ps.setString(7, column.initialDefault());
    // The reference writes the text NULL when a column has no default.
    ps.setString(8, column.defaultValue() == null ? "NULL" : column.defaultValue());
    ps.setBoolean(9, column.nullable());
    if (parent == null) {
      ps.setNull(10, java.sql.Types.BIGINT);
    } else {
      ps.setLong(10, parent);
    }
    ps.addBatch();
    for (ColumnInfo child : column.children()) {
      insertColumn(ps, snapshot, tableId, child, column.id());
    }
  }

  /** Inserts of at most this many rows stay in the catalog, as in the reference. */
  int inliningLimit() {
    return InlinedTables.limit(catalog);
  }

  // ---------------------------------------------------------------- rows

  private void writeRows(Connection c, Attempt a, Transaction.TableWrites w) throws SQLException {
    long tableId = a.id(w.table.id());
    TableStats stats = TableStats.read(c, metadata, tableId);
    long fileBytes = 0;
    long inserted = 0;
    for (WrittenFile file : w.files) {
      long fileId = a.nextFileId++;
      insertDataFile(c, a, tableId, w.table, fileId, file, stats.nextRowId + inserted);
      inserted += file.recordCount();
      fileBytes += file.fileSizeBytes();
      stats.merge(w.table, file);
    }
    if (!w.files.isEmpty()) {
      a.changes.add(Change.of(Kind.INSERTED_INTO_TABLE, tableId));
    }
    long updated = 0;
    if (!w.inlinedRows.isEmpty() || !w.updatedRows.isEmpty()) {
      String inlinedTable = InlinedTables.current(c, metadata, tableId, a.schemaVersion, w.table.columns());
      List<Object[]> newRows = new ArrayList<>(w.inlinedRows.values());
      List<Object[]> newVersions = new ArrayList<>(w.updatedRows.values());
      InlinedTables.insert(c, metadata, inlinedTable, w.table.columns(), newRows, stats.nextRowId + inserted,
          null, a.snapshot);
      inserted += newRows.size();
      InlinedTables.insert(c, metadata, inlinedTable, w.table.columns(), newVersions, 0,
          new ArrayList<>(w.updatedRows.keySet()), a.snapshot);
      updated = newVersions.size();
      stats.mergeInlined(w.table, newRows);
      stats.mergeInlined(w.table, newVersions);
      // An inline-only insert still moves the file counter, which readers' caches key on.
      if (w.files.isEmpty()) {
        a.nextFileId++;
      }
      a.changes.add(Change.of(Kind.INLINED_INSERT, tableId));
    }
    if (!w.deletedInlinedRowIds.isEmpty()) {
      InlinedTables.deleteRows(c, metadata, tableId, w.deletedInlinedRowIds, a.snapshot);
      a.changes.add(Change.of(Kind.INLINED_DELETE, tableId));
    }
    if (!w.deletedPositions.isEmpty()) {
      deletePositions(c, a, tableId, w);
    }
    // New versions of updated rows count as records, as in the reference, but keep their row ids.
    stats.recordCount += inserted + updated;
    stats.nextRowId += inserted;
    stats.fileSizeBytes += fileBytes;
    stats.write(c, metadata, tableId);
  }

  private void insertDataFile(Connection c, Attempt a, long tableId, TableInfo table, long fileId, WrittenFile file,
      long rowIdStart) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_data_file")
        + " VALUES (?, ?, ?, NULL, NULL, ?, ?, 'parquet', ?, ?, ?, ?, NULL, NULL, NULL, NULL)")) {
      ps.setLong(1, fileId);
      ps.setLong(2, tableId);
      ps.setLong(3, a.snapshot);
      String path = relative(file.path(), table.path());
      ps.setString(4, path);
      ps.setBoolean(5, !path.equals(file.path()));
      ps.setLong(6, file.recordCount());
      ps.setLong(7, file.fileSizeBytes());
      ps.setLong(8, file.footerSize());
      ps.setLong(9, rowIdStart);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_file_column_stats")
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)")) {
      for (Map.Entry<Integer, FileColumnStats> e : file.stats().entrySet()) {
        FileColumnStats s = e.getValue();
        ps.setLong(1, fileId);
        ps.setLong(2, tableId);
        ps.setLong(3, e.getKey());
        ps.setLong(4, s.columnSizeBytes());
        ps.setLong(5, s.valueCount());
        ps.setLong(6, s.nullCount());
        ps.setString(7, s.minValue());
        ps.setString(8, s.maxValue());
        if (s.containsNan() == null) {
          ps.setNull(9, java.sql.Types.BOOLEAN);
        } else {
          ps.setBoolean(9, s.containsNan());
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Deletes rows of committed data files. A file losing every row is ended; a few rows are
   * deleted inline in the catalog; more go to a delete file that holds all of the file's deleted
   * positions, replacing the previous one (the reference's newest-file-wins rule).
   */
  private void deletePositions(Connection c, Attempt a, long tableId, Transaction.TableWrites w) throws SQLException {
    Map<Long, DataFile> files = txn.catalog().metadata().dataFiles(w.table, txn.startSnapshot().id()).stream()
        .collect(Collectors.toMap(DataFile::id, f -> f));
    boolean inline = false;
    boolean viaFiles = false;
    for (Map.Entry<Long, java.util.TreeSet<Long>> e : w.deletedPositions.entrySet()) {
      DataFile file = files.get(e.getKey());
      if (file == null) {
        throw new ConflictException("Data file " + e.getKey() + " of " + w.table.qualifiedName()
            + " is no longer visible; another transaction removed it");
      }
      long alreadyDeleted = DeletedPositions.count(c, metadata, tableId, file, txn.catalog());
      if (alreadyDeleted + e.getValue().size() >= file.recordCount()) {
        update(c, "UPDATE " + t("ducklake_data_file") + " SET end_snapshot = ? WHERE data_file_id = ?",
            a.snapshot, file.id());
        update(c, "UPDATE " + t("ducklake_delete_file") + " SET end_snapshot = ? WHERE data_file_id = ?"
            + " AND end_snapshot IS NULL", a.snapshot, file.id());
        viaFiles = true;
      } else if (e.getValue().size() <= inliningLimit()) {
        InlinedTables.deletePositions(c, metadata, tableId, file.id(), e.getValue(), a.snapshot);
        inline = true;
      } else {
        DeletedPositions.writeDeleteFile(c, metadata, txn.catalog(), tableId, w.table, file, e.getValue(), a);
        viaFiles = true;
      }
    }
    if (viaFiles) {
      a.changes.add(Change.of(Kind.DELETED_FROM_TABLE, tableId));
    }
    if (inline) {
      a.changes.add(Change.of(Kind.INLINED_DELETE, tableId));
    }
  }

  /** A path relative to its parent directory when it lies under it, as the reference stores paths. */
  static String relative(String path, String parent) {
    return path.startsWith(parent) ? path.substring(parent.length()) : path;
  }

  private String t(String name) {
    return metadata.table(name);
  }

  /** When and how often to try again after another writer took the snapshot id. */
  record RetryPolicy(int maxRetries, long waitMillis, double backoff) {
    static final RetryPolicy DEFAULT = new RetryPolicy(10, 100, 1.5);

    void sleep(int attempt) {
      double jitter = ThreadLocalRandom.current().nextDouble(0.5, 1.0);
      long millis = (long) (waitMillis * jitter * Math.pow(backoff, attempt));
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConflictException("Interrupted while waiting to retry a commit");
      }
    }
  }
}
