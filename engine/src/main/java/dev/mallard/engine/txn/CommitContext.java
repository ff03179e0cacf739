package dev.mallard.engine.txn;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.MetadataStore;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link CatalogWork} sees of the commit being written: the open catalog connection, the new
 * snapshot's id, the file id counter (shared with the transaction's other writes) and the snapshot's
 * change entries.
 */
public final class CommitContext {
  private final Connection connection;
  private final DuckLakeCatalog catalog;
  private final long snapshotId;
  private long nextFileId;
  private final List<Change> changes = new ArrayList<>();

  CommitContext(Connection connection, DuckLakeCatalog catalog, long snapshotId, long nextFileId) {
    this.connection = connection;
    this.catalog = catalog;
    this.snapshotId = snapshotId;
    this.nextFileId = nextFileId;
  }

  public Connection connection() {
    return connection;
  }

  public DuckLakeCatalog catalog() {
    return catalog;
  }

  public MetadataStore metadata() {
    return catalog.metadata();
  }

  /** The id of the snapshot this commit writes. */
  public long snapshotId() {
    return snapshotId;
  }

  /** Takes the next data or delete file id. */
  public long takeFileId() {
    return nextFileId++;
  }

  long nextFileId() {
    return nextFileId;
  }

  /** Adds an entry to the snapshot's {@code changes_made}. */
  public void addChange(Change change) {
    changes.add(change);
  }

  List<Change> changes() {
    return changes;
  }
}
