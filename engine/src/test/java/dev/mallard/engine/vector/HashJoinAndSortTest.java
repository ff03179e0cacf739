package dev.mallard.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.scan.KeyFilter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The batch hash join and sort against a nested-loop join and a list sort of the same rows: NULL
 * keys, duplicate keys, empty sides, keys of several types, decimals held as longs in some chunks and
 * as BigDecimals in others, a residual condition, chunk boundaries.
 */
class HashJoinAndSortTest {
  // Columns: 0 an integer key (LONG), 1 a string key, 2 a DECIMAL(10,2) key, 3 a payload LONG.
  private static final VType DEC = VType.decimal(2);
  private static final VType[] TYPES = {VType.LONG, VType.STRING, DEC, VType.LONG};

  private static List<Object[]> rows(Random random, int n) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new Object[] {
          random.nextInt(8) == 0 ? null : (long) random.nextInt(20),
          random.nextInt(8) == 0 ? null : "s" + random.nextInt(3),
          random.nextInt(8) == 0 ? null : BigDecimal.valueOf(random.nextInt(4), 2),
          (long) random.nextInt(100)});
    }
    return rows;
  }

  /** The rows in chunks of up to {@code size}; every other chunk holds its decimals as BigDecimals. */
  private static ChunkSource source(List<Object[]> rows, int size) {
    List<Chunk> chunks = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += size) {
      List<Object[]> part = rows.subList(from, Math.min(rows.size(), from + size));
      boolean bigDecimals = chunks.size() % 2 == 1;
      Column[] columns = new Column[TYPES.length];
      for (int c = 0; c < TYPES.length; c++) {
        int col = c;
        int n = part.size();
        if (TYPES[c].kind() == VType.Kind.STRING || c == 2 && bigDecimals) {
          columns[c] = Column.ofObjects(part.stream().map(r -> r[col]).toArray(), n);
        } else {
          long[] values = new long[n];
          boolean[] nulls = new boolean[n];
          for (int i = 0; i < n; i++) {
            Object v = part.get(i)[c];
            nulls[i] = v == null;
            values[i] = v == null ? 0 : v instanceof BigDecimal d ? d.unscaledValue().longValueExact() : (Long) v;
          }
          columns[c] = Column.ofLongs(values, nulls, n);
        }
      }
      chunks.add(new Chunk(columns, part.size()));
    }
    return of(chunks);
  }

  /** The chunks, one after the other. */
  private static ChunkSource of(List<Chunk> chunks) {
    Iterator<Chunk> it = chunks.iterator();
    return new ChunkSource() {
      @Override
      public Chunk next() {
        return it.hasNext() ? it.next() : null;
      }

      @Override
      public void close() {}
    };
  }

  /** Every row handed out, each as a string of its values (decimals by value). */
  private static List<String> drain(ChunkSource source) {
    List<String> out = new ArrayList<>();
    try (source) {
      Chunk c;
      while ((c = source.next()) != null) {
        assertThat(c.size()).isPositive();
        for (int i = 0; i < c.size(); i++) {
          StringBuilder row = new StringBuilder();
          for (int k = 0; k < c.columns().length; k++) {
            Column col = c.column(k);
            Object v = col.isNull(i) ? null : (k % 4 == 2) ? col.decimal(i, 2) : col.boxed(i);
            row.append(v).append('|');
          }
          out.add(row.toString());
        }
      }
    }
    return out;
  }

  private static String str(Object[] probe, Object[] build) {
    StringBuilder row = new StringBuilder();
    for (Object v : probe) {
      row.append(v).append('|');
    }
    if (build != null) {
      for (Object v : build) {
        row.append(v).append('|');
      }
    }
    return row.toString();
  }

  private static boolean keysMatch(Object[] p, Object[] b, int[] keys) {
    for (int k : keys) {
      if (p[k] == null || b[k] == null || !Objects.equals(p[k], b[k])) {
        return false;
      }
    }
    return true;
  }

  /** Residual used by the tests: probe payload < build payload (columns 3 and 7). */
  private static final VectorExpr LESS = Exprs.compare(Exprs.Cmp.LT, Exprs.input(3, VType.LONG),
      Exprs.input(7, VType.LONG));

  private static List<String> expected(List<Object[]> probe, List<Object[]> build, int[] keys, HashJoin.Type type,
      boolean residual) {
    List<String> out = new ArrayList<>();
    for (Object[] p : probe) {
      boolean any = false;
      for (Object[] b : build) {
        if (keysMatch(p, b, keys) && (!residual || (Long) p[3] < (Long) b[3])) {
          any = true;
          if (type == HashJoin.Type.INNER || type == HashJoin.Type.LEFT) {
            out.add(str(p, b));
          }
        }
      }
      if (type == HashJoin.Type.SEMI && any || type == HashJoin.Type.ANTI && !any) {
        out.add(str(p, null));
      } else if (type == HashJoin.Type.LEFT && !any) {
        out.add(str(p, new Object[4]));
      }
    }
    return out;
  }

  /**
   * A probe on one LONG key has a filter of its build keys for the scan below when it drops the probe
   * rows without a match (INNER, SEMI), and so does a step marking a small side's rows: it lets every
   * hashed key through, and rules out most others.
   */
  @Test
  void aProbeOnOneLongKeyFiltersKeysForInnerAndSemiJoins() {
    Random random = new Random(3);
    List<Object[]> build = new ArrayList<>();
    Set<Long> keys = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      Long key = random.nextInt(10) == 0 ? null : random.nextInt(1_000_000) * 7L;
      keys.add(key);
      build.add(new Object[] {key, "s", BigDecimal.ONE.setScale(2), 1L});
    }
    for (HashJoin.Type type : HashJoin.Type.values()) {
      HashJoin.Probe probe = HashJoin.probeStep(source(build, 41), new int[] {0}, new int[] {0},
          new VType[] {VType.LONG}, TYPES, type, null);
      KeyFilter filter = probe.keyFilter();
      if (type == HashJoin.Type.LEFT || type == HashJoin.Type.ANTI) {
        assertThat(filter).as("%s", type).isNull();
        continue;
      }
      assertThat(probe.keyColumn()).isZero();
      keys.stream().filter(k -> k != null).forEach(k -> assertThat(filter.mightContain(k)).as("%d", k).isTrue());
      long ruledOut = random.longs(100_000).filter(k -> !keys.contains(k) && !filter.mightContain(k)).count();
      assertThat(ruledOut).as("%s", type).isGreaterThan(90_000);
    }
    HashJoin.Probe twoKeys = HashJoin.probeStep(source(build, 41), new int[] {0, 1}, new int[] {0, 1},
        new VType[] {VType.LONG, VType.STRING}, TYPES, HashJoin.Type.INNER, null);
    assertThat(twoKeys.keyFilter()).isNull();
    // A right row whose key no left row has marks nothing, for SEMI, ANTI and LEFT joins alike.
    for (HashJoin.Type type : List.of(HashJoin.Type.SEMI, HashJoin.Type.ANTI, HashJoin.Type.LEFT)) {
      HashJoin.Marks marks = new HashJoin.Marks(source(build, 41), new int[] {0}, new int[] {0},
          new VType[] {VType.LONG}, TYPES, TYPES, type);
      KeyFilter filter = marks.markStep().keyFilter();
      keys.stream().filter(k -> k != null).forEach(k -> assertThat(filter.mightContain(k)).as("%d", k).isTrue());
      assertThat(random.longs(100_000).filter(k -> !keys.contains(k) && !filter.mightContain(k)).count())
          .isGreaterThan(90_000);
    }
  }

  @Test
  void everyJoinTypeEqualsANestedLoopJoin() {
    Random random = new Random(7);
    int[][] keySets = {{0}, {1}, {2}, {0, 1, 2}};
    for (int round = 0; round < 12; round++) {
      int probeRows = round == 0 ? 0 : random.nextInt(300);
      int buildRows = round == 1 ? 0 : random.nextInt(300);
      List<Object[]> probe = rows(random, probeRows);
      List<Object[]> build = rows(random, buildRows);
      for (int[] keys : keySets) {
        VType[] keyTypes = new VType[keys.length];
        for (int k = 0; k < keys.length; k++) {
          keyTypes[k] = TYPES[keys[k]];
        }
        for (HashJoin.Type type : HashJoin.Type.values()) {
          for (boolean residual : new boolean[] {false, true}) {
            HashJoin join = new HashJoin(source(probe, 37), source(build, 41), keys, keys, keyTypes, TYPES, type,
                residual ? LESS : null);
            List<String> expected = expected(probe, build, keys, type, residual);
            assertThat(drain(join)).as("%s keys %s residual %s", type, java.util.Arrays.toString(keys), residual)
                .containsExactlyInAnyOrderElementsOf(expected);
            // The same join as a step over the probe side's chunks, as a scan pipeline runs it.
            UnaryOperator<Chunk> step = HashJoin.probeStep(source(build, 41), keys, keys, keyTypes, TYPES, type,
                residual ? LESS : null);
            boolean nothing = build.isEmpty() && (type == HashJoin.Type.INNER || type == HashJoin.Type.SEMI);
            assertThat(step == null).as("no probe row can match").isEqualTo(nothing);
            if (step != null) {
              assertThat(drain(ChunkSource.map(source(probe, 37), step))).containsExactlyInAnyOrderElementsOf(expected);
            } else {
              assertThat(expected).isEmpty();
            }
            if (!residual && type != HashJoin.Type.INNER) {
              // The probe side hashed and marked by the build side's chunks (for LEFT, also joined to them).
              HashJoin.Marks marks = new HashJoin.Marks(source(probe, 37), keys, keys, keyTypes, TYPES, TYPES, type);
              List<String> marked = marks.leftIsEmpty() ? List.of()
                  : drain(marks.rows(ChunkSource.map(source(build, 41), marks.markStep())));
              assertThat(marked).as("marked %s keys %s", type, java.util.Arrays.toString(keys))
                  .containsExactlyInAnyOrderElementsOf(expected);
            }
          }
        }
      }
    }
  }

  /**
   * A join whose build side aggregates by the join keys aggregates only the probe side's keys of one
   * of them when that side is small: the same rows as without that reduction (an aggregate the join
   * cannot see as one), for every join type, integer and decimal keys (decimals as longs and as
   * BigDecimals), NULL keys, one key or several, and a probe side too large to reduce for.
   */
  @Test
  void aReducedAggregateBuildSideGivesTheSameRows() {
    Random random = new Random(13);
    for (int probeRows : new int[] {0, 5, 300, 70_000}) {
      List<Object[]> probe = rows(random, probeRows);
      List<Object[]> build = rows(random, 2_000);
      // One key, or several: a string and a long (the long filters), or two exact ones (the one of fewer probe values).
      for (int[] keys : new int[][] {{0}, {2}, {1, 0}, {0, 2}, {2, 0}}) {
        VType[] keyTypes = java.util.Arrays.stream(keys).mapToObj(k -> TYPES[k]).toArray(VType[]::new);
        VType[] aggTypes = java.util.Arrays.copyOf(keyTypes, keys.length + 1);
        aggTypes[keys.length] = VType.LONG;
        int[] buildKeys = java.util.stream.IntStream.range(0, keys.length).toArray();
        List<HashAggregate.Call> sum = List.of(new HashAggregate.Call(HashAggregate.Kind.SUM, 3, VType.LONG, VType.LONG));
        VectorExpr less = Exprs.compare(Exprs.Cmp.LT, Exprs.input(3, VType.LONG),
            Exprs.input(TYPES.length + keys.length, VType.LONG));
        for (HashJoin.Type type : HashJoin.Type.values()) {
          for (VectorExpr residual : java.util.Arrays.asList(null, less)) {
            HashAggregate reducible = new HashAggregate(source(build, 41), keys, keyTypes, sum);
            HashAggregate plain = new HashAggregate(source(build, 41), keys, keyTypes, sum);
            ChunkSource hidden = new ChunkSource() {
              @Override
              public Chunk next() {
                return plain.next();
              }

              @Override
              public void close() {
                plain.close();
              }
            };
            List<String> reduced = drain(new HashJoin(source(probe, 1000), reducible, keys, buildKeys, keyTypes,
                aggTypes, type, residual));
            List<String> whole = drain(new HashJoin(source(probe, 1000), hidden, keys, buildKeys, keyTypes,
                aggTypes, type, residual));
            assertThat(reduced).as("%s keys %s probe %d residual %s", type, java.util.Arrays.toString(keys), probeRows,
                residual != null).containsExactlyInAnyOrderElementsOf(whole);
            if (probeRows > 0 && type == HashJoin.Type.INNER && residual == null) {
              assertThat(reduced).isNotEmpty();
            }
          }
        }
      }
    }
  }

  /**
   * An aggregate in two phases (a partial state per part of the input, then their merge, as scan
   * tasks run it) gives the one-phase result: every kind of call, NULL keys and arguments, decimal
   * sums that outgrow a long within a part or only when merged, empty parts, and no keys at all.
   */
  @Test
  void aTwoPhaseAggregateGivesTheOnePhaseResult() {
    Random random = new Random(17);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      long huge = Long.MAX_VALUE / 4 - random.nextInt(1000);
      rows.add(new Object[] {
          random.nextInt(8) == 0 ? null : (long) random.nextInt(50),
          random.nextInt(8) == 0 ? null : "s" + random.nextInt(5),
          random.nextInt(8) == 0 ? null : BigDecimal.valueOf(random.nextInt(3) == 0 ? (i % 2 == 0 ? huge : -huge)
              : random.nextInt(10_000), 2),
          random.nextInt(8) == 0 ? null : (long) random.nextInt(1_000_000) - 500_000});
    }
    List<HashAggregate.Call> calls = List.of(
        new HashAggregate.Call(HashAggregate.Kind.COUNT_STAR, -1, null, VType.LONG),
        new HashAggregate.Call(HashAggregate.Kind.COUNT, 2, DEC, VType.LONG),
        new HashAggregate.Call(HashAggregate.Kind.SUM, 3, VType.LONG, VType.LONG),
        new HashAggregate.Call(HashAggregate.Kind.SUM0, 3, VType.LONG, VType.LONG),
        new HashAggregate.Call(HashAggregate.Kind.SUM, 2, DEC, DEC),
        new HashAggregate.Call(HashAggregate.Kind.AVG, 2, DEC, VType.DOUBLE),
        new HashAggregate.Call(HashAggregate.Kind.AVG, 3, VType.LONG, VType.DOUBLE),
        new HashAggregate.Call(HashAggregate.Kind.MIN, 1, VType.STRING, VType.STRING),
        new HashAggregate.Call(HashAggregate.Kind.MAX, 1, VType.STRING, VType.STRING),
        new HashAggregate.Call(HashAggregate.Kind.MIN, 2, DEC, DEC),
        new HashAggregate.Call(HashAggregate.Kind.MAX, 3, VType.LONG, VType.LONG));
    // Key 3 has about as many groups as rows: its partial states are merged in parallel partitions.
    for (int[] keys : new int[][] {{0}, {1, 0}, {2}, {}, {3}, {1, 3}}) {
      VType[] keyTypes = new VType[keys.length];
      for (int k = 0; k < keys.length; k++) {
        keyTypes[k] = TYPES[keys[k]];
      }
      List<VType> outTypes = new ArrayList<>(List.of(keyTypes));
      calls.forEach(call -> outTypes.add(call.outType()));
      List<String> onePhase = aggregateRows(new HashAggregate(source(rows, 1000), keys, keyTypes, calls), outTypes);
      for (int partRows : new int[] {1, 700, 4096, 20_000}) {
        List<Chunk> partials = new ArrayList<>();
        HashAggregate.KeyFilter filter = new HashAggregate.KeyFilter();
        for (int from = 0; from <= rows.size(); from += partRows) {
          // The last part may be empty: a scan task whose rows were all filtered out.
          ChunkSink sink = HashAggregate.partial(keys, keyTypes, calls, filter);
          try (ChunkSource part = source(rows.subList(from, Math.min(rows.size(), from + partRows)), 300)) {
            Chunk c;
            while ((c = part.next()) != null) {
              assertThat(sink.add(c)).isNull();
            }
          }
          Chunk state = sink.finish();
          if (state != null) {
            partials.add(state);
          }
        }
        ChunkSource states = of(partials);
        assertThat(aggregateRows(HashAggregate.merging(states, keyTypes, calls, filter), outTypes))
            .as("keys %s, parts of %d rows", java.util.Arrays.toString(keys), partRows)
            .containsExactlyInAnyOrderElementsOf(onePhase);
      }
    }
  }

  /**
   * Decimal sums over columns without NULLs (the loop that checks for overflow once per chunk) equal
   * BigDecimal sums when a group's sum leaves a long's range in the middle of a chunk, comes back, or
   * stays out; with SUM and AVG over the same column.
   */
  @Test
  void decimalSumsPastALongsRangeStayExact() {
    Random random = new Random(23);
    int groups = 3;
    List<Chunk> chunks = new ArrayList<>();
    BigDecimal[] expected = new BigDecimal[groups];
    java.util.Arrays.fill(expected, BigDecimal.ZERO.setScale(2));
    long[] counts = new long[groups];
    for (int chunk = 0; chunk < 40; chunk++) {
      int n = 500;
      long[] keys = new long[n];
      long[] values = new long[n];
      for (int i = 0; i < n; i++) {
        keys[i] = random.nextInt(groups);
        // Group 0 only grows (its sum leaves a long's range and stays out); the others swing.
        boolean up = keys[i] == 0 || chunk % 10 < 5;
        values[i] = (Long.MAX_VALUE / 64 - random.nextInt(1000)) * (up ? 1 : -1) + random.nextInt(3);
        expected[(int) keys[i]] = expected[(int) keys[i]].add(BigDecimal.valueOf(values[i], 2));
        counts[(int) keys[i]]++;
      }
      chunks.add(new Chunk(new Column[] {Column.ofLongs(keys, null, n), Column.ofLongs(values, null, n)}, n));
    }
    ChunkSource source = of(chunks);
    List<HashAggregate.Call> calls = List.of(
        new HashAggregate.Call(HashAggregate.Kind.SUM, 1, DEC, DEC),
        new HashAggregate.Call(HashAggregate.Kind.AVG, 1, DEC, VType.DOUBLE));
    List<String> actual = aggregateRows(new HashAggregate(source, new int[] {0}, new VType[] {VType.LONG}, calls),
        List.of(VType.LONG, DEC, VType.DOUBLE));
    List<String> wanted = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      double avg = expected[g].divide(BigDecimal.valueOf(counts[g]), java.math.MathContext.DECIMAL128).doubleValue();
      wanted.add(g + "|" + expected[g].stripTrailingZeros().toPlainString() + "|" + String.format("%.12g", avg) + "|");
    }
    assertThat(expected[0].unscaledValue().bitLength()).as("group 0's sum is past a long").isGreaterThan(63);
    assertThat(actual).containsExactlyInAnyOrderElementsOf(wanted);
  }

  /**
   * Aggregates of few groups (which add each group's rows in a register) equal sums and counts made
   * row by row: COUNT(*), COUNT, SUM and AVG of integers and of doubles (the same additions in the
   * same order, so equal to the last bit), over chunks with and without NULLs, with and without keys.
   */
  @Test
  void fewGroupsSumAsRowByRow() {
    Random random = new Random(29);
    int groups = 5;
    List<Chunk> chunks = new ArrayList<>();
    long[] rowCounts = new long[groups];
    long[] longCounts = new long[groups];
    long[] longSums = new long[groups];
    double[] doubleSums = new double[groups];
    long[] doubleCounts = new long[groups];
    for (int chunk = 0; chunk < 30; chunk++) {
      int n = 1 + random.nextInt(700);
      boolean withNulls = chunk % 3 == 0;
      long[] keys = new long[n];
      long[] longs = new long[n];
      double[] doubles = new double[n];
      boolean[] longNulls = withNulls ? new boolean[n] : null;
      boolean[] doubleNulls = withNulls ? new boolean[n] : null;
      for (int i = 0; i < n; i++) {
        int g = random.nextInt(groups);
        keys[i] = g;
        longs[i] = random.nextInt(1_000_000) - 300_000;
        doubles[i] = random.nextDouble() * 1e6 - 1e5;
        rowCounts[g]++;
        if (withNulls && random.nextInt(4) == 0) {
          longNulls[i] = true;
        } else {
          longCounts[g]++;
          longSums[g] += longs[i];
        }
        if (withNulls && random.nextInt(4) == 0) {
          doubleNulls[i] = true;
        } else {
          doubleCounts[g]++;
          doubleSums[g] += doubles[i];
        }
      }
      chunks.add(new Chunk(new Column[] {Column.ofLongs(keys, null, n), Column.ofLongs(longs, longNulls, n),
          Column.ofDoubles(doubles, doubleNulls, n)}, n));
    }
    List<HashAggregate.Call> calls = List.of(
        new HashAggregate.Call(HashAggregate.Kind.COUNT_STAR, -1, null, VType.LONG),
        new HashAggregate.Call(HashAggregate.Kind.COUNT, 1, VType.LONG, VType.LONG),
        new HashAggregate.Call(HashAggregate.Kind.SUM, 1, VType.LONG, VType.LONG),
        new HashAggregate.Call(HashAggregate.Kind.SUM, 2, VType.DOUBLE, VType.DOUBLE),
        new HashAggregate.Call(HashAggregate.Kind.AVG, 2, VType.DOUBLE, VType.DOUBLE));
    for (boolean keyed : new boolean[] {true, false}) {
      int[] keys = keyed ? new int[] {0} : new int[0];
      VType[] keyTypes = keyed ? new VType[] {VType.LONG} : new VType[0];
      List<Chunk> out = new ArrayList<>();
      try (HashAggregate aggregate = new HashAggregate(of(chunks), keys, keyTypes, calls)) {
        for (Chunk c = aggregate.next(); c != null; c = aggregate.next()) {
          out.add(c);
        }
      }
      int first = keys.length;
      for (Chunk c : out) {
        for (int i = 0; i < c.size(); i++) {
          int[] members = keyed ? new int[] {(int) c.column(0).longs[i]} : new int[] {0, 1, 2, 3, 4};
          long rows = 0;
          long counted = 0;
          long sum = 0;
          double doubleSum = 0;
          long doubleCount = 0;
          for (int g : members) {
            rows += rowCounts[g];
            counted += longCounts[g];
            sum += longSums[g];
            doubleSum += doubleSums[g];
            doubleCount += doubleCounts[g];
          }
          assertThat(c.column(first).longs[i]).as("COUNT(*)").isEqualTo(rows);
          assertThat(c.column(first + 1).longs[i]).as("COUNT").isEqualTo(counted);
          assertThat(c.column(first + 2).longs[i]).as("SUM of integers").isEqualTo(sum);
          if (keyed) { // one group's doubles, added in row order: equal to the last bit
            assertThat(c.column(first + 3).doubles[i]).as("SUM of doubles").isEqualTo(doubleSum);
            assertThat(c.column(first + 4).doubles[i]).as("AVG of doubles").isEqualTo(doubleSum / doubleCount);
          } else {
            assertThat(c.column(first + 3).doubles[i]).isCloseTo(doubleSum, org.assertj.core.data.Offset.offset(1e-3));
          }
        }
      }
      assertThat(out.stream().mapToInt(Chunk::size).sum()).isEqualTo(keyed ? groups : 1);
    }
  }

  /** MIN and MAX of decimals come as longs when every result fits in one, else as BigDecimals; NULL stays NULL. */
  @Test
  void decimalExtremesComeAsLongsWhenTheyFit() {
    List<HashAggregate.Call> calls = List.of(new HashAggregate.Call(HashAggregate.Kind.MIN, 1, DEC, DEC),
        new HashAggregate.Call(HashAggregate.Kind.MAX, 1, DEC, DEC));
    Column keys = Column.ofLongs(new long[] {0, 1, 1, 2}, null, 4);
    Column fitting = Column.ofLongs(new long[] {-5, 700, -9, 0}, new boolean[] {false, false, false, true}, 4);
    Chunk out = new HashAggregate(of(List.of(new Chunk(new Column[] {keys, fitting}, 4))), new int[] {0},
        new VType[] {VType.LONG}, calls).next();
    assertThat(out.column(1).longs).as("minimums").startsWith(-5, -9);
    assertThat(out.column(2).longs).as("maximums").startsWith(-5, 700);
    assertThat(out.column(1).isNull(2)).isTrue();
    assertThat(out.column(2).isNull(2)).isTrue();
    BigDecimal huge = new BigDecimal("123456789012345678901.25");
    Column big = Column.ofObjects(new Object[] {huge, BigDecimal.valueOf(700, 2), BigDecimal.valueOf(-9, 2), null}, 4);
    Chunk bigOut = new HashAggregate(of(List.of(new Chunk(new Column[] {keys, big}, 4))), new int[] {0},
        new VType[] {VType.LONG}, calls).next();
    assertThat(bigOut.column(1).longs).isNull();
    assertThat(bigOut.column(1).decimal(0, 2)).isEqualByComparingTo(huge);
    assertThat(bigOut.column(2).decimal(1, 2)).isEqualByComparingTo("7.00");
    assertThat(bigOut.column(2).isNull(2)).isTrue();
  }

  /** An aggregate's rows as strings: decimals by value (held as longs or BigDecimals), doubles to 12 digits. */
  private static List<String> aggregateRows(ChunkSource source, List<VType> types) {
    List<String> out = new ArrayList<>();
    try (source) {
      Chunk c;
      while ((c = source.next()) != null) {
        for (int i = 0; i < c.size(); i++) {
          StringBuilder row = new StringBuilder();
          for (int k = 0; k < types.size(); k++) {
            Column col = c.column(k);
            Object v = col.boxed(i);
            if (v != null && types.get(k).kind() == VType.Kind.DECIMAL) {
              v = col.decimal(i, types.get(k).scale()).stripTrailingZeros().toPlainString();
            } else if (v instanceof Double d) {
              v = String.format("%.12g", d);
            }
            row.append(v).append('|');
          }
          out.add(row.toString());
        }
      }
    }
    return out;
  }

  @Test
  void sortAndTopNOrderAsTheKeysSayWithNullsWhereTheySay() {
    Random random = new Random(11);
    List<Object[]> rows = rows(random, 50_000);
    // ORDER BY string DESC NULLS FIRST, decimal ASC NULLS LAST, int ASC NULLS FIRST, payload
    List<Sort.Key> keys = List.of(new Sort.Key(1, VType.STRING, true, true), new Sort.Key(2, DEC, false, false),
        new Sort.Key(0, VType.LONG, false, true), new Sort.Key(3, VType.LONG, false, false));
    Comparator<Object[]> order = Comparator.<Object[], String>comparing(r -> (String) r[1],
            Comparator.nullsFirst(Comparator.<String>reverseOrder()))
        .thenComparing(r -> (BigDecimal) r[2], Comparator.nullsLast(Comparator.<BigDecimal>naturalOrder()))
        .thenComparing(r -> (Long) r[0], Comparator.nullsFirst(Comparator.<Long>naturalOrder()))
        .thenComparing(r -> (Long) r[3]);
    List<String> all = rows.stream().sorted(order).map(r -> str(r, null)).toList();
    assertThat(drain(new Sort(source(rows, 1000), TYPES, keys, 0, -1))).containsExactlyElementsOf(all);
    assertThat(drain(new Sort(source(rows, 1000), TYPES, keys, 10, 25))).containsExactlyElementsOf(all.subList(10, 35));
    assertThat(drain(new Sort(source(rows, 1000), TYPES, keys, 49_990, 100)))
        .containsExactlyElementsOf(all.subList(49_990, 50_000));
    assertThat(drain(new Sort(source(rows, 1000), TYPES, keys, 0, 0))).isEmpty();
    assertThat(drain(new Sort(source(List.of(), 1000), TYPES, keys, 0, 5))).isEmpty();
  }
}
