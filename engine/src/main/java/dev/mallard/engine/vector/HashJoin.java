package dev.mallard.engine.vector;

import dev.mallard.engine.scan.KeyFilter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An equi-join in a hash table: reads the whole build side first, concatenated into one chunk and
 * hashed by its key columns, then probes it with the probe side's chunks. A row whose key holds a
 * NULL matches nothing. An optional residual condition (over the probe's columns, then the build's)
 * decides among the rows whose keys match; a match needs it TRUE. Output: INNER and LEFT give the
 * probe's columns then the build's (NULLs for a LEFT row without a match); SEMI and ANTI give the
 * probe's columns of the rows with a match, or without one.
 */
public final class HashJoin implements ChunkSource {
  public enum Type { INNER, LEFT, SEMI, ANTI }

  private static final int EMPTY = -1;
  /** The most probe rows read ahead to reduce the build side (see {@link #reduceBuildSide}). */
  private static final int REDUCTION_PROBE_ROWS = 1 << 16;

  private final ChunkSource probe;
  private final ChunkSource build;
  private final Spec spec;

  /** Probe chunks read ahead by {@link #reduceBuildSide}, probed before the rest. */
  private final ArrayDeque<Chunk> readAhead = new ArrayDeque<>();
  private boolean probeDone;
  private Table table;

  /** What is joined on and how: the keys and their types, the build side's types, the type, the residual. */
  private record Spec(int[] probeKeys, int[] buildKeys, VType[] keyTypes, VType[] buildTypes, Type type,
      VectorExpr residual) {}

  /**
   * @param keyTypes the types of the key pairs: each probe key and its build key are of this type
   * @param buildTypes the types of the build side's columns (for an empty build side)
   * @param residual a boolean over the probe's columns then the build's, or null
   */
  public HashJoin(ChunkSource probe, ChunkSource build, int[] probeKeys, int[] buildKeys, VType[] keyTypes,
      VType[] buildTypes, Type type, VectorExpr residual) {
    this.probe = probe;
    this.build = build;
    this.spec = spec(probeKeys, buildKeys, keyTypes, buildTypes, type, residual);
  }

  private static Spec spec(int[] probeKeys, int[] buildKeys, VType[] keyTypes, VType[] buildTypes, Type type,
      VectorExpr residual) {
    if (probeKeys.length != buildKeys.length || probeKeys.length != keyTypes.length || probeKeys.length == 0) {
      throw new IllegalArgumentException("A hash join needs one or more key pairs");
    }
    for (VType t : keyTypes) {
      if (t.kind() == VType.Kind.DOUBLE) {
        throw new IllegalArgumentException("Double keys do not hash as they compare (-0.0 = 0.0)");
      }
    }
    return new Spec(probeKeys.clone(), buildKeys.clone(), keyTypes.clone(), buildTypes.clone(), type, residual);
  }

  /**
   * The probe half of a hash join as a step over the probe side's chunks, for running where they are
   * made (see {@link ScanChunks}): reads all of {@code build} now, and returns what one probe chunk
   * gives (null for no rows; safe from several threads at once), or null if no probe row can give
   * anything (INNER and SEMI of an empty build side). The arguments are the constructor's.
   */
  public static Probe probeStep(ChunkSource build, int[] probeKeys, int[] buildKeys,
      VType[] keyTypes, VType[] buildTypes, Type type, VectorExpr residual) {
    Table table;
    try (build) {
      table = new Table(build, spec(probeKeys, buildKeys, keyTypes, buildTypes, type, residual));
    }
    return table.matchesNothing() ? null : new Probe(table);
  }

  /**
   * A step over probe chunks with no use for the rows whose key is NULL or ruled out by a filter of
   * the table's keys, so a scan below may drop them (see {@link ScanChunks}). Its output keeps the
   * probe columns where they are, so the scan sees {@link #keyColumn} as its own.
   */
  public interface KeyFiltered {
    /** The probe column whose keys {@link #keyFilter} tests: the join's one key, a LONG. */
    int keyColumn();

    /** The filter, or null if this step needs every row. */
    KeyFilter keyFilter();
  }

  /** The probe half of a hash join, see {@link #probeStep}. */
  public static final class Probe implements UnaryOperator<Chunk>, KeyFiltered {
    private final Table table;

    private Probe(Table table) {
      this.table = table;
    }

