package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanTask;
import java.util.Iterator;

/**
 * Reads a scan plan's tasks one after another as batches. Each batch holds the plan's read
 * columns, with only matching, undeleted rows selected.
 */
public final class ScanReader implements BatchReader {
  /** Rows per batch: large enough to amortize per-batch work, small enough to stay in cache. */
  public static final int BATCH_ROWS = 4096;

  private final ScanPlan plan;
  private final DuckLakeCatalog catalog;
  private final Iterator<ScanTask> tasks;
  private BatchReader current;
  private ScanTask currentTask;

  public ScanReader(ScanPlan plan, DuckLakeCatalog catalog) {
    this.plan = plan;
    this.catalog = catalog;
    this.tasks = plan.tasks().iterator();
  }

  /** Opens a reader for one task; Spark executors use this to read their own tasks. */
  public static BatchReader open(ScanPlan plan, ScanTask task, DuckLakeCatalog catalog) {
    if (task instanceof ScanTask.DataFileTask file) {
      RowCountReader counted = RowCountReader.of(plan, file, BATCH_ROWS);
      return counted != null ? counted : new DataFileReader(plan, file, catalog, BATCH_ROWS);
    }
    if (task instanceof ScanTask.PendingFileTask file) {
      return new DataFileReader(plan, new ScanTask.DataFileTask(file.file(), new long[0]), catalog, BATCH_ROWS, true);
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
    while (true) {
      if (current == null) {
        if (!tasks.hasNext()) {
          return null;
        }
        currentTask = tasks.next();
        current = open(plan, currentTask, catalog);
      }
      Batch batch = current.next();
      if (batch == null) {
        current.close();
        current = null;
      } else if (batch.selectedCount() == 0) {
        batch.close();
      } else {
        return batch;
      }
    }
  }

  /** The task the batch {@link #next} last returned was read from (see {@link RowOrigins}). */
  public ScanTask currentTask() {
    return currentTask;
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
