package dev.mallard.engine.catalog;

import dev.mallard.engine.MallardException.CatalogException;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.ScanMetrics;
import dev.mallard.engine.storage.FileIO;
import dev.mallard.engine.storage.FileIOs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * An open DuckLake: its catalog database, its files and the memory its batches use. Open one per
 * lake and share it; close it when done. Everything else in the engine hangs off this object.
 */
public final class DuckLakeCatalog implements AutoCloseable {
  private final CatalogConfig config;
  private final MetadataStore metadata;
  private final FileIO fileIO;
  private final BufferAllocator allocator;
  private final String dataPath;
  private final Map<Long, CatalogView> views = new ConcurrentHashMap<>();
  private final Map<Long, NameMapping> nameMappings = new ConcurrentHashMap<>();
  private final ScanMetrics scanMetrics = new ScanMetrics();

  private DuckLakeCatalog(CatalogConfig config, MetadataStore metadata) {
    this.config = config;
    this.metadata = metadata;
    this.allocator = new RootAllocator();
    String stored = metadata.globalSettings().get("data_path");
    String path = config.dataPathOverride() != null ? config.dataPathOverride() : stored;
    if (path == null) {
      throw new CatalogException("The catalog has no data_path; give one with the data_path option");
    }
    this.dataPath = absoluteDirectory(path);
    // Local files or S3, by the data path's scheme.
    this.fileIO = FileIOs.forDataPath(dataPath, config.s3());
  }

  public static DuckLakeCatalog open(CatalogConfig config) {
    MetadataStore metadata = MetadataStore.open(config);
    try {
      DuckLakeCatalog catalog = new DuckLakeCatalog(config, metadata);
      try {
        catalog.pinnedSnapshot(); // a pin to a snapshot that does not exist fails at open, not at first query
      } catch (RuntimeException e) {
        catalog.fileIO.close();
        throw e;
      }
      return catalog;
    } catch (RuntimeException e) {
      metadata.close();
      throw e;
    }
  }

  /**
   * A relative data path is relative to the working directory, as in DuckDB. Local paths are made
   * absolute so that what the lake reads does not change if the process changes directory.
   */
  private static String absoluteDirectory(String path) {
    String dir = path.endsWith("/") ? path : path + "/";
    if (dir.contains("://") || dir.startsWith("file:") || dir.startsWith("/")) {
      return dir;
    }
    return Path.of(dir).toAbsolutePath().normalize() + "/";
  }

  public CatalogConfig config() {
    return config;
  }

  public MetadataStore metadata() {
    return metadata;
  }

  public FileIO fileIO() {
    return fileIO;
  }

  public BufferAllocator allocator() {
    return allocator;
  }

  /**
   * The name mapping of files registered with {@code ducklake_add_data_files}. A mapping never
   * changes once written, so it is read from the catalog once.
   */
  public NameMapping nameMapping(long mappingId) {
    return nameMappings.computeIfAbsent(mappingId, metadata::nameMapping);
  }

  /** What the scans of this lake did so far. */
  public ScanMetrics scanMetrics() {
    return scanMetrics;
  }

  /** The absolute directory the lake's data lives under, ending with '/'. */
  public String dataPath() {
    return dataPath;
  }

  /**
   * The snapshot a query reads when it names none: the one pinned by the configuration, else the
   * latest. Resolve it once per query so that every table of the query sees the same state.
   */
  public Snapshot currentSnapshot() {
    Snapshot pinned = pinnedSnapshot();
    return pinned != null ? pinned : metadata.latestSnapshot();
  }

  private Snapshot pinnedSnapshot() {
    if (config.snapshotId() != null) {
      return snapshot(config.snapshotId());
    }
    if (config.snapshotTime() != null) {
      return snapshotAt(config.snapshotTime());
    }
    return null;
  }

  public Snapshot snapshot(long id) {
    return metadata.snapshot(id).orElseThrow(() -> new UserException("No snapshot found at version " + id));
  }

  public Snapshot snapshotAt(Instant time) {
    return metadata.snapshotAt(time)
        .orElseThrow(() -> new UserException("No snapshot found at or before " + time));
  }

  /** What is visible at the snapshot. Cached by schema version, which is all that visibility depends on. */
  public CatalogView view(Snapshot snapshot) {
    return views.computeIfAbsent(snapshot.schemaVersion(), v -> loadView(snapshot));
  }

  private CatalogView loadView(Snapshot snapshot) {
    var schemas = metadata.schemas(snapshot.id(), dataPath);
    Map<Long, SchemaInfo> byId = schemas.stream().collect(Collectors.toMap(SchemaInfo::id, Function.identity()));
    return new CatalogView(snapshot.schemaVersion(), schemas, metadata.tables(snapshot.id(), byId));
  }

  @Override
  public void close() {
    try {
      allocator.close();
    } finally {
      metadata.close();
      fileIO.close();
    }
  }
}
