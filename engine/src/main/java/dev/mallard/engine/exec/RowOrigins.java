package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanTask;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;

/**
 * Where a scanned row comes from, for DuckDB's virtual columns {@code snapshot_id} (the snapshot
 * that inserted the row) and {@code filename} (the data file holding it; for rows kept inline in
 * the catalog, the inlined data table's name). Shared by the SQL and Spark front ends; one instance
 * per scan, fed the task each batch was read from.
 */
public final class RowOrigins {
  private final ScanPlan plan;
  private final DuckLakeCatalog catalog;
  /** For each inlined data table read so far: its visible rows' inserting snapshots, by row id. */
  private final Map<String, Map<Long, Long>> inlinedSnapshots = new HashMap<>();

  public RowOrigins(ScanPlan plan, DuckLakeCatalog catalog) {
    this.plan = plan;
    this.catalog = catalog;
  }

  /**
   * The snapshot that inserted the {@code row}-th row of a batch read with row addresses from
   * {@code task}: recorded by the reader in the batch (data files, partial ones row by row), else
   * looked up (inlined rows); null for uncommitted rows.
   */
  public Long snapshotId(ScanTask task, Batch batch, int row) {
    int at = plan.addressColumns() + ScanPlan.ADDRESS_COLUMNS;
    if (batch.vectors().size() > at) {
      BigIntVector recorded = (BigIntVector) batch.vector(at);
      if (!recorded.isNull(row)) {
        return recorded.get(row);
      }
    }
    if (task instanceof ScanTask.InlinedRowsTask inlined) {
      BigIntVector rowIds = (BigIntVector) batch.vector(plan.addressColumns() + 2);
      return inlinedSnapshots.computeIfAbsent(inlined.table().name(), n -> readInlinedSnapshots(inlined))
          .get(rowIds.get(row));
    }
    return null;
  }

  /** The data file's path, or the inlined data table's name; null for uncommitted rows. */
  public static String filename(ScanTask task) {
    if (task instanceof ScanTask.DataFileTask d) {
      return d.file().path();
    }
    if (task instanceof ScanTask.InlinedRowsTask inlined) {
      return inlined.table().name();
    }
    return null;
  }

  private Map<Long, Long> readInlinedSnapshots(ScanTask.InlinedRowsTask task) {
    Map<Long, Long> out = new HashMap<>();
    MetadataStore metadata = catalog.metadata();
    String begin = metadata.version().inlinedMetadataColumn("begin_snapshot");
    metadata.scanInlinedRows(task.table(), List.of(begin), plan.snapshot().id(), rs -> {
      while (rs.next()) {
        out.put(rs.getLong(1), Long.parseLong(rs.getString(2)));
      }
    });
    return out;
  }
}
