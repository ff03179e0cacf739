package dev.mallard.maintenance;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.txn.SnapshotExpiry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ducklake_expire_snapshots}: forgets old snapshots, so time travel to them ends, and
 * schedules the files only they needed for deletion (see {@link CleanupOldFiles}). Choose the
 * snapshots by age ({@link #olderThan}), by id ({@link #versions}) or by count
 * ({@link #retainLast}); with none, the lake's {@code expire_older_than} option decides, and without
 * it nothing expires. The latest snapshot never expires. Snapshots are expired in batches, oldest
 * first, each batch its own catalog transaction.
 */
public final class ExpireSnapshots extends MaintenanceOperation<ExpireSnapshots, List<Snapshot>> {
  private Instant olderThan;
  private Set<Long> versions;
  private Integer retainLast;
  private int batchSize = 1000;

  ExpireSnapshots(DuckLakeCatalog catalog) {
    super(catalog, "expire_snapshots");
  }

  /** Expires snapshots taken before this time. */
  public ExpireSnapshots olderThan(Instant time) {
    this.olderThan = time;
    return this;
  }

  /** Expires exactly these snapshots (the reference's {@code versions => [...]}). */
  public ExpireSnapshots versions(Collection<Long> ids) {
    this.versions = new TreeSet<>(ids);
    return this;
  }

  /** Expires all but the newest {@code n} snapshots (a Mallard extension; n >= 1). */
  public ExpireSnapshots retainLast(int n) {
    if (n < 1) {
      throw new UserException("retain_last must be at least 1 (the latest snapshot always stays)");
    }
    this.retainLast = n;
    return this;
  }

  /** How many snapshots one catalog transaction expires. */
  public ExpireSnapshots batchSize(int snapshots) {
    this.batchSize = Math.max(1, snapshots);
    return this;
  }

  /** The snapshots that would expire, oldest first. */
  public List<Snapshot> plan() {
    int chosen = (olderThan != null ? 1 : 0) + (versions != null ? 1 : 0) + (retainLast != null ? 1 : 0);
    if (chosen > 1) {
      throw new UserException("expire_snapshots: give only one of older_than, versions and retain_last");
    }
    Instant cutoff = olderThan;
    if (chosen == 0) {
      var fallback = new LakeOptions(catalog).interval("expire_older_than");
      if (fallback.isEmpty()) {
        return List.of(); // as in the reference: without an argument or the option, nothing expires
      }
      cutoff = Instant.now().minus(fallback.get());
    }
    List<Snapshot> all = catalog.metadata().snapshots();
    long latest = all.get(all.size() - 1).id();
    List<Snapshot> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Snapshot s = all.get(i);
      if (s.id() == latest) {
        continue;
      }
      boolean expire = cutoff != null ? s.time().isBefore(cutoff)
          : versions != null ? versions.contains(s.id())
          : i < all.size() - retainLast;
      if (expire) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  protected List<Snapshot> run() {
    List<Snapshot> planned = plan();
    if (dryRun) {
      return planned;
    }
    List<Snapshot> expired = new ArrayList<>();
    for (int from = 0; from < planned.size(); from += batchSize) {
      List<Snapshot> batch = planned.subList(from, Math.min(planned.size(), from + batchSize));
      SnapshotExpiry.Result r = SnapshotExpiry.expire(catalog, batch.stream().map(Snapshot::id).toList());
      Set<Long> done = new TreeSet<>(r.snapshots());
      batch.stream().filter(s -> done.contains(s.id())).forEach(expired::add);
      report(from + batch.size(), planned.size(), "snapshots",
          "expired " + done.size() + ", scheduled " + r.scheduledFiles().size() + " files for deletion");
    }
    return expired;
  }
}
