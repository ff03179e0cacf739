package dev.mallard.maintenance;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.storage.FileIO;
import dev.mallard.engine.txn.ScheduledFiles;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ducklake_delete_orphaned_files}: deletes the {@code .parquet} and {@code .puffin} files
 * under the lake's data path (a local directory or an {@code s3://} prefix, listed through the
 * lake's storage) that the catalog does not know: not a data or delete file of any snapshot or
 * dropped table, not scheduled for deletion. Typically left by writers that crashed before
 * committing. Only files last modified before {@link #olderThan} go (default: the lake's
 * {@code delete_older_than} option, else 2 days), so a write in flight, whose file exists but is not
 * committed yet, is never touched. The catalog is read after the listing, so a file committed
 * while listing is known.
 */
public final class DeleteOrphanedFiles extends MaintenanceOperation<DeleteOrphanedFiles, List<String>> {
  private Instant olderThan;
  private boolean cleanupAll;

  DeleteOrphanedFiles(DuckLakeCatalog catalog) {
    super(catalog, "delete_orphaned_files");
  }

  public DeleteOrphanedFiles olderThan(Instant time) {
    this.olderThan = time;
    return this;
  }

  public DeleteOrphanedFiles cleanupAll(boolean all) {
    this.cleanupAll = all;
    return this;
  }

  /** The orphaned files that would be deleted, with absolute paths, sorted. */
  public List<String> plan() {
    Instant cutoff = CleanupOldFiles.cutoff(catalog, olderThan, cleanupAll, "delete_orphaned_files");
    List<FileIO.Listed> candidates = new ArrayList<>();
    for (FileIO.Listed f : catalog.fileIO().list(catalog.dataPath())) {
      String name = f.location().substring(f.location().lastIndexOf('/') + 1);
      if ((name.endsWith(".parquet") || name.endsWith(".puffin"))
          && (cutoff == null || f.lastModified().isBefore(cutoff))) {
        candidates.add(f);
      }
    }
    candidates.sort(Comparator.comparing(FileIO.Listed::location));
    // Read after listing: a file committed meanwhile is known here, so it is never taken for an orphan.
    Set<String> known = ScheduledFiles.knownFiles(catalog).stream().map(DeleteOrphanedFiles::normalized)
        .collect(Collectors.toSet());
    List<String> out = new ArrayList<>();
    for (FileIO.Listed f : candidates) {
      if (!known.contains(normalized(f.location()))) {
        out.add(f.location());
      }
    }
    return out;
  }

  @Override
  protected List<String> run() {
    List<String> planned = plan();
    if (dryRun) {
      return planned;
    }
    int done = 0;
    for (String path : planned) {
      catalog.fileIO().delete(path);
      report(++done, planned.size(), "files", path);
    }
    return planned;
  }

  /** One spelling per file: object keys as they are, local paths normalized ({@code file:} URLs, {@code ./}, {@code //}). */
  private static String normalized(String location) {
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !location.startsWith("file:")) {
      return location;
    }
    Path p = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    return p.toAbsolutePath().normalize().toString();
  }
}