    @Override
    public Chunk apply(Chunk in) {
      return table.join(in);
    }

    @Override
    public int keyColumn() {
      return table.probeKeys[0];
    }

    /**
     * With one LONG key, for the joins that drop the probe rows matching nothing (INNER, SEMI); LEFT
     * and ANTI joins need every row.
     */
    @Override
    public KeyFilter keyFilter() {
      return table.type == Type.INNER || table.type == Type.SEMI ? table.keyFilter : null;
    }
  }

  /**
   * A SEMI, ANTI or LEFT join without a residual whose left side is the small one: the left side's
   * rows are hashed, the right side's chunks mark the rows they match (a step that may run on several
   * threads at once, see {@link ScanChunks}), and the left rows marked (SEMI) or not (ANTI) come out
   * at the end. A LEFT join's step also gives each match as a row (the left row's columns, then the
   * right row's), and the left rows left unmarked come out at the end with NULLs for the right
   * columns (TPC-H Q13: 150,000 customers hashed, not their 1.5 M orders). The rows of the join that
   * hashes the right side (in another order), without holding the large side in memory. The left
   * side is read now.
   */
  public static final class Marks {
    private final Table table;
    private final Type type;
    /** The right side's column types: a LEFT join's unmatched rows have them, all NULL. */
    private final VType[] rightTypes;
    /** Set, never cleared, by any thread marking; read after the right side is drained. */
    private final boolean[] marked;

    /** @param rightTypes the right side's column types (read by a LEFT join only) */
    public Marks(ChunkSource left, int[] leftKeys, int[] rightKeys, VType[] keyTypes, VType[] leftTypes,
        VType[] rightTypes, Type type) {
      if (type == Type.INNER) {
        throw new IllegalArgumentException("Only SEMI, ANTI and LEFT joins mark the left side's rows");
      }
      try (left) {
        // A right row that matches no left row gives nothing, even in a LEFT join: the table may filter keys.
        table = new Table(left, spec(rightKeys, leftKeys, keyTypes, leftTypes, type == Type.LEFT ? Type.INNER : type,
            null));
      }
      this.type = type;
      this.rightTypes = rightTypes.clone();
      marked = new boolean[table.table.size()];
    }

    /** Whether the left side is empty: then nothing comes out, and the right side need not be read. */
    public boolean leftIsEmpty() {
      return marked.length == 0;
    }

    /**
     * The step over the right side's chunks: marks the left rows they match, and gives a LEFT join's
     * matches (nothing for SEMI and ANTI). A right row whose key no left row has marks nothing, so the
     * scan may drop it (with one LONG key).
     */
    public MarkStep markStep() {
      return new MarkStep();
    }

    /** See {@link #markStep}. */
    public final class MarkStep implements UnaryOperator<Chunk>, KeyFiltered {
      private MarkStep() {
      }

      @Override
      public Chunk apply(Chunk in) {
        return table.mark(in, marked, type == Type.LEFT);
      }

      @Override
      public int keyColumn() {
        return table.probeKeys[0];
      }

      @Override
      public KeyFilter keyFilter() {
        return table.keyFilter;
      }
    }

    /**
     * Reads {@code right} (opened with {@link #markStep}) to its end, handing out what it gives, then
     * the left rows kept.
     */
    public ChunkSource rows(ChunkSource right) {
      return new ChunkSource() {
        private boolean done;

        @Override
        public Chunk next() {
          if (done) {
            return null;
          }
          Chunk matches = right.next();
          if (matches != null) {
            return matches; // a LEFT join's (the step gives SEMI and ANTI joins nothing)
          }
          done = true;
          boolean keep = type == Type.SEMI;
          int[] rows = new int[marked.length];
          int n = 0;
          for (int i = 0; i < marked.length; i++) {
            if (marked[i] == keep) {
              rows[n++] = i;
            }
          }
          if (n == 0) {
            return null;
          }
          Chunk kept = table.table.select(rows, n);
          if (type != Type.LEFT) {
            return kept;
          }
          Column[] columns = Arrays.copyOf(kept.columns(), kept.columns().length + rightTypes.length);
          for (int c = 0; c < rightTypes.length; c++) {
            columns[kept.columns().length + c] = Column.constant(null, rightTypes[c], n);
          }
          return new Chunk(columns, n);
        }

        @Override
        public void close() {
          right.close();
        }
      };
    }
  }

