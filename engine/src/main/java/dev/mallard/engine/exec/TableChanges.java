package dev.mallard.engine.exec;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.DataFileHistory;
import dev.mallard.engine.catalog.DeleteFileHistory;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.InlinedDataTable;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.parquet.DeleteFileReader;
import dev.mallard.engine.parquet.ParquetDataReader;
import dev.mallard.engine.parquet.ReadColumn;
import dev.mallard.engine.parquet.RowGroupFilter;
import dev.mallard.engine.scan.ScanPlanner;
import dev.mallard.engine.scan.ScanTask;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.BigIntVector;

/**
 * DuckLake's change feed ({@code ducklake_table_insertions}, {@code _deletions}, {@code _changes}):
 * the row versions of a table that snapshots {@code start..end} (both included) inserted or
 * deleted, with the table's columns as of {@code end}. Shared by the SQL and Spark front ends.
 *
 * <p>Every row version has the snapshot that inserted it (the data file's {@code begin_snapshot},
 * or per row the {@code _ducklake_internal_snapshot_id} of a partial file, or an inlined row's
 * {@code begin_snapshot}) and perhaps the snapshot that deleted it (the earliest of: its position
 * in any delete file of its data file, with that file's embedded snapshot or else its
 * {@code begin_snapshot}; an inlined file deletion; the data file's {@code end_snapshot}; an inlined
 * row's {@code end_snapshot}). An update is a deletion and an insertion of the same row id in one
 * snapshot, as in the reference. Files merged by compaction keep each row's snapshot and row id,
 * so the feed reads the same before and after compaction.
 */
public final class TableChanges {
  private static final DuckLakeType INT64 = DuckLakeType.of(TypeKind.INT64);

  /** What happened to a row, as DuckDB's {@code change_type} spells it. */
  public enum Kind {
    INSERT, DELETE, UPDATE_PREIMAGE, UPDATE_POSTIMAGE;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One row version that changed.
   *
   * @param snapshotId the snapshot that inserted or deleted it
   * @param values engine values of the table's columns as of the end snapshot, in order
   */
  public record Change(long snapshotId, long rowId, Kind kind, Object[] values) {}

  private final DuckLakeCatalog catalog;
  private final MetadataStore metadata;
  private final TableInfo table;
  private final long start;
  private final long end;

  /** @param table the table as of {@code end}: its columns are the feed's */
  public TableChanges(DuckLakeCatalog catalog, TableInfo table, long start, long end) {
    this.catalog = catalog;
    this.metadata = catalog.metadata();
    this.table = table;
    this.start = start;
    this.end = end;
  }

  /** The row versions inserted by snapshots {@code start..end}, deleted since or not. */
  public List<Change> insertions() {
    return sorted(read(true, false));
  }

  /** The row versions deleted by snapshots {@code start..end}, with the values they had. */
  public List<Change> deletions() {
    return sorted(read(false, true));
  }

  /**
   * Insertions and deletions, where an insertion and a deletion of the same row id by the same
   * snapshot are an update's post- and pre-image.
   */
  public List<Change> changes() {
    List<Change> all = read(true, true);
    Set<List<Long>> inserted = new HashSet<>();
    Set<List<Long>> deleted = new HashSet<>();
    for (Change c : all) {
      (c.kind() == Kind.INSERT ? inserted : deleted).add(List.of(c.snapshotId(), c.rowId()));
    }
    List<Change> out = new ArrayList<>();
    for (Change c : all) {
      List<Long> key = List.of(c.snapshotId(), c.rowId());
      Kind kind = c.kind() == Kind.INSERT ? (deleted.contains(key) ? Kind.UPDATE_POSTIMAGE : Kind.INSERT)
          : (inserted.contains(key) ? Kind.UPDATE_PREIMAGE : Kind.DELETE);
      out.add(new Change(c.snapshotId(), c.rowId(), kind, c.values()));
    }
    return sorted(out);
  }

