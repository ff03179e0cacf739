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
import dev.mallard.engine.parquet.ReadColumn;
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
import java.util.SortedSet;
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
  /** Files written by the current commit attempt (delete files need the snapshot id). */
  private final List<String> attemptFiles = new ArrayList<>();
  /** How the current attempt deletes rows of each data file, by table written and data file id. */
  private final Map<Transaction.TableWrites, Map<Long, FileDeletion>> deletions = new HashMap<>();
  /** The lake's options at each scope, read before an attempt's catalog transaction. */
  private dev.mallard.engine.catalog.ScopedOptions options;

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
      options = txn.newTables.isEmpty() && txn.alteredTables.isEmpty() ? null
          : dev.mallard.engine.catalog.ScopedOptions.read(metadata);
      try {
        // Delete files hold the snapshot id that deleted each position: written for the id this
        // attempt will commit, before its catalog transaction, which a lost race rolls back.
        prepareDeletions(latest.id() + 1);
        return metadata.inTransaction("committing snapshot " + (latest.id() + 1), c -> write(c, latest));
      } catch (RuntimeException e) {
        deleteAttemptFiles();
        if (!(e instanceof CatalogException)) {
          throw e;
        }
        CatalogException failure = (CatalogException) e;
        if (!isConcurrentCommit(failure) || attempt >= retry.maxRetries()) {
          if (isConcurrentCommit(failure)) {
            throw new ConflictException("Failed to commit after " + attempt + " retries: other writers kept"
                + " committing first (last: " + e.getMessage() + ")");
          }
          throw e;
        }
        retry.sleep(attempt);
      }
    }
  }

  /** Delete files written by a commit attempt that did not commit: no snapshot refers to them. */
  private void deleteAttemptFiles() {
    for (String location : attemptFiles) {
      try {
        catalog.fileIO().delete(location);
      } catch (RuntimeException ignored) {
        // Best effort: orphan cleanup removes what is left.
      }
    }
    attemptFiles.clear();
  }

  /** Someone else committed the snapshot id we wanted, or held the catalog's write lock too long. */
  /**
   * Runs catalog work that writes outside a snapshot commit (expiry, cleanup), again after a
   * backoff when another writer held the catalog's write lock.
   */
  static <T> T withRetries(java.util.function.Supplier<T> work) {
    for (int attempt = 0; ; attempt++) {
      try {
        return work.get();
      } catch (CatalogException e) {
        if (!isConcurrentCommit(e) || attempt >= RetryPolicy.DEFAULT.maxRetries()) {
          throw e;
        }
        RetryPolicy.DEFAULT.sleep(attempt);
      }
    }
  }

  static boolean isConcurrentCommit(CatalogException e) {
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
    for (Transaction.NewView v : txn.newViews) {
      a.ids.put(v.id(), a.nextCatalogId++);
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
      List<TableInfo> withNewInlinedTable = new ArrayList<>(txn.newTables);
      txn.alteredTables.values().stream().filter(this::changesInlinedColumns).forEach(withNewInlinedTable::add);
      withNewInlinedTable.removeIf(table -> inliningLimit(table) == 0);
      for (TableInfo table : withNewInlinedTable) {
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
      for (Transaction.TableWrites w : txn.writes.values()) {
        if (w.deletesCommittedPositions()) {
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
    alterTables(c, a);
    writeComments(c, a);
    writeViews(c, a);
    writePartitionSpecs(c, a);
    for (Transaction.TableWrites w : txn.writes.values()) {
      if (!w.isEmpty()) {
        writeRows(c, a, w);
      }
    }
    if (!txn.catalogWork.isEmpty()) {
      CommitContext context = new CommitContext(c, catalog, a.snapshot, a.nextFileId);
      for (CatalogWork work : txn.catalogWork) {
        work.write(context);
      }
      a.nextFileId = context.nextFileId();
      a.changes.addAll(context.changes());
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
      // The reference ends the table's row, its columns, its files, its partitioning and its tags.
      for (String sql : List.of(
          "UPDATE " + t("ducklake_table") + " SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
          "UPDATE " + t("ducklake_column") + " SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
          "UPDATE " + t("ducklake_data_file") + " SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
          "UPDATE " + t("ducklake_delete_file") + " SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
          "UPDATE " + t("ducklake_partition_info") + " SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
          "UPDATE " + t("ducklake_tag") + " SET end_snapshot = ? WHERE object_id = ? AND end_snapshot IS NULL",
          "UPDATE " + t("ducklake_column_tag") + " SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL")) {
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
          + " VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'duckdb')")) {
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
      if (inliningLimit(table) > 0) {
        if (!a.tablesCreated.contains(id)) {
          InlinedTables.createTable(c, metadata, id, a.schemaVersion, table.columns());
        }
        InlinedTables.register(c, metadata, id, a.schemaVersion, table.columns());
      }
      a.changes.add(Change.named(Kind.CREATED_TABLE, table.schema().name(), table.name()));
    }
  }

  /**
   * Writes ALTER TABLE as the reference does: a changed column or table row is ended and a new
   * row with the same id begins; a new schema version gets its own inlined data table unless only
   * defaults or NOT NULL changed.
   */
  private void alterTables(Connection c, Attempt a) throws SQLException {
    for (TableInfo altered : txn.alteredTables.values()) {
      long id = altered.id();
      TableInfo before = txn.startSnapshotView().tableById(id).orElseThrow(() -> new ConflictException("Table "
          + altered.qualifiedName() + " is no longer visible"));
      if (!before.name().equals(altered.name())) {
        update(c, "UPDATE " + t("ducklake_table") + " SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
            a.snapshot, id);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_table")
            + " VALUES (?, ?, ?, NULL, ?, ?, ?, ?)")) {
          ps.setLong(1, id);
          ps.setString(2, altered.uuid());
          ps.setLong(3, a.snapshot);
          ps.setLong(4, altered.schema().id());
          ps.setString(5, altered.name());
          ps.setString(6, relative(altered.path(), altered.schema().path()));
          ps.setBoolean(7, !relative(altered.path(), altered.schema().path()).equals(altered.path()));
          ps.executeUpdate();
        }
        a.changes.add(Change.named(Kind.CREATED_TABLE, altered.schema().name(), altered.name()));
      } else {
        a.changes.add(Change.of(Kind.ALTERED_TABLE, id));
      }
      Map<Long, ColumnRow> old = flatten(before.columns(), null, new java.util.LinkedHashMap<>());
      Map<Long, ColumnRow> now = flatten(altered.columns(), null, new java.util.LinkedHashMap<>());
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_column")
          + " VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'duckdb')")) {
        for (Map.Entry<Long, ColumnRow> e : old.entrySet()) {
          ColumnRow replacement = now.get(e.getKey());
          if (replacement == null || !replacement.equals(e.getValue())) {
            endColumn(c, a.snapshot, id, e.getKey());
          }
        }
        for (Map.Entry<Long, ColumnRow> e : now.entrySet()) {
          if (!e.getValue().equals(old.get(e.getKey()))) {
            insertColumnRow(ps, a.snapshot, id, e.getValue());
          }
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
      if (inliningLimit(altered) > 0 && changesInlinedColumns(altered)) {
        if (!a.tablesCreated.contains(id)) {
          InlinedTables.createTable(c, metadata, id, a.schemaVersion, altered.columns());
        }
        InlinedTables.register(c, metadata, id, a.schemaVersion, altered.columns());
      }
    }
  }

  /**
   * Whether an altered table gets a new inlined data table for its new schema version: DuckDB
   * makes one for every change but those of defaults and NOT NULL.
   */
  private boolean changesInlinedColumns(TableInfo altered) {
    TableInfo before = txn.startSnapshotView().tableById(altered.id()).orElse(null);
    return before == null || !before.name().equals(altered.name())
        || !withoutConstraints(before.columns()).equals(withoutConstraints(altered.columns()));
  }

  private static List<ColumnInfo> withoutConstraints(List<ColumnInfo> columns) {
    return columns.stream()
        .map(c -> new ColumnInfo(c.id(), c.name(), c.type(), true, c.initialDefault(), null, c.children()))
        .toList();
  }

  /**
   * SET PARTITIONED BY: the table's spec row is ended and the new one begins, with its keys. A spec
   * the transaction replaced after writing files under it begins and ends at this snapshot.
   */
  private void writePartitionSpecs(Connection c, Attempt a) throws SQLException {
    for (Map.Entry<Long, Partitioning> e : txn.newPartitioning.entrySet()) {
      long tableId = a.id(e.getKey());
      update(c, "UPDATE " + t("ducklake_partition_info") + " SET end_snapshot = ? WHERE table_id = ?"
          + " AND end_snapshot IS NULL", a.snapshot, tableId);
      for (Partitioning replaced : txn.replacedPartitioning.getOrDefault(e.getKey(), List.of())) {
        insertPartitionSpec(c, a, tableId, replaced, a.snapshot);
      }
      insertPartitionSpec(c, a, tableId, e.getValue(), null);
      if (!Transaction.isLocal(e.getKey()) && !txn.alteredTables.containsKey(e.getKey())
          && !txn.comments.containsKey(e.getKey())) {
        a.changes.add(Change.of(Kind.ALTERED_TABLE, tableId));
      }
    }
  }

  private void insertPartitionSpec(Connection c, Attempt a, long tableId, Partitioning spec, Long endSnapshot)
      throws SQLException {
    long id = a.nextCatalogId++;
    a.ids.put(spec.id(), id);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_partition_info")
        + " VALUES (?, ?, ?, ?)")) {
      ps.setLong(1, id);
      ps.setLong(2, tableId);
      ps.setLong(3, a.snapshot);
      if (endSnapshot == null) {
        ps.setNull(4, java.sql.Types.BIGINT);
      } else {
        ps.setLong(4, endSnapshot);
      }
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_partition_column")
        + " VALUES (?, ?, ?, ?, ?)")) {
      for (int i = 0; i < spec.keys().size(); i++) {
        ps.setLong(1, id);
        ps.setLong(2, tableId);
        ps.setLong(3, i);
        ps.setLong(4, spec.keys().get(i).column().id());
        ps.setString(5, spec.keys().get(i).transform());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void writeViews(Connection c, Attempt a) throws SQLException {
    for (long view : txn.droppedViews) {
      update(c, "UPDATE " + t("ducklake_view") + " SET end_snapshot = ? WHERE view_id = ? AND end_snapshot IS NULL",
          a.snapshot, view);
      a.changes.add(Change.of(Kind.DROPPED_VIEW, view));
    }
    for (Transaction.NewView v : txn.newViews) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_view")
          + " VALUES (?, ?, ?, NULL, ?, ?, 'duckdb', ?, ?)")) {
        ps.setLong(1, a.id(v.id()));
        ps.setString(2, v.uuid());
        ps.setLong(3, a.snapshot);
        ps.setLong(4, a.id(v.schema().id()));
        ps.setString(5, v.name());
        ps.setString(6, v.sql());
        ps.setString(7, v.columnAliases());
        ps.executeUpdate();
      }
      a.changes.add(Change.named(Kind.CREATED_VIEW, v.schema().name(), v.name()));
    }
  }

  /** A column row's content apart from its snapshots: what an ALTER compares. */
  private record ColumnRow(ColumnInfo column, Long parent) {
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof ColumnRow other)) {
        return false;
      }
      ColumnInfo x = column;
      ColumnInfo y = other.column;
      return x.id() == y.id() && x.name().equals(y.name()) && x.type().equals(y.type()) && x.nullable() == y.nullable()
          && java.util.Objects.equals(x.initialDefault(), y.initialDefault())
          && java.util.Objects.equals(x.defaultValue(), y.defaultValue())
          && x.defaultValueType().equals(y.defaultValueType()) && java.util.Objects.equals(parent, other.parent);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(column.id());
    }
  }

  private static Map<Long, ColumnRow> flatten(List<ColumnInfo> columns, Long parent, Map<Long, ColumnRow> out) {
    for (ColumnInfo column : columns) {
      out.put(column.id(), new ColumnRow(column, parent));
      flatten(column.children(), column.id(), out);
    }
    return out;
  }

  private void endColumn(Connection c, long snapshot, long tableId, long columnId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("ducklake_column") + " SET end_snapshot = ?"
        + " WHERE table_id = ? AND column_id = ? AND end_snapshot IS NULL")) {
      ps.setLong(1, snapshot);
      ps.setLong(2, tableId);
      ps.setLong(3, columnId);
      ps.executeUpdate();
    }
  }

  /** One {@code ducklake_column} row (batched), without the column's children. */
  private static void insertColumnRow(PreparedStatement ps, long snapshot, long tableId, ColumnRow row)
      throws SQLException {
    ColumnInfo column = row.column();
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
    if (row.parent() == null) {
      ps.setNull(10, java.sql.Types.BIGINT);
    } else {
      ps.setLong(10, row.parent());
    }
    ps.setString(11, column.defaultValueType());
    ps.addBatch();
  }

  /** COMMENT ON: the table's or column's 'comment' tag row is ended and the new one begins. */
  private void writeComments(Connection c, Attempt a) throws SQLException {
    for (Map.Entry<Long, Map<Long, java.util.Optional<String>>> table : txn.comments.entrySet()) {
      long tableId = a.id(table.getKey());
      for (Map.Entry<Long, java.util.Optional<String>> e : table.getValue().entrySet()) {
        Long column = e.getKey();
        String where = column == null ? " WHERE object_id = ? AND key = 'comment' AND end_snapshot IS NULL"
            : " WHERE table_id = ? AND column_id = ? AND key = 'comment' AND end_snapshot IS NULL";
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t(column == null ? "ducklake_tag"
            : "ducklake_column_tag") + " SET end_snapshot = ?" + where)) {
          ps.setLong(1, a.snapshot);
          ps.setLong(2, tableId);
          if (column != null) {
            ps.setLong(3, column);
          }
          ps.executeUpdate();
        }
        if (e.getValue().isPresent()) {
          String sql = column == null ? "INSERT INTO " + t("ducklake_tag") + " VALUES (?, ?, NULL, 'comment', ?)"
              : "INSERT INTO " + t("ducklake_column_tag") + " VALUES (?, ?, ?, NULL, 'comment', ?)";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, tableId);
            if (column != null) {
              ps.setLong(i++, column);
            }
            ps.setLong(i++, a.snapshot);
            ps.setString(i, e.getValue().get());
            ps.executeUpdate();
          }
        }
      }
      if (!txn.alteredTables.containsKey(table.getKey())) {
        a.changes.add(Change.of(Kind.ALTERED_TABLE, tableId)); // also for a new table, as the reference
      }
    }
  }

  private static void insertColumn(PreparedStatement ps, long snapshot, long tableId, ColumnInfo column, Long parent)
      throws SQLException {
    insertColumnRow(ps, snapshot, tableId, new ColumnRow(column, parent));
    for (ColumnInfo child : column.children()) {
      insertColumn(ps, snapshot, tableId, child, column.id());
    }
  }

  /**
   * Inserts into the table of at most this many rows stay in the catalog: the connection's setting,
   * else the option at the table's, its schema's or the lake's scope, as the reference decides
   * whether a new or altered table gets an inlined data table.
   */
  int inliningLimit(TableInfo table) {
    return InlinedTables.limit(catalog, options, table);
  }

  // ---------------------------------------------------------------- rows

  private void writeRows(Connection c, Attempt a, Transaction.TableWrites w) throws SQLException {
    long tableId = a.id(w.table.id());
    if (w.truncated) {
      truncate(c, a, tableId);
    }
    TableStats stats = TableStats.read(c, metadata, tableId);
    long fileBytes = 0;
    long inserted = 0;
    Map<String, DataFile> localFiles = w.readableFiles.stream().collect(Collectors.toMap(DataFile::path, f -> f));
    for (WrittenFile file : w.files) {
      long fileId = a.nextFileId++;
      long rowIdStart = stats.nextRowId + inserted;
      insertDataFile(c, a, tableId, w.table, fileId, file, rowIdStart, w.partitionValues.get(file.path()));
      FileDeletion deleted = deletions.getOrDefault(w, Map.of()).get(localFiles.get(file.path()).id());
      if (deleted != null) {
        // Rows the transaction deleted from a file it wrote: a delete file of the same snapshot,
        // and no deletion in the snapshot's changes, as the reference commits them.
        DeletedPositions.record(c, metadata, catalog, tableId, w.table, fileId, deleted.deleteFile(), a.snapshot,
            a.nextFileId++);
      }
      inserted += file.recordCount();
      fileBytes += file.fileSizeBytes();
      stats.merge(w.table, file, w.fileColumns.get(file.path()));
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
    if (w.deletesCommittedPositions()) {
      deletePositions(c, a, tableId, w);
    }
    // New versions of updated rows count as records, as in the reference, but keep their row ids.
    stats.recordCount += inserted + updated;
    stats.nextRowId += inserted;
    stats.fileSizeBytes += fileBytes;
    stats.write(c, metadata, tableId);
  }

  /** TRUNCATE: retires every data file with its delete file and ends every inlined row. */
  private void truncate(Connection c, Attempt a, long tableId) throws SQLException {
    int files;
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("ducklake_data_file") + " SET end_snapshot = ?"
        + " WHERE table_id = ? AND end_snapshot IS NULL")) {
      ps.setLong(1, a.snapshot);
      ps.setLong(2, tableId);
      files = ps.executeUpdate();
    }
    update(c, "UPDATE " + t("ducklake_delete_file") + " SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
        a.snapshot, tableId);
    if (files > 0) {
      a.changes.add(Change.of(Kind.DELETED_FROM_TABLE, tableId));
    }
    if (InlinedTables.deleteAllRows(c, metadata, tableId, a.snapshot) > 0) {
      a.changes.add(Change.of(Kind.INLINED_DELETE, tableId));
    }
  }

  private void insertDataFile(Connection c, Attempt a, long tableId, TableInfo table, long fileId, WrittenFile file,
      long rowIdStart, Transaction.PartitionValues partition) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_data_file")
        + " VALUES (?, ?, ?, NULL, NULL, ?, ?, 'parquet', ?, ?, ?, ?, ?, NULL, NULL, NULL)")) {
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
      if (partition == null) {
        ps.setNull(10, java.sql.Types.BIGINT);
      } else {
        ps.setLong(10, a.id(partition.partitionId()));
      }
      ps.executeUpdate();
    }
    if (partition != null) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_file_partition_value")
          + " VALUES (?, ?, ?, ?)")) {
        for (int i = 0; i < partition.values().size(); i++) {
          ps.setLong(1, fileId);
          ps.setLong(2, tableId);
          ps.setLong(3, i);
          ps.setString(4, partition.values().get(i));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("ducklake_file_column_stats")
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Map.Entry<Integer, FileColumnStats> e : file.stats().entrySet()) {
        if (e.getKey() == ReadColumn.ROW_ID_FIELD_ID || e.getKey() == ReadColumn.SNAPSHOT_ID_FIELD_ID) {
          continue; // the reference keeps no statistics of the embedded lineage columns
        }
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
        ps.setString(10, s.extraStats());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * How an attempt deletes rows of one data file: by ending the file (every row gone), inline in
   * the catalog (a few rows), or with a delete file already written.
   */
  private record FileDeletion(DataFile file, SortedSet<Long> positions, boolean endsFile,
      DeletedPositions.Written deleteFile) {}

  /**
   * Decides how the attempt committing {@code snapshot} deletes rows and writes its delete files,
   * outside any catalog transaction. It decides on the catalog as of the latest snapshot: a commit
   * in between takes the snapshot id, and the retry decides again. Rows of the files this
   * transaction wrote always go to a delete file. Of a committed file, a file losing every row is
   * ended, a few rows are deleted inline, more go to a delete file that holds all of the file's
   * deleted positions, replacing the previous one (the reference's newest-file-wins rule).
   */
  private void prepareDeletions(long snapshot) {
    deletions.clear();
    dev.mallard.engine.catalog.ScopedOptions lakeOptions = null;
    for (Transaction.TableWrites w : txn.writes.values()) {
      if (w.deletedPositions.isEmpty()) {
        continue;
      }
      if (lakeOptions == null) {
        lakeOptions = options != null ? options : dev.mallard.engine.catalog.ScopedOptions.read(metadata);
      }
      Map<Long, FileDeletion> planned = new java.util.LinkedHashMap<>();
      deletions.put(w, planned);
      for (DataFile local : w.readableFiles) {
        SortedSet<Long> positions = w.deletedPositions.get(local.id());
        if (positions != null) {
          planned.put(local.id(), new FileDeletion(local, positions, false,
              writeDeleteFile(w, lakeOptions, local, positions, snapshot)));
        }
      }
      if (!w.deletesCommittedPositions()) {
        continue;
      }
      Map<Long, DataFile> files = metadata.dataFiles(w.table, txn.startSnapshot().id()).stream()
          .collect(Collectors.toMap(DataFile::id, f -> f));
      int inliningLimit = InlinedTables.limit(catalog, lakeOptions, w.table);
      Map<DataFile, SortedSet<Long>> committed = new java.util.LinkedHashMap<>();
      for (Map.Entry<Long, java.util.TreeSet<Long>> e : w.deletedPositions.entrySet()) {
        if (Transaction.isLocal(e.getKey())) {
          continue;
        }
        DataFile file = files.get(e.getKey());
        if (file == null) {
          throw new ConflictException("Data file " + e.getKey() + " of " + w.table.qualifiedName()
              + " is no longer visible; another transaction removed it");
        }
        committed.put(file, e.getValue());
      }
      Map<Long, Long> alreadyDeleted = metadata.inTransaction("reading deletions of " + w.table.qualifiedName(), c -> {
        Map<Long, Long> counts = new HashMap<>();
        for (DataFile file : committed.keySet()) {
          counts.put(file.id(), DeletedPositions.count(c, metadata, w.table.id(), file));
        }
        return counts;
      });
      for (Map.Entry<DataFile, SortedSet<Long>> e : committed.entrySet()) {
        DataFile file = e.getKey();
        SortedSet<Long> positions = e.getValue();
        boolean endsFile = alreadyDeleted.get(file.id()) + positions.size() >= file.recordCount();
        boolean inline = !endsFile && positions.size() <= inliningLimit;
        planned.put(file.id(), new FileDeletion(file, positions, endsFile,
            endsFile || inline ? null : writeDeleteFile(w, lakeOptions, file, positions, snapshot)));
      }
    }
  }

  private DeletedPositions.Written writeDeleteFile(Transaction.TableWrites w,
      dev.mallard.engine.catalog.ScopedOptions lakeOptions, DataFile file, SortedSet<Long> positions, long snapshot) {
    DeletedPositions.Written written = DeletedPositions.write(catalog, lakeOptions, w.table, file, positions,
        snapshot);
    attemptFiles.add(written.file().path());
    return written;
  }

  /** Records the attempt's deletions of rows of committed data files (see {@link #prepareDeletions}). */
  private void deletePositions(Connection c, Attempt a, long tableId, Transaction.TableWrites w) throws SQLException {
    boolean inline = false;
    boolean viaFiles = false;
    for (FileDeletion d : deletions.get(w).values()) {
      DataFile file = d.file();
      if (Transaction.isLocal(file.id())) {
        continue; // a file this transaction wrote: its deletions are recorded with it
      }
      if (d.endsFile()) {
        update(c, "UPDATE " + t("ducklake_data_file") + " SET end_snapshot = ? WHERE data_file_id = ?",
            a.snapshot, file.id());
        update(c, "UPDATE " + t("ducklake_delete_file") + " SET end_snapshot = ? WHERE data_file_id = ?"
            + " AND end_snapshot IS NULL", a.snapshot, file.id());
        viaFiles = true;
      } else if (d.deleteFile() == null) {
        InlinedTables.deletePositions(c, metadata, tableId, file.id(), d.positions(), a.snapshot);
        inline = true;
      } else {
        DeletedPositions.record(c, metadata, catalog, tableId, w.table, file.id(), d.deleteFile(), a.snapshot,
            a.nextFileId++);
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

  /**
   * When and how often to try again after another writer took the snapshot id. The reference's
   * defaults (10 retries from 100 ms, times 1.5) give up after about 8 s of losing, which a writer
   * among 8 busy processes on 2 cores does reach; waits are capped at {@code maxWaitMillis} and
   * retried for about half a minute instead, so a loser keeps its place without waiting ever longer.
   */
  record RetryPolicy(int maxRetries, long waitMillis, double backoff, long maxWaitMillis) {
    static final RetryPolicy DEFAULT = new RetryPolicy(40, 100, 1.5, 1000);

    void sleep(int attempt) {
      double jitter = ThreadLocalRandom.current().nextDouble(0.5, 1.0);
      long millis = (long) (jitter * Math.min(maxWaitMillis, waitMillis * Math.pow(backoff, attempt)));
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConflictException("Interrupted while waiting to retry a commit");
      }
    }
  }
}
