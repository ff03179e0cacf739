package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.DeleteFile;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.NameMapping;
import dev.mallard.engine.parquet.DeleteFileReader;
import dev.mallard.engine.parquet.ParquetDataReader;
import dev.mallard.engine.parquet.ReadColumn;
import dev.mallard.engine.parquet.RowGroupFilter;
import dev.mallard.engine.scan.RowGroupPruner;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanTask;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.BigIntVector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one data file of a scan: its rows minus those deleted as of the scan's snapshot (through
 * its delete file or inline in the catalog), minus, in partial files, rows newer than the snapshot,
 * minus rows the filter rejects.
 */
final class DataFileReader implements BatchReader {
  private static final Logger LOG = LoggerFactory.getLogger(DataFileReader.class);
  private static final DuckLakeType INT64 = DuckLakeType.of(TypeKind.INT64);

  private final DuckLakeCatalog catalog;
  private final ParquetDataReader reader;
  private final long[] deleted;
  private final long visibleRows;
  private final int snapshotColumn;
  private final boolean newerRowsHidden;
  private final long snapshotId;
  private final boolean uncommitted;
  private final RowFilter filter;
  private final boolean withRowAddress;
  private final int readCount;
  private final int rowIdColumn;
  private final DataFile file;
  private long lateValuesReported;

  DataFileReader(ScanPlan plan, ScanTask.DataFileTask task, DuckLakeCatalog catalog, int batchRows) {
    this(plan, task, catalog, batchRows, false);
  }

  /** @param uncommitted the file was written by the open transaction reading it: its rows have no snapshot yet */
  DataFileReader(ScanPlan plan, ScanTask.DataFileTask task, DuckLakeCatalog catalog, int batchRows,
      boolean uncommitted) {
    this.uncommitted = uncommitted;
    this.catalog = catalog;
    DataFile file = task.file();
    this.snapshotId = plan.snapshot().id();
    this.deleted = deletedPositions(file, task.inlinedDeletions());
    this.visibleRows = file.legacyVisibleRows() == null ? Long.MAX_VALUE : file.legacyVisibleRows();

    List<ReadColumn> columns = new ArrayList<>();
    for (ColumnInfo c : plan.readColumns()) {
      columns.add(readColumn(c));
    }
    // Rows of a partial file newer than the snapshot are not visible at it; and each row's
    // snapshot_id is its own.
    this.newerRowsHidden = file.partialMax() != null && file.partialMax() > snapshotId;
    boolean readSnapshots = newerRowsHidden || (file.partialMax() != null && plan.withRowAddress());
    this.snapshotColumn = readSnapshots ? columns.size() : -1;
    if (readSnapshots) {
      columns.add(new ReadColumn(ReadColumn.SNAPSHOT_ID_FIELD_ID, "_ducklake_internal_snapshot_id", INT64, null));
    }
    this.file = file;
    this.withRowAddress = plan.withRowAddress();
    this.readCount = plan.readColumns().size();
    // Rewritten files carry each row's id; others number their rows from row_id_start.
    this.rowIdColumn = withRowAddress ? columns.size() : -1;
    if (withRowAddress) {
      columns.add(new ReadColumn(ReadColumn.ROW_ID_FIELD_ID, "_ducklake_internal_row_id", INT64, null));
    }
    RowGroupFilter rowGroups = plan.filter() == null ? RowGroupFilter.ALL : new RowGroupPruner(plan.filter());
    catalog.scanMetrics().dataFileOpened();
    this.reader = ParquetDataReader.open(catalog.fileIO().newInputFile(file.path()), file.path(), columns,
        nameMapping(catalog, file, plan.table().columns()), rowGroups, catalog.allocator(), batchRows);
    reader.restrictToByteRange(task.splitStart(), task.splitEnd());
    this.filter = new RowFilter(plan.filter(), plan.readColumns(), plan.keyFilters());
    if (plan.filter() != null || !plan.keyFilters().isEmpty() || deleted.length > 0 || newerRowsHidden
        || visibleRows != Long.MAX_VALUE) {
      reader.selectRows(this::selectLiveRows, selectorColumns(plan));
    }
  }

  /**
   * The columns {@link #selectLiveRows} reads: the filter's, the key filters' and, where newer rows
   * are hidden, the rows' snapshots. The reader decodes the others only at the rows it keeps.
   */
  private Set<Integer> selectorColumns(ScanPlan plan) {
    Set<Integer> read = new HashSet<>();
    plan.keyFilters().forEach(k -> read.add(k.column()));
    if (plan.filter() != null) {
      Set<Long> ids = new HashSet<>();
      plan.filter().columns().forEach(ref -> ids.add(ref.columnId()));
      for (int i = 0; i < plan.readColumns().size(); i++) {
        if (ids.contains(plan.readColumns().get(i).id())) {
          read.add(i);
        }
      }
    }
    if (newerRowsHidden) {
      read.add(snapshotColumn);
    }
    return read;
  }

