package dev.mallard.maintenance;

import dev.mallard.engine.MallardException.StorageException;
import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.txn.ScheduledFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code ducklake_delete_orphaned_files}: deletes the {@code .parquet} and {@code .puffin} files
 * under the lake's data path that the catalog does not know: not a data or delete file of any
 * snapshot or dropped table, not scheduled for deletion. Typically left by writers that crashed
 * before committing. Only files last modified before {@link #olderThan} go (default: the lake's
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
    Path root = localPath(catalog.dataPath());
    List<Path> candidates;
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      candidates = walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".parquet") || p.getFileName().toString().endsWith(".puffin"))
          .filter(p -> cutoff == null || modified(p).isBefore(cutoff))
          .sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException("Cannot list the files under " + catalog.dataPath() + ": " + e.getMessage(), e);
    }
    Set<Path> known = ScheduledFiles.knownFiles(catalog).stream().map(DeleteOrphanedFiles::localPathOrNull)
        .filter(p -> p != null).map(Path::normalize).collect(Collectors.toSet());
    List<String> out = new ArrayList<>();
    for (Path p : candidates) {
      if (!known.contains(p.normalize())) {
        out.add(p.toString());
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

  private static Instant modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toInstant();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path localPathOrNull(String location) {
    try {
      return localPath(location);
    } catch (UnsupportedFeatureException e) {
      return null;
    }
  }

  private static Path localPath(String location) {
    if (location.startsWith("file:")) {
      return Path.of(URI.create(location));
    }
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      throw new UnsupportedFeatureException("delete_orphaned_files lists local data paths only; " + location
          + " is on object storage, which is not supported yet");
    }
    return Path.of(location);
  }
}
