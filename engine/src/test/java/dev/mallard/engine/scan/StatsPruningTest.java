package dev.mallard.engine.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.expr.Predicate.Op;
import dev.mallard.engine.types.ColumnStats;
import dev.mallard.engine.types.DuckLakeType;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsPruningTest {
  private static final ColumnRef I = new ColumnRef(1, "i", DuckLakeType.parse("int64"));
  private static final ColumnRef D = new ColumnRef(2, "d", DuckLakeType.parse("float64"));
  private static final ColumnRef S = new ColumnRef(3, "s", DuckLakeType.parse("varchar"));

  private static boolean might(Predicate p, ColumnStats stats) {
    return StatsPruning.mightMatch(p, c -> stats);
  }

  private static ColumnStats ints(long min, long max, long nulls) {
    return new ColumnStats(min, max, nulls, 100L, null);
  }

  @Test
  void rangesRuleOutComparisonsOutsideThem() {
    ColumnStats s = ints(10, 20, 0);
    assertThat(might(new Predicate.Comparison(I, Op.EQ, 5L), s)).isFalse();
    assertThat(might(new Predicate.Comparison(I, Op.EQ, 15L), s)).isTrue();
    assertThat(might(new Predicate.Comparison(I, Op.LT, 10L), s)).isFalse();
    assertThat(might(new Predicate.Comparison(I, Op.LE, 10L), s)).isTrue();
    assertThat(might(new Predicate.Comparison(I, Op.GT, 20L), s)).isFalse();
    assertThat(might(new Predicate.Comparison(I, Op.GE, 20L), s)).isTrue();
    assertThat(might(new Predicate.In(I, List.of(1L, 2L, 30L)), s)).isFalse();
    assertThat(might(new Predicate.In(I, List.of(1L, 12L)), s)).isTrue();
    assertThat(might(new Predicate.Comparison(I, Op.NE, 10L), ints(10, 10, 0))).isFalse();
  }

  @Test
  void nullCountsDecideNullTests() {
    assertThat(might(new Predicate.IsNull(I), ints(1, 2, 0))).isFalse();
    assertThat(might(new Predicate.IsNull(I), ints(1, 2, 3))).isTrue();
    ColumnStats allNull = new ColumnStats(null, null, 100L, 0L, null);
    assertThat(might(new Predicate.Not(new Predicate.IsNull(I)), allNull)).isFalse();
    assertThat(might(new Predicate.Comparison(I, Op.EQ, 1L), allNull)).isFalse();
  }

  @Test
  void unknownStatisticsNeverPrune() {
    assertThat(StatsPruning.mightMatch(new Predicate.Comparison(I, Op.EQ, 5L), c -> null)).isTrue();
    assertThat(might(new Predicate.Comparison(I, Op.EQ, 5L), ColumnStats.UNKNOWN)).isTrue();
    assertThat(might(new Predicate.Comparison(I, Op.EQ, -5L), new ColumnStats(null, 3L, null, null, null))).isTrue();
    assertThat(might(new Predicate.Comparison(I, Op.EQ, 5L), new ColumnStats(null, 3L, null, null, null))).isFalse();
  }

  @Test
  void nanCanSatisfyGreaterThanUnlessTheFileHasNone() {
    ColumnStats maybeNan = new ColumnStats(1.0, 2.0, 0L, 10L, null);
    ColumnStats noNan = new ColumnStats(1.0, 2.0, 0L, 10L, false);
    assertThat(might(new Predicate.Comparison(D, Op.GT, 5.0), maybeNan)).isTrue();
    assertThat(might(new Predicate.Comparison(D, Op.GT, 5.0), noNan)).isFalse();
    assertThat(might(new Predicate.Comparison(D, Op.EQ, Double.NaN), maybeNan)).isTrue();
    assertThat(might(new Predicate.Comparison(D, Op.LT, 0.5), maybeNan)).isFalse();
  }

  @Test
  void truncatedStringBoundsNeverProveInequality() {
    // DuckDB keeps 256 characters of long strings: equal bounds do not mean equal values.
    ColumnStats s = new ColumnStats("abc", "abc", 0L, 10L, null);
    assertThat(might(new Predicate.Comparison(S, Op.NE, "abc"), s)).isTrue();
  }

  @Test
  void combinesWithAndOr() {
    ColumnStats s = ints(10, 20, 0);
    Predicate out = new Predicate.Comparison(I, Op.EQ, 5L);
    Predicate in = new Predicate.Comparison(I, Op.EQ, 15L);
    assertThat(might(new Predicate.And(List.of(in, out)), s)).isFalse();
    assertThat(might(new Predicate.Or(List.of(in, out)), s)).isTrue();
    assertThat(might(new Predicate.Or(List.of(out, out)), s)).isFalse();
    assertThat(might(new Predicate.Not(in), s)).isTrue();
  }
}
