package dev.mallard.maintenance;

import dev.mallard.engine.MallardException.ConflictException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.parquet.ParquetDataReader;
import dev.mallard.engine.parquet.ParquetDataWriter;
import dev.mallard.engine.parquet.ReadColumn;
import dev.mallard.engine.parquet.RowGroupFilter;
import dev.mallard.engine.parquet.WriterOptions;
import dev.mallard.engine.parquet.WrittenFile;
import dev.mallard.engine.txn.Change;
import dev.mallard.engine.txn.MaintenanceRows;
import dev.mallard.engine.txn.Transaction;
import dev.mallard.engine.txn.WriterSettings;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.vector.BigIntVector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ducklake_merge_adjacent_files}: merges a table's small files (smaller than the target file
 * size, without deletes) into one file per group, as the reference does: groups of files taken in
 * order of their first snapshot and row ids, grown while that brings the group closer to the target
 * size. The merged file is a partial file: each row carries the snapshot that inserted it
 * ({@code _ducklake_internal_snapshot_id}), and its row id ({@code _ducklake_internal_row_id}) unless
 * the sources' row ids are contiguous, so time travel, {@code rowid} and change feeds read the same.
 * The sources leave the catalog and are scheduled for deletion. Each group is one commit
 * ({@code merge_adjacent:<table id>}) of at most {@link #maxFilesPerCommit} files; passes repeat
 * until nothing is left to merge, so thousands of small files end in as few as the target allows.
 * Files are merged only with files of the same partition (same {@code partition_id} and values);
 * the merged file keeps them and goes in its sources' directory. The target size and the Parquet
 * settings are the table's options (else its schema's, else the lake's), as in the reference.
 *
 * <p>A merge yields to writers: a group whose files got deletes meanwhile is skipped (reported in
 * the log), the rest go on. Inserts never clash with a merge.
 */
public final class MergeAdjacentFiles
    extends TableOperation<MergeAdjacentFiles, List<MergeAdjacentFiles.Result>> {
  private static final Logger LOG = LoggerFactory.getLogger(MergeAdjacentFiles.class);
  private static final DuckLakeType INT64 = DuckLakeType.of(TypeKind.INT64);

  /** One merge (one commit), or in a dry run one planned merge. */
  public record Result(String schemaName, String tableName, long filesProcessed, long filesCreated) {}

  private Long targetFileSize;
  private Long minFileSize;
  private Long maxFileSize;
  private long maxCompactedFiles = Long.MAX_VALUE;
  private int maxFilesPerCommit = 1000;

  MergeAdjacentFiles(DuckLakeCatalog catalog) {
    super(catalog, "merge_adjacent_files");
  }

  /** Bytes a merged file aims at; default the lake's {@code target_file_size} option, else 512 MB. */
  public MergeAdjacentFiles targetFileSize(long bytes) {
    this.targetFileSize = bytes;
    return this;
  }

  /** Only files of at least this size take part. */
  public MergeAdjacentFiles minFileSize(long bytes) {
    this.minFileSize = bytes;
    return this;
  }

  /** Only files smaller than this take part (default: the target size). */
  public MergeAdjacentFiles maxFileSize(long bytes) {
    this.maxFileSize = bytes;
    return this;
  }

  /** At most this many source files in all (the reference's {@code max_compacted_files}). */
  public MergeAdjacentFiles maxCompactedFiles(long files) {
    if (files <= 0) {
      throw new dev.mallard.engine.MallardException.UserException("max_compacted_files must be positive");
    }
    this.maxCompactedFiles = files;
    return this;
  }

  /** At most this many source files in one commit. */
  public MergeAdjacentFiles maxFilesPerCommit(int files) {
    this.maxFilesPerCommit = Math.max(2, files);
    return this;
  }

  /** The target size for a table: the argument, else the table's, schema's or lake's {@code target_file_size}. */
  private long target(LakeOptions options, TableInfo table) {
    return targetFileSize != null ? targetFileSize
        : options.bytes("target_file_size", table, WriterOptions.DEFAULT_TARGET_FILE_SIZE);
  }

  @Override
  protected List<Result> run() {
    List<Result> out = new ArrayList<>();
    long budget = maxCompactedFiles;
    boolean firstPass = true;
    while (budget > 0) {
      Snapshot start = catalog.currentSnapshot();
      LakeOptions options = new LakeOptions(catalog);
      List<Group> groups = new ArrayList<>();
      for (TableInfo table : selection.resolve(catalog.view(start))) {
        groups.addAll(plan(table, start, options, firstPass));
      }
      firstPass = false;
      List<Group> chosen = new ArrayList<>();
      long planned = 0;
      for (Group g : groups) {
        if (planned + g.files.size() > budget) {
          break;
        }
        chosen.add(g);
        planned += g.files.size();
      }
      if (chosen.isEmpty()) {
        break;
      }
      if (dryRun) {
        chosen.forEach(g -> out.add(g.result(1)));
        break; // later passes depend on what this one writes
      }
      long merged = 0;
      int done = 0;
      for (Group g : chosen) {
        Result r = merge(g);
        done++;
        if (r != null) {
          out.add(r);
          merged += g.files.size();
          budget -= g.files.size();
        }
        report(done, chosen.size(), "merges", g.table.qualifiedName() + ": " + g.files.size() + " files");
      }
      if (merged == 0) {
        break; // everything left yielded to writers; a later run picks it up
      }
    }
    return out;
  }

  /**
   * Files merged into one: all of one partition ({@code partitionId} null and no values for files
   * written while the table was not partitioned), written with the table's writer options.
   */
  private record Group(TableInfo table, List<DataFile> files, Partition partition, WriterOptions writerOptions) {
    Result result(long created) {
      return new Result(table.schema().name(), table.name(), files.size(), created);
    }
  }

  /** A file's partition as the catalog records it: the spec's id and the value (text, or null) of each key. */
  record Partition(Long partitionId, List<String> values) {
    static final Partition NONE = new Partition(null, List.of());

    static Partition of(DataFile f, Map<Long, Map<Integer, String>> valuesByFile) {
      if (f.partitionId() == null) {
        return NONE;
      }
      Map<Integer, String> byKey = valuesByFile.getOrDefault(f.id(), Map.of());
      List<String> values = new ArrayList<>();
      for (int k = 0; k < byKey.size(); k++) {
        values.add(byKey.get(k));
      }
      return new Partition(f.partitionId(), java.util.Collections.unmodifiableList(values));
    }
  }

  private List<Group> plan(TableInfo table, Snapshot at, LakeOptions options, boolean tellSkips) {
    if (!options.autoCompact(table)) {
      skipped(tellSkips, table, "its auto_compact option is false");
      return List.of();
    }
    long target = target(options, table);
    WriterOptions writerOptions = WriterSettings.of(options.forTable(table)).withTargetFileSizeBytes(Long.MAX_VALUE);
    long maxSize = maxFileSize != null ? maxFileSize : target;
    Map<Long, long[]> inlinedDeletes = catalog.metadata().inlinedFileDeletions(table.id(), at.id());
    Map<Long, Boolean> compatibleAt = new HashMap<>();
    Map<Long, Map<Integer, String>> partitionValues = null;
    Map<Partition, List<DataFile>> candidates = new LinkedHashMap<>();
    int mapped = 0;
    int encrypted = 0;
    for (DataFile f : catalog.metadata().dataFiles(table, at.id())) {
      if (f.deleteFile() != null || inlinedDeletes.containsKey(f.id()) || f.fileSizeBytes() >= maxSize
          || f.fileSizeBytes() >= target || (minFileSize != null && f.fileSizeBytes() < minFileSize)
          || f.legacyVisibleRows() != null) {
        continue;
      }
      if (f.mappingId() != null) {
        mapped++;
        continue;
      }
      if (f.encryptionKey() != null) {
        encrypted++;
        continue;
      }
      if (!compatibleAt.computeIfAbsent(f.beginSnapshot(), s -> compatible(table, s))) {
        continue;
      }
      if (f.partitionId() != null && partitionValues == null) {
        partitionValues = catalog.metadata().filePartitionValues(table.id());
      }
      Partition p = Partition.of(f, partitionValues);
      candidates.computeIfAbsent(p, k -> new ArrayList<>()).add(f);
    }
    if (mapped > 0) {
      skipped(tellSkips, table, mapped + " files registered with a name mapping (ducklake_add_data_files) are not"
          + " merged yet");
    }
    if (encrypted > 0) {
      skipped(tellSkips, table, encrypted + " encrypted files are not merged (Mallard does not write encrypted"
          + " files yet)");
    }
    List<Group> groups = new ArrayList<>();
    for (Map.Entry<Partition, List<DataFile>> e : candidates.entrySet()) {
      List<DataFile> files = e.getValue();
      files.sort(Comparator.comparingLong(DataFile::beginSnapshot).thenComparingLong(DataFile::rowIdStart)
          .thenComparingLong(DataFile::id));
      int i = 0;
      while (i < files.size()) {
        long size = 0;
        int j = i;
        while (j < files.size() && j - i < maxFilesPerCommit) {
          long next = files.get(j).fileSizeBytes();
          if (size > 0 && Math.abs(size + next - target) >= Math.abs(size - target)) {
            break; // adding it would move away from the target
          }
          size += next;
          j++;
        }
        if (j - i >= 2) {
          groups.add(new Group(table, List.copyOf(files.subList(i, j)), e.getKey(), writerOptions));
        }
        i = Math.max(j, i + 1);
      }
    }
    return groups;
  }

  private void skipped(boolean tell, TableInfo table, String why) {
    if (tell) {
      LOG.info("merge_adjacent_files skips {}: {}", table.qualifiedName(), why);
      reportSkipped(table.qualifiedName(), why);
    }
  }

  /**
   * Whether a file written at this snapshot can be rewritten under the current columns without
   * losing anything an older snapshot reads: every column it had (struct fields, list elements and
   * map keys and values included) is still there with its type.
   */
  private boolean compatible(TableInfo table, long snapshot) {
    Map<Long, DuckLakeType> now = new HashMap<>();
    Map<Long, DuckLakeType> then = new HashMap<>();
    allColumns(table.columns(), now);
    allColumns(catalog.metadata().columnsAt(table.id(), snapshot), then);
    for (Map.Entry<Long, DuckLakeType> c : then.entrySet()) {
      if (!Objects.equals(now.get(c.getKey()), c.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static void allColumns(List<ColumnInfo> columns, Map<Long, DuckLakeType> out) {
    for (ColumnInfo c : columns) {
      out.put(c.id(), c.type());
      allColumns(c.children(), out);
    }
  }

  /** The column to read from a file, with its children (each found by field id) for nested types. */
  private static ReadColumn readColumn(ColumnInfo c) {
    List<ReadColumn> children = new ArrayList<>();
    for (ColumnInfo child : c.children()) {
      children.add(readColumn(child));
    }
    return new ReadColumn(Math.toIntExact(c.id()), c.name(), c.type(), c.initialDefault(), children);
  }

  private Result merge(Group g) {
    TableInfo table = g.table;
    Transaction txn = new Transaction(catalog);
    List<ColumnInfo> columns = table.columns();
    boolean embedded = false;
    for (DataFile f : g.files) {
      embedded |= hasRowIds(f, columns);
    }
    boolean adjacent = !embedded;
    for (int k = 1; k < g.files.size() && adjacent; k++) {
      DataFile prev = g.files.get(k - 1);
      adjacent = g.files.get(k).rowIdStart() == prev.rowIdStart() + prev.recordCount();
    }
    boolean writeRowIds = !adjacent;
    WrittenFile file;
    try (ParquetDataWriter writer = ParquetDataWriter.open(catalog.fileIO(), directoryOf(table, g.files.get(0)),
        RowBuffer.writeColumns(columns, writeRowIds, true), g.writerOptions);
        RowBuffer buffer = new RowBuffer(columns, writeRowIds, true, catalog.allocator(), writer)) {
      for (DataFile f : g.files) {
        copy(f, columns, buffer);
      }
      buffer.flush();
      List<WrittenFile> written = writer.finish();
      file = written.get(0);
    }
    long begin = g.files.get(0).beginSnapshot();
    long partialMax = g.files.stream().mapToLong(f -> f.partialMax() != null ? f.partialMax() : f.beginSnapshot())
        .max().getAsLong();
    Long rowIdStart = writeRowIds ? null : g.files.get(0).rowIdStart();
    Map<Long, String> sources = new LinkedHashMap<>();
    long sourceBytes = 0;
    for (DataFile f : g.files) {
      sources.put(f.id(), f.path());
      sourceBytes += f.fileSizeBytes();
    }
    long delta = file.fileSizeBytes() - sourceBytes;
    txn.addCatalogWork(ctx -> {
      MaintenanceRows.checkLiveWithoutDeletes(ctx, table, sources.keySet());
      MaintenanceRows.insertDataFile(ctx, table, file, begin, rowIdStart, partialMax, g.partition.partitionId(),
          g.partition.values());
      MaintenanceRows.removeDataFiles(ctx, sources);
      MaintenanceRows.addFileBytes(ctx, table.id(), delta);
      ctx.addChange(Change.of(Change.Kind.MERGE_ADJACENT, table.id()));
    });
    try {
      txn.commit();
      return g.result(1);
    } catch (RuntimeException e) {
      catalog.fileIO().delete(file.path());
      if (e instanceof ConflictException) {
        LOG.warn("Skipping a merge of {} files of {}: {}", g.files.size(), table.qualifiedName(), e.getMessage());
        return null;
      }
      throw e;
    }
  }

  /**
   * Where a merged file goes: the directory of its first source under the table's, which is the
   * partition's directory ({@code year=2024/}) for files written hive-style, else the table's.
   */
  static String directoryOf(TableInfo table, DataFile source) {
    String path = source.path();
    int slash = path.lastIndexOf('/');
    return path.startsWith(table.path()) && slash >= table.path().length() - 1 ? path.substring(0, slash + 1)
        : table.path();
  }

  private boolean hasRowIds(DataFile f, List<ColumnInfo> columns) {
    try (ParquetDataReader r = ParquetDataReader.open(catalog.fileIO().newInputFile(f.path()), f.path(),
        List.of(new ReadColumn(ReadColumn.ROW_ID_FIELD_ID, "_ducklake_internal_row_id", INT64, null)),
        RowGroupFilter.ALL, catalog.allocator(), 1)) {
      return r.hasField(ReadColumn.ROW_ID_FIELD_ID);
    }
  }

  /** Copies a source file's rows, with each row's row id and inserting snapshot. */
  private void copy(DataFile f, List<ColumnInfo> columns, RowBuffer buffer) {
    List<ReadColumn> read = new ArrayList<>();
    for (ColumnInfo c : columns) {
      read.add(readColumn(c));
    }
    read.add(new ReadColumn(ReadColumn.ROW_ID_FIELD_ID, "_ducklake_internal_row_id", INT64, null));
    read.add(new ReadColumn(ReadColumn.SNAPSHOT_ID_FIELD_ID, "_ducklake_internal_snapshot_id", INT64, null));
    int n = columns.size();
    try (ParquetDataReader r = ParquetDataReader.open(catalog.fileIO().newInputFile(f.path()), f.path(), read,
        RowGroupFilter.ALL, catalog.allocator(), RowBuffer.BATCH_ROWS)) {
      for (Batch next = r.next(); next != null; next = r.next()) {
        try (Batch b = next) {
          BigIntVector rowIds = (BigIntVector) b.vector(n);
          BigIntVector snapshots = (BigIntVector) b.vector(n + 1);
          for (int i = 0; i < b.selectedCount(); i++) {
            int row = b.selectedRow(i);
            Object[] values = new Object[n];
            for (int c = 0; c < n; c++) {
              values[c] = VectorValues.get(b.vector(c), row, columns.get(c));
            }
            long position = b.firstRowPosition() + row;
            long rowId = rowIds.isNull(row) ? f.rowIdStart() + position : rowIds.get(row);
            long snapshot = snapshots.isNull(row) ? f.beginSnapshot() : snapshots.get(row);
            buffer.add(values, rowId, snapshot);
          }
        }
      }
    }
  }
}
