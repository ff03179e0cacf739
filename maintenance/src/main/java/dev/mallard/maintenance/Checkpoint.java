package dev.mallard.maintenance;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import java.util.ArrayList;
import java.util.List;

/**
 * DuckLake's {@code CHECKPOINT}: every maintenance step in the reference's order, each with the
 * lake's options: flush inlined data, expire snapshots ({@code expire_older_than}; none if unset),
 * merge adjacent files, rewrite data files, clean up old files and delete orphaned files
 * ({@code delete_older_than}, else 2 days). Each step commits on its own, so a checkpoint stopped
 * half way keeps what the finished steps did. A dry run plans every step against the lake as it is
 * (so a file a dry-run merge would schedule is not listed for cleanup).
 */
public final class Checkpoint extends MaintenanceOperation<Checkpoint, List<Checkpoint.Step>> {
  /** What one step did (or, in a dry run, would do): its name, and how many items. */
  public record Step(String operation, long items, String unit) {}

  Checkpoint(DuckLakeCatalog catalog) {
    super(catalog, "checkpoint");
  }

  @Override
  protected List<Step> run() {
    Maintenance m = Maintenance.of(catalog);
    List<Step> steps = new ArrayList<>();
    ProgressListener forward = p -> report(steps.size(), 6, p.unit(), p.operation() + ": " + p.detail());
    steps.add(new Step("flush_inlined_data", m.flushInlinedData().dryRun(dryRun).progress(forward).commit().stream()
        .mapToLong(FlushInlinedData.Result::rowsFlushed).sum(), "rows"));
    steps.add(new Step("expire_snapshots", m.expireSnapshots().dryRun(dryRun).progress(forward).commit().size(),
        "snapshots"));
    steps.add(new Step("merge_adjacent_files", m.mergeAdjacentFiles().dryRun(dryRun).progress(forward).commit()
        .stream().mapToLong(MergeAdjacentFiles.Result::filesProcessed).sum(), "files"));
    steps.add(new Step("rewrite_data_files", m.rewriteDataFiles().dryRun(dryRun).progress(forward).commit().stream()
        .mapToLong(RewriteDataFiles.Result::filesProcessed).sum(), "files"));
    steps.add(new Step("cleanup_old_files", m.cleanupOldFiles().dryRun(dryRun).progress(forward).commit().size(),
        "files"));
    steps.add(new Step("delete_orphaned_files", m.deleteOrphanedFiles().dryRun(dryRun).progress(forward).commit()
        .size(), "files"));
    report(6, 6, "steps", "done");
    return steps;
  }
}
