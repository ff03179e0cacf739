package dev.mallard.engine.scan;

import dev.mallard.engine.ScanMetrics;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.txn.Change;
import dev.mallard.engine.types.ColumnStats;
import dev.mallard.engine.types.DuckLakeType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A process-wide cache of each table's data file list (and, column by column, the files' catalog
 * statistics) as of the newest snapshot a scan read: a lake of many small files otherwise reads
 * thousands of catalog rows for every query.
 *
 * <p>An entry listed at snapshot S serves a read at a snapshot T at or after S after one small query
 * of {@code ducklake_snapshot_changes} (every snapshot after S, also those after T, since a flush,
 * a merge or a delete committed later rewrites what earlier snapshots list: any such change drops
 * the entry): when no snapshot in (S, T] names the table (or only changed
 * its inlined rows, which every scan reads anew), the entry is reused as it is; when they only
 * inserted into it, only the files added since S are read; anything else (a delete, which may
 * rewrite a delete file in place, compaction, ALTER, DROP, a change this class does not know, an
 * expired snapshot in between) reads the whole list again. Reads at a snapshot older than the
 * entry's read the catalog and are not cached. Entries are keyed by the catalog's location and
 * metadata schema and the table's id, uuid and path (which holds the data path): a table dropped
 * and created again under the same name never finds the old table's entry.
 *
 * <p>Bounded by the files its entries hold: {@code -Dmallard.fileListCache.maxFiles} (default
 * 100,000; 0 turns the cache off), least recently used entries leave first.
 */
public final class SnapshotFilesCache {
  /** The most data files the cache holds, over all entries. */
  public static final int MAX_FILES = Integer.getInteger("mallard.fileListCache.maxFiles", 100_000);

  private static final SnapshotFilesCache SHARED = new SnapshotFilesCache(MAX_FILES);

  private record Key(String lake, long tableId, String tableUuid, String tablePath) {}

  private record ColumnKey(long columnId, DuckLakeType type) {}

  private final int maxFiles;
  private final LinkedHashMap<Key, Files> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long filesHeld;

  SnapshotFilesCache(int maxFiles) {
    this.maxFiles = maxFiles;
  }

  public static SnapshotFilesCache shared() {
    return SHARED;
  }

  /**
   * A table's data files visible at a snapshot, with their statistics on demand. Every returned
   * object answers for exactly that snapshot.
   */
  public Files files(DuckLakeCatalog catalog, TableInfo table, long snapshot) {
    MetadataStore metadata = catalog.metadata();
    ScanMetrics metrics = catalog.scanMetrics();
    // 0.3 catalogs' partial files have visible row counts that depend on the snapshot read.
    if (maxFiles <= 0 || !metadata.version().hasPartialMax()) {
      metrics.fileListRead();
      return new Files(table, snapshot, metadata.dataFiles(table, snapshot), Map.of());
    }
    Key key = new Key(catalog.config().backend() + ":" + catalog.config().location() + ":"
        + catalog.config().metadataSchema(), table.id(), table.uuid(), table.path());
    Files cached;
    synchronized (this) {
      cached = entries.get(key);
    }
    if (cached != null && cached.snapshot > snapshot) {
      metrics.fileListRead(); // time travel behind the cached entry: read, keep the newer entry
      return new Files(table, snapshot, metadata.dataFiles(table, snapshot), Map.of());
    }
    Files fresh = cached == null ? null : reusedOrRefreshed(metadata, table, cached, snapshot, metrics);
    if (fresh == null) {
      if (cached != null) {
        remove(key, cached);
      }
      metrics.fileListRead();
      fresh = new Files(table, snapshot, metadata.dataFiles(table, snapshot), Map.of());
    }
    put(key, fresh);
    return fresh;
  }

