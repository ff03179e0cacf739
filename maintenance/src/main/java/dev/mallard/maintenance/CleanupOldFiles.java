package dev.mallard.maintenance;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.txn.ScheduledFiles;
import dev.mallard.engine.txn.ScheduledFiles.Scheduled;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ducklake_cleanup_old_files}: deletes from storage the files the catalog scheduled for
 * deletion (by expiring snapshots, merging or rewriting files) and removes them from the schedule.
 * Only files scheduled before {@link #olderThan} go (default: the lake's {@code delete_older_than}
 * option, else 2 days, as in the reference), or every one with {@link #cleanupAll}. A file is
 * deleted before its row is removed, so a crash leaves at most a row for a missing file, which the
 * next run removes.
 */
public final class CleanupOldFiles extends MaintenanceOperation<CleanupOldFiles, List<String>> {
  private Instant olderThan;
  private boolean cleanupAll;
  private int batchSize = 1000;

  CleanupOldFiles(DuckLakeCatalog catalog) {
    super(catalog, "cleanup_old_files");
  }

  public CleanupOldFiles olderThan(Instant time) {
    this.olderThan = time;
    return this;
  }

  public CleanupOldFiles cleanupAll(boolean all) {
    this.cleanupAll = all;
    return this;
  }

  /** How many files one catalog transaction forgets. */
  public CleanupOldFiles batchSize(int files) {
    this.batchSize = Math.max(1, files);
    return this;
  }

  /** The files that would be deleted, with absolute paths. */
  public List<Scheduled> plan() {
    Instant cutoff = cutoff(catalog, olderThan, cleanupAll, "cleanup_old_files");
    return ScheduledFiles.list(catalog).stream()
        .filter(f -> cutoff == null || f.scheduledAt().isBefore(cutoff)).toList();
  }

  /** The time before which files go: the argument, the lake option, or 2 days ago; null for all. */
  static Instant cutoff(DuckLakeCatalog catalog, Instant olderThan, boolean all, String operation) {
    if (all && olderThan != null) {
      throw new UserException(operation + ": give either cleanup_all or older_than, not both");
    }
    if (all) {
      return null;
    }
    if (olderThan != null) {
      return olderThan;
    }
    Duration age = new LakeOptions(catalog).interval("delete_older_than").orElse(Duration.ofDays(2));
    return Instant.now().minus(age);
  }

  @Override
  protected List<String> run() {
    List<Scheduled> planned = plan();
    List<String> paths = new ArrayList<>();
    if (dryRun) {
      planned.forEach(f -> paths.add(f.path()));
      return paths;
    }
    for (int from = 0; from < planned.size(); from += batchSize) {
      List<Scheduled> batch = planned.subList(from, Math.min(planned.size(), from + batchSize));
      for (Scheduled f : batch) {
        catalog.fileIO().delete(f.path());
        paths.add(f.path());
        report(paths.size(), planned.size(), "files", f.path());
      }
      ScheduledFiles.forget(catalog, batch);
    }
    return paths;
  }
}
