package dev.mallard.engine.catalog;

import dev.mallard.engine.MallardException.CatalogException;

/**
 * The {@code partial_file_info} text of 0.3 catalogs: either {@code partial_max:N}, or a list
 * {@code S1:R1|S2:R2|...} meaning "from snapshot Si on, the first Ri rows of the file are visible".
 */
record PartialFileInfo(Long partialMax, long[] snapshots, long[] rowCounts) {
  private static final PartialFileInfo NONE = new PartialFileInfo(null, new long[0], new long[0]);

  static PartialFileInfo parse(String text) {
    if (text == null || text.isEmpty()) {
      return NONE;
    }
    try {
      if (text.startsWith("partial_max:")) {
        return new PartialFileInfo(Long.parseLong(text.substring("partial_max:".length())), new long[0], new long[0]);
      }
      String[] entries = text.split("\\|");
      long[] snapshots = new long[entries.length];
      long[] rows = new long[entries.length];
      for (int i = 0; i < entries.length; i++) {
        String[] kv = entries[i].split(":");
        snapshots[i] = Long.parseLong(kv[0]);
        rows[i] = Long.parseLong(kv[1]);
      }
      return new PartialFileInfo(null, snapshots, rows);
    } catch (RuntimeException e) {
      throw new CatalogException("Cannot read partial_file_info '" + text + "'", e);
    }
  }

  /** Leading rows visible at the snapshot, or null when the list does not limit them. */
  Long visibleRows(long snapshotId) {
    if (snapshots.length == 0) {
      return null;
    }
    long max = 0;
    for (int i = 0; i < snapshots.length; i++) {
      if (snapshots[i] <= snapshotId) {
        max = Math.max(max, rowCounts[i]);
      }
    }
    return max;
  }

  /**
   * The snapshot from which the row at {@code position} is visible: {@link Long#MAX_VALUE} for a
   * row no snapshot shows; null when there is no list.
   */
  Long insertedAt(long position) {
    if (snapshots.length == 0) {
      return null;
    }
    long first = Long.MAX_VALUE;
    for (int i = 0; i < snapshots.length; i++) {
      if (rowCounts[i] > position) {
        first = Math.min(first, snapshots[i]);
      }
    }
    return first;
  }

  /** The newest snapshot of the list; -1 when there is none. */
  long lastSnapshot() {
    long last = -1;
    for (long s : snapshots) {
      last = Math.max(last, s);
    }
    return last;
  }
}