  /**
   * The entry as it is or brought forward to {@code snapshot}, or null when the whole list must be
   * read again. Every snapshot committed since the entry's is looked at, also those after
   * {@code snapshot}: a flush of inlined rows, a merge or a delete rewrites what earlier snapshots
   * list (a flushed file or a rewritten delete file keeps its old begin_snapshot), and the scan
   * reads the inlined rows and deletions of the catalog as it is now.
   */
  private static Files reusedOrRefreshed(MetadataStore metadata, TableInfo table, Files cached, long snapshot,
      ScanMetrics metrics) {
    Optional<List<String>> since = metadata.changesSince(cached.snapshot);
    int upTo = (int) Math.min(Integer.MAX_VALUE, snapshot - cached.snapshot);
    if (since.isEmpty() || since.get().size() < upTo) {
      return null;
    }
    List<String> changes = since.get().subList(0, upTo);
    if (touch(since.get().subList(upTo, since.get().size()), table.id()) == Touch.REWRITTEN) {
      return null;
    }
    Touch touch = touch(changes, table.id());
    if (touch == Touch.REWRITTEN) {
      return null;
    }
    if (touch == Touch.UNTOUCHED) {
      metrics.fileListReused();
      return snapshot == cached.snapshot ? cached : new Files(table, snapshot, cached.files, cached.stats);
    }
    Set<Long> ended = new HashSet<>(metadata.endedDataFileIds(table.id(), cached.snapshot, snapshot));
    List<DataFile> added = metadata.addedDataFiles(table, cached.snapshot, snapshot);
    List<DataFile> files = withChanges(cached.files, ended, added);
    Map<ColumnKey, Map<Long, ColumnStats>> stats = new ConcurrentHashMap<>();
    if (!cached.stats.isEmpty()) {
      Map<Long, DuckLakeType> types = new HashMap<>();
      cached.stats.keySet().forEach(k -> types.put(k.columnId(), k.type()));
      Map<Long, Map<Long, ColumnStats>> addedStats = metadata.addedFileColumnStats(table.id(), types,
          cached.snapshot, snapshot);
      for (Map.Entry<ColumnKey, Map<Long, ColumnStats>> column : cached.stats.entrySet()) {
        if (!types.get(column.getKey().columnId()).equals(column.getKey().type())) {
          continue; // two types of one column id (an ALTER in between): load on demand
        }
        Map<Long, ColumnStats> merged = new HashMap<>(column.getValue());
        merged.keySet().removeAll(ended);
        addedStats.forEach((fileId, byColumn) -> {
          ColumnStats s = byColumn.get(column.getKey().columnId());
          if (s != null) {
            merged.put(fileId, s);
          }
        });
        stats.put(column.getKey(), merged);
      }
    }
    // An expiry that removed the cached snapshot may also have removed rows the queries above
    // needed to see; a snapshot never comes back, so its presence now vouches for them.
    if (metadata.snapshot(cached.snapshot).isEmpty()) {
      return null;
    }
    metrics.fileListRefreshed();
    return new Files(table, snapshot, files, stats);
  }

  /**
   * The cached files less the ended ones plus the added ones, by id. New files have ids above all
   * older ones (the catalog hands out ids in order), so most often the added ones are appended.
   */
  private static List<DataFile> withChanges(List<DataFile> cached, Set<Long> ended, List<DataFile> added) {
    boolean appended = ended.isEmpty() && (added.isEmpty() || cached.isEmpty()
        || added.get(0).id() > cached.get(cached.size() - 1).id());
    if (appended) {
      List<DataFile> out = new ArrayList<>(cached.size() + added.size());
      out.addAll(cached);
      out.addAll(added);
      return out;
    }
    TreeMap<Long, DataFile> byId = new TreeMap<>();
    cached.forEach(f -> byId.put(f.id(), f));
    ended.forEach(byId::remove);
    added.forEach(f -> byId.put(f.id(), f));
    return new ArrayList<>(byId.values());
  }

  enum Touch { UNTOUCHED, FILES_ADDED, REWRITTEN }

