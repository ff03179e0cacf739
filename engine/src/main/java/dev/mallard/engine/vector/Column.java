package dev.mallard.engine.vector;

import java.math.BigDecimal;

/**
 * One column of a {@link Chunk}: {@code size} values in one of three arrays. LONG and DOUBLE
 * values (see {@link VType}) are in {@link #longs} or {@link #doubles}, with {@link #nulls} marking
 * NULLs (null when there are none); strings and decimals too large for a long are in
 * {@link #objects}, where NULL is null. A DECIMAL column is either all longs or all BigDecimals.
 */
public final class Column {
  public final int size;
  public final long[] longs;
  public final double[] doubles;
  public final Object[] objects;
  public final boolean[] nulls;
  /**
   * For strings read from one dictionary (see {@link #ofDictionaryStrings}): each row's index into
   * it, -1 for NULL; else null.
   */
  final int[] codes;
  /** The dictionary {@link #codes} index, compared by identity; null with them. */
  final Object dictionary;

  private Column(int size, long[] longs, double[] doubles, Object[] objects, boolean[] nulls) {
    this(size, longs, doubles, objects, nulls, null, null);
  }

  private Column(int size, long[] longs, double[] doubles, Object[] objects, boolean[] nulls, int[] codes,
      Object dictionary) {
    this.size = size;
    this.longs = longs;
    this.doubles = doubles;
    this.objects = objects;
    this.nulls = nulls;
    this.codes = codes;
    this.dictionary = dictionary;
  }

  public static Column ofLongs(long[] values, boolean[] nulls, int size) {
    return new Column(size, values, null, null, nulls);
  }

  public static Column ofDoubles(double[] values, boolean[] nulls, int size) {
    return new Column(size, null, values, null, nulls);
  }

  public static Column ofObjects(Object[] values, int size) {
    return new Column(size, null, null, values, null);
  }

  /**
   * Strings that came from one dictionary: {@code values[i]} is entry {@code codes[i]} of {@code
   * dictionary} (equal codes, equal strings; -1 and null for NULL). Grouping numbers the codes.
   */
  public static Column ofDictionaryStrings(Object[] values, int[] codes, Object dictionary, int size) {
    return new Column(size, null, null, values, null, codes, dictionary);
  }

  public boolean isNull(int i) {
    return objects != null ? objects[i] == null : nulls != null && nulls[i];
  }

  public boolean hasNulls() {
    if (objects == null) {
      return nulls != null;
    }
    for (int i = 0; i < size; i++) {
      if (objects[i] == null) {
        return true;
      }
    }
    return false;
  }

  /** A DECIMAL value at {@code scale} (non-null). */
  public BigDecimal decimal(int i, int scale) {
    return objects != null ? (BigDecimal) objects[i] : BigDecimal.valueOf(longs[i], scale);
  }

  /**
   * A hash of the (non-null) integer, decimal or string at {@code i} for hash tables: equal values
   * hash alike whether a decimal at {@code scale} is held as an unscaled long or as a BigDecimal.
   */
  int keyHash(int i, int scale) {
    if (longs != null) {
      return mix(longs[i]);
    }
    if (objects[i] instanceof BigDecimal d) {
      BigDecimal scaled = d.setScale(scale);
      return scaled.unscaledValue().bitLength() < 64 ? mix(scaled.unscaledValue().longValue()) : scaled.hashCode();
    }
    return objects[i].hashCode();
  }

