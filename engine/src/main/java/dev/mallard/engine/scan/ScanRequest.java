package dev.mallard.engine.scan;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.expr.Predicate;
import java.util.List;

/**
 * What a caller wants from a table: its columns at a snapshot, the rows matching every filter, and
 * perhaps only the first {@code limit} of them.
 *
 * @param columns the columns to return, in order (may be empty, e.g. for {@code count(*)})
 * @param filters conjuncts; the scan returns only rows for which all are TRUE
 * @param limit a hint: the caller stops after this many rows; null for all
 * @param withRowAddress also return where each row lives, for DELETE and UPDATE (see
 *     {@link ScanPlan#addressColumns()})
 */
public record ScanRequest(TableInfo table, Snapshot snapshot, List<ColumnInfo> columns, List<Predicate> filters,
    Long limit, boolean withRowAddress) {

  public ScanRequest {
    columns = List.copyOf(columns);
    filters = List.copyOf(filters);
  }

  public ScanRequest(TableInfo table, Snapshot snapshot, List<ColumnInfo> columns, List<Predicate> filters,
      Long limit) {
    this(table, snapshot, columns, filters, limit, false);
  }
}
