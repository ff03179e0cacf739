package dev.mallard.engine.vector;

/**
 * How a column's values are held in a {@link Column}: LONG for integers, dates (days) and booleans
 * (0 or 1); DECIMAL as unscaled longs at {@code scale}, or {@code BigDecimal}s when a value does not
 * fit in a long; DOUBLE; STRING.
 */
public record VType(Kind kind, int scale) {
  public enum Kind { LONG, DECIMAL, DOUBLE, STRING }

  public static final VType LONG = new VType(Kind.LONG, 0);
  public static final VType DOUBLE = new VType(Kind.DOUBLE, 0);
  public static final VType STRING = new VType(Kind.STRING, 0);

  public static VType decimal(int scale) {
    return new VType(Kind.DECIMAL, scale);
  }

  /** Integers and decimals: values with a scale (0 for integers). */
  public boolean isExact() {
    return kind == Kind.LONG || kind == Kind.DECIMAL;
  }
}
