package dev.mallard.engine.scan;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.InlinedDataTable;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.PartitionKey;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.types.ColumnStats;
import dev.mallard.engine.types.DuckLakeType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a {@link ScanRequest} into a {@link ScanPlan}: lists the table's data files at the
 * snapshot, drops those whose partition values or catalog statistics rule out the filter, attaches deletions, and adds
 * the table's inlined rows. This is the one door every reader (SQL, Spark) comes through.
 */
public final class ScanPlanner {
  private final DuckLakeCatalog catalog;
  private final MetadataStore metadata;
  /** Inlined tables never change their columns, so their mapping to column ids is kept. */
  private final Map<String, Map<Long, String>> inlinedColumnNames = new ConcurrentHashMap<>();

  public ScanPlanner(DuckLakeCatalog catalog) {
    this.catalog = catalog;
    this.metadata = catalog.metadata();
  }

  public ScanPlan plan(ScanRequest request) {
    return plan(request, PendingChanges.NONE);
  }

  /** Plans a scan inside an open transaction: its uncommitted changes to the table show. */
  public ScanPlan plan(ScanRequest request, PendingChanges pending) {
    TableInfo table = request.table();
    long snapshot = request.snapshot().id();
    Predicate filter = conjunction(request.filters());
    List<ColumnInfo> readColumns = readColumns(request, filter);

    SnapshotFilesCache.Files cached = pending.committedRowsDeleted() ? null
        : SnapshotFilesCache.shared().files(catalog, table, snapshot);
    List<DataFile> files = cached == null ? List.of() : cached.files();
    int listed = files.size();
    int prunedByPartition = 0;
    if (filter != null && files.stream().anyMatch(f -> f.partitionId() != null)) {
      int before = files.size();
      files = pruneByPartition(table, files, filter);
      prunedByPartition = before - files.size();
    }
    if (filter != null && !files.isEmpty()) {
      files = pruneByFileStats(cached, files, filter);
    }
    Map<Long, long[]> inlinedDeletions = metadata.inlinedFileDeletions(table.id(), snapshot);

    List<ScanTask> tasks = new ArrayList<>();
    long rowsSoFar = 0;
    for (DataFile file : files) {
      checkReadable(table, file);
      long[] deleted = withPending(inlinedDeletions.getOrDefault(file.id(), new long[0]),
          pending.deletedPositions().get(file.id()));
      tasks.add(new ScanTask.DataFileTask(file, deleted));
      rowsSoFar += liveRowsUpperBound(file, deleted);
      if (filter == null && request.limit() != null && rowsSoFar >= request.limit()) {
        break; // enough rows for the limit, and no filter can reject any of them
      }
    }
    for (InlinedDataTable inlined : pending.committedRowsDeleted() ? List.<InlinedDataTable>of()
        : metadata.inlinedDataTables(table.id())) {
      tasks.add(new ScanTask.InlinedRowsTask(inlined, sourceColumns(table, inlined, readColumns),
          pending.deletedInlinedRowIds()));
    }
    pending.files().forEach(file -> tasks.add(new ScanTask.PendingFileTask(file,
        withPending(new long[0], pending.deletedPositions().get(file.id())))));
    if (!pending.rows().isEmpty()) {
      tasks.add(new ScanTask.PendingRowsTask(pending.rows(), pending.rowIds()));
    }
    catalog.scanMetrics().scanPlanned(listed, listed - files.size(), prunedByPartition);
    return new ScanPlan(table, request.snapshot(), request.columns(), readColumns, filter, tasks,
        request.withRowAddress());
  }

  private static Predicate conjunction(List<Predicate> filters) {
    return switch (filters.size()) {
      case 0 -> null;
      case 1 -> filters.get(0);
      default -> new Predicate.And(filters);
    };
  }

  /** The requested columns, then any other column the filter reads. */
  private static List<ColumnInfo> readColumns(ScanRequest request, Predicate filter) {
    Map<Long, ColumnInfo> out = new LinkedHashMap<>();
    request.columns().forEach(c -> out.put(c.id(), c));
    if (filter != null) {
      for (ColumnRef ref : filter.columns()) {
        if (!out.containsKey(ref.columnId())) {
          ColumnInfo column = request.table().columns().stream().filter(c -> c.id() == ref.columnId()).findFirst()
              .orElseThrow(() -> new IllegalArgumentException("Filter column " + ref + " is not in "
                  + request.table().qualifiedName()));
          out.put(column.id(), column);
        }
      }
    }
    return new ArrayList<>(out.values());
  }

