package dev.mallard.engine.vector;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.List;

/**
 * Groups its input's rows by key columns in a hash table and computes aggregates per group; hands
 * out one chunk: the keys, then the aggregates. Without keys there is exactly one group, even for
 * no rows (COUNT is then 0, the others NULL).
 */
public final class HashAggregate implements ChunkSource {
  public enum Kind { COUNT_STAR, COUNT, SUM, SUM0, MIN, MAX, AVG }

  /**
   * One aggregate: of the input column {@code arg} (unused for COUNT_STAR) of type {@code argType},
   * giving {@code outType}: COUNT a LONG; SUM and SUM0 the argument's kind (an exact sum as a
   * DECIMAL at the argument's scale, or a LONG); AVG a DOUBLE; MIN and MAX the argument's type.
   */
  public record Call(Kind kind, int arg, VType argType, VType outType) {}

  /** 2^53: integers below it in magnitude are exact doubles. */
  private static final long EXACT_DOUBLE = 1L << 53;
  private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L,
      10_000_000L, 100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L,
      10_000_000_000_000L, 100_000_000_000_000L, 1_000_000_000_000_000L};

  private final ChunkSource input;
  private final int[] keys;
  private final VType[] keyTypes;
  private final List<Call> calls;
  private boolean done;
  /** When set, the only keys whose rows are aggregated (see {@link #keepOnlyKeys}). */
  private LongIntMap onlyKeys;

  public HashAggregate(ChunkSource input, int[] keys, VType[] keyTypes, List<Call> calls) {
    this.input = input;
    this.keys = keys.clone();
    this.keyTypes = keyTypes.clone();
    this.calls = List.copyOf(calls);
  }

  /** Whether this groups by one integer or decimal key, which {@link #keepOnlyKeys} can filter on. */
  boolean groupsByOneExactKey() {
    return keys.length == 1 && keyTypes[0].isExact();
  }

  /**
   * Aggregates only the rows whose key (held as a long) is in {@code keys}; groups of other keys
   * are not made. For a hash join that has read every key it will look up. Call before {@link #next}.
   */
  void keepOnlyKeys(LongIntMap keys) {
    this.onlyKeys = keys;
  }

  /** The rows of {@code in} whose key is one of {@link #onlyKeys}; all rows when its keys are not longs. */
  private Chunk onlyKeyRows(Chunk in) {
    Column key = in.column(keys[0]);
    if (key.longs == null) {
      return in;
    }
    int n = in.size();
    int[] rows = new int[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (!key.isNull(i) && onlyKeys.get(key.longs[i]) >= 0) {
        rows[m++] = i;
      }
    }
    return m == n ? in : in.select(rows, m);
  }

  @Override
  public Chunk next() {
    if (done) {
      return null;
    }
    done = true;
    GroupIds groupIds = keys.length == 0 ? null : new GroupIds(keyTypes);
    Acc[] accs = new Acc[calls.size()];
    for (int a = 0; a < accs.length; a++) {
      accs[a] = Acc.of(calls.get(a));
    }
    int groups = keys.length == 0 ? 1 : 0;
    int capacity = 16;
    for (Acc acc : accs) {
      acc.grow(capacity);
    }
    Chunk in;
    while ((in = input.next()) != null) {
      if (onlyKeys != null) {
        in = onlyKeyRows(in);
      }
      int n = in.size();
      int[] ids = new int[n];
      if (keys.length > 0) {
        Column[] keyColumns = new Column[keys.length];
        for (int k = 0; k < keys.length; k++) {
          keyColumns[k] = in.column(keys[k]);
        }
        ids = groupIds.assign(keyColumns, n);
        groups = groupIds.size();
        if (groups > capacity) {
          capacity = groups * 2;
          for (Acc acc : accs) {
            acc.grow(capacity);
          }
        }
      }
      for (int a = 0; a < accs.length; a++) {
        Call call = calls.get(a);
        accs[a].add(call.kind() == Kind.COUNT_STAR ? null : in.column(call.arg()), ids, n);
      }
    }
    if (groups == 0) {
      return null;
    }
    Column[] out = new Column[keys.length + accs.length];
    for (int k = 0; k < keys.length; k++) {
      out[k] = groupIds.keyColumn(k);
    }
    for (int a = 0; a < accs.length; a++) {
      out[keys.length + a] = accs[a].result(groups);
    }
    return new Chunk(out, groups);
  }

  @Override
  public void close() {
    input.close();
  }

  /** The state of one aggregate for every group. */
  private abstract static class Acc {
    static Acc of(Call call) {
      return switch (call.kind()) {
        case COUNT_STAR, COUNT -> new Count();
        case SUM, SUM0, AVG -> call.argType().kind() == VType.Kind.DOUBLE ? new DoubleSum(call) : new ExactSum(call);
        case MIN, MAX -> call.argType().kind() == VType.Kind.LONG ? new LongExtreme(call.kind() == Kind.MIN)
            : new ObjectExtreme(call.kind() == Kind.MIN, call.argType());
      };
    }

    abstract void grow(int groups);

    /** Adds the rows of {@code c} (null for COUNT(*)) to the groups {@code ids}. */
    abstract void add(Column c, int[] ids, int n);

    abstract Column result(int groups);
  }

  private static final class Count extends Acc {
    private long[] counts = new long[0];

    @Override
    void grow(int groups) {
      counts = Arrays.copyOf(counts, groups);
    }

    @Override
    void add(Column c, int[] ids, int n) {
      for (int i = 0; i < n; i++) {
        if (c == null || !c.isNull(i)) {
          counts[ids[i]]++;
        }
      }
    }

    @Override
    Column result(int groups) {
      return Column.ofLongs(Arrays.copyOf(counts, groups), null, groups);
    }
  }

  /** SUM, SUM0 and AVG of integers and decimals: exact, in a long until it would overflow, then a BigDecimal. */
  private static final class ExactSum extends Acc {
    private final Call call;
    private final int scale;
    private long[] sums = new long[0];
    private BigDecimal[] big = new BigDecimal[0];
    private long[] counts = new long[0];

    ExactSum(Call call) {
      this.call = call;
      this.scale = call.argType().scale();
    }

    @Override
    void grow(int groups) {
      sums = Arrays.copyOf(sums, groups);
      big = Arrays.copyOf(big, groups);
      counts = Arrays.copyOf(counts, groups);
    }

    @Override
    void add(Column c, int[] ids, int n) {
      if (c.longs != null && c.nulls == null) {
        addLongs(c.longs, ids, n);
        return;
      }
      for (int i = 0; i < n; i++) {
        if (c.isNull(i)) {
          continue;
        }
        int g = ids[i];
        counts[g]++;
        if (big[g] == null && c.longs != null) {
          long s = sums[g];
          long v = c.longs[i];
          long r = s + v;
          if (((s ^ r) & (v ^ r)) >= 0) {
            sums[g] = r;
            continue;
          }
          big[g] = BigDecimal.valueOf(s, scale);
        } else if (big[g] == null) {
          big[g] = BigDecimal.valueOf(sums[g], scale);
        }
        big[g] = big[g].add(c.decimal(i, scale));
      }
    }

    /** As {@link #add} for values in longs without NULLs: the common case, in a loop of its own. */
    private void addLongs(long[] values, int[] ids, int n) {
      long[] sums = this.sums;
      long[] counts = this.counts;
      for (int i = 0; i < n; i++) {
        int g = ids[i];
        counts[g]++;
        long v = values[i];
        if (big[g] == null) {
          long s = sums[g];
          long r = s + v;
          if (((s ^ r) & (v ^ r)) >= 0) {
            sums[g] = r;
            continue;
          }
          big[g] = BigDecimal.valueOf(s, scale);
        }
        big[g] = big[g].add(BigDecimal.valueOf(v, scale));
      }
    }

    @Override
    Column result(int groups) {
      int n = groups;
      if (call.kind() == Kind.AVG) {
        double[] out = new double[n];
        boolean[] nulls = new boolean[n];
        long unit = scale < POWERS_OF_TEN.length ? POWERS_OF_TEN[scale] : EXACT_DOUBLE;
        for (int g = 0; g < n; g++) {
          nulls[g] = counts[g] == 0;
          if (!nulls[g] && big[g] == null && Math.abs(sums[g]) < EXACT_DOUBLE && counts[g] < EXACT_DOUBLE / unit) {
            // Both operands are exact doubles: one IEEE division rounds the true quotient correctly.
            out[g] = (double) sums[g] / (double) (counts[g] * unit);
          } else if (!nulls[g]) {
            BigDecimal sum = big[g] != null ? big[g] : BigDecimal.valueOf(sums[g], scale);
            out[g] = sum.divide(BigDecimal.valueOf(counts[g]), MathContext.DECIMAL128).doubleValue();
          }
        }
        return Column.ofDoubles(out, nulls, n);
      }
      boolean anyBig = false;
      boolean[] nulls = new boolean[n];
      for (int g = 0; g < n; g++) {
        anyBig |= big[g] != null;
        nulls[g] = call.kind() == Kind.SUM && counts[g] == 0;
      }
      if (!anyBig) {
        return Column.ofLongs(Arrays.copyOf(sums, n), nulls, n);
      }
      if (call.outType().kind() == VType.Kind.LONG) {
        throw new ArithmeticException("The sum is out of the range of its type");
      }
      Object[] out = new Object[n];
      for (int g = 0; g < n; g++) {
        out[g] = nulls[g] ? null : big[g] != null ? big[g] : BigDecimal.valueOf(sums[g], scale);
      }
      return Column.ofObjects(out, n);
    }
  }

  private static final class DoubleSum extends Acc {
    private final Call call;
    private double[] sums = new double[0];
    private long[] counts = new long[0];

    DoubleSum(Call call) {
      this.call = call;
    }

    @Override
    void grow(int groups) {
      sums = Arrays.copyOf(sums, groups);
      counts = Arrays.copyOf(counts, groups);
    }

    @Override
    void add(Column c, int[] ids, int n) {
      for (int i = 0; i < n; i++) {
        if (!c.isNull(i)) {
          sums[ids[i]] += c.doubles[i];
          counts[ids[i]]++;
        }
      }
    }

    @Override
    Column result(int groups) {
      double[] out = new double[groups];
      boolean[] nulls = new boolean[groups];
      for (int g = 0; g < groups; g++) {
        nulls[g] = call.kind() != Kind.SUM0 && counts[g] == 0;
        out[g] = call.kind() == Kind.AVG ? sums[g] / counts[g] : sums[g];
      }
      return Column.ofDoubles(out, nulls, groups);
    }
  }

  private static final class LongExtreme extends Acc {
    private final boolean min;
    private long[] best = new long[0];
    private boolean[] seen = new boolean[0];

    LongExtreme(boolean min) {
      this.min = min;
    }

    @Override
    void grow(int groups) {
      best = Arrays.copyOf(best, groups);
      seen = Arrays.copyOf(seen, groups);
    }

    @Override
    void add(Column c, int[] ids, int n) {
      for (int i = 0; i < n; i++) {
        if (c.isNull(i)) {
          continue;
        }
        int g = ids[i];
        long v = c.longs[i];
        if (!seen[g] || (min ? v < best[g] : v > best[g])) {
          best[g] = v;
          seen[g] = true;
        }
      }
    }

    @Override
    Column result(int groups) {
      boolean[] nulls = new boolean[groups];
      for (int g = 0; g < groups; g++) {
        nulls[g] = !seen[g];
      }
      return Column.ofLongs(Arrays.copyOf(best, groups), nulls, groups);
    }
  }

  /** MIN and MAX of strings and decimals. */
  private static final class ObjectExtreme extends Acc {
    private final boolean min;
    private final VType type;
    private Object[] best = new Object[0];

    ObjectExtreme(boolean min, VType type) {
      this.min = min;
      this.type = type;
    }

    @Override
    void grow(int groups) {
      best = Arrays.copyOf(best, groups);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    void add(Column c, int[] ids, int n) {
      for (int i = 0; i < n; i++) {
        if (c.isNull(i)) {
          continue;
        }
        int g = ids[i];
        Comparable v = type.kind() == VType.Kind.STRING ? (String) c.objects[i] : c.decimal(i, type.scale());
        if (best[g] == null || (min ? v.compareTo(best[g]) < 0 : v.compareTo(best[g]) > 0)) {
          best[g] = v;
        }
      }
    }

    @Override
    Column result(int groups) {
      return Column.ofObjects(Arrays.copyOf(best, groups), groups);
    }
  }
}
