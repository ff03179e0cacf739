package dev.mallard.engine.scan;

/**
 * A Bloom filter of a hash join's integer build keys: one 64-bit word per key, three of its bits set,
 * 8 to 16 bits per key. A key it rules out has no row in the join's table, so a probe (and a scan of
 * the probe side, see {@link ScanPlan#keyFilters}) can drop it before looking further; a key it lets
 * through may still have none.
 */
public final class KeyFilter {
  private final long[] words;
  private final int shift;

  /** An empty filter sized for about {@code keys} keys. */
  public KeyFilter(int keys) {
    int capacity = Integer.highestOneBit(Math.max(keys, 1)) << 1;
    int size = Math.max(capacity / 8, 2); // 2 or more: a shift by 64 would be a shift by 0
    words = new long[size];
    shift = 64 - Integer.numberOfTrailingZeros(size);
  }

  public void add(long key) {
    words[word(key)] |= bits(key);
  }

  public boolean mightContain(long key) {
    long bits = bits(key);
    return (words[word(key)] & bits) == bits;
  }

  /**
   * Writes the indexes of the first {@code n} values that might be keys to {@code rows}, in order,
   * and returns how many. No branch per value: the processor cannot predict which pass when some
   * do and some do not.
   */
  public int candidates(long[] values, int n, int[] rows) {
    int count = 0;
    for (int i = 0; i < n; i++) {
      rows[count] = i;
      count += mightContain(values[i]) ? 1 : 0;
    }
    return count;
  }

  /** A key's word, from a hash independent of the hash tables' (which take a product with 2^64 / phi). */
  private int word(long key) {
    return (int) ((key * 0xC2B2AE3D27D4EB4FL) >>> shift);
  }

  private static long bits(long key) {
    long h = key * 0x165667B19E3779F9L;
    return (1L << (h >>> 58)) | (1L << (h >>> 52)) | (1L << (h >>> 46));
  }
}
