package dev.mallard.engine.parquet;

import dev.mallard.engine.types.GeometryStats;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Gathers one column's statistics for one file the way DuckDB's Parquet writer does for the
 * ducklake extension (DuckDB 1.5.5 {@code ParquetWriter::FlushColumnStats} and the
 * {@code *StatisticsState} classes), so that the strings Mallard records are the ones DuckDB would:
 *
 * <ul>
 *   <li>Bounds are kept per row group, then merged across row groups; on equal values the first
 *       one seen stays (strict comparisons), which decides between {@code -0.0} and {@code 0.0}.
 *   <li>A row group without bounds (all NULL, all NaN, or strings DuckDB cannot truncate) leaves
 *       the whole file without min/max: DuckDB only merges when every row group has them.
 *   <li>Strings and blobs longer than 256 bytes are truncated; see {@link Bytes}.
 *   <li>{@code contains_nan} is true when any row group has a NaN. (DuckDB 1.5.5 keeps only the
 *       last row group's flag, which can make readers skip files holding NaN; not copied.)
 * </ul>
 */
abstract class StatsCollector {
  long nullCount;
  long valueCount;
  /** False once a row group ended without bounds. */
  private boolean boundsKnown = true;
  /** Whether the file-level bounds below have been set. */
  boolean fileHasBounds;

  final void addNull() {
    nullCount++;
  }

  /** Merges the row group's bounds into the file's and starts a new row group. */
  final void endRowGroup() {
    if (rowGroupHasBounds()) {
      mergeRowGroup();
      fileHasBounds = true;
    } else {
      boundsKnown = false;
    }
    resetRowGroup();
  }

  abstract boolean rowGroupHasBounds();

  abstract void mergeRowGroup();

  abstract void resetRowGroup();

  /** DuckDB's text of the file's minimum, or null. */
  final String min() {
    return boundsKnown && fileHasBounds ? minText() : null;
  }

  final String max() {
    return boundsKnown && fileHasBounds ? maxText() : null;
  }

  abstract String minText();

  abstract String maxText();

  /** Non-null only for floating-point columns. */
  Boolean containsNan() {
    return null;
  }

  FileColumnStats result(long columnSizeBytes) {
    return new FileColumnStats(columnSizeBytes, valueCount, nullCount, min(), max(), containsNan());
  }

  /** Integers, booleans (0/1), dates, times and timestamps, decimals up to 18 digits: bounds as longs. */
  static final class Longs extends StatsCollector {
    private final boolean unsigned;
    private final LongFunction<String> text;
    private boolean rgHas;
    private long rgMin;
    private long rgMax;
    private long min;
    private long max;

    Longs(boolean unsigned, LongFunction<String> text) {
      this.unsigned = unsigned;
      this.text = text;
    }

    void add(long v) {
      valueCount++;
      if (!rgHas) {
        rgMin = v;
        rgMax = v;
        rgHas = true;
      } else {
        if (compare(v, rgMin) < 0) {
          rgMin = v;
        }
        if (compare(v, rgMax) > 0) {
          rgMax = v;
        }
      }
    }

    private int compare(long a, long b) {
      return unsigned ? Long.compareUnsigned(a, b) : Long.compare(a, b);
    }

    @Override
    boolean rowGroupHasBounds() {
      return rgHas;
    }

    @Override
    void mergeRowGroup() {
      if (!fileHasBounds || compare(rgMin, min) < 0) {
        min = rgMin;
      }
      if (!fileHasBounds || compare(rgMax, max) > 0) {
        max = rgMax;
      }
    }

    @Override
    void resetRowGroup() {
      rgHas = false;
    }

    @Override
    String minText() {
      return text.apply(min);
    }

    @Override
    String maxText() {
      return text.apply(max);
    }
  }

  /** float32 / float64: NaN is never a bound, only flagged; -0.0 and 0.0 are equal. */
  static final class Doubles extends StatsCollector {
    private final boolean single;
    private boolean rgHas;
    private boolean nan;
    private double rgMin;
    private double rgMax;
    private double min;
    private double max;

    Doubles(boolean single) {
      this.single = single;
    }

    void add(double v) {
      valueCount++;
      if (Double.isNaN(v)) {
        nan = true;
        return;
      }
      if (!rgHas) {
        rgMin = v;
        rgMax = v;
        rgHas = true;
      } else {
        if (v < rgMin) {
          rgMin = v;
        }
        if (v > rgMax) {
          rgMax = v;
        }
      }
    }

    @Override
    boolean rowGroupHasBounds() {
      return rgHas;
    }

    @Override
    void mergeRowGroup() {
      if (!fileHasBounds || rgMin < min) {
        min = rgMin;
      }
      if (!fileHasBounds || rgMax > max) {
        max = rgMax;
      }
    }

    @Override
    void resetRowGroup() {
      rgHas = false;
    }

    @Override
    String minText() {
      return StatsText.floating(min, single);
    }

    @Override
    String maxText() {
      return StatsText.floating(max, single);
    }

    @Override
    Boolean containsNan() {
      return nan;
    }
  }

  /** Decimals of more than 18 digits: 128-bit two's complement values as (high, low) longs. */
  static final class Int128s extends StatsCollector {
    private final int scale;
    private boolean rgHas;
    private long rgMinHi;
    private long rgMinLo;
    private long rgMaxHi;
    private long rgMaxLo;
    private long minHi;
    private long minLo;
    private long maxHi;
    private long maxLo;

    Int128s(int scale) {
      this.scale = scale;
    }

    void add(long hi, long lo) {
      valueCount++;
      if (!rgHas) {
        rgMinHi = rgMaxHi = hi;
        rgMinLo = rgMaxLo = lo;
        rgHas = true;
        return;
      }
      if (compare(hi, lo, rgMinHi, rgMinLo) < 0) {
        rgMinHi = hi;
        rgMinLo = lo;
      }
      if (compare(hi, lo, rgMaxHi, rgMaxLo) > 0) {
        rgMaxHi = hi;
        rgMaxLo = lo;
      }
    }

    static int compare(long aHi, long aLo, long bHi, long bLo) {
      return aHi != bHi ? Long.compare(aHi, bHi) : Long.compareUnsigned(aLo, bLo);
    }

    @Override
    boolean rowGroupHasBounds() {
      return rgHas;
    }

    @Override
    void mergeRowGroup() {
      if (!fileHasBounds || compare(rgMinHi, rgMinLo, minHi, minLo) < 0) {
        minHi = rgMinHi;
        minLo = rgMinLo;
      }
      if (!fileHasBounds || compare(rgMaxHi, rgMaxLo, maxHi, maxLo) > 0) {
        maxHi = rgMaxHi;
        maxLo = rgMaxLo;
      }
    }

    @Override
    void resetRowGroup() {
      rgHas = false;
    }

    @Override
    String minText() {
      return StatsText.decimal(toBigInteger(minHi, minLo), scale);
    }

    @Override
    String maxText() {
      return StatsText.decimal(toBigInteger(maxHi, maxLo), scale);
    }

    static BigInteger toBigInteger(long hi, long lo) {
      return BigInteger.valueOf(hi).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
    }
  }

  /**
   * Strings, blobs and UUIDs, compared as unsigned bytes. As DuckDB's
   * {@code StringStatisticsState}: a value over 256 bytes is cut for the minimum (for varchar at a
   * UTF-8 character boundary) and, for the maximum, cut after the last byte below 0x7F (varchar) or
   * 0xFF (blob) among its first 256, which is then incremented. A maximum that cannot be cut so
   * leaves the row group without bounds. Each new value is compared with the bounds as stored,
   * truncated or not.
   */
  static final class Bytes extends StatsCollector {
    static final int MAX_SIZE = 256;
    private final boolean varchar;
    private final Function<byte[], String> text;
    private boolean rgHas;
    private boolean rgFailed;
    private byte[] rgMin;
    private byte[] rgMax;
    private byte[] min;
    private byte[] max;

    /**
     * @param varchar text (cut at character boundaries, only ASCII incremented) rather than bytes
     * @param text DuckDB's text of a bound, or null when it has none (a string holding NUL)
     */
    Bytes(boolean varchar, Function<byte[], String> text) {
      this.varchar = varchar;
      this.text = text;
    }

    void add(byte[] v) {
      valueCount++;
      if (rgFailed) {
        return;
      }
      if (!rgHas || Arrays.compareUnsigned(v, rgMin) < 0) {
        rgMin = v.length > MAX_SIZE ? truncateMin(v) : v;
      }
      if (!rgHas || Arrays.compareUnsigned(v, rgMax) > 0) {
        if (v.length > MAX_SIZE) {
          byte[] cut = truncateMax(v);
          if (cut == null) {
            rgFailed = true;
            rgHas = false;
            return;
          }
          rgMax = cut;
        } else {
          rgMax = v;
        }
      }
      rgHas = true;
    }

    private byte[] truncateMin(byte[] v) {
      int size = MAX_SIZE;
      if (varchar) {
        while (size > 0 && (v[size] & 0xc0) == 0x80) { // not at the start of a character
          size--;
        }
      }
      return Arrays.copyOf(v, size);
    }

    private byte[] truncateMax(byte[] v) {
      int limit = varchar ? 0x7f : 0xff;
      int pos = MAX_SIZE;
      while (pos > 0 && (v[pos - 1] & 0xff) >= limit) {
        pos--;
      }
      if (pos == 0) {
        return null;
      }
      byte[] cut = Arrays.copyOf(v, pos);
      cut[pos - 1]++;
      return cut;
    }

    @Override
    boolean rowGroupHasBounds() {
      return rgHas;
    }

    @Override
    void mergeRowGroup() {
      if (!fileHasBounds || Arrays.compareUnsigned(rgMin, min) < 0) {
        min = rgMin;
      }
      if (!fileHasBounds || Arrays.compareUnsigned(rgMax, max) > 0) {
        max = rgMax;
      }
    }

    @Override
    void resetRowGroup() {
      rgHas = false;
      rgFailed = false;
      rgMin = null;
      rgMax = null;
    }

    @Override
    String minText() {
      return text.apply(min);
    }

    @Override
    String maxText() {
      return text.apply(max);
    }

    /** Varchar text; DuckLake stores a bound holding a NUL character as NULL. */
    static String utf8(byte[] b) {
      for (byte x : b) {
        if (x == 0) {
          return null;
        }
      }
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  /**
   * Counts and no bounds: int128 / uint128, which DuckDB writes as DOUBLE and records counts only
   * for (so does Mallard), and the base of the other collectors without bounds.
   */
  static class CountsOnly extends StatsCollector {
    @Override
    boolean rowGroupHasBounds() {
      return false;
    }

    @Override
    void mergeRowGroup() {}

    @Override
    void resetRowGroup() {}

    @Override
    String minText() {
      return null;
    }

    @Override
    String maxText() {
      return null;
    }
  }

  /**
   * geometry: counts, no bounds, and the bounding box and types DuckDB's ducklake records as
   * {@code extra_stats} (see {@link GeometryStats}).
   */
  static final class Geometry extends CountsOnly {
    private final GeometryStats geometry = new GeometryStats();

    void add(byte[] wkb) {
      valueCount++;
      geometry.add(wkb);
    }

    @Override
    FileColumnStats result(long columnSizeBytes) {
      return new FileColumnStats(columnSizeBytes, valueCount, nullCount, null, null, null, geometry.toString());
    }
  }

  /**
   * interval and timetz: DuckDB writes no Parquet statistics for them, so the ducklake extension
   * records zero for the size and both counts, and no bounds. Replicated as is: readers must treat
   * counts that do not add up to the row count as unknown (the Mallard reader does).
   */
  static final class None extends CountsOnly {
    @Override
    FileColumnStats result(long columnSizeBytes) {
      return new FileColumnStats(0, 0, 0, null, null, null);
    }
  }
}
