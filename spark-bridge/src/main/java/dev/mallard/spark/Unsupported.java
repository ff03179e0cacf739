package dev.mallard.spark;

/** The errors for what the bridge does not do yet, worded once. */
final class Unsupported {
  private Unsupported() {}

  static UnsupportedOperationException writes(String what) {
    return new UnsupportedOperationException("Writing DuckLake tables from Spark is not supported yet (" + what
        + "): Mallard reads DuckLake but cannot write it yet. Write with DuckDB's ducklake extension for now.");
  }
}