  private static List<Change> sorted(List<Change> changes) {
    changes.sort(Comparator.comparingLong(Change::snapshotId).thenComparingLong(Change::rowId)
        .thenComparing(Change::kind));
    return changes;
  }

  private List<Change> read(boolean insertions, boolean deletions) {
    if (start > end) {
      return new ArrayList<>();
    }
    List<Change> out = new ArrayList<>();
    readDataFiles(insertions, deletions, out);
    readInlinedRows(insertions, deletions, out);
    return out;
  }

  private void readDataFiles(boolean insertions, boolean deletions, List<Change> out) {
    Map<Long, List<DeleteFileHistory>> deleteFiles = new HashMap<>();
    for (DeleteFileHistory d : metadata.deleteFileHistory(table, end)) {
      deleteFiles.computeIfAbsent(d.dataFileId(), k -> new ArrayList<>()).add(d);
    }
    Map<Long, Map<Long, Long>> inlinedDeletions = metadata.inlinedFileDeletionHistory(table.id(), end);
    for (DataFileHistory history : metadata.dataFileHistory(table, end)) {
      Long ended = history.endSnapshot();
      if (ended != null && ended < start) {
        continue; // every row of it was gone before the range
      }
      List<DeleteFileHistory> deletes = deleteFiles.getOrDefault(history.file().id(), List.of());
      Map<Long, Long> inlined = inlinedDeletions.getOrDefault(history.file().id(), Map.of());
      boolean readInsertions = insertions && history.mayHoldRowsInsertedSince(start);
      // Delete files written by a flush embed each position's snapshot without a partial_max: only
      // reading them tells which snapshots deleted what.
      Map<Long, Long> deletedAt = deletions ? deletedAt(deletes, inlined) : null;
      boolean readDeletions = deletions && ((ended != null && ended <= end)
          || deletedAt.values().stream().anyMatch(s -> s >= start && s <= end));
      if (readInsertions || readDeletions) {
        readDataFile(history, readDeletions ? deletedAt : null, readInsertions, out);
      }
    }
  }

  /** Each deleted position of the file, with the first snapshot that deleted it (up to {@code end}). */
  private Map<Long, Long> deletedAt(List<DeleteFileHistory> deletes, Map<Long, Long> inlined) {
    Map<Long, Long> out = new HashMap<>(inlined);
    for (DeleteFileHistory d : deletes) {
      DeleteFileReader.Deletions read = DeleteFileReader.deletions(catalog.fileIO().newInputFile(d.file().path()),
          d.file().path(), d.file().format(), d.file().beginSnapshot());
      for (int i = 0; i < read.positions().length; i++) {
        out.merge(read.positions()[i], read.snapshotIds()[i], Math::min);
      }
    }
    return out;
  }