  @Override
  public Chunk next() {
    if (table == null) {
      reduceBuildSide();
      table = new Table(build, spec);
    }
    if (table.matchesNothing()) {
      return null;
    }
    Chunk in;
    while ((in = nextProbe()) != null) {
      Chunk out = table.join(in);
      if (out != null) {
        return out;
      }
    }
    return null;
  }

  private Chunk nextProbe() {
    if (!readAhead.isEmpty()) {
      return readAhead.poll();
    }
    return probeDone ? null : probe.next();
  }

  /**
   * When the build side aggregates by a join key and the probe side is small, aggregates only the
   * keys the probe side holds: the other groups could never match. This is what DuckDB's delim join
   * does for a correlated subquery such as TPC-H Q17's {@code avg(l_quantity)} per part, where the
   * probe side has the few hundred parts that pass the filter and the aggregate would otherwise
   * group all of {@code lineitem} by part. Of several such keys (Q20's part and supplier), the one of
   * the fewest probe values: any one rules out groups.
   */
  private void reduceBuildSide() {
    if (!(build instanceof HashAggregate aggregate)
        || Arrays.stream(spec.buildKeys()).noneMatch(aggregate::canKeepOnlyKeys)) {
      return;
    }
    long rows = 0;
    while (rows <= REDUCTION_PROBE_ROWS) {
      Chunk c = probe.next();
      if (c == null) {
        probeDone = true;
        break;
      }
      readAhead.add(c);
      rows += c.size();
    }
    if (!probeDone) {
      return; // a large probe side: stream it as usual
    }
    LongIntMap fewest = null;
    int fewestColumn = -1;
    for (int k = 0; k < spec.buildKeys().length; k++) {
      if (aggregate.canKeepOnlyKeys(spec.buildKeys()[k])) {
        LongIntMap values = probeValues(spec.probeKeys()[k]);
        if (values != null && (fewest == null || values.size() < fewest.size())) {
          fewest = values;
          fewestColumn = spec.buildKeys()[k];
        }
      }
    }
    if (fewest != null) {
      aggregate.keepOnlyKeys(fewestColumn, fewest);
    }
  }

  /** The values of the read-ahead probe rows' column {@code column}, or null if some are decimals too large for longs. */
  private LongIntMap probeValues(int column) {
    LongIntMap values = new LongIntMap();
    for (Chunk c : readAhead) {
      Column key = c.column(column);
      for (int i = 0; i < c.size(); i++) {
        if (key.isNull(i)) {
          continue;
        }
        if (key.longs == null) {
          return null;
        }
        values.putIfAbsent(key.longs[i], 0);
      }
    }
    return values;
  }

  /** The build side's rows hashed by their keys; probing it changes nothing, so threads can share it. */
  private static final class Table {
    private final int[] probeKeys;
    private final int[] buildKeys;
    private final VType[] keyTypes;
    private final Type type;
    private final VectorExpr residual;
    private final Chunk table;
    /** Other keys than one LONG: the next row in the same bucket, or EMPTY. */
    private final int[] chain;
    /**
     * One LONG key (the usual case): open addressing, a key at 2s and at 2s + 1 its row + 1, or for a
     * key of several rows their run in {@link #sameKeyRows} (see {@link #MORE}); one cache line per
     * probe of a unique key. Null for other keys, which use {@link #heads} and {@link #hashes}.
     */
    private final long[] slots;
    /** With {@link #slots}: the rows of the keys several rows have, a run per key. */
    private final int[] sameKeyRows;
    private final int slotShift;
    /**
     * With {@link #slots}, but for LEFT joins: the keys' Bloom filter. A probe that mostly misses the
     * table skips it on a branch the processor predicts, rather than on the slot's key, which it cannot.
     */
    private final KeyFilter keyFilter;
    /**
     * Chunks to probe before {@link #keyFilter} is tried again: 0 while the last chunk it filtered had
     * at most half its rows pass. Racy among threads, a hint only.
     */
    private int keyFilterRest;
    private final int[] heads;
    private final int[] hashes;

