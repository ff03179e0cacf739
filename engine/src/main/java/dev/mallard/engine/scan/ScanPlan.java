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
 */
public record ScanPlan(TableInfo table, Snapshot snapshot, List<ColumnInfo> outputColumns,
    List<ColumnInfo> readColumns, Predicate filter, List<ScanTask> tasks) {

  public ScanPlan {
    outputColumns = List.copyOf(outputColumns);
    readColumns = List.copyOf(readColumns);
    tasks = List.copyOf(tasks);
  }
}
