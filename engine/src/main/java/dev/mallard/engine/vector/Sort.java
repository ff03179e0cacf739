package dev.mallard.engine.vector;

import java.util.ArrayList;
import java.util.List;

/**
 * ORDER BY with an optional OFFSET and LIMIT: reads all its input, then hands out its rows in order.
 * With a limit it keeps only the first {@code offset + fetch} rows as it reads (top-N), so its memory
 * is bounded by the limit, not the input. Comparisons are those of Calcite's Enumerable sort: Java's
 * order of longs, doubles ({@link Double#compare}) and strings ({@link String#compareTo}), decimals
 * by value; NULLs first or last as each key says.
 */
public final class Sort implements ChunkSource {
  /** One sort key: the column, its type, the direction, and where its NULLs go. */
  public record Key(int column, VType type, boolean descending, boolean nullsFirst) {}

  private static final int OUT_CHUNK = 4096;

  private final ChunkSource input;
  private final VType[] types;
  private final List<Key> keys;
  private final long offset;
  private final long fetch;
  private Chunk sorted;
  private int next;
  private int end;

  /**
   * @param types the types of the input's columns
   * @param fetch how many rows after the offset, or negative for all
   */
  public Sort(ChunkSource input, VType[] types, List<Key> keys, long offset, long fetch) {
    this.input = input;
    this.types = types.clone();
    this.keys = List.copyOf(keys);
    this.offset = offset;
    this.fetch = fetch;
  }

  @Override
  public Chunk next() {
    if (sorted == null) {
      sortAll();
    }
    if (next >= end) {
      return null;
    }
    int n = Math.min(OUT_CHUNK, end - next);
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = next + i;
    }
    next += n;
    return sorted.select(rows, n);
  }

  private void sortAll() {
    long keep = fetch < 0 ? Long.MAX_VALUE : offset + fetch;
    // With a limit, the buffered rows are cut back to the first `keep` whenever they pass this.
    boolean topN = fetch >= 0 && keep < 1 << 28;
    long compactAt = Math.max(2 * keep, 16_384);
    List<Chunk> buffered = new ArrayList<>();
    long rows = 0;
    Chunk in;
    while (keep > 0 && (in = input.next()) != null) {
      buffered.add(in);
      rows += in.size();
      if (topN && rows > compactAt) {
        Chunk top = sortedPrefix(Chunk.concat(buffered, types), (int) keep);
        buffered.clear();
        buffered.add(top);
        rows = top.size();
      }
    }
    sorted = sortedPrefix(Chunk.concat(buffered, types), (int) Math.min(keep, Integer.MAX_VALUE));
    next = (int) Math.min(offset, sorted.size());
    end = sorted.size();
  }

  /** The first {@code limit} rows of {@code chunk} in order. */
  private Chunk sortedPrefix(Chunk chunk, int limit) {
    int n = chunk.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Column[] columns = new Column[keys.size()];
    for (int k = 0; k < columns.length; k++) {
      columns[k] = chunk.column(keys.get(k).column());
    }
    IntSort.sort(order, n, (a, b) -> compare(columns, a, b));
    int m = Math.min(n, limit);
    return m == n && isIdentity(order) ? chunk : chunk.select(order, m);
  }

  private static boolean isIdentity(int[] order) {
    for (int i = 0; i < order.length; i++) {
      if (order[i] != i) {
        return false;
      }
    }
    return true;
  }

  private int compare(Column[] columns, int a, int b) {
    for (int k = 0; k < columns.length; k++) {
      Key key = keys.get(k);
      Column c = columns[k];
      boolean na = c.isNull(a);
      boolean nb = c.isNull(b);
      int r;
      if (na || nb) {
        if (na && nb) {
          continue;
        }
        // NULLs go where the key says, whatever the direction.
        return na == key.nullsFirst() ? -1 : 1;
      } else if (c.longs != null) {
        r = Long.compare(c.longs[a], c.longs[b]);
      } else if (c.doubles != null) {
        r = Double.compare(c.doubles[a], c.doubles[b]);
      } else if (key.type().kind() == VType.Kind.DECIMAL) {
        r = c.decimal(a, key.type().scale()).compareTo(c.decimal(b, key.type().scale()));
      } else {
        r = ((String) c.objects[a]).compareTo((String) c.objects[b]);
      }
      if (r != 0) {
        return key.descending() ? -r : r;
      }
    }
    return 0;
  }

  @Override
  public void close() {
    input.close();
  }

  /** A stable merge sort of row numbers, without boxing them. */
  static final class IntSort {
    interface Comparator {
      int compare(int a, int b);
    }

    private IntSort() {}

    static void sort(int[] a, int n, Comparator cmp) {
      if (n < 2) {
        return;
      }
      int[] tmp = new int[n];
      mergeSort(a, tmp, 0, n, cmp);
    }

    private static void mergeSort(int[] a, int[] tmp, int from, int to, Comparator cmp) {
      if (to - from <= 16) {
        for (int i = from + 1; i < to; i++) {
          int v = a[i];
          int j = i - 1;
          while (j >= from && cmp.compare(a[j], v) > 0) {
            a[j + 1] = a[j];
            j--;
          }
          a[j + 1] = v;
        }
        return;
      }
      int mid = (from + to) >>> 1;
      mergeSort(a, tmp, from, mid, cmp);
      mergeSort(a, tmp, mid, to, cmp);
      if (cmp.compare(a[mid - 1], a[mid]) <= 0) {
        return;
      }
      System.arraycopy(a, from, tmp, from, to - from);
      int i = from;
      int j = mid;
      for (int k = from; k < to; k++) {
        if (j >= to || i < mid && cmp.compare(tmp[i], tmp[j]) <= 0) {
          a[k] = tmp[i++];
        } else {
          a[k] = tmp[j++];
        }
      }
    }
  }
}