  /** Drops the rows deleted, newer than the snapshot, or rejected by the filter. */
  private void selectLiveRows(Batch batch) {
    long first = batch.firstRowPosition();
    if (deleted.length > 0 || newerRowsHidden || first + batch.rowCount() > visibleRows) {
      dropInvisibleRows(batch, first);
    }
    filter.apply(batch);
  }

  /** Drops the rows deleted, newer than the snapshot, or past the file's visible rows. */
  private void dropInvisibleRows(Batch batch, long first) {
    BigIntVector snapshots = snapshotColumn < 0 ? null : (BigIntVector) batch.vector(snapshotColumn);
    batch.retain(row -> {
      long position = first + row;
      return position < visibleRows
          && Arrays.binarySearch(deleted, position) < 0
          && (!newerRowsHidden || snapshots.isNull(row) || snapshots.get(row) <= snapshotId);
    });
  }

  /**
   * The name mapping of a file registered with ducklake_add_data_files; for other files, the
   * positional mapping DuckDB applies should the file have no field ids.
   */
  static NameMapping nameMapping(DuckLakeCatalog catalog, DataFile file, List<ColumnInfo> tableColumns) {
    return file.mappingId() == null ? NameMapping.byPosition(tableColumns) : catalog.nameMapping(file.mappingId());
  }

  /** A column and, for nested types, its children, each found by its own field id. */
  static ReadColumn readColumn(ColumnInfo c) {
    List<ReadColumn> children = new ArrayList<>();
    for (ColumnInfo child : c.children()) {
      children.add(readColumn(child));
    }
    return new ReadColumn(Math.toIntExact(c.id()), c.name(), c.type(), c.initialDefault(), children);
  }

  private long[] deletedPositions(DataFile file, long[] inlined) {
    DeleteFile delete = file.deleteFile();
    long[] fromFile = delete == null ? new long[0]
        : DeleteFileReader.deletedPositions(catalog.fileIO().newInputFile(delete.path()), delete.path(),
            delete.format(), snapshotId);
    if (inlined.length == 0) {
      return fromFile;
    }
    long[] all = Arrays.copyOf(fromFile, fromFile.length + inlined.length);
    System.arraycopy(inlined, 0, all, fromFile.length, inlined.length);
    Arrays.sort(all);
    long[] distinct = Arrays.stream(all).distinct().toArray();
    if (distinct.length < all.length) {
      // DuckDB 1.5.1 copied inline deletions into the next delete file and kept them inline too
      // (ducklake issue #865); DuckDB's own reader then skips later deletions (issue #1084).
      // A position deleted twice is still deleted once: read what the statements meant.
      LOG.warn("Data file {} has {} deleted positions recorded both in its delete file and inline in the catalog;"
          + " DuckDB may read this file differently (ducklake issues #865, #1084)", file.path(),
          all.length - distinct.length);
    }
    return distinct;
  }

  @Override
  public Batch next() {
    Batch batch = reader.next();
    if (batch == null) {
      catalog.scanMetrics().rowGroups(reader.rowGroupsRead(), reader.rowGroupsSkipped());
      catalog.scanMetrics().pagesSkipped(reader.pagesSkipped());
      return null;
    }
    catalog.scanMetrics().lateValuesSkipped(reader.lateValuesSkipped() - lateValuesReported);
    lateValuesReported = reader.lateValuesSkipped();
    if (!withRowAddress) {
      return batch;
    }
    long first = batch.firstRowPosition();
    BigIntVector snapshots = snapshotColumn < 0 ? null : (BigIntVector) batch.vector(snapshotColumn);
    BigIntVector embedded = (BigIntVector) batch.vector(rowIdColumn);
    return RowAddresses.append(batch, readCount, new RowAddresses.Source() {
      @Override
      public Long fileId(int row) {
        return file.id();
      }

      @Override
      public long position(int row) {
        return first + row;
      }

      @Override
      public long rowId(int row) {
        return embedded.isNull(row) ? file.rowIdStart() + first + row : embedded.get(row);
      }

      @Override
      public Long snapshotId(int row) {
        if (uncommitted) {
          return null;
        }
        return snapshots == null || snapshots.isNull(row) ? file.beginSnapshot() : snapshots.get(row);
      }
    }, catalog.allocator());
  }

  @Override
  public void close() {
    reader.close();
  }
}
