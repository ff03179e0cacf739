package dev.mallard.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of what scans did, for one open lake, so that tests and operators can see pruning work:
 * a query that should read one file opens one file.
 */
public final class ScanMetrics {
  private final AtomicLong scansPlanned = new AtomicLong();
  private final AtomicLong dataFilesListed = new AtomicLong();
  private final AtomicLong dataFilesPruned = new AtomicLong();
  private final AtomicLong dataFilesPrunedByPartition = new AtomicLong();
  private final AtomicLong dataFilesOpened = new AtomicLong();
  private final AtomicLong rowGroupsRead = new AtomicLong();
  private final AtomicLong rowGroupsSkipped = new AtomicLong();
  private final AtomicLong inlinedTablesRead = new AtomicLong();
  private final AtomicLong pagesSkipped = new AtomicLong();
  private final AtomicLong lateValuesSkipped = new AtomicLong();
  private final AtomicLong fileListsRead = new AtomicLong();
  private final AtomicLong fileListsReused = new AtomicLong();
  private final AtomicLong fileListsRefreshed = new AtomicLong();

  /**
   * @param filesPruned files skipped in all
   * @param filesPrunedByPartition of those, files skipped for their partition values
   */
  public void scanPlanned(long filesListed, long filesPruned, long filesPrunedByPartition) {
    scansPlanned.incrementAndGet();
    dataFilesListed.addAndGet(filesListed);
    dataFilesPruned.addAndGet(filesPruned);
    dataFilesPrunedByPartition.addAndGet(filesPrunedByPartition);
  }

  public void dataFileOpened() {
    dataFilesOpened.incrementAndGet();
  }

  public void rowGroups(long read, long skipped) {
    rowGroupsRead.addAndGet(read);
    rowGroupsSkipped.addAndGet(skipped);
  }

  /** Data pages (of all columns read) skipped because page indexes ruled out all their rows. */
  public void pagesSkipped(long skipped) {
    pagesSkipped.addAndGet(skipped);
  }

  /**
   * Values of columns the filter does not read that were never copied out of their pages because
   * the filter or deletes dropped their rows first (late materialization).
   */
  public void lateValuesSkipped(long skipped) {
    lateValuesSkipped.addAndGet(skipped);
  }

  /** A table's whole data file list read from the catalog. */
  public void fileListRead() {
    fileListsRead.incrementAndGet();
  }

  /** A table's data file list served from the cache as it was (no file changed since it was read). */
  public void fileListReused() {
    fileListsReused.incrementAndGet();
  }

  /** A cached data file list brought forward by reading only the files changed since. */
  public void fileListRefreshed() {
    fileListsRefreshed.incrementAndGet();
  }

  public long fileListsRead() {
    return fileListsRead.get();
  }

  public long fileListsReused() {
    return fileListsReused.get();
  }

  public long fileListsRefreshed() {
    return fileListsRefreshed.get();
  }

  public void inlinedTableRead() {
    inlinedTablesRead.incrementAndGet();
  }

  public long scansPlanned() {
    return scansPlanned.get();
  }

  public long dataFilesListed() {
    return dataFilesListed.get();
  }

  /** Data files the planner skipped because their partition values or statistics rule out every row. */
  public long dataFilesPruned() {
    return dataFilesPruned.get();
  }

  /** Of {@link #dataFilesPruned}, the files skipped for their partition values (judged first). */
  public long dataFilesPrunedByPartition() {
    return dataFilesPrunedByPartition.get();
  }

  /** Data files actually opened and read. */
  public long dataFilesOpened() {
    return dataFilesOpened.get();
  }

  public long rowGroupsRead() {
    return rowGroupsRead.get();
  }

  public long rowGroupsSkipped() {
    return rowGroupsSkipped.get();
  }

  public long pagesSkipped() {
    return pagesSkipped.get();
  }

  public long lateValuesSkipped() {
    return lateValuesSkipped.get();
  }

  public long inlinedTablesRead() {
    return inlinedTablesRead.get();
  }

  @Override
  public String toString() {
    return "scans=" + scansPlanned + " filesListed=" + dataFilesListed + " filesPruned=" + dataFilesPruned
        + " filesPrunedByPartition=" + dataFilesPrunedByPartition + " filesOpened=" + dataFilesOpened + " rowGroupsRead=" + rowGroupsRead + " rowGroupsSkipped="
        + rowGroupsSkipped + " pagesSkipped=" + pagesSkipped
        + " lateValuesSkipped=" + lateValuesSkipped + " inlinedTablesRead=" + inlinedTablesRead + " fileListsRead=" + fileListsRead + " fileListsReused="
        + fileListsReused + " fileListsRefreshed=" + fileListsRefreshed;
  }
}
