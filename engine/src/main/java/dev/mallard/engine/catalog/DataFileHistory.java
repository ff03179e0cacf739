package dev.mallard.engine.catalog;

/**
 * A data file of a table as the change feed sees it: whether or not it is still visible, with the
 * snapshot that deleted it whole ({@code end_snapshot}), and for 0.3 catalogs the list of which of
 * its leading rows each snapshot made visible.
 */
public final class DataFileHistory {
  private final DataFile file;
  private final Long endSnapshot;
  private final PartialFileInfo legacy;

  DataFileHistory(DataFile file, Long endSnapshot, PartialFileInfo legacy) {
    this.file = file;
    this.endSnapshot = endSnapshot;
    this.legacy = legacy;
  }

  /** The file, without its delete file (see {@link MetadataStore#deleteFileHistory}). */
  public DataFile file() {
    return file;
  }

  /** The snapshot that deleted every remaining row of the file; null while it is live. */
  public Long endSnapshot() {
    return endSnapshot;
  }

  /**
   * For a 0.3 catalog's {@code partial_file_info} list ({@code S1:R1|S2:R2}): the snapshot that
   * made the row at {@code position} visible ({@link Long#MAX_VALUE} if none did); null for files
   * without such a list.
   */
  public Long legacyInsertSnapshot(long position) {
    return legacy.insertedAt(position);
  }

  /** Whether rows of the file may have been inserted at or after {@code snapshot}. */
  public boolean mayHoldRowsInsertedSince(long snapshot) {
    if (file.beginSnapshot() >= snapshot) {
      return true;
    }
    return (file.partialMax() != null && file.partialMax() >= snapshot) || legacy.lastSnapshot() >= snapshot;
  }
}