  /**
   * Drops files whose partition values rule out the filter. Each file is judged by the keys of the
   * partitioning it was written under; files without partition values are kept.
   */
  private List<DataFile> pruneByPartition(TableInfo table, List<DataFile> files, Predicate filter) {
    Map<Long, List<PartitionKey>> keysById = metadata.partitionKeysById(table.id());
    Set<Long> filtered = new HashSet<>();
    filter.columns().forEach(c -> filtered.add(c.columnId()));
    if (keysById.values().stream().flatMap(List::stream).noneMatch(k -> filtered.contains(k.columnId()))) {
      return files; // the filter reads no key column: skip reading every file's partition values
    }
    Map<Long, Map<Integer, String>> values = metadata.filePartitionValues(table.id());
    List<DataFile> kept = new ArrayList<>();
    for (DataFile file : files) {
      List<PartitionKey> keys = file.partitionId() == null ? null : keysById.get(file.partitionId());
      Map<Integer, String> fileValues = values.get(file.id());
      if (keys == null || fileValues == null || PartitionPruning.mightMatch(filter, keys, fileValues)) {
        kept.add(file);
      }
    }
    return kept;
  }

  private List<DataFile> pruneByFileStats(SnapshotFilesCache.Files cached, List<DataFile> files, Predicate filter) {
    Map<Long, DuckLakeType> types = new HashMap<>();
    Set<ColumnRef> columns = filter.columns();
    columns.forEach(c -> types.put(c.columnId(), c.type()));
    Map<Long, Map<Long, ColumnStats>> stats = cached.columnStats(metadata, types);
    List<DataFile> kept = new ArrayList<>();
    for (DataFile file : files) {
      // A column with no statistics row (the file predates the column) is unknown: keep the file.
      if (StatsPruning.mightMatch(filter, c -> {
        ColumnStats st = stats.get(c.columnId()).get(file.id());
        return st == null ? null : st.checkedAgainst(file.recordCount());
      })) {
        kept.add(file);
      }
    }
    return kept;
  }

  private static long[] withPending(long[] deleted, java.util.Set<Long> pending) {
    if (pending == null || pending.isEmpty()) {
      return deleted;
    }
    java.util.TreeSet<Long> all = new java.util.TreeSet<>(pending);
    for (long d : deleted) {
      all.add(d);
    }
    return all.stream().mapToLong(Long::longValue).toArray();
  }

  private static long liveRowsUpperBound(DataFile file, long[] inlinedDeletions) {
    if (file.partialMax() != null || file.legacyVisibleRows() != null) {
      return 0; // how many rows are visible is only known after reading the file
    }
    long deleted = inlinedDeletions.length + (file.deleteFile() == null ? 0 : file.deleteFile().deleteCount());
    return Math.max(0, file.recordCount() - deleted);
  }

  private static void checkReadable(TableInfo table, DataFile file) {
    if (file.encryptionKey() != null) {
      throw new UnsupportedFeatureException("Table " + table.qualifiedName()
          + " has encrypted data files; reading encrypted lakes is not supported yet");
    }
    String deleteFormat = file.deleteFile() == null ? null : file.deleteFile().format();
    if (deleteFormat != null && !deleteFormat.equalsIgnoreCase("parquet") && !deleteFormat.equalsIgnoreCase("puffin")) {
      throw new UnsupportedFeatureException("Table " + table.qualifiedName() + " has a delete file in format '"
          + deleteFormat + "'; Mallard reads parquet and puffin delete files");
    }
  }

  /**
   * Maps the columns a scan reads to the column names of an inlined table. The table was written
   * with the columns the DuckLake table had at its schema version, so names are matched by column
   * id as of then: renamed columns still map, and columns added later are missing.
   */
  public List<String> sourceColumns(TableInfo table, InlinedDataTable inlined, List<ColumnInfo> readColumns) {
    Map<Long, String> byId = inlinedColumnNames.computeIfAbsent(inlined.name(), name -> {
      List<String> names = metadata.inlinedColumnNames(inlined);
      List<ColumnInfo> then = metadata.firstSnapshotWithSchemaVersion(inlined.schemaVersion())
          .map(s -> metadata.columnsAt(table.id(), s))
          .orElse(table.columns()); // its snapshots were expired: fall back to today's names
      Map<Long, String> map = new HashMap<>();
      for (ColumnInfo c : then) {
        if (names.contains(c.name())) {
          map.put(c.id(), c.name());
        }
      }
      return map;
    });
    List<String> out = new ArrayList<>();
    for (ColumnInfo c : readColumns) {
      out.add(byId.get(c.id()));
    }
    return out;
  }
}
