package dev.mallard.engine.txn;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.Uuids;
import dev.mallard.engine.catalog.CatalogView;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.SchemaInfo;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.parquet.WrittenFile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private boolean finished;

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
    return startView.with(newSchemas, newTables, droppedSchemas, droppedTables);
  }

  /** True until the transaction changes something. */
  public boolean isEmpty() {
    return newSchemas.isEmpty() && newTables.isEmpty() && droppedSchemas.isEmpty() && droppedTables.isEmpty()
        && writes.values().stream().allMatch(TableWrites::isEmpty);
  }

  boolean hasSchemaChanges() {
    return !newSchemas.isEmpty() || !newTables.isEmpty() || !droppedSchemas.isEmpty() || !droppedTables.isEmpty();
  }

  CatalogView startSnapshotView() {
    return startView;
  }

  static boolean isLocal(long id) {
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
    if (newTables.removeIf(t -> t.id() == table.id())) {
      return;
    }
    droppedTables.add(table.id());
  }

  // ---------------------------------------------------------------- data

  /** Registers written Parquet files as new rows of the table. */
  public void appendFiles(TableInfo table, List<WrittenFile> files) {
    checkOpen();
    writesFor(table).files.addAll(files);
  }

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
   * Deletes rows by address: positions in committed data files, and row ids of committed inlined
   * rows.
   */
  public void delete(TableInfo table, Map<Long, long[]> positionsByDataFile, long[] inlinedRowIds) {
    checkOpen();
    TableWrites w = writesFor(table);
    positionsByDataFile.forEach((file, positions) -> w.deletedPositions
        .computeIfAbsent(file, k -> new java.util.TreeSet<>()).addAll(asList(positions)));
    for (long id : inlinedRowIds) {
      if (w.inlinedRows.remove(id) != null) {
        continue; // a row this transaction inserted: it never reaches the catalog
      }
      // A row this transaction updated: its new version goes, and so does the committed one.
      w.updatedRows.remove(id);
      w.deletedInlinedRowIds.add(id);
    }
  }

  /** What this transaction changed in a table, for scans inside it. */
  public dev.mallard.engine.scan.PendingChanges pendingChanges(TableInfo table) {
    TableWrites w = writes.get(table.id());
    if (w == null || w.isEmpty()) {
      return dev.mallard.engine.scan.PendingChanges.NONE;
    }
    if (!w.files.isEmpty()) {
      throw new dev.mallard.engine.MallardException.UnsupportedFeatureException("Reading table "
          + table.qualifiedName() + " after writing Parquet files to it in the same transaction is not supported"
          + " yet; commit first");
    }
    List<Object[]> rows = new ArrayList<>(w.inlinedRows.values());
    List<Long> ids = new ArrayList<>(w.inlinedRows.keySet());
    rows.addAll(w.updatedRows.values());
    ids.addAll(w.updatedRows.keySet());
    Map<Long, Set<Long>> deleted = new LinkedHashMap<>();
    w.deletedPositions.forEach((file, positions) -> deleted.put(file, Set.copyOf(positions)));
    // A row replaced by an UPDATE is hidden wherever its committed version lives.
    Set<Long> hiddenInlined = new HashSet<>(w.deletedInlinedRowIds);
    return new dev.mallard.engine.scan.PendingChanges(rows, ids, deleted, hiddenInlined);
  }

  private static List<Long> asList(long[] values) {
    List<Long> out = new ArrayList<>(values.length);
    for (long v : values) {
      out.add(v);
    }
    return out;
  }

  TableWrites writesFor(TableInfo table) {
    if (droppedTables.contains(table.id())) {
      throw new UserException("Table " + table.qualifiedName() + " was dropped in this transaction");
    }
    return writes.computeIfAbsent(table.id(), id -> new TableWrites(table));
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
      for (WrittenFile f : w.files) {
        try {
          catalog.fileIO().delete(f.path());
        } catch (RuntimeException ignored) {
          // Best effort: a file left behind is not in the catalog, and orphan cleanup removes it.
        }
      }
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
    final TableInfo table;
    final List<WrittenFile> files = new ArrayList<>();
    /** New rows kept inline, by transaction-local row id (their real ids come at commit). */
    final Map<Long, Object[]> inlinedRows = new LinkedHashMap<>();
    final Map<Long, java.util.TreeSet<Long>> deletedPositions = new LinkedHashMap<>();
    final Set<Long> deletedInlinedRowIds = new java.util.TreeSet<>();
    /** New versions of committed rows, by their row id. */
    final Map<Long, Object[]> updatedRows = new LinkedHashMap<>();

    TableWrites(TableInfo table) {
      this.table = table;
    }

    boolean isEmpty() {
      return files.isEmpty() && inlinedRows.isEmpty() && deletedPositions.isEmpty() && deletedInlinedRowIds.isEmpty()
          && updatedRows.isEmpty();
    }
  }
}
