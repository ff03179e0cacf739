package dev.mallard.engine.parquet;

/**
 * What {@code ducklake_file_column_stats} records about one column of a written file, in the
 * reference's exact string encodings (see ducklake-format.md §4.10).
 *
 * @param valueCount non-NULL values (the reference's meaning, despite the column's name)
 * @param minValue null when unknown or the type keeps no bounds
 * @param containsNan null for non-floating-point columns
 * @param extraStats the reference's {@code extra_stats} text (geometry bounding box and types), or null
 */
public record FileColumnStats(long columnSizeBytes, long valueCount, long nullCount, String minValue,
    String maxValue, Boolean containsNan, String extraStats) {
  public FileColumnStats(long columnSizeBytes, long valueCount, long nullCount, String minValue, String maxValue,
      Boolean containsNan) {
    this(columnSizeBytes, valueCount, nullCount, minValue, maxValue, containsNan, null);
  }
}
