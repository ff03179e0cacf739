package dev.mallard.maintenance;

import dev.mallard.engine.catalog.DuckLakeCatalog;

/**
 * Maintenance of a DuckLake: the reference's seven operations as verbs with {@code commit()}.
 * <pre>{@code
 * Maintenance m = Maintenance.of(catalog);
 * m.expireSnapshots().olderThan(Instant.now().minus(Duration.ofDays(7))).commit();
 * m.cleanupOldFiles().cleanupAll(true).commit();
 * m.mergeAdjacentFiles().table("main", "events").commit();
 * }</pre>
 */
public final class Maintenance {
  private final DuckLakeCatalog catalog;

  private Maintenance(DuckLakeCatalog catalog) {
    this.catalog = catalog;
  }

  public static Maintenance of(DuckLakeCatalog catalog) {
    return new Maintenance(catalog);
  }

  public ExpireSnapshots expireSnapshots() {
    return new ExpireSnapshots(catalog);
  }

  public CleanupOldFiles cleanupOldFiles() {
    return new CleanupOldFiles(catalog);
  }

  public DeleteOrphanedFiles deleteOrphanedFiles() {
    return new DeleteOrphanedFiles(catalog);
  }

  public FlushInlinedData flushInlinedData() {
    return new FlushInlinedData(catalog);
  }

  public MergeAdjacentFiles mergeAdjacentFiles() {
    return new MergeAdjacentFiles(catalog);
  }

  public RewriteDataFiles rewriteDataFiles() {
    return new RewriteDataFiles(catalog);
  }

  public Checkpoint checkpoint() {
    return new Checkpoint(catalog);
  }
}
