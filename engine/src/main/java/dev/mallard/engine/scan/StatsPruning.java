package dev.mallard.engine.scan;

import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.types.ColumnStats;
import dev.mallard.engine.types.Values;
import java.util.function.Function;

/**
 * Decides from column statistics whether a file or row group can hold a row matching a predicate.
 * Only "no" is acted on, so every unknown answers "maybe": missing statistics, unparsed bounds,
 * NaNs that the bounds leave out, predicates this class does not reason about.
 */
final class StatsPruning {
  private StatsPruning() {}

  /**
   * @param statsOf statistics of a column, or null when unknown (for example a file written before
   *     the column existed, whose rows all hold the column's initial default)
   * @return false only when no row can match
   */
  static boolean mightMatch(Predicate p, Function<ColumnRef, ColumnStats> statsOf) {
    if (p instanceof Predicate.And and) {
      return and.terms().stream().allMatch(t -> mightMatch(t, statsOf));
    }
    if (p instanceof Predicate.Or or) {
      return or.terms().stream().anyMatch(t -> mightMatch(t, statsOf));
    }
    if (p instanceof Predicate.IsNull isNull) {
      ColumnStats s = statsOf.apply(isNull.column());
      return s == null || s.nullCount() == null || s.nullCount() > 0;
    }
    if (p instanceof Predicate.Not not && not.term() instanceof Predicate.IsNull isNull) {
      ColumnStats s = statsOf.apply(isNull.column());
      return s == null || s.valueCount() == null || s.valueCount() > 0;
    }
    if (p instanceof Predicate.Comparison c) {
      ColumnStats s = statsOf.apply(c.column());
      return s == null || comparisonMightMatch(c.op(), c.value(), s, isFloat(c.column()));
    }
    if (p instanceof Predicate.In in) {
      ColumnStats s = statsOf.apply(in.column());
      return s == null || in.values().stream()
          .anyMatch(v -> comparisonMightMatch(Predicate.Op.EQ, v, s, isFloat(in.column())));
    }
    return true;
  }

  private static boolean isFloat(ColumnRef column) {
    return column.type().kind().isFloatingPoint();
  }

  private static boolean comparisonMightMatch(Predicate.Op op, Object value, ColumnStats s, boolean isFloat) {
    if (s.valueCount() != null && s.valueCount() == 0 && s.nullCount() != null) {
      return false; // only NULLs, and a comparison with NULL is never true
    }
    // NaN sorts above everything, and bounds may leave NaNs out: a NaN could satisfy > >= <> = NaN.
    boolean nanPossible = isFloat && !Boolean.FALSE.equals(s.containsNan());
    boolean valueIsNan = value instanceof Double d && d.isNaN();
    Object min = s.min();
    Object max = s.max();
    if (nanPossible && (valueIsNan || op == Predicate.Op.GT || op == Predicate.Op.GE || op == Predicate.Op.NE)) {
      return true;
    }
    return switch (op) {
      case EQ -> (min == null || Values.compare(min, value) <= 0) && (max == null || Values.compare(max, value) >= 0);
      // DuckDB truncates long string bounds to a prefix, so equal bounds do not prove equal strings.
      case NE -> value instanceof String || min == null || max == null || Values.compare(min, value) != 0
          || Values.compare(max, value) != 0;
      case LT -> min == null || Values.compare(min, value) < 0;
      case LE -> min == null || Values.compare(min, value) <= 0;
      case GT -> max == null || Values.compare(max, value) > 0;
      case GE -> max == null || Values.compare(max, value) >= 0;
    };
  }
}
