package dev.mallard.engine.parquet;

import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;

/**
 * Converts a count of 10^-from seconds to 10^-to seconds. Refining is exact (overflow fails);
 * coarsening rounds down, or up for upper statistics bounds so they stay bounds.
 */
record UnitConversion(int from, int to) {
  static int digits(TimeUnit unit) {
    return switch (unit) {
      case MILLIS -> 3;
      case MICROS -> 6;
      case NANOS -> 9;
    };
  }

  long convert(long value, boolean roundUp) {
    if (from == to) {
      return value;
    }
    if (from < to) {
      return Math.multiplyExact(value, pow10(to - from));
    }
    long divisor = pow10(from - to);
    return roundUp ? Math.floorDiv(value, divisor) + (Math.floorMod(value, divisor) == 0 ? 0 : 1)
        : Math.floorDiv(value, divisor);
  }

  private static long pow10(int n) {
    long r = 1;
    for (int i = 0; i < n; i++) {
      r *= 10;
    }
    return r;
  }
}
