package dev.mallard.engine.scan;

import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.InlinedDataTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** One independent unit of a scan: a data file, or the rows a table keeps inline in the catalog. */
public sealed interface ScanTask {

  /**
   * A data file to read, with its delete file (in {@code file}) and the positions deleted inline in
   * the catalog. A large file may be read by several tasks, each a byte range of it: a task reads
   * the row groups whose middle byte lies in {@code [splitStart, splitEnd)}, so ranges that tile the
   * file read every row group exactly once.
   */
  record DataFileTask(DataFile file, long[] inlinedDeletions, long splitStart, long splitEnd) implements ScanTask {
    public DataFileTask(DataFile file, long[] inlinedDeletions) {
      this(file, inlinedDeletions, 0, Long.MAX_VALUE);
    }

    public boolean wholeFile() {
      return splitStart == 0 && splitEnd == Long.MAX_VALUE;
    }

    /** The part of this file's row groups whose middle byte lies in {@code [start, end)}. */
    public DataFileTask split(long start, long end) {
      return new DataFileTask(file, inlinedDeletions, start, end);
    }
  }

  /**
   * An inlined data table to read.
   *
   * @param sourceColumns for each column the scan reads, its name in the inlined table, or null
   *     when the table did not have that column yet (the column's initial default fills it)
   */
  record InlinedRowsTask(InlinedDataTable table, List<String> sourceColumns, Set<Long> deletedRowIds)
      implements ScanTask {
    public InlinedRowsTask {
      sourceColumns = Collections.unmodifiableList(new ArrayList<>(sourceColumns)); // may hold nulls
      deletedRowIds = Set.copyOf(deletedRowIds);
    }

    public InlinedRowsTask(InlinedDataTable table, List<String> sourceColumns) {
      this(table, sourceColumns, Set.of());
    }
  }

  /** A Parquet file an open transaction wrote and has not committed; none of its rows is deleted. */
  /**
   * A data file an open transaction wrote and has not committed.
   *
   * @param deletedPositions sorted positions of rows the transaction deleted from it since
   */
  record PendingFileTask(DataFile file, long[] deletedPositions) implements ScanTask {}

  /**
   * Rows an open transaction added and has not committed, held in memory.
   *
   * @param rows engine values in the table's column order
   * @param rowIds the id of each row (see {@link PendingChanges#rowIds()})
   */
  record PendingRowsTask(List<Object[]> rows, List<Long> rowIds) implements ScanTask {
    public PendingRowsTask {
      rows = List.copyOf(rows);
      rowIds = List.copyOf(rowIds);
    }
  }
}
