package dev.mallard.engine.scan;

import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.types.Interval;
import dev.mallard.engine.types.TimeTz;
import dev.mallard.engine.types.Values;

/**
 * The answer a scan gives for a filter handed to it, as in DataFusion: EXACT means the scan returns
 * only rows for which the filter is TRUE, so the caller need not evaluate it again; INEXACT means
 * the scan uses it to skip data but may return rows that fail it; UNSUPPORTED means the scan
 * ignores it.
 */
public enum FilterPushdown {
  EXACT,
  INEXACT,
  UNSUPPORTED;

  /**
   * How the engine treats a filter: it evaluates exactly everything over columns it can order,
   * and over INTERVAL and TIMETZ columns compared with an {@link Interval} or a {@link TimeTz} (in
   * DuckDB's order of those types).
   */
  public static FilterPushdown of(Predicate filter) {
    for (ColumnRef c : filter.columns()) {
      if (!Values.isComparable(c.type()) && !onlyNullTestsOrOrderedValues(filter, c)) {
        return UNSUPPORTED;
      }
    }
    return EXACT;
  }

  private static boolean onlyNullTestsOrOrderedValues(Predicate p, ColumnRef column) {
    if (p instanceof Predicate.IsNull) {
      return true;
    }
    if (p instanceof Predicate.Comparison c) {
      return ordered(column, c.value());
    }
    if (p instanceof Predicate.In in) {
      return in.values().stream().allMatch(v -> ordered(column, v));
    }
    if (p instanceof Predicate.Not n) {
      return onlyNullTestsOrOrderedValues(n.term(), column);
    }
    if (p instanceof Predicate.And a) {
      return a.terms().stream().allMatch(t -> !t.columns().contains(column) || onlyNullTestsOrOrderedValues(t, column));
    }
    if (p instanceof Predicate.Or o) {
      return o.terms().stream().allMatch(t -> !t.columns().contains(column) || onlyNullTestsOrOrderedValues(t, column));
    }
    return false;
  }

  private static boolean ordered(ColumnRef column, Object value) {
    return switch (column.type().kind()) {
      case INTERVAL -> value instanceof Interval;
      case TIMETZ -> value instanceof TimeTz;
      default -> false;
    };
  }
}
