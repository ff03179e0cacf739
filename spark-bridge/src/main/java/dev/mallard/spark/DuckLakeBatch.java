package dev.mallard.spark;

import dev.mallard.engine.scan.ScanTask;
import java.util.List;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/**
 * The scan's tasks as Spark input partitions: one per data file, one per inlined data table.
 * Spark parallelises only over input partitions, so this is the unit of parallelism.
 */
final class DuckLakeBatch implements Batch {
  private final DuckLakeScan scan;

  DuckLakeBatch(DuckLakeScan scan) {
    this.scan = scan;
  }

  /** Read from the scan each time: after runtime filtering Spark asks again and gets fewer. */
  @Override
  public InputPartition[] planInputPartitions() {
    PlanForms.ReadSpec spec = scan.spec();
    List<ScanTask> tasks = scan.tasks();
    PartitionKeys keys = scan.partitionKeys();
    InputPartition[] out = new InputPartition[tasks.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new DuckLakeInputPartition(scan.lake(), spec, PlanForms.TaskForm.of(tasks.get(i)), scan.limit(),
          scan.metadataColumns(), keys == null ? null : keys.keys().get(i));
    }
    return out;
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new DuckLakeReaderFactory();
  }

  /** Equal scans make equal batches, which lets Spark reuse exchanges over them. */
  @Override
  public boolean equals(Object o) {
    return o instanceof DuckLakeBatch b && b.scan.equals(scan);
  }

  @Override
  public int hashCode() {
    return scan.hashCode();
  }

  static String describe(ScanTask task) {
    return task instanceof ScanTask.DataFileTask d ? d.file().path()
        : "inlined rows " + ((ScanTask.InlinedRowsTask) task).table().name();
  }
}
