package dev.mallard.engine.txn;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.Uuids;
import dev.mallard.engine.catalog.CatalogView;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.SchemaInfo;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.NestedText;
import dev.mallard.engine.exec.ScanReader;
import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.parquet.WrittenFile;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanPlanner;
import dev.mallard.engine.scan.ScanRequest;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Values;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One DuckLake transaction: reads see the snapshot it started from plus its own changes; its
 * changes become one snapshot when it commits, or vanish when it rolls back. Data files are
 * written before the commit, under names no one else uses, so a commit that must be retried never
 * rewrites data. Not thread-safe: one transaction belongs to one connection.
 */
public final class Transaction {
  /** Objects created in a transaction get ids from here until the commit assigns real ones (as in the reference). */
  static final long LOCAL_ID_START = 1_000_000_000_000_000_000L;
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_-]+");

  private final DuckLakeCatalog catalog;
  private final Snapshot start;
  private final CatalogView startView;
  private long nextLocalId = LOCAL_ID_START;

  final List<SchemaInfo> newSchemas = new ArrayList<>();
  final List<TableInfo> newTables = new ArrayList<>();
  final Set<Long> droppedSchemas = new HashSet<>();
  final Set<Long> droppedTables = new HashSet<>();
  final Map<Long, TableWrites> writes = new LinkedHashMap<>();
  /** Committed tables whose definition this transaction changed, by id: their new definition. */
  final Map<Long, TableInfo> alteredTables = new LinkedHashMap<>();
  /** COMMENT ON a table (column id null) or a column: the new comment, null to remove it. */
  final Map<Long, Map<Long, Optional<String>>> comments = new LinkedHashMap<>();
  final List<NewView> newViews = new ArrayList<>();
  /** SET/RESET PARTITIONED BY, by table id: the new spec (no keys for RESET). */
  final Map<Long, Partitioning> newPartitioning = new LinkedHashMap<>();
  /**
   * Specs this transaction set and then replaced after writing files under them, by table id:
   * committed as specs that begin and end at the commit, so that those files' partition ids name
   * a spec (the reference leaves them naming none).
   */
  final Map<Long, List<Partitioning>> replacedPartitioning = new LinkedHashMap<>();
  final Set<Long> droppedViews = new HashSet<>();
  /** Catalog rows written by maintenance operations (merge, rewrite, flush) in this commit. */
  final List<CatalogWork> catalogWork = new ArrayList<>();
  private boolean finished;
  private long rowChanges;

  public Transaction(DuckLakeCatalog catalog) {
    if (catalog.config().readOnly()) {
      throw new UserException("The lake is open read-only; writes are refused");
    }
    if (catalog.config().backend() == dev.mallard.engine.catalog.CatalogConfig.Backend.DUCKDB) {
      throw new UserException(dev.mallard.engine.catalog.CatalogConfig.DUCKDB_FILE_READ_ONLY);
    }
    if (catalog.config().snapshotId() != null || catalog.config().snapshotTime() != null) {
      throw new UserException("The lake is open at a past snapshot; it can only be read");
    }
    catalog.metadata().version().checkWritable();
    this.catalog = catalog;
    this.start = catalog.currentSnapshot();
    this.startView = catalog.view(start);
  }

  public DuckLakeCatalog catalog() {
    return catalog;
  }

  /** The snapshot this transaction started from. */
  public Snapshot startSnapshot() {
    return start;
  }

  /** The schemas and tables as this transaction sees them. */
  public CatalogView view() {
    if (alteredTables.isEmpty()) {
      return startView.with(newSchemas, newTables, droppedSchemas, droppedTables);
    }
    List<TableInfo> tables = new ArrayList<>(newTables);
    tables.addAll(alteredTables.values());
    Set<Long> hidden = new HashSet<>(droppedTables);
    hidden.addAll(alteredTables.keySet());
    return startView.with(newSchemas, tables, droppedSchemas, hidden);
  }

  /** True until the transaction changes something. */
  public boolean isEmpty() {
    return !hasSchemaChanges() && writes.values().stream().allMatch(TableWrites::isEmpty) && catalogWork.isEmpty();
  }

  boolean hasSchemaChanges() {
    return !newSchemas.isEmpty() || !newTables.isEmpty() || !droppedSchemas.isEmpty() || !droppedTables.isEmpty()
        || !alteredTables.isEmpty() || !comments.isEmpty() || !newViews.isEmpty() || !droppedViews.isEmpty()
        || !newPartitioning.isEmpty();
  }

  CatalogView startSnapshotView() {
    return startView;
  }

  /** Whether a table or row id is one this transaction gave out (the row is not committed yet). */
  public static boolean isLocal(long id) {
    return id >= LOCAL_ID_START;
  }

  // ---------------------------------------------------------------- DDL

  public SchemaInfo createSchema(String name, boolean ifNotExists) {
    checkOpen();
    checkName(name, "schema");
    if (view().schema(name).isPresent()) {
      if (ifNotExists) {
        return view().schema(name).get();
      }
      throw new UserException("Schema \"" + name + "\" already exists");
    }
    String path = (PLAIN_NAME.matcher(name).matches() ? name : Uuids.v7().toString()) + "/";
    SchemaInfo schema = new SchemaInfo(nextLocalId++, Uuids.v7().toString(), name, catalog.dataPath() + path);
    newSchemas.add(schema);
    return schema;
  }

  public void dropSchema(String name, boolean ifExists, boolean cascade) {
    checkOpen();
    SchemaInfo schema = view().schema(name).orElse(null);
    if (schema == null) {
      if (ifExists) {
        return;
      }
      throw new UserException("Schema \"" + name + "\" does not exist");
    }
    List<TableInfo> tables = view().tables(schema);
    if (!tables.isEmpty() && !cascade) {
      throw new UserException("Schema \"" + name + "\" is not empty (it has " + tables.size()
          + " tables); use DROP SCHEMA ... CASCADE to drop them too");
    }
    tables.forEach(t -> dropTable(t));
    if (newSchemas.removeIf(s -> s.id() == schema.id())) {
      return;
    }
    droppedSchemas.add(schema.id());
  }

  public TableInfo createTable(String schemaName, String name, List<NewColumn> columns, boolean ifNotExists) {
    checkOpen();
    checkName(name, "table");
    SchemaInfo schema = view().schema(schemaName)
        .orElseThrow(() -> new UserException("Schema \"" + schemaName + "\" does not exist"));
    if (view().table(schema, name).isPresent()) {
      if (ifNotExists) {
        return view().table(schema, name).get();
      }
      throw new UserException("Table \"" + schemaName + "\".\"" + name + "\" already exists");
    }
    if (columns.isEmpty()) {
      throw new UserException("A table needs at least one column");
    }
    Set<String> seen = new HashSet<>();
    for (NewColumn c : columns) {
      checkName(c.name(), "column");
      if (!seen.add(c.name().toLowerCase(java.util.Locale.ROOT))) {
        throw new UserException("Column \"" + c.name() + "\" appears twice in table \"" + name + "\"");
      }
    }
    String path = (PLAIN_NAME.matcher(name).matches() ? name : Uuids.v7().toString()) + "/";
    long[] nextColumnId = {1};
    List<ColumnInfo> infos = new ArrayList<>();
    for (NewColumn c : columns) {
      infos.add(columnInfo(c, nextColumnId));
    }
    TableInfo table = new TableInfo(nextLocalId++, Uuids.v7().toString(), schema, name, schema.path() + path, infos);
    newTables.add(table);
    return table;
  }

  /** Column ids are given depth-first, parents before children, from 1, as the reference does. */
  private static ColumnInfo columnInfo(NewColumn c, long[] nextId) {
    long id = nextId[0]++;
    List<ColumnInfo> children = new ArrayList<>();
    for (NewColumn child : c.children()) {
      children.add(columnInfo(child, nextId));
    }
    // A DEFAULT given at creation also fills rows of files written before, as in the reference.
    return new ColumnInfo(id, c.name(), c.type(), c.nullable(), c.defaultValue(), c.defaultValue(), children);
  }

  public void dropTable(String schemaName, String name, boolean ifExists) {
    checkOpen();
    TableInfo table = view().table(schemaName, name).orElse(null);
    if (table == null) {
      if (ifExists) {
        return;
      }
      throw new UserException("Table \"" + schemaName + "\".\"" + name + "\" does not exist");
    }
    dropTable(table);
  }

  private void dropTable(TableInfo table) {
    writes.remove(table.id());
    alteredTables.remove(table.id());
    comments.remove(table.id());
    if (newTables.removeIf(t -> t.id() == table.id())) {
      return;
    }
    droppedTables.add(table.id());
  }


  // ---------------------------------------------------------------- views

  /** A view created in this transaction. */
  record NewView(long id, String uuid, SchemaInfo schema, String name, String sql, String columnAliases) {}

  /**
   * Creates a view from its SQL text as written (DuckDB keeps unqualified names as written too).
   *
   * @param columnAliases names for the view's columns, or empty
   */
  public void createView(String schemaName, String name, String sql, List<String> columnAliases, boolean orReplace) {
    checkOpen();
    checkName(name, "view");
    SchemaInfo schema = view().schema(schemaName)
        .orElseThrow(() -> new UserException("Schema \"" + schemaName + "\" does not exist"));
    if (view().table(schema, name).isPresent()) {
      throw new UserException("\"" + schemaName + "\".\"" + name + "\" is a table; a view cannot take its name");
    }
    if (viewId(schema, name).isPresent()) {
      if (!orReplace) {
        throw new UserException("View \"" + schemaName + "\".\"" + name + "\" already exists");
      }
      dropView(schemaName, name, false);
    }
    newViews.add(new NewView(nextLocalId++, Uuids.v7().toString(), schema, name, sql,
        ViewRows.aliases(columnAliases)));
  }

  public void dropView(String schemaName, String name, boolean ifExists) {
    checkOpen();
    SchemaInfo schema = view().schema(schemaName).orElse(null);
    Optional<Long> id = schema == null ? Optional.empty() : viewId(schema, name);
    if (id.isEmpty()) {
      if (ifExists) {
        return;
      }
      throw new UserException("View \"" + schemaName + "\".\"" + name + "\" does not exist");
    }
    if (!newViews.removeIf(v -> v.id() == id.get())) {
      droppedViews.add(id.get());
    }
  }

  private Optional<Long> viewId(SchemaInfo schema, String name) {
    for (NewView v : newViews) {
      if (v.schema().id() == schema.id() && v.name().equalsIgnoreCase(name)) {
        return Optional.of(v.id());
      }
    }
    if (isLocal(schema.id())) {
      return Optional.empty();
    }
    return ViewRows.find(catalog.metadata(), schema.id(), name, start.id()).filter(id -> !droppedViews.contains(id));
  }

  // ---------------------------------------------------------------- ALTER TABLE, COMMENT ON

  /** Adds a column at the end; its id follows every id the table ever used, as in the reference. */
  public void addColumn(TableInfo table, NewColumn column, boolean ifNotExists) {
    checkOpen();
    checkName(column.name(), "column");
    if (table.column(column.name()).isPresent()) {
      if (ifNotExists) {
        return;
      }
      throw new UserException("Column \"" + column.name() + "\" already exists in table " + table.qualifiedName());
    }
    long[] nextId = {nextColumnId(table)};
    List<ColumnInfo> columns = new ArrayList<>(table.columns());
    columns.add(columnInfo(column, nextId));
    replace(table, table.name(), columns);
  }

  public void dropColumn(TableInfo table, String name, boolean ifExists) {
    checkOpen();
    ColumnInfo column = table.column(name).orElse(null);
    if (column == null) {
      if (ifExists) {
        return;
      }
      throw noSuchColumn(table, name);
    }
    if (table.columns().size() == 1) {
      throw new UserException("Cannot drop column \"" + name + "\": it is the only column of " + table.qualifiedName());
    }
    List<ColumnInfo> columns = new ArrayList<>(table.columns());
    columns.remove(column);
    replace(table, table.name(), columns);
  }

  public void renameColumn(TableInfo table, String name, String newName) {
    checkOpen();
    checkName(newName, "column");
    ColumnInfo column = table.column(name).orElseThrow(() -> noSuchColumn(table, name));
    table.column(newName).filter(other -> other.id() != column.id()).ifPresent(other -> {
      throw new UserException("Column \"" + newName + "\" already exists in table " + table.qualifiedName());
    });
    changeColumn(table, column, new ColumnInfo(column.id(), newName, column.type(), column.nullable(),
        column.initialDefault(), column.defaultValue(), column.defaultValueType(), column.children()));
  }

  /** Changes a column's type to a wider one, as the reference allows (files keep the old type). */
  public void setColumnType(TableInfo table, String name, DuckLakeType type) {
    checkOpen();
    ColumnInfo column = table.column(name).orElseThrow(() -> noSuchColumn(table, name));
    if (column.type().equals(type)) {
      return;
    }
    if (!TypePromotions.allowed(column.type(), type)) {
      throw new UserException("Cannot change the type of column \"" + name + "\" from " + column.type() + " to " + type
          + ": DuckLake only widens types (e.g. int32 to int64, float32 to float64)");
    }
    changeColumn(table, column, new ColumnInfo(column.id(), column.name(), type, column.nullable(),
        column.initialDefault(), column.defaultValue(), column.defaultValueType(), column.children()));
  }

  /** DROP NOT NULL, or SET NOT NULL, which fails when a visible row holds NULL in the column. */
  public void setNullable(TableInfo table, String name, boolean nullable) {
    checkOpen();
    ColumnInfo column = table.column(name).orElseThrow(() -> noSuchColumn(table, name));
    if (!nullable && column.nullable() && !isLocal(table.id()) && holdsNull(table, column)) {
      throw new UserException("Cannot SET NOT NULL on column \"" + name + "\" of " + table.qualifiedName()
          + ": the column has NULL values");
    }
    changeColumn(table, column, new ColumnInfo(column.id(), column.name(), column.type(), nullable,
        column.initialDefault(), column.defaultValue(), column.defaultValueType(), column.children()));
  }

  /** Whether a row of the committed table, as this transaction started, holds NULL in the column. */
  private boolean holdsNull(TableInfo table, ColumnInfo column) {
    ScanPlan plan = new ScanPlanner(catalog).plan(new ScanRequest(table, start, List.of(),
        List.of(new Predicate.IsNull(new ColumnRef(column.id(), column.name(), column.type()))), 1L));
    try (ScanReader reader = new ScanReader(plan, catalog)) {
      for (Batch next = reader.next(); next != null; next = reader.next()) {
        try (Batch batch = next) {
          if (batch.selectedCount() > 0) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** @param defaultValue DuckDB's text of the new default; null drops it */
  public void setDefault(TableInfo table, String name, String defaultValue) {
    checkOpen();
    ColumnInfo column = table.column(name).orElseThrow(() -> noSuchColumn(table, name));
    changeColumn(table, column, new ColumnInfo(column.id(), column.name(), column.type(), column.nullable(),
        column.initialDefault(), defaultValue, column.children()));
  }

  public void renameTable(TableInfo table, String newName) {
    checkOpen();
    checkName(newName, "table");
    view().table(table.schema(), newName).filter(other -> other.id() != table.id()).ifPresent(other -> {
      throw new UserException("Table \"" + table.schema().name() + "\".\"" + newName + "\" already exists");
    });
    replace(table, newName, table.columns());
  }

  /** COMMENT ON TABLE (column null) or COLUMN; a null comment removes it. */
  public void comment(TableInfo table, String columnName, String comment) {
    checkOpen();
    Long columnId = columnName == null ? null
        : table.column(columnName).orElseThrow(() -> noSuchColumn(table, columnName)).id();
    comments.computeIfAbsent(table.id(), k -> new LinkedHashMap<>()).put(columnId, Optional.ofNullable(comment));
  }

  /**
   * SET PARTITIONED BY: files written from now on are split by these keys; an empty list (RESET)
   * stops partitioning. Files already written, in this transaction too, keep their partitioning.
   *
   * @param transforms per column: identity, year, month, day, hour or bucket(n)
   */
  public void setPartitionedBy(TableInfo table, List<String> columns, List<String> transforms) {
    checkOpen();
    TableWrites w = writes.get(table.id());
    Partitioning replaced = newPartitioning.get(table.id());
    if (replaced != null && w != null
        && w.partitionValues.values().stream().anyMatch(v -> v.partitionId() == replaced.id())) {
      replacedPartitioning.computeIfAbsent(table.id(), k -> new ArrayList<>()).add(replaced);
    }
    newPartitioning.put(table.id(), new Partitioning(nextLocalId++, Partitioning.keys(table, columns, transforms)));
  }

  /** The spec new files of the table are split by, or null. */
  Partitioning partitioning(TableInfo table) {
    Partitioning pending = newPartitioning.get(table.id());
    if (pending != null) {
      return pending.keys().isEmpty() ? null : pending;
    }
    return isLocal(table.id()) ? null : Partitioning.at(catalog.metadata(), table, start.id());
  }

  private void changeColumn(TableInfo table, ColumnInfo column, ColumnInfo changed) {
    List<ColumnInfo> columns = new ArrayList<>(table.columns());
    columns.set(columns.indexOf(column), changed);
    replace(table, table.name(), columns);
  }

  /**
   * Makes {@code table} (as this transaction sees it) have this name and these columns. Rows it
   * already wrote take the new columns as DuckDB's do: files keep theirs, read by column id.
   */
  private void replace(TableInfo table, String name, List<ColumnInfo> columns) {
    TableInfo changed = new TableInfo(table.id(), table.uuid(), table.schema(), name, table.path(), columns);
    TableWrites w = writes.get(table.id());
    if (w != null) {
      w.alter(changed);
    }
    if (isLocal(table.id())) {
      newTables.replaceAll(t -> t.id() == table.id() ? changed : t);
    } else {
      alteredTables.put(table.id(), changed);
    }
  }

  private long nextColumnId(TableInfo table) {
    long max = maxColumnId(table.columns());
    if (!isLocal(table.id())) {
      max = Math.max(max, catalog.metadata().inTransaction("reading column ids", c -> {
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT max(column_id) FROM "
            + catalog.metadata().table("ducklake_column") + " WHERE table_id = ?")) {
          ps.setLong(1, table.id());
          try (java.sql.ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        }
      }));
    }
    return max + 1;
  }

  private static long maxColumnId(List<ColumnInfo> columns) {
    long max = 0;
    for (ColumnInfo c : columns) {
      max = Math.max(max, Math.max(c.id(), maxColumnId(c.children())));
    }
    return max;
  }

  private static UserException noSuchColumn(TableInfo table, String name) {
    return new UserException("Column \"" + name + "\" does not exist in table " + table.qualifiedName());
  }

  // ---------------------------------------------------------------- data

  /** Registers written Parquet files as new rows of the table. */
  public void appendFiles(TableInfo table, List<WrittenFile> files) {
    checkOpen();
    addFiles(writesFor(table), files);
  }

  /** Registers files of one partition of the spec {@code partitioning}. */
  void appendPartitionFiles(TableInfo table, List<WrittenFile> files, Partitioning partitioning, List<String> values) {
    checkOpen();
    TableWrites w = writesFor(table);
    addFiles(w, files);
    for (WrittenFile f : files) {
      w.partitionValues.put(f.path(), new PartitionValues(partitioning.id(), values));
    }
  }

  /**
   * Adds written files, giving each a transaction-local file id and row ids so that scans inside
   * the transaction read them (their real ids come at commit).
   */
  private void addFiles(TableWrites w, List<WrittenFile> files) {
    for (WrittenFile f : files) {
      long fileId = nextLocalId++;
      long rowIdStart = nextLocalId;
      nextLocalId += f.recordCount();
      w.files.add(f);
      w.fileColumns.put(f.path(), w.table.columns());
      w.readableFiles.add(new DataFile(fileId, f.path(), f.recordCount(), f.fileSizeBytes(), f.footerSize(),
          rowIdStart, start.id(), null, null, null, null, null, null));
    }
  }

  /** The partition a file belongs to: its spec's id and its key values. */
  record PartitionValues(long partitionId, List<String> values) {}

  /**
   * Adds rows to be kept inline in the catalog.
   *
   * @param rows engine values (see {@code Values}), one per top-level column, in column order
   */
  public void appendInlined(TableInfo table, List<Object[]> rows) {
    checkOpen();
    TableWrites w = writesFor(table);
    for (Object[] row : rows) {
      w.inlinedRows.put(nextLocalId++, row);
    }
  }

  /**
   * Adds new versions of existing rows, kept inline, under their old row ids (an UPDATE keeps a
   * row's identity, which change feeds rely on).
   */
  public void appendInlinedUpdates(TableInfo table, List<Object[]> rows, long[] rowIds) {
    checkOpen();
    TableWrites w = writesFor(table);
    for (int i = 0; i < rows.size(); i++) {
      if (isLocal(rowIds[i])) {
        w.inlinedRows.put(nextLocalId++, rows.get(i)); // a row this transaction inserted: still an insert
      } else {
        w.updatedRows.put(rowIds[i], rows.get(i));
      }
    }
  }

  /**
   * Deletes rows by address: positions in data files (committed ones, or ones this transaction
   * wrote), and row ids of inlined rows.
   */
  public void delete(TableInfo table, Map<Long, long[]> positionsByDataFile, long[] inlinedRowIds) {
    checkOpen();
    TableWrites w = writesFor(table);
    positionsByDataFile.forEach((file, positions) -> w.deletedPositions
        .computeIfAbsent(file, k -> new java.util.TreeSet<>()).addAll(asList(positions)));
    // A file this transaction wrote that lost every row is never committed, as in the reference.
    for (DataFile file : List.copyOf(w.readableFiles)) {
      java.util.TreeSet<Long> deleted = w.deletedPositions.get(file.id());
      if (deleted != null && deleted.size() >= file.recordCount()) {
        w.deletedPositions.remove(file.id());
        w.readableFiles.remove(file);
        w.partitionValues.remove(file.path());
        List<WrittenFile> gone = w.files.stream().filter(f -> f.path().equals(file.path())).toList();
        w.files.removeAll(gone);
        abortFiles(gone);
      }
    }
    for (long id : inlinedRowIds) {
      if (w.inlinedRows.remove(id) != null) {
        continue; // a row this transaction inserted: it never reaches the catalog
      }
      // A row this transaction updated: its new version goes, and so does the committed one.
      w.updatedRows.remove(id);
      w.deletedInlinedRowIds.add(id);
    }
  }

  /**
   * Deletes every row: the table's data files are retired and its inlined rows ended at commit;
   * rows this transaction added before are forgotten.
   */
  public void truncate(TableInfo table) {
    checkOpen();
    TableWrites w = writesFor(table);
    abortFiles(w.files);
    w.files.clear();
    w.readableFiles.clear();
    w.partitionValues.clear();
    w.inlinedRows.clear();
    w.updatedRows.clear();
    w.deletedPositions.clear();
    w.deletedInlinedRowIds.clear();
    w.truncated = !isLocal(table.id());
  }

  private void abortFiles(List<WrittenFile> files) {
    for (WrittenFile f : files) {
      try {
        catalog.fileIO().delete(f.path());
      } catch (RuntimeException ignored) {
        // Best effort: the file is in no snapshot, and orphan cleanup removes it.
      }
    }
  }

  /**
   * Adds catalog rows a maintenance operation writes in this transaction's snapshot; the files
   * they name must be written before (and are the caller's to delete if the commit fails).
   */
  public void addCatalogWork(CatalogWork work) {
    checkOpen();
    catalogWork.add(work);
  }

  /** What this transaction changed in a table, for scans inside it. */
  public dev.mallard.engine.scan.PendingChanges pendingChanges(TableInfo table) {
    TableWrites w = writes.get(table.id());
    if (w == null || w.isEmpty()) {
      return dev.mallard.engine.scan.PendingChanges.NONE;
    }
    List<Object[]> rows = new ArrayList<>(w.inlinedRows.values());
    List<Long> ids = new ArrayList<>(w.inlinedRows.keySet());
    rows.addAll(w.updatedRows.values());
    ids.addAll(w.updatedRows.keySet());
    Map<Long, Set<Long>> deleted = new LinkedHashMap<>();
    w.deletedPositions.forEach((file, positions) -> deleted.put(file, Set.copyOf(positions)));
    // A row replaced by an UPDATE is hidden wherever its committed version lives.
    Set<Long> hiddenInlined = new HashSet<>(w.deletedInlinedRowIds);
    return new dev.mallard.engine.scan.PendingChanges(List.copyOf(w.readableFiles), rows, ids, deleted, hiddenInlined, w.truncated);
  }

  private static List<Long> asList(long[] values) {
    List<Long> out = new ArrayList<>(values.length);
    for (long v : values) {
      out.add(v);
    }
    return out;
  }

  /** The writes of a table, about to be changed. */
  TableWrites writesFor(TableInfo table) {
    if (droppedTables.contains(table.id())) {
      throw new UserException("Table " + table.qualifiedName() + " was dropped in this transaction");
    }
    rowChanges++;
    return writes.computeIfAbsent(table.id(), id -> new TableWrites(table));
  }

  /**
   * How many times rows were added or deleted so far: a statement that fails after this moved has
   * left part of its changes in the transaction.
   */
  public long rowChanges() {
    return rowChanges;
  }

  // ---------------------------------------------------------------- end

  /**
   * Commits: writes one snapshot with every change, retrying when other writers committed in
   * between and their changes do not conflict. Returns the new snapshot, or the start snapshot
   * when there was nothing to commit.
   */
  public Snapshot commit() {
    checkOpen();
    finished = true;
    if (isEmpty()) {
      return start;
    }
    try {
      return new Committer(catalog, this).commit();
    } catch (RuntimeException e) {
      deleteWrittenFiles();
      throw e;
    }
  }

  /** Forgets every change and deletes the files written for it. */
  public void rollback() {
    if (finished) {
      return;
    }
    finished = true;
    deleteWrittenFiles();
  }

  private void deleteWrittenFiles() {
    for (TableWrites w : writes.values()) {
      abortFiles(w.files);
    }
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("The transaction has already ended");
    }
  }

  /**
   * Names become catalog rows and, for plain names, directory names; names that could climb out of
   * a directory or are empty are refused.
   */
  static void checkName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new UserException("A " + what + " name cannot be empty");
    }
    if (name.contains("/") || name.contains("\\") || name.contains("..") || name.indexOf('\0') >= 0) {
      throw new UserException("Invalid " + what + " name \"" + name + "\": names cannot contain '/', '\\', '..'"
          + " or NUL characters");
    }
  }

  /** What the transaction does to one table's rows. */
  static final class TableWrites {
    /** The table as the transaction sees it now. */
    TableInfo table;
    final List<WrittenFile> files = new ArrayList<>();
    /** The columns each of {@link #files} was written with, by path (ALTER TABLE may have come since). */
    final Map<String, List<ColumnInfo>> fileColumns = new LinkedHashMap<>();
    /** {@link #files} as scans inside the transaction read them. */
    final List<DataFile> readableFiles = new ArrayList<>();
    /** New rows kept inline, by transaction-local row id (their real ids come at commit). */
    final Map<Long, Object[]> inlinedRows = new LinkedHashMap<>();
    final Map<Long, java.util.TreeSet<Long>> deletedPositions = new LinkedHashMap<>();
    final Set<Long> deletedInlinedRowIds = new java.util.TreeSet<>();
    /** New versions of committed rows, by their row id. */
    final Map<Long, Object[]> updatedRows = new LinkedHashMap<>();
    /** Every committed row is deleted (TRUNCATE); applied before this transaction's own rows. */
    boolean truncated;
    /** The partition of each file of a partitioned table, by path. */
    final Map<String, PartitionValues> partitionValues = new LinkedHashMap<>();

    TableWrites(TableInfo table) {
      this.table = table;
    }

    /** Whether rows of committed data files are deleted (not only rows of files written here). */
    boolean deletesCommittedPositions() {
      return deletedPositions.keySet().stream().anyMatch(id -> !isLocal(id));
    }

    /**
     * ALTER TABLE after writing: rows kept in memory take the new columns (an added column holds
     * its initial default, a dropped one is left out, a widened one is widened).
     */
    void alter(TableInfo changed) {
      List<ColumnInfo> before = table.columns();
      inlinedRows.replaceAll((id, row) -> NestedText.evolveRow(before, changed.columns(), row));
      updatedRows.replaceAll((id, row) -> NestedText.evolveRow(before, changed.columns(), row));
      table = changed;
    }

    boolean isEmpty() {
      return !truncated && files.isEmpty() && inlinedRows.isEmpty() && deletedPositions.isEmpty()
          && deletedInlinedRowIds.isEmpty() && updatedRows.isEmpty();
    }
  }
}
