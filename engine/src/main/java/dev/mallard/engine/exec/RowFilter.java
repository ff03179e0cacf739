package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.ColumnInfo;
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
    // The terms of an AND one after the other, each over the rows the previous ones kept.
    List<Predicate> terms = filter instanceof Predicate.And and ? and.terms() : List.of(filter);
    for (Predicate term : terms) {
      VectorPredicate test = VectorPredicate.bind(term, batch.vectors(), vectorIndex);
      batch.retainAll(test::keepTrue);
    }
  }
}