  private static int mix(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /** The value as a Java object: Long, Double, String or (for a DECIMAL in longs) the unscaled Long. */
  public Object boxed(int i) {
    if (isNull(i)) {
      return null;
    }
    return objects != null ? objects[i] : longs != null ? (Object) longs[i] : (Object) doubles[i];
  }

  /** The rows {@code rows[0..n)} of this column, in that order. */
  public Column select(int[] rows, int n) {
    boolean[] outNulls = nulls == null ? null : new boolean[n];
    if (outNulls != null) {
      for (int i = 0; i < n; i++) {
        outNulls[i] = nulls[rows[i]];
      }
    }
    if (longs != null) {
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        out[i] = longs[rows[i]];
      }
      return ofLongs(out, outNulls, n);
    }
    if (doubles != null) {
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        out[i] = doubles[rows[i]];
      }
      return ofDoubles(out, outNulls, n);
    }
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      out[i] = objects[rows[i]];
    }
    return ofObjects(out, n);
  }

  /** A column of {@code size} copies of {@code value} (Long, Double, String, BigDecimal, or null) as {@code type} holds it. */
  public static Column constant(Object value, VType type, int size) {
    if (type.kind() == VType.Kind.STRING || value instanceof BigDecimal) {
      Object[] out = new Object[size];
      java.util.Arrays.fill(out, value);
      return ofObjects(out, size);
    }
    boolean[] nulls = null;
    if (value == null) {
      nulls = new boolean[size];
      java.util.Arrays.fill(nulls, true);
    }
    if (type.kind() == VType.Kind.DOUBLE) {
      double[] out = new double[size];
      if (value != null) {
        java.util.Arrays.fill(out, (Double) value);
      }
      return ofDoubles(out, nulls, size);
    }
    long[] out = new long[size];
    if (value != null) {
      java.util.Arrays.fill(out, (Long) value);
    }
    return ofLongs(out, nulls, size);
  }

  /** The rows {@code rows[0..n)} of this column, in that order; a negative row gives NULL. */
  public Column selectOrNull(int[] rows, int n) {
    boolean[] outNulls = new boolean[n];
    boolean any = false;
    for (int i = 0; i < n; i++) {
      int r = rows[i];
      outNulls[i] = r < 0 || nulls != null && nulls[r];
      any |= outNulls[i];
    }
    if (!any) {
      return select(rows, n);
    }
    if (longs != null) {
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        out[i] = rows[i] < 0 ? 0 : longs[rows[i]];
      }
      return ofLongs(out, outNulls, n);
    }
    if (doubles != null) {
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        out[i] = rows[i] < 0 ? 0 : doubles[rows[i]];
      }
      return ofDoubles(out, outNulls, n);
    }
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      out[i] = rows[i] < 0 ? null : objects[rows[i]];
    }
    return ofObjects(out, n);
  }

  /**
   * The values of {@code parts} one after the other ({@code n} in all), as {@code type} holds them:
   * a DECIMAL whose parts are held both ways comes out as BigDecimals.
   */
  public static Column concat(Column[] parts, VType type, int n) {
    boolean anyObjects = false;
    boolean allObjects = true;
    boolean anyNulls = false;
    for (Column p : parts) {
      anyObjects |= p.objects != null;
      allObjects &= p.objects != null;
      anyNulls |= p.nulls != null;
    }
    if (type.kind() == VType.Kind.STRING || anyObjects) {
      Object[] out = new Object[n];
      int at = 0;
      for (Column p : parts) {
        for (int i = 0; i < p.size; i++) {
          out[at++] = allObjects ? p.objects[i] : p.isNull(i) ? null : p.decimal(i, type.scale());
        }
      }
      return ofObjects(out, n);
    }
    boolean[] nulls = anyNulls ? new boolean[n] : null;
    int at = 0;
    if (type.kind() == VType.Kind.DOUBLE) {
      double[] out = new double[n];
      for (Column p : parts) {
        System.arraycopy(p.doubles, 0, out, at, p.size);
        if (p.nulls != null) {
          System.arraycopy(p.nulls, 0, nulls, at, p.size);
        }
        at += p.size;
      }
      return ofDoubles(out, nulls, n);
    }
    long[] out = new long[n];
    for (Column p : parts) {
      System.arraycopy(p.longs, 0, out, at, p.size);
      if (p.nulls != null) {
        System.arraycopy(p.nulls, 0, nulls, at, p.size);
      }
      at += p.size;
    }
    return ofLongs(out, nulls, n);
  }
}