    Table(ChunkSource build, Spec spec) {
      probeKeys = spec.probeKeys();
      buildKeys = spec.buildKeys();
      keyTypes = spec.keyTypes();
      type = spec.type();
      residual = spec.residual();
      List<Chunk> chunks = new ArrayList<>();
      Chunk c;
      while ((c = build.next()) != null) {
        chunks.add(c);
      }
      table = Chunk.concat(chunks, spec.buildTypes());
      int n = table.size();
      if (keyTypes.length == 1 && keyTypes[0].kind() == VType.Kind.LONG) {
        int capacity = Integer.highestOneBit(Math.max(n + n / 3, 1)) << 1; // under 3/4 full
        slots = new long[2 * capacity];
        slotShift = 64 - Integer.numberOfTrailingZeros(capacity);
        // A LEFT join keeps every probe row, and mostly finds a match (TPC-H Q13): there the filter
        // would save little, and adding 1.5 M keys to it costs about 25 ms.
        keyFilter = type == Type.LEFT ? null : new KeyFilter(n);
        heads = null;
        hashes = null;
        chain = null;
        sameKeyRows = insertLongKeys(table.column(buildKeys[0]), n);
        return;
      }
      chain = new int[n];
      slots = null;
      sameKeyRows = null;
      slotShift = 0;
      keyFilter = null;
      int capacity = Integer.highestOneBit(Math.max(n, 1) * 2 - 1) << 1;
      heads = new int[capacity];
      Arrays.fill(heads, EMPTY);
      hashes = new int[n];
      Column[] keys = keyColumns(table, buildKeys);
      boolean[] skip = new boolean[n];
      hash(keys, n, hashes, skip);
      int mask = capacity - 1;
      // Inserted from the last row down, so that each chain lists its rows in build order.
      for (int i = n - 1; i >= 0; i--) {
        if (skip[i]) {
          continue;
        }
        int b = hashes[i] & mask;
        chain[i] = heads[b];
        heads[b] = i;
      }
    }

    /**
     * Set in the row word of a slot whose key several rows have: its low 32 bits are then the end of
     * their run in {@link #sameKeyRows}, and the bits from {@link #COUNT_SHIFT} up their count.
     */
    private static final long MORE = 1L << 32;
    private static final int COUNT_SHIFT = 33;

    /**
     * Fills {@link #slots} and returns {@link #sameKeyRows}: a key of one row gets the row, a key of
     * several a run of them in build order, so a probe reads its matches one after the other rather
     * than following a chain through memory.
     */
    private int[] insertLongKeys(Column key, int n) {
      int mask = slots.length / 2 - 1;
      long[] keys = key.longs;
      int[] slotOf = new int[n]; // the first slot to look at, then the row's slot (-1 for a NULL key)
      for (int i = 0; i < n; i++) {
        slotOf[i] = slot(keys[i]);
      }
      int shared = 0; // rows whose key another row has
      for (int i = 0; i < n; i++) {
        if (key.isNull(i)) {
          slotOf[i] = -1;
          continue;
        }
        long k = keys[i];
        if (keyFilter != null) {
          keyFilter.add(k);
        }
        for (int s = slotOf[i]; ; s = (s + 1) & mask) {
          long row = slots[2 * s + 1];
          if (row == 0) {
            slots[2 * s] = k;
            slots[2 * s + 1] = i + 1;
            slotOf[i] = s;
            break;
          }
          if (slots[2 * s] == k) {
            long count = (row & MORE) == 0 ? 1 : row >>> COUNT_SHIFT;
            shared += count == 1 ? 2 : 1;
            slots[2 * s + 1] = MORE | (count + 1) << COUNT_SHIFT;
            slotOf[i] = s;
            break;
          }
        }
      }
      if (shared == 0) {
        return new int[0];
      }
      // Each run's start, then the rows in build order, each advancing its run's end.
      int start = 0;
      for (int s = 0; s <= mask; s++) {
        long row = slots[2 * s + 1];
        if ((row & MORE) != 0) {
          slots[2 * s + 1] = row | start;
          start += (int) (row >>> COUNT_SHIFT);
        }
      }
      int[] runs = new int[shared];
      for (int i = 0; i < n; i++) {
        int s = slotOf[i];
        if (s >= 0 && (slots[2 * s + 1] & MORE) != 0) {
          long row = slots[2 * s + 1];
          runs[(int) row] = i;
          slots[2 * s + 1] = row + 1;
        }
      }
      return runs;
    }

