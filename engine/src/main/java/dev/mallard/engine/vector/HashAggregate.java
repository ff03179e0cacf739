package dev.mallard.engine.vector;

import dev.mallard.engine.exec.ScanPool;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
  /** Whether the input's chunks are partial states (see {@link #partial}) rather than rows. */
  private final boolean merging;
  private final KeyFilter onlyKeys;
  /** The result's chunks, once computed: one, or one per partition of a parallel merge. */
  private ArrayDeque<Chunk> result;

  /** How many rows of partial states the second half merges on one thread (see {@link #mergeInParallel}). */
  private static final int PARALLEL_MERGE_ROWS = 1 << 14;

  /**
   * The only keys whose rows an aggregate groups, when set (see {@link #keepOnlyKeys}); the two
   * halves of a two-phase aggregate share one.
   */
  public static final class KeyFilter {
    /**
     * Which of the aggregate's keys is filtered (its position among them), its values kept, and a
     * Bloom filter of those that rules out most other rows without a lookup.
     */
    private record Keys(int key, LongIntMap exact, dev.mallard.engine.scan.KeyFilter bloom) {}

    private volatile Keys keys;

    void set(int key, LongIntMap exact) {
      dev.mallard.engine.scan.KeyFilter bloom = new dev.mallard.engine.scan.KeyFilter(exact.size());
      exact.forEachKey(bloom::add);
      keys = new Keys(key, exact, bloom);
    }

    /** The rows of {@code in} (grouped by its columns {@code keyColumns}) whose filtered key is kept, if one is set. */
    Chunk apply(Chunk in, int[] keyColumns) {
      Keys only = keys;
      Column column = only == null ? null : in.column(keyColumns[only.key()]);
      if (column == null || column.longs == null) {
        return in; // no filter, or decimals too large for longs
      }
      long[] values = column.longs;
      int n = in.size();
      int[] rows = new int[n];
      int candidates = only.bloom().candidates(values, n, rows); // TPC-H Q17 keeps one row in a thousand
      int m = 0;
      for (int c = 0; c < candidates; c++) {
        int i = rows[c];
        if (!column.isNull(i) && only.exact().get(values[i]) >= 0) {
          rows[m++] = i;
        }
      }
      return m == n ? in : in.select(rows, m);
    }
  }

  public HashAggregate(ChunkSource input, int[] keys, VType[] keyTypes, List<Call> calls) {
    this(input, keys, keyTypes, calls, false, new KeyFilter());
  }

  private HashAggregate(ChunkSource input, int[] keys, VType[] keyTypes, List<Call> calls, boolean merging,
      KeyFilter onlyKeys) {
    this.input = input;
    this.keys = keys.clone();
    this.keyTypes = keyTypes.clone();
    this.calls = List.copyOf(calls);
    this.merging = merging;
    this.onlyKeys = onlyKeys;
  }

  /**
   * The first half of a two-phase aggregate: one sink per part of the input (a scan task), which
   * groups that part's rows and, at its end, hands out one chunk of partial states: the keys, then
   * each call's state (a count; a sum and a count; a minimum or maximum). {@link #merging} combines
   * them. Parts are then aggregated in parallel, and only their groups reach the second half.
   *
   * @param onlyKeys the second half's (see {@link #keepOnlyKeys})
   */
  public static ChunkSink partial(int[] keys, VType[] keyTypes, List<Call> calls, KeyFilter onlyKeys) {
    Groups groups = new Groups(keyTypes, calls);
    int[] keyColumns = keys.clone();
    return new ChunkSink() {
      @Override
      public Chunk add(Chunk in) {
        groups.add(onlyKeys.apply(in, keyColumns), keyColumns);
        return null;
      }

      @Override
      public Chunk finish() {
        return groups.states();
      }
    };
  }

  /**
   * The second half of a two-phase aggregate over the chunks of {@link #partial} sinks of the same
   * keys, calls and key filter.
   */
  public static HashAggregate merging(ChunkSource partials, VType[] keyTypes, List<Call> calls, KeyFilter onlyKeys) {
    int[] keys = new int[keyTypes.length];
    Arrays.setAll(keys, k -> k);
    return new HashAggregate(partials, keys, keyTypes, calls, true, onlyKeys);
  }

  /** Whether output column {@code column} is a key of integers or decimals, which {@link #keepOnlyKeys} can filter on. */
  boolean canKeepOnlyKeys(int column) {
    return column < keys.length && keyTypes[column].isExact();
  }

  /**
   * Aggregates only the rows whose key in output column {@code column} (held as a long) is in
   * {@code values}; groups of other keys are not made. For a hash join that has read every key it
   * will look up. Call before {@link #next}.
   */
  void keepOnlyKeys(int column, LongIntMap values) {
    onlyKeys.set(column, values);
  }

  @Override
  public Chunk next() {
    if (result == null) {
      result = new ArrayDeque<>();
      if (merging && keys.length > 0) {
        mergeInParallel();
      } else {
        Groups groups = new Groups(keyTypes, calls);
        Chunk in;
        while ((in = input.next()) != null) {
          in = onlyKeys.apply(in, keys);
          if (merging) {
            groups.merge(in);
          } else {
            groups.add(in, keys);
          }
        }
        addResult(groups.result());
      }
    }
    return result.poll();
  }

  private void addResult(Chunk chunk) {
    if (chunk != null) {
      result.add(chunk);
    }
  }

  /**
   * Merges the partial states: on this thread if they are few, else split by the hash of their keys
   * into one partition per scan thread, each merged into its own groups on {@link ScanPool} (and this
   * thread), so the second half of an aggregate of many groups (TPC-H Q18's 1.5 M orders) runs in
   * parallel too, each partition's hash table a fraction of the size. Each group's states are
   * merged in the order their parts came, as on one thread.
   */
  private void mergeInParallel() {
    List<Chunk> partials = new ArrayList<>();
    long rows = 0;
    Chunk in;
    while ((in = input.next()) != null) {
      in = onlyKeys.apply(in, keys);
      partials.add(in);
      rows += in.size();
    }
    int partitions = rows < PARALLEL_MERGE_ROWS ? 1 : ScanPool.threads();
    if (partitions == 1) {
      Groups groups = new Groups(keyTypes, calls);
      partials.forEach(groups::merge);
      addResult(groups.result());
      return;
    }
    Chunk[] merged = new Chunk[partitions];
    List<Runnable> tasks = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      int partition = p;
      tasks.add(() -> {
        Groups groups = new Groups(keyTypes, calls);
        for (Chunk partial : partials) {
          Chunk mine = partition(partial, partition, partitions);
          if (mine != null) {
            groups.merge(mine);
          }
        }
        merged[partition] = groups.result();
      });
    }
    ScanPool.runAll(tasks);
    for (Chunk chunk : merged) {
      addResult(chunk);
    }
  }

  /** The rows of {@code in} whose keys hash to {@code partition} of {@code partitions} (NULL keys hash as 0). */
  private Chunk partition(Chunk in, int partition, int partitions) {
    int n = in.size();
    int[] hashes = new int[n];
    for (int k = 0; k < keys.length; k++) {
      Column c = in.column(keys[k]);
      int scale = keyTypes[k].scale();
      for (int i = 0; i < n; i++) {
        hashes[i] = hashes[i] * 31 + (c.isNull(i) ? 0 : c.keyHash(i, scale));
      }
    }
    int[] rows = new int[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      // The hash's top bits, remixed: the groups' hash tables index by its low bits.
      if (((hashes[i] * 0x9E3779B9) >>> 16) % partitions == partition) {
        rows[m++] = i;
      }
    }
    return m == 0 ? null : m == n ? in : in.select(rows, m);
  }

  @Override
  public void close() {
    input.close();
  }

  /** The groups met so far and each aggregate's state for each of them. */
  private static final class Groups {
    private final int keyCount;
    private final List<Call> calls;
    private final GroupIds groupIds;
    private final Acc[] accs;
    private int groups;
    private int capacity = 16;

    Groups(VType[] keyTypes, List<Call> calls) {
      this.keyCount = keyTypes.length;
      this.calls = calls;
      this.groupIds = keyCount == 0 ? null : new GroupIds(keyTypes);
      this.groups = keyCount == 0 ? 1 : 0;
      this.accs = new Acc[calls.size()];
      for (int a = 0; a < accs.length; a++) {
        accs[a] = Acc.of(calls.get(a));
        accs[a].grow(capacity);
      }
    }

    /** The group of each row of {@code in} by its columns {@code keys}, making new groups as needed. */
    private int[] ids(Chunk in, int[] keys) {
      int n = in.size();
      if (keys.length == 0) {
        return new int[n];
      }
      Column[] keyColumns = new Column[keys.length];
      for (int k = 0; k < keys.length; k++) {
        keyColumns[k] = in.column(keys[k]);
      }
      int[] ids = groupIds.assign(keyColumns, n);
      groups = groupIds.size();
      if (groups > capacity) {
        capacity = groups * 2;
        for (Acc acc : accs) {
          acc.grow(capacity);
        }
      }
      return ids;
    }

    /** Adds rows, grouped by their columns {@code keys}. */
    void add(Chunk in, int[] keys) {
      int[] ids = ids(in, keys);
      int n = in.size();
      RowsByGroup byGroup = groups <= RowsByGroup.MAX_GROUPS ? new RowsByGroup(ids, n, groups) : null;
      for (int a = 0; a < accs.length; a++) {
        Call call = calls.get(a);
        Column c = call.kind() == Kind.COUNT_STAR ? null : in.column(call.arg());
        if (byGroup != null) {
          accs[a].addByGroup(c, byGroup);
        } else {
          accs[a].add(c, ids, n);
        }
      }
    }

    /** Adds partial states (keys first, then each call's state columns). */
    void merge(Chunk in) {
      int[] keys = new int[keyCount];
      Arrays.setAll(keys, k -> k);
      int[] ids = ids(in, keys);
      int at = keyCount;
      for (Acc acc : accs) {
        acc.merge(in, at, ids, in.size());
        at += acc.stateWidth();
      }
    }

    /** The keys then the aggregates of every group; null if there is none. */
    Chunk result() {
      return chunk(false);
    }

    /** The keys then each call's state columns for every group; null if there is none. */
    Chunk states() {
      return chunk(true);
    }

    private Chunk chunk(boolean states) {
      if (groups == 0) {
        return null;
      }
      List<Column> out = new ArrayList<>();
      for (int k = 0; k < keyCount; k++) {
        out.add(groupIds.keyColumn(k));
      }
      for (Acc acc : accs) {
        if (states) {
          acc.state(groups, out);
        } else {
          out.add(acc.result(groups));
        }
      }
      return new Chunk(out.toArray(new Column[0]), groups);
    }
  }

  /**
   * A chunk's rows in order of their group, each group's rows in their order in the chunk; for a
   * chunk of few groups (TPC-H Q01's four, a global aggregate's one). An aggregate then adds up a
   * group's values in a register: added in row order through the group's slot of an array, a row
   * right after one of the same group waits for that slot's store to be read back.
   */
  private static final class RowsByGroup {
    static final int MAX_GROUPS = 256;
    final int[] ids;
    final int n;
    final int groups;
    /** Group g's rows are {@code rows[start[g] .. start[g + 1])}. */
    final int[] rows;
    final int[] start;

    RowsByGroup(int[] ids, int n, int groups) {
      this.ids = ids;
      this.n = n;
      this.groups = groups;
      start = new int[groups + 1];
      for (int i = 0; i < n; i++) {
        start[ids[i] + 1]++;
      }
      for (int g = 0; g < groups; g++) {
        start[g + 1] += start[g];
      }
      int[] next = Arrays.copyOf(start, groups);
      rows = new int[n];
      for (int i = 0; i < n; i++) {
        rows[next[ids[i]]++] = i;
      }
    }
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

    /** As {@link #add}, given the rows in order of their group too. */
    void addByGroup(Column c, RowsByGroup byGroup) {
      add(c, byGroup.ids, byGroup.n);
    }

    abstract Column result(int groups);

    /** How many columns {@link #state} adds. */
    int stateWidth() {
      return 1;
    }

    /** Adds this aggregate's partial state of every group to {@code out}, for {@link #merge}. */
    void state(int groups, List<Column> out) {
      out.add(result(groups));
    }

    /** Adds the partial states in columns {@code at ..} of {@code in} to the groups {@code ids}. */
    void merge(Chunk in, int at, int[] ids, int n) {
      add(in.column(at), ids, n); // a minimum of minimums, a maximum of maximums
    }
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
    void addByGroup(Column c, RowsByGroup byGroup) {
      if (c != null && (c.objects != null || c.nulls != null)) {
        add(c, byGroup.ids, byGroup.n);
        return;
      }
      for (int g = 0; g < byGroup.groups; g++) {
        counts[g] += byGroup.start[g + 1] - byGroup.start[g];
      }
    }

    @Override
    Column result(int groups) {
      return Column.ofLongs(Arrays.copyOf(counts, groups), null, groups);
    }

    @Override
    void merge(Chunk in, int at, int[] ids, int n) {
      long[] partial = in.column(at).longs;
      for (int i = 0; i < n; i++) {
        counts[ids[i]] += partial[i];
      }
    }
  }

  /** SUM, SUM0 and AVG of integers and decimals: exact, in a long until it would overflow, then a BigDecimal. */
  private static final class ExactSum extends Acc {
    private final Call call;
    private final int scale;
    private long[] sums = new long[0];
    private BigDecimal[] big = new BigDecimal[0];
    /** Whether some group's sum is in {@link #big}. */
    private boolean hasBig;
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
        if (!c.isNull(i)) {
          counts[ids[i]]++;
          addValue(ids[i], c, i);
        }
      }
    }

    /** Adds the (non-null) value {@code c[i]} to the sum of group {@code g}. */
    private void addValue(int g, Column c, int i) {
      if (big[g] == null && c.longs != null) {
        long s = sums[g];
        long v = c.longs[i];
        long r = s + v;
        if (((s ^ r) & (v ^ r)) >= 0) {
          sums[g] = r;
          return;
        }
        big[g] = BigDecimal.valueOf(s, scale);
      } else if (big[g] == null) {
        big[g] = BigDecimal.valueOf(sums[g], scale);
      }
      hasBig = true;
      big[g] = big[g].add(c.decimal(i, scale));
    }

    @Override
    int stateWidth() {
      return 2;
    }

    /** The sums (0 for a group without values: its count tells), then the counts. */
    @Override
    void state(int groups, List<Column> out) {
      if (hasBig) {
        Object[] values = new Object[groups];
        for (int g = 0; g < groups; g++) {
          values[g] = big[g] != null ? big[g] : BigDecimal.valueOf(sums[g], scale);
        }
        out.add(Column.ofObjects(values, groups));
      } else {
        out.add(Column.ofLongs(Arrays.copyOf(sums, groups), null, groups));
      }
      out.add(Column.ofLongs(Arrays.copyOf(counts, groups), null, groups));
    }

    @Override
    void merge(Chunk in, int at, int[] ids, int n) {
      Column partialSums = in.column(at);
      long[] partialCounts = in.column(at + 1).longs;
      for (int i = 0; i < n; i++) {
        counts[ids[i]] += partialCounts[i];
        addValue(ids[i], partialSums, i);
      }
    }

    @Override
    void addByGroup(Column c, RowsByGroup byGroup) {
      if (c.longs == null || c.nulls != null) {
        add(c, byGroup.ids, byGroup.n);
        return;
      }
      long[] values = c.longs;
      int[] rows = byGroup.rows;
      for (int g = 0; g < byGroup.groups; g++) {
        int from = byGroup.start[g];
        int to = byGroup.start[g + 1];
        if (big[g] == null) {
          long s = sums[g];
          long overflow = 0; // as in addLongs
          for (int j = from; j < to; j++) {
            long v = values[rows[j]];
            long r = s + v;
            overflow |= (s ^ r) & (v ^ r);
            s = r;
          }
          if (overflow >= 0) {
            sums[g] = s;
            counts[g] += to - from;
            continue;
          }
        }
        for (int j = from; j < to; j++) { // the sum left a long's range: exactly, value by value
          counts[g]++;
          addValue(g, c, rows[j]);
        }
      }
    }

    /** As {@link #add} for values in longs without NULLs: the common case, in a loop of its own. */
    private void addLongs(long[] values, int[] ids, int n) {
      long[] sums = this.sums;
      long[] counts = this.counts;
      if (!hasBig) {
        // No branch per row: the sums wrap, and whether one overflowed is known after the loop. If
        // one did, subtracting the values again restores every sum exactly (the arithmetic is
        // modulo 2^64), and the values are added again with BigDecimals where needed.
        long overflow = 0;
        for (int i = 0; i < n; i++) {
          int g = ids[i];
          counts[g]++;
          long s = sums[g];
          long v = values[i];
          long r = s + v;
          overflow |= (s ^ r) & (v ^ r);
          sums[g] = r;
        }
        if (overflow >= 0) {
          return;
        }
        for (int i = 0; i < n; i++) {
          counts[ids[i]]--;
          sums[ids[i]] -= values[i];
        }
      }
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
          hasBig = true;
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
      boolean[] nulls = new boolean[n];
      for (int g = 0; g < n; g++) {
        nulls[g] = call.kind() == Kind.SUM && counts[g] == 0;
      }
      if (!hasBig) {
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
    void addByGroup(Column c, RowsByGroup byGroup) {
      if (c.nulls != null) {
        add(c, byGroup.ids, byGroup.n);
        return;
      }
      double[] values = c.doubles;
      int[] rows = byGroup.rows;
      for (int g = 0; g < byGroup.groups; g++) {
        double s = sums[g];
        for (int j = byGroup.start[g]; j < byGroup.start[g + 1]; j++) {
          s += values[rows[j]]; // in row order, as add sums: the same rounding
        }
        sums[g] = s;
        counts[g] += byGroup.start[g + 1] - byGroup.start[g];
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

    @Override
    int stateWidth() {
      return 2;
    }

    @Override
    void state(int groups, List<Column> out) {
      out.add(Column.ofDoubles(Arrays.copyOf(sums, groups), null, groups));
      out.add(Column.ofLongs(Arrays.copyOf(counts, groups), null, groups));
    }

    @Override
    void merge(Chunk in, int at, int[] ids, int n) {
      double[] partialSums = in.column(at).doubles;
      long[] partialCounts = in.column(at + 1).longs;
      for (int i = 0; i < n; i++) {
        sums[ids[i]] += partialSums[i];
        counts[ids[i]] += partialCounts[i];
      }
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

    /**
     * Decimals come out as unscaled longs when every one fits, as the scan reads them: a join or
     * sort on the result (TPC-H Q02's minimum cost, joined back to its rows) then compares longs.
     */
    @Override
    Column result(int groups) {
      if (type.kind() == VType.Kind.DECIMAL) {
        long[] unscaled = new long[groups];
        boolean[] nulls = new boolean[groups];
        boolean fits = true;
        for (int g = 0; g < groups && fits; g++) {
          BigDecimal d = (BigDecimal) best[g];
          nulls[g] = d == null;
          fits = d == null || d.scale() == type.scale() && d.unscaledValue().bitLength() < 64;
          unscaled[g] = fits && d != null ? d.unscaledValue().longValue() : 0;
        }
        if (fits) {
          return Column.ofLongs(unscaled, nulls, groups);
        }
      }
      return Column.ofObjects(Arrays.copyOf(best, groups), groups);
    }
  }
}
