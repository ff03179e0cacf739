package dev.mallard.engine.scan;

import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.parquet.RowGroupFilter;
import dev.mallard.engine.types.ColumnStats;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * Skips Parquet row groups whose footer statistics rule out every row of a filter, and pages whose
 * page index statistics do.
 */
public final class RowGroupPruner implements RowGroupFilter {
  private final Predicate filter;

  public RowGroupPruner(Predicate filter) {
    this.filter = filter;
  }

  @Override
  public boolean mightMatch(long rowCount, IntFunction<ColumnStats> statsByFieldId) {
    return StatsPruning.mightMatch(filter, column -> statsByFieldId.apply(Math.toIntExact(column.columnId())));
  }

  @Override
  public Set<Integer> fieldIds() {
    Set<Integer> ids = new TreeSet<>();
    filter.columns().forEach(c -> ids.add(Math.toIntExact(c.columnId())));
    return ids;
  }
}
