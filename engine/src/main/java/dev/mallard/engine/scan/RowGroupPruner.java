package dev.mallard.engine.scan;

import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.parquet.RowGroupFilter;
import dev.mallard.engine.types.ColumnStats;
import java.util.function.IntFunction;

/** Skips Parquet row groups whose footer statistics rule out every row of a filter. */
public final class RowGroupPruner implements RowGroupFilter {
  private final Predicate filter;

  public RowGroupPruner(Predicate filter) {
    this.filter = filter;
  }

  @Override
  public boolean mightMatch(long rowCount, IntFunction<ColumnStats> statsByFieldId) {
    return StatsPruning.mightMatch(filter, column -> statsByFieldId.apply(Math.toIntExact(column.columnId())));
  }
}
