package dev.mallard.spark;

import dev.mallard.engine.scan.ScanTask;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/**
 * The scan's tasks as Spark input partitions: one per data file, or, for a file larger than
 * {@code spark.sql.files.maxPartitionBytes}, one per byte range of that size (each reads the row
 * groups whose middle lies in its range); and one per inlined data table. Spark parallelises only
 * over input partitions, so this is the unit of parallelism.
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
    // Splits of one file would share its partition key; Spark's key-grouped scans want one each.
    long splitBytes = keys == null ? maxSplitBytes() : Long.MAX_VALUE;
    List<InputPartition> out = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      for (ScanTask task : split(tasks.get(i), splitBytes)) {
        out.add(new DuckLakeInputPartition(scan.lake(), spec, PlanForms.TaskForm.of(task), scan.limit(),
            scan.metadataColumns(), keys == null ? null : keys.keys().get(i)));
      }
    }
    return out.toArray(InputPartition[]::new);
  }

  static List<ScanTask> split(ScanTask task, long splitBytes) {
    if (!(task instanceof ScanTask.DataFileTask d) || d.file().fileSizeBytes() <= splitBytes) {
      return List.of(task);
    }
    List<ScanTask> parts = new ArrayList<>();
    for (long start = 0; start < d.file().fileSizeBytes(); start += splitBytes) {
      boolean last = start + splitBytes >= d.file().fileSizeBytes();
      parts.add(d.split(start, last ? Long.MAX_VALUE : start + splitBytes));
    }
    return parts;
  }

  private static long maxSplitBytes() {
    scala.Option<SparkSession> session = SparkSession.getActiveSession();
    if (session.isEmpty()) {
      session = SparkSession.getDefaultSession();
    }
    String size = session.isEmpty() ? "128m" : session.get().conf().get("spark.sql.files.maxPartitionBytes", "128m");
    return Math.max(1, JavaUtils.byteStringAsBytes(size));
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
