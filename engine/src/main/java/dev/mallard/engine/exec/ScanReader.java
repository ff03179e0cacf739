package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanTask;

/**
 * Reads a scan plan's tasks as batches, in task order, decoded ahead on the scan pool (see
 * {@link StagedScan}). Each batch holds the plan's read columns, with only matching, undeleted rows
 * selected.
 */
public final class ScanReader implements BatchReader {
  /** Rows per batch: large enough to amortize per-batch work, small enough to stay in cache. */
  public static final int BATCH_ROWS = 4096;
  /** Files larger than this are read as several tasks, each the row groups of one byte range. */
  public static final long SPLIT_BYTES = 8L << 20;

  private final StagedScan<Batch> scan;

  public ScanReader(ScanPlan plan, DuckLakeCatalog catalog) {
    this(plan, catalog, ScanPool.threads(), SPLIT_BYTES);
  }

  /**
   * A reader with its own degree of read-ahead, for benchmarks and tests; the pool is still the
   * shared one.
   *
   * @param threads how many tasks to read at once (1: one after another, on the caller's thread)
   * @param splitBytes the byte range of a data file one task reads
   */
  public ScanReader(ScanPlan plan, DuckLakeCatalog catalog, int threads, long splitBytes) {
    this.scan = new StagedScan<>(plan, catalog, threads, splitBytes, () -> batch -> batch, Batch::close, () -> {});
  }

  /** Opens a reader for one task; Spark executors use this to read their own tasks. */
  public static BatchReader open(ScanPlan plan, ScanTask task, DuckLakeCatalog catalog) {
    if (task instanceof ScanTask.DataFileTask file) {
      RowCountReader counted = RowCountReader.of(plan, file, BATCH_ROWS);
      return counted != null ? counted : new DataFileReader(plan, file, catalog, BATCH_ROWS);
    }
    if (task instanceof ScanTask.PendingFileTask file) {
      return new DataFileReader(plan, new ScanTask.DataFileTask(file.file(), file.deletedPositions()), catalog, BATCH_ROWS, true);
    }
    if (task instanceof ScanTask.PendingRowsTask pending) {
      return new PendingRowsReader(plan, pending, catalog.allocator(), BATCH_ROWS);
    }
    catalog.scanMetrics().inlinedTableRead();
    return new InlinedRowsReader(plan, (ScanTask.InlinedRowsTask) task, catalog.metadata(), catalog.allocator(),
        BATCH_ROWS);
  }

  @Override
  public Batch next() {
    return scan.next();
  }

  /** The task the batch {@link #next} last returned was read from (see {@link RowOrigins}). */
  public ScanTask currentTask() {
    return scan.currentTask();
  }

  @Override
  public void close() {
    scan.close();
  }
}
