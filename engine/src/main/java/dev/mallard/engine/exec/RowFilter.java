package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Drops the rows of a batch for which a filter is not TRUE. */
final class RowFilter {
  private final Predicate filter;
  private final Map<Long, Integer> vectorIndex = new HashMap<>();

  /** @param columns the columns of the batches, in vector order */
  RowFilter(Predicate filter, List<ColumnInfo> columns) {
    this.filter = filter;
    for (int i = 0; i < columns.size(); i++) {
      vectorIndex.put(columns.get(i).id(), i);
    }
  }

  void apply(Batch batch) {
    if (filter == null) {
      return;
    }
    batch.retain(row -> Boolean.TRUE.equals(filter.evaluate(ref -> value(batch, row, ref))));
  }

  private Object value(Batch batch, int row, ColumnRef ref) {
    return VectorValues.get(batch.vector(vectorIndex.get(ref.columnId())), row, ref.type());
  }
}
