package dev.mallard.engine.scan;

import dev.mallard.engine.catalog.DataFile;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an open transaction changed in a table and has not committed: a scan inside the
 * transaction shows its rows and hides what it deleted.
 *
 * @param files new Parquet files, under transaction-local file ids and row ids
 * @param rows new rows, engine values in the table's column order
 * @param rowIds the id of each new row: a transaction-local id for an insert, the old row's id for
 *     a new version written by an UPDATE
 * @param deletedPositions positions deleted from data files, by data file id (the transaction-local id
 *     of a file the transaction wrote)
 * @param deletedInlinedRowIds row ids of committed inlined rows deleted
 * @param committedRowsDeleted every committed row is deleted (TRUNCATE)
 */
public record PendingChanges(List<DataFile> files, List<Object[]> rows, List<Long> rowIds, Map<Long, Set<Long>> deletedPositions,
    Set<Long> deletedInlinedRowIds, boolean committedRowsDeleted) {

  public static final PendingChanges NONE = new PendingChanges(List.of(), List.of(), List.of(), Map.of(),
      Set.of(), false);

  public boolean isEmpty() {
    return files.isEmpty() && rows.isEmpty() && deletedPositions.isEmpty() && deletedInlinedRowIds.isEmpty() && !committedRowsDeleted;
  }
}
