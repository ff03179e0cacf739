package dev.mallard.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Exprs#arith} and {@link Exprs#rescale} on values held as longs, against BigDecimal
 * arithmetic: results that overflow a long make a DECIMAL continue as BigDecimals and an integer
 * fail, but not when only a NULL row's payload overflows.
 */
class ExactArithmeticTest {
  private static final VType DEC = VType.decimal(2);
  private static final long[] EDGES = {0, 1, -1, 3_037_000_499L, -3_037_000_500L, Long.MAX_VALUE, Long.MIN_VALUE,
      Long.MAX_VALUE / 2 + 1, Long.MIN_VALUE / 2 - 1, 4_294_967_296L, -4_294_967_296L};

  @Test
  void decimalsEqualBigDecimalArithmeticAtAndPastALongsEnds() {
    Random random = new Random(31);
    int n = 3000;
    long[] x = new long[n];
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      x[i] = i < EDGES.length * EDGES.length ? EDGES[i / EDGES.length] : random.nextLong() >> random.nextInt(64);
      y[i] = i < EDGES.length * EDGES.length ? EDGES[i % EDGES.length] : random.nextLong() >> random.nextInt(64);
    }
    Chunk in = new Chunk(new Column[] {Column.ofLongs(x, null, n), Column.ofLongs(y, null, n)}, n);
    for (Exprs.Arith op : Exprs.Arith.values()) {
      VType type = op == Exprs.Arith.MUL ? VType.decimal(4) : DEC;
      VectorExpr expr = Exprs.arith(op, Exprs.input(0, DEC), Exprs.input(1, DEC), type, 0, 0);
      Column out = expr.eval(in);
      for (int i = 0; i < n; i++) {
        BigDecimal a = BigDecimal.valueOf(x[i], 2);
        BigDecimal b = BigDecimal.valueOf(y[i], 2);
        BigDecimal want = op == Exprs.Arith.ADD ? a.add(b) : op == Exprs.Arith.SUB ? a.subtract(b) : a.multiply(b);
        assertThat(out.decimal(i, type.scale())).as("%s %d %d", op, x[i], y[i]).isEqualByComparingTo(want);
        // Alone in its chunk, so that no other row's overflow sends it to BigDecimals.
        Column alone = expr.eval(new Chunk(new Column[] {Column.ofLongs(new long[] {x[i]}, null, 1),
            Column.ofLongs(new long[] {y[i]}, null, 1)}, 1));
        assertThat(alone.decimal(0, type.scale())).as("%s %d %d alone", op, x[i], y[i]).isEqualByComparingTo(want);
      }
      // Within a long's range the result stays in longs.
      Column small = Exprs.arith(op, Exprs.input(0, DEC), Exprs.input(1, DEC), type, 0, 0)
          .eval(new Chunk(new Column[] {Column.ofLongs(new long[] {5, -7}, null, 2),
              Column.ofLongs(new long[] {3, 11}, null, 2)}, 2));
      assertThat(small.longs).as("%s", op).isNotNull();
    }
  }

  @Test
  void integersFailPastTheirRangeButNotOnANullRowsPayload() {
    for (Exprs.Arith op : Exprs.Arith.values()) {
      long big = op == Exprs.Arith.MUL ? 1L << 40 : Long.MAX_VALUE - 1;
      long other = op == Exprs.Arith.SUB ? -big : big;
      long[] x = {1, big};
      long[] y = {2, other};
      VectorExpr expr = Exprs.arith(op, Exprs.input(0, VType.LONG), Exprs.input(1, VType.LONG), VType.LONG,
          Long.MIN_VALUE, Long.MAX_VALUE);
      Chunk overflowing = new Chunk(new Column[] {Column.ofLongs(x, null, 2), Column.ofLongs(y, null, 2)}, 2);
      assertThatThrownBy(() -> expr.eval(overflowing)).as("%s", op).isInstanceOf(ArithmeticException.class);
      Chunk nullRow = new Chunk(new Column[] {Column.ofLongs(x, new boolean[] {false, true}, 2),
          Column.ofLongs(y, null, 2)}, 2);
      Column out = expr.eval(nullRow);
      assertThat(out.isNull(1)).isTrue();
      assertThat(out.longs[0]).as("%s", op).isEqualTo(op == Exprs.Arith.ADD ? 3 : op == Exprs.Arith.SUB ? -1 : 2);
    }
  }

  @Test
  void rescalingPastALongContinuesAsBigDecimals() {
    long[] x = {12, Long.MAX_VALUE / 50, -Long.MAX_VALUE / 50, 0};
    Column out = Exprs.rescale(Exprs.input(0, DEC), 4)
        .eval(new Chunk(new Column[] {Column.ofLongs(x, new boolean[] {false, false, false, true}, 4)}, 4));
    for (int i = 0; i < 3; i++) {
      assertThat(out.decimal(i, 4)).isEqualByComparingTo(BigDecimal.valueOf(x[i], 2));
    }
    assertThat(out.isNull(3)).isTrue();
    Column fits = Exprs.rescale(Exprs.input(0, DEC), 4)
        .eval(new Chunk(new Column[] {Column.ofLongs(new long[] {12, -Long.MAX_VALUE / 100}, null, 2)}, 2));
    assertThat(fits.longs).containsExactly(1200, -Long.MAX_VALUE / 100 * 100);
  }
}