  private void readDataFile(DataFileHistory history, Map<Long, Long> deletedAt, boolean insertions,
      List<Change> out) {
    DataFile file = history.file();
    if (file.encryptionKey() != null) {
      throw new UnsupportedFeatureException("Table " + table.qualifiedName()
          + " has encrypted data files; reading encrypted lakes is not supported yet");
    }
    List<ColumnInfo> columns = table.columns();
    List<ReadColumn> read = new ArrayList<>();
    for (ColumnInfo c : columns) {
      read.add(new ReadColumn(Math.toIntExact(c.id()), c.name(), c.type(), c.initialDefault()));
    }
    int rowIdColumn = read.size();
    read.add(new ReadColumn(ReadColumn.ROW_ID_FIELD_ID, "_ducklake_internal_row_id", INT64, null));
    int snapshotColumn = read.size();
    read.add(new ReadColumn(ReadColumn.SNAPSHOT_ID_FIELD_ID, "_ducklake_internal_snapshot_id", INT64, null));
    catalog.scanMetrics().dataFileOpened();
    try (ParquetDataReader reader = ParquetDataReader.open(catalog.fileIO().newInputFile(file.path()), file.path(),
        read, DataFileReader.nameMapping(catalog, file, columns), RowGroupFilter.ALL, catalog.allocator(),
        ScanReader.BATCH_ROWS)) {
      for (Batch next = reader.next(); next != null; next = reader.next()) {
        try (Batch batch = next) {
          BigIntVector rowIds = (BigIntVector) batch.vector(rowIdColumn);
          BigIntVector snapshots = (BigIntVector) batch.vector(snapshotColumn);
          for (int i = 0; i < batch.selectedCount(); i++) {
            int row = batch.selectedRow(i);
            long position = batch.firstRowPosition() + row;
            long insertedAt = insertedAt(history, snapshots, row, position);
            if (insertedAt > end) {
              continue; // a row of a partial file that the end snapshot does not show yet
            }
            Long deleted = deletedAt == null ? null : deletedAt.get(position);
            if (deletedAt != null && history.endSnapshot() != null) {
              deleted = deleted == null ? history.endSnapshot() : Math.min(deleted, history.endSnapshot());
            }
            boolean inserted = insertions && insertedAt >= start;
            boolean removed = deleted != null && deleted >= start && deleted <= end;
            if (!inserted && !removed) {
              continue;
            }
            long rowId = rowIds.isNull(row) ? file.rowIdStart() + position : rowIds.get(row);
            Object[] values = new Object[columns.size()];
            for (int c = 0; c < values.length; c++) {
              values[c] = VectorValues.get(batch.vector(c), row, columns.get(c).type());
            }
            if (inserted) {
              out.add(new Change(insertedAt, rowId, Kind.INSERT, values));
            }
            if (removed) {
              out.add(new Change(deleted, rowId, Kind.DELETE, values));
            }
          }
        }
      }
    }
  }

  private static long insertedAt(DataFileHistory history, BigIntVector snapshots, int row, long position) {
    if (!snapshots.isNull(row)) {
      return snapshots.get(row);
    }
    Long legacy = history.legacyInsertSnapshot(position);
    return legacy != null ? legacy : history.file().beginSnapshot();
  }

  private void readInlinedRows(boolean insertions, boolean deletions, List<Change> out) {
    List<ColumnInfo> columns = table.columns();
    ScanPlanner planner = new ScanPlanner(catalog);
    for (InlinedDataTable inlined : metadata.inlinedDataTables(table.id())) {
      List<String> sources = planner.sourceColumns(table, inlined, columns);
      ScanTask.InlinedRowsTask task = new ScanTask.InlinedRowsTask(inlined, sources);
      List<String> present = new ArrayList<>();
      int[] resultIndex = new int[columns.size()];
      for (int c = 0; c < columns.size(); c++) {
        if (sources.get(c) == null) {
          resultIndex[c] = -1;
        } else {
          present.add(sources.get(c));
          resultIndex[c] = present.size() + 3; // after row id, begin and end snapshot
        }
      }
      List<ColumnInfo> shapes = InlinedRowsReader.sourceShapes(columns, task, metadata);
      metadata.scanInlinedRowVersions(inlined, present, end, rs -> {
        while (rs.next()) {
          long rowId = Long.parseLong(rs.getString(1));
          long begin = Long.parseLong(rs.getString(2));
          String endText = rs.getString(3);
          Long ended = endText == null ? null : Long.parseLong(endText);
          boolean inserted = insertions && begin >= start;
          boolean removed = deletions && ended != null && ended >= start && ended <= end;
          if (!inserted && !removed) {
            continue;
          }
          Object[] values = new Object[columns.size()];
          for (int c = 0; c < values.length; c++) {
            ColumnInfo column = columns.get(c);
            values[c] = resultIndex[c] < 0
                ? (column.initialDefault() == null ? null : Values.parse(column.type(), column.initialDefault()))
                : InlinedRowsReader.read(rs, resultIndex[c], column, shapes.get(c), task);
          }
          if (inserted) {
            out.add(new Change(begin, rowId, Kind.INSERT, values));
          }
          if (removed) {
            out.add(new Change(ended, rowId, Kind.DELETE, values));
          }
        }
      });
    }
  }
}
