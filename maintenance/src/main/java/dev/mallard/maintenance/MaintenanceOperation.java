package dev.mallard.maintenance;

import dev.mallard.engine.catalog.DuckLakeCatalog;

/**
 * A maintenance verb: configure it, then {@link #commit()}. Each works in bounded batches, each
 * batch its own commit, so a crash loses at most one batch and writers keep writing in between.
 *
 * @param <S> the verb itself, for chained setters
 * @param <R> what {@link #commit()} returns (what was done, or for a dry run what would be)
 */
public abstract class MaintenanceOperation<S extends MaintenanceOperation<S, R>, R> {
  /**
   * The progress unit of a table or files an operation leaves alone, with why in the detail
   * ({@code main.events: column tags is nested ...}); done and total are 0.
   */
  public static final String SKIPPED = "skipped";

  protected final DuckLakeCatalog catalog;
  private final String name;
  protected boolean dryRun;
  private ProgressListener listener = ProgressListener.NONE;

  MaintenanceOperation(DuckLakeCatalog catalog, String name) {
    this.catalog = catalog;
    this.name = name;
  }

  /** The reference's name of the operation, such as {@code merge_adjacent_files}. */
  public String name() {
    return name;
  }

  /** Lists exactly what would be done, changing nothing. */
  @SuppressWarnings("unchecked")
  public S dryRun(boolean dryRun) {
    this.dryRun = dryRun;
    return (S) this;
  }

  @SuppressWarnings("unchecked")
  public S progress(ProgressListener listener) {
    this.listener = listener == null ? ProgressListener.NONE : listener;
    return (S) this;
  }

  /** Does the work (or, for a dry run, plans it) and returns what was (would be) done. */
  public final R commit() {
    catalog.metadata().version().checkWritable();
    return run();
  }

  protected abstract R run();

  /** Reports files or a table left alone, and why. */
  protected void reportSkipped(String what, String why) {
    report(0, 0, SKIPPED, what + ": " + why);
  }

  protected void report(long done, long total, String unit, String detail) {
    listener.onProgress(new ProgressListener.Progress(name, done, total, unit, detail));
  }
}
