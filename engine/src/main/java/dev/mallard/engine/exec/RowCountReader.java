package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanTask;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A data file's rows when the scan needs no column of them, only how many there are (as for
 * {@code count(*)} without a filter): the catalog's record count says, so the file is not opened.
 * Only for files all of whose rows are visible: no deletions and no rows newer than the snapshot.
 */
final class RowCountReader implements BatchReader {
  private final int batchRows;
  private long remaining;

  private RowCountReader(long rows, int batchRows) {
    this.remaining = rows;
    this.batchRows = batchRows;
  }

  /** A reader of the task's row count alone, or null when the rows must be read from the file. */
  static RowCountReader of(ScanPlan plan, ScanTask.DataFileTask task, int batchRows) {
    DataFile file = task.file();
    boolean noColumns = plan.readColumns().isEmpty() && plan.filter() == null && !plan.withRowAddress();
    boolean allVisible = task.wholeFile() && file.deleteFile() == null && task.inlinedDeletions().length == 0
        && (file.partialMax() == null || file.partialMax() <= plan.snapshot().id()) && file.legacyVisibleRows() == null;
    return noColumns && allVisible ? new RowCountReader(file.recordCount(), batchRows) : null;
  }

  @Override
  public Batch next() {
    if (remaining == 0) {
      return null;
    }
    int n = (int) Math.min(batchRows, remaining);
    remaining -= n;
    VectorSchemaRoot root = new VectorSchemaRoot(List.<org.apache.arrow.vector.FieldVector>of());
    root.setRowCount(n);
    return new Batch(root, -1);
  }

  @Override
  public void close() {
    remaining = 0;
  }
}