    /** The first slot to look at for a key: the top bits of its product with 2^64 / phi. */
    private int slot(long key) {
      return (int) ((key * 0x9E3779B97F4A7C15L) >>> slotShift);
    }

    private static Column[] keyColumns(Chunk chunk, int[] keys) {
      Column[] out = new Column[keys.length];
      for (int k = 0; k < keys.length; k++) {
        out[k] = chunk.column(keys[k]);
      }
      return out;
    }

    /** Each row's hash of its keys, and whether a key is NULL (then it matches nothing). */
    private void hash(Column[] keys, int n, int[] out, boolean[] nullKey) {
      Arrays.fill(out, 0, n, 1);
      for (int k = 0; k < keys.length; k++) {
        Column c = keys[k];
        int scale = keyTypes[k].scale();
        for (int i = 0; i < n; i++) {
          if (c.isNull(i)) {
            nullKey[i] = true;
          } else {
            out[i] = out[i] * 31 + c.keyHash(i, scale);
          }
        }
      }
    }

    private boolean keysEqual(Column[] probeColumns, int p, Column[] buildColumns, int b) {
      for (int k = 0; k < probeColumns.length; k++) {
        Column x = probeColumns[k];
        Column y = buildColumns[k];
        if (x.longs != null && y.longs != null) {
          if (x.longs[p] != y.longs[b]) {
            return false;
          }
        } else if (keyTypes[k].kind() == VType.Kind.DECIMAL) {
          int scale = keyTypes[k].scale();
          if (x.decimal(p, scale).compareTo(y.decimal(b, scale)) != 0) {
            return false;
          }
        } else if (!x.objects[p].equals(y.objects[b])) {
          return false;
        }
      }
      return true;
    }

    /** Whether no probe row can give a row: INNER and SEMI joins of an empty build side. */
    boolean matchesNothing() {
      return table.size() == 0 && (type == Type.INNER || type == Type.SEMI);
    }

    /**
     * Marks in {@code marked} every table row some row of {@code in} matches (keys only: no residual);
     * with {@code pairs}, returns the matches (the table's columns, then the chunk's; null for none).
     */
    Chunk mark(Chunk in, boolean[] marked, boolean pairs) {
      Candidates found = candidates(in, false);
      int n = found.count();
      int[] bs = found.build();
      for (int i = 0; i < n; i++) {
        marked[bs[i]] = true;
      }
      if (!pairs || n == 0) {
        return null;
      }
      int tableWidth = table.columns().length;
      Column[] out = new Column[tableWidth + in.columns().length];
      for (int c = 0; c < tableWidth; c++) {
        out[c] = table.column(c).select(bs, n);
      }
      for (int c = 0; c < in.columns().length; c++) {
        out[tableWidth + c] = in.column(c).select(found.probe(), n);
      }
      return new Chunk(out, n);
    }

    /** Probe rows and build rows with equal keys, {@code count} pairs: {@code probe[i]} with {@code build[i]}. */
    private static final class Candidates {
      private int[] probe;
      private int[] build;
      private int count;

      Candidates(int capacity) {
        probe = new int[capacity];
        build = new int[capacity];
      }

      void add(int p, int b) {
        if (count == probe.length) {
          probe = Arrays.copyOf(probe, Math.max(16, count * 2));
          build = Arrays.copyOf(build, Math.max(16, count * 2));
        }
        probe[count] = p;
        build[count] = b;
        count++;
      }

      int[] probe() {
        return probe;
      }

      int[] build() {
        return build;
      }

      int count() {
        return count;
      }
    }

    /** The pairs of rows of {@code in} and of the table whose keys are equal; only a row's first if {@code firstOnly}. */
    private Candidates candidates(Chunk in, boolean firstOnly) {
      return slots != null ? longKeyCandidates(in, firstOnly) : hashedCandidates(in, firstOnly);
    }

