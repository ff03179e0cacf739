package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.scan.KeyFilter;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.types.TypeKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseFixedWidthVector;

/**
 * Drops the rows of a batch for which a filter is not TRUE, then those some {@link ScanPlan#keyFilters
 * key filters} rule out. One per reader: it keeps track of which key filters pay.
 */
final class RowFilter {
  /** Batches to read before a key filter that dropped under a quarter of a batch's rows is tried again. */
  private static final int KEY_FILTER_REST = 16;

  /** The terms of the filter's AND, those on numbers first; empty for no filter. */
  private final List<Predicate> terms;
  private final Map<Long, Integer> vectorIndex = new HashMap<>();
  private final List<ScanPlan.KeyColumn> keyFilters;
  /** Per key filter: batches to go before it is tried again; 0 while it pays. */
  private final int[] keyFilterRest;

  /** @param columns the columns of the batches, in vector order */
  RowFilter(Predicate filter, List<ColumnInfo> columns) {
    this(filter, columns, List.of());
  }

  /**
   * @param columns the columns of the batches, in vector order
   * @param keyFilters over those columns, which must be integers
   */
  RowFilter(Predicate filter, List<ColumnInfo> columns, List<ScanPlan.KeyColumn> keyFilters) {
    this.keyFilters = List.copyOf(keyFilters);
    this.keyFilterRest = new int[keyFilters.size()];
    List<Predicate> all = filter == null ? List.of() : filter instanceof Predicate.And and ? and.terms() : List.of(filter);
    this.terms = new ArrayList<>(all);
    terms.sort(Comparator.comparing(RowFilter::costly)); // stable: false first
    for (int i = 0; i < columns.size(); i++) {
      vectorIndex.put(columns.get(i).id(), i);
    }
  }

  /**
   * Whether a term compares bytes (strings, blobs) or nested values: those are tested after the
   * others, which compare fixed-width numbers, and otherwise the terms keep the planner's order
   * (which puts the more selective first). Each term tests only the rows the ones before it kept:
   * TPC-H Q12's {@code l_shipmode IN ('MAIL', 'SHIP')} is best tested on the rows of its one year.
   */
  private static boolean costly(Predicate term) {
    if (term instanceof Predicate.Comparison c) {
      return costly(c.column().type().kind());
    }
    if (term instanceof Predicate.In in) {
      return costly(in.column().type().kind());
    }
    if (term instanceof Predicate.IsNull) {
      return false;
    }
    if (term instanceof Predicate.Not not) {
      return costly(not.term());
    }
    List<Predicate> terms = term instanceof Predicate.And and ? and.terms() : ((Predicate.Or) term).terms();
    return terms.stream().anyMatch(RowFilter::costly);
  }

  private static boolean costly(TypeKind kind) {
    return !(kind.isInteger() || kind.isFloatingPoint() || kind.isTimestamp() || kind == TypeKind.DATE
        || kind == TypeKind.BOOLEAN || kind == TypeKind.DECIMAL);
  }

  void apply(Batch batch) {
    // The terms of an AND one after the other, each over the rows the previous ones kept.
    for (Predicate term : terms) {
      VectorPredicate test = VectorPredicate.bind(term, batch.vectors(), vectorIndex);
      batch.retainAll(test::keepTrue);
    }
    for (int k = 0; k < keyFilters.size(); k++) {
      if (keyFilterRest[k] > 0) {
        keyFilterRest[k]--;
        continue;
      }
      int before = batch.selectedCount();
      retainKeys(batch, keyFilters.get(k));
      keyFilterRest[k] = batch.selectedCount() > before - before / 4 ? KEY_FILTER_REST : 0;
    }
  }

  /** Keeps the live rows whose key is not NULL and passes the key filter. */
  private static void retainKeys(Batch batch, ScanPlan.KeyColumn filter) {
    BaseFixedWidthVector vector = (BaseFixedWidthVector) batch.vector(filter.column());
    long data = vector.getDataBuffer().memoryAddress();
    long validity = vector.getNullCount() == 0 ? 0 : vector.getValidityBuffer().memoryAddress();
    int width = vector.getTypeWidth();
    KeyFilter keys = filter.keys();
    batch.retainAll((rows, n) -> {
      int kept = 0;
      for (int i = 0; i < n; i++) {
        int row = rows[i];
        rows[kept] = row;
        kept += VectorPredicate.isValid(validity, row) && keys.mightContain(VectorPredicate.integerAt(data, width, row))
            ? 1 : 0;
      }
      return kept;
    });
  }
}