  /** How the snapshots' changes touched the table's file list. */
  static Touch touch(List<String> changes, long tableId) {
    Touch touch = Touch.UNTOUCHED;
    for (String text : changes) {
      List<Change> parsed;
      try {
        parsed = Change.parse(text);
      } catch (RuntimeException e) {
        return Touch.REWRITTEN; // a change this version does not know
      }
      for (Change change : parsed) {
        switch (change.kind()) {
          case CREATED_SCHEMA, CREATED_TABLE, CREATED_VIEW, CREATED_SCALAR_MACRO, CREATED_TABLE_MACRO -> {
            continue; // a new object has a new id
          }
          case DROPPED_SCHEMA -> {
            return Touch.REWRITTEN;
          }
          default -> { }
        }
        long id;
        try {
          id = change.id();
        } catch (NumberFormatException e) {
          return Touch.REWRITTEN;
        }
        if (id != tableId) {
          continue;
        }
        switch (change.kind()) {
          // Inlined rows and inlined deletions are read by every scan, not cached. A delete may
          // rewrite a delete file in place under its old begin_snapshot (DuckDB 1.5 does), so
          // only inserts are brought forward from the cached list.
          case INSERTED_INTO_TABLE -> touch = Touch.FILES_ADDED;
          case INLINED_INSERT, INLINED_DELETE -> { }
          default -> {
            return Touch.REWRITTEN;
          }
        }
      }
    }
    return touch;
  }

  private synchronized void remove(Key key, Files stale) {
    if (entries.get(key) == stale) {
      entries.remove(key);
      filesHeld -= stale.files.size();
    }
  }

  private synchronized void put(Key key, Files files) {
    Files old = entries.get(key);
    if (old != null && old.snapshot > files.snapshot) {
      return; // another scan cached a newer list meanwhile
    }
    if (old != null) {
      filesHeld -= old.files.size();
    }
    if (files.files.size() > maxFiles) {
      entries.remove(key);
      return;
    }
    entries.put(key, files);
    filesHeld += files.files.size();
    Iterator<Map.Entry<Key, Files>> eldest = entries.entrySet().iterator();
    while (filesHeld > maxFiles && eldest.hasNext()) {
      Map.Entry<Key, Files> e = eldest.next();
      if (e.getKey().equals(key)) {
        continue;
      }
      filesHeld -= e.getValue().files.size();
      eldest.remove();
    }
  }

  /** Empties the cache (for tests). */
  synchronized void clear() {
    entries.clear();
    filesHeld = 0;
  }

  /** A table's data files at one snapshot, and their catalog statistics, loaded column by column. */
  public static final class Files {
    private final TableInfo table;
    private final long snapshot;
    private final List<DataFile> files;
    private final Map<ColumnKey, Map<Long, ColumnStats>> stats;

    private Files(TableInfo table, long snapshot, List<DataFile> files, Map<ColumnKey, Map<Long, ColumnStats>> stats) {
      this.table = table;
      this.snapshot = snapshot;
      this.files = List.copyOf(files);
      this.stats = stats instanceof ConcurrentHashMap ? stats : new ConcurrentHashMap<>(stats);
    }

    /** The snapshot this list is of. */
    public long snapshot() {
      return snapshot;
    }

    /** The data files, by id. */
    public List<DataFile> files() {
      return files;
    }

    /**
     * The statistics of the given columns: column id to data file id to statistics. A file without
     * a statistics row of a column (written before the column existed) has no entry.
     */
    public Map<Long, Map<Long, ColumnStats>> columnStats(MetadataStore metadata, Map<Long, DuckLakeType> types) {
      Map<Long, DuckLakeType> missing = new HashMap<>();
      types.forEach((id, type) -> {
        if (!stats.containsKey(new ColumnKey(id, type))) {
          missing.put(id, type);
        }
      });
      if (!missing.isEmpty()) {
        Set<Long> visible = new HashSet<>();
        files.forEach(f -> visible.add(f.id()));
        Map<Long, Map<Long, ColumnStats>> byColumn = new HashMap<>();
        missing.keySet().forEach(id -> byColumn.put(id, new HashMap<>()));
        metadata.fileColumnStats(table.id(), missing).forEach((fileId, columns) -> {
          if (visible.contains(fileId)) {
            columns.forEach((columnId, s) -> byColumn.get(columnId).put(fileId, s));
          }
        });
        missing.forEach((id, type) -> stats.putIfAbsent(new ColumnKey(id, type), byColumn.get(id)));
      }
      Map<Long, Map<Long, ColumnStats>> out = new HashMap<>();
      types.forEach((id, type) -> out.put(id, stats.get(new ColumnKey(id, type))));
      return out;
    }
  }
}