    private Candidates longKeyCandidates(Chunk in, boolean firstOnly) {
      int n = in.size();
      Column key = in.column(probeKeys[0]);
      long[] keys = key.longs;
      boolean[] nulls = key.nulls; // a LONG key: held as longs
      long[] slots = this.slots;
      int mask = slots.length / 2 - 1;
      int[] rows = null;
      int count = n;
      if (keyFilter != null && keyFilterRest == 0) {
        rows = new int[n];
        count = keyFilter.candidates(keys, n, rows);
        keyFilterRest = count <= n / 2 ? 0 : 16;
      } else {
        keyFilterRest--;
      }
      Candidates found = new Candidates(count);
      for (int i = 0; i < count; i++) {
        int p = rows == null ? i : rows[i];
        if (nulls != null && nulls[p]) {
          continue;
        }
        long k = keys[p];
        for (int s = slot(k); ; s = (s + 1) & mask) {
          long first = slots[2 * s + 1];
          if (first == 0) {
            break;
          }
          if (slots[2 * s] == k) {
            if ((first & MORE) == 0) {
              found.add(p, (int) first - 1);
            } else {
              int end = (int) first;
              int from = end - (int) (first >>> COUNT_SHIFT);
              for (int j = from; j < (firstOnly ? from + 1 : end); j++) {
                found.add(p, sameKeyRows[j]);
              }
            }
            break;
          }
        }
      }
      return found;
    }

    private Candidates hashedCandidates(Chunk in, boolean firstOnly) {
      int n = in.size();
      int[] probeHashes = new int[n];
      boolean[] nullKey = new boolean[n];
      Column[] probeColumns = keyColumns(in, probeKeys);
      hash(probeColumns, n, probeHashes, nullKey);
      Column[] buildColumns = keyColumns(table, buildKeys);
      int mask = heads.length - 1;
      Candidates found = new Candidates(n);
      for (int p = 0; p < n; p++) {
        if (nullKey[p]) {
          continue;
        }
        int h = probeHashes[p];
        for (int b = heads[h & mask]; b != EMPTY; b = chain[b]) {
          if (hashes[b] == h && keysEqual(probeColumns, p, buildColumns, b)) {
            found.add(p, b);
            if (firstOnly) {
              break;
            }
          }
        }
      }
      return found;
    }

    /** The output for one probe chunk, or null when it has no rows. */
    Chunk join(Chunk in) {
      int n = in.size();
      Candidates found = candidates(in, residual == null && (type == Type.SEMI || type == Type.ANTI));
      int[] ps = found.probe();
      int[] bs = found.build();
      int pairs = found.count();
      if (residual != null && pairs > 0) {
        Column keep = residual.eval(pairs(in, ps, bs, pairs));
        int kept = 0;
        for (int i = 0; i < pairs; i++) {
          if (keep.longs[i] != 0 && !keep.isNull(i)) {
            ps[kept] = ps[i];
            bs[kept] = bs[i];
            kept++;
          }
        }
        pairs = kept;
      }
      Chunk out = switch (type) {
        case INNER -> pairs == 0 ? null : pairs(in, ps, bs, pairs);
        case SEMI, ANTI -> {
          boolean[] matched = new boolean[n];
          for (int i = 0; i < pairs; i++) {
            matched[ps[i]] = true;
          }
          int[] rows = new int[n];
          int m = 0;
          for (int p = 0; p < n; p++) {
            if (matched[p] == (type == Type.SEMI)) {
              rows[m++] = p;
            }
          }
          yield m == n ? in : in.select(rows, m);
        }
        case LEFT -> {
          boolean[] matched = new boolean[n];
          for (int i = 0; i < pairs; i++) {
            matched[ps[i]] = true;
          }
          int[] lp = Arrays.copyOf(ps, pairs + n);
          int[] lb = Arrays.copyOf(bs, pairs + n);
          int m = pairs;
          for (int p = 0; p < n; p++) {
            if (!matched[p]) {
              lp[m] = p;
              lb[m] = EMPTY;
              m++;
            }
          }
          yield pairs(in, lp, lb, m);
        }
      };
      return out == null || out.size() == 0 ? null : out;
    }

    /** The probe's rows {@code ps} beside the build's rows {@code bs} ({@link #EMPTY}: all NULL). */
    private Chunk pairs(Chunk in, int[] ps, int[] bs, int n) {
      int probeWidth = in.columns().length;
      Column[] out = new Column[probeWidth + table.columns().length];
      for (int c = 0; c < probeWidth; c++) {
        out[c] = in.column(c).select(ps, n);
      }
      for (int c = 0; c < table.columns().length; c++) {
        out[probeWidth + c] = table.column(c).selectOrNull(bs, n);
      }
      return new Chunk(out, n);
    }
  }

  @Override
  public void close() {
    try {
      probe.close();
    } finally {
      build.close();
    }
  }
}
