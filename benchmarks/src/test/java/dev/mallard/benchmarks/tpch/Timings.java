package dev.mallard.benchmarks.tpch;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one engine did with one query: its timed runs (empty when it failed) or its error, and the
 * number of rows of its result.
 */
record Timings(long[] nanos, long rows, String error) {
  static Timings of(long[] nanos, long rows) {
    return new Timings(nanos, rows, null);
  }

  static Timings failed(String error) {
    return new Timings(new long[0], -1, error);
  }

  boolean ok() {
    return error == null;
  }

  /** The median of the timed runs, in seconds. */
  double medianSeconds() {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    return median / 1e9;
  }

  /** The geometric mean of some positive values. */
  static double geomean(List<Double> values) {
    double logs = 0;
    for (double v : values) {
      logs += Math.log(v);
    }
    return Math.exp(logs / values.size());
  }

  static String seconds(double s) {
    return String.format(Locale.ROOT, s < 10 ? "%.3f" : "%.1f", s);
  }

  static String ratio(double r) {
    return String.format(Locale.ROOT, r < 10 ? "%.2f×" : "%.1f×", r);
  }
}
