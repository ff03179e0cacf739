package dev.mallard.engine.types;

/**
 * What is known about a column's values in one file or row group, as engine values (see
 * {@link Values}). Every field may be null: unknown. Bounds are bounds, not exact extremes.
 *
 * @param valueCount the number of non-NULL values
 * @param containsNan whether a floating-point column holds a NaN (NaN is never a min or max)
 */
public record ColumnStats(Object min, Object max, Long nullCount, Long valueCount, Boolean containsNan) {
  public static final ColumnStats UNKNOWN = new ColumnStats(null, null, null, null, null);

  /**
   * These statistics with their counts kept only if they add up to the rows they describe. DuckDB
   * writes zero counts for types it keeps no statistics for (interval, timetz), which would
   * otherwise read as "no values and no NULLs".
   */
  public ColumnStats checkedAgainst(long rowCount) {
    if (nullCount != null && valueCount != null && nullCount + valueCount == rowCount) {
      return this;
    }
    return new ColumnStats(min, max, null, null, containsNan);
  }
}
