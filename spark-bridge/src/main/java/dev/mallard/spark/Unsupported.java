package dev.mallard.spark;

/** The errors for what the bridge does not do yet, worded once. */
final class Unsupported {
  private Unsupported() {}

  static UnsupportedOperationException writes(String what) {
    return new UnsupportedOperationException(what + " is not supported from Spark yet; run it with DuckDB or Mallard's JDBC driver");
  }
}
