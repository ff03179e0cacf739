package dev.mallard.engine.scan;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.expr.Predicate;
import java.util.List;

/**
 * How to read a scan: the tasks that hold matching rows, and the columns each reads. Batches read
 * from any task hold {@code readColumns} in order; the first {@code outputColumns().size()} of them
 * are the requested columns, the rest are needed only to evaluate the filter.
 *
 * @param filter the conjunction of the request's filters, evaluated on every row; null for none
 * @param withRowAddress batches end with {@link #ADDRESS_COLUMNS} more vectors, after the read
 *     columns: the data file id (NULL for inlined rows), the row's position in its file (for
 *     inlined rows: their row id), and the row id; then one more: the snapshot that inserted the
 *     row where the reader knows it (data files), else NULL
 * @param keyFilters rows a reader may drop (but need not): those whose key is NULL or ruled out by
 *     the key filter of a join above the scan, which has no use for them (an INNER or SEMI join
 *     probed with the rows, or a SEMI or ANTI join marking a small side's rows with them)
 */
public record ScanPlan(TableInfo table, Snapshot snapshot, List<ColumnInfo> outputColumns,
    List<ColumnInfo> readColumns, Predicate filter, List<ScanTask> tasks, boolean withRowAddress,
    List<KeyColumn> keyFilters) {

  /** The rows whose read column {@code column} (an integer) holds NULL or a key {@code keys} rules out. */
  public record KeyColumn(int column, KeyFilter keys) {}

  /** The number of address vectors that follow the read columns when {@link #withRowAddress} is set. */
  public static final int ADDRESS_COLUMNS = 3;

  public ScanPlan {
    outputColumns = List.copyOf(outputColumns);
    readColumns = List.copyOf(readColumns);
    tasks = List.copyOf(tasks);
    keyFilters = List.copyOf(keyFilters);
  }

  public ScanPlan(TableInfo table, Snapshot snapshot, List<ColumnInfo> outputColumns, List<ColumnInfo> readColumns,
      Predicate filter, List<ScanTask> tasks, boolean withRowAddress) {
    this(table, snapshot, outputColumns, readColumns, filter, tasks, withRowAddress, List.of());
  }

  public ScanPlan(TableInfo table, Snapshot snapshot, List<ColumnInfo> outputColumns, List<ColumnInfo> readColumns,
      Predicate filter, List<ScanTask> tasks) {
    this(table, snapshot, outputColumns, readColumns, filter, tasks, false);
  }

  /** This plan, its readers free to drop the rows {@code keyFilters} rule out. */
  public ScanPlan withKeyFilters(List<KeyColumn> keyFilters) {
    return new ScanPlan(table, snapshot, outputColumns, readColumns, filter, tasks, withRowAddress, keyFilters);
  }

  /** The index of the first address vector in a batch. */
  public int addressColumns() {
    return readColumns.size();
  }
}
