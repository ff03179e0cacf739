package dev.mallard.spark;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.BatchReader;
import dev.mallard.engine.exec.ScanReader;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanTask;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Reads one input partition on an executor: opens (or reuses) the lake, and reads the task with
 * the engine's {@link ScanReader}, which applies deletions, partial-file windows and the pushed
 * filter. Each engine batch becomes one {@link ColumnarBatch}, valid until the next call.
 */
final class DuckLakePartitionReader implements PartitionReader<ColumnarBatch> {
  private final BatchReader reader;
  private final SparkColumns columns;
  private final BufferAllocator allocator;
  private final String source;
  private final ScanPlan plan;
  private final DuckLakeCatalog catalog;
  /** Null when the scan reads no metadata column. */
  private final MetadataColumns metadata;
  private long remaining;
  private Batch current;
  private ColumnarBatch currentColumns;

  DuckLakePartitionReader(DuckLakeInputPartition partition) {
    DuckLakeCatalog catalog = OpenLakes.get(partition.lake()).catalog();
    ScanTask task = partition.task().toTask();
    boolean withMetadata = !partition.metadataColumns().isEmpty();
    ScanPlan plan = partition.spec().toPlan(task, withMetadata);
    this.plan = plan;
    this.catalog = catalog;
    this.source = DuckLakeBatch.describe(task);
    this.remaining = partition.limit() == null ? Long.MAX_VALUE : partition.limit();
    // Vectors the bridge makes (compacted or converted) are its own, so leaks show per reader.
    this.allocator = catalog.allocator().newChildAllocator("spark-reader " + source, 0, Long.MAX_VALUE);
    this.columns = new SparkColumns(plan.outputColumns().toArray(new ColumnInfo[0]), allocator);
    try {
      this.metadata = withMetadata ? new MetadataColumns(partition.metadataColumns(), task, allocator) : null;
      this.reader = ScanReader.open(plan, task, catalog);
    } catch (RuntimeException e) {
      allocator.close();
      throw e;
    }
  }

  @Override
  public boolean next() {
    release();
    while (remaining > 0) {
      Batch batch = reader.next();
      if (batch == null) {
        return false;
      }
      if (batch.selectedCount() == 0) {
        batch.close();
        continue;
      }
      current = batch;
      int rows = (int) Math.min(remaining, batch.selectedCount());
      if (metadata == null) {
        currentColumns = columns.toColumnarBatch(batch, rows);
      } else {
        ColumnVector[] data = columns.vectors(batch, rows);
        ColumnVector[] extra = metadata.vectors(batch, rows, plan, catalog);
        ColumnVector[] all = java.util.Arrays.copyOf(data, data.length + extra.length);
        System.arraycopy(extra, 0, all, data.length, extra.length);
        currentColumns = new ColumnarBatch(all, rows);
      }
      remaining -= currentColumns.numRows();
      return true;
    }
    return false;
  }

  @Override
  public ColumnarBatch get() {
    return currentColumns;
  }

  private void release() {
    currentColumns = null; // its vectors are the engine batch's or the converter's, closed below
    columns.release();
    if (metadata != null) {
      metadata.release();
    }
    if (current != null) {
      current.close();
      current = null;
    }
  }

  @Override
  public void close() {
    try {
      release();
      reader.close();
    } finally {
      allocator.close();
    }
  }

  @Override
  public String toString() {
    return "DuckLakePartitionReader(" + source + ")";
  }
}
