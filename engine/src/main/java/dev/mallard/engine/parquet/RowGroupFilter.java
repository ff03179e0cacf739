package dev.mallard.engine.parquet;

import dev.mallard.engine.types.ColumnStats;
import java.util.Set;
import java.util.function.IntFunction;

/** Decides from a row group's statistics whether it can hold a matching row. */
@FunctionalInterface
public interface RowGroupFilter {
  RowGroupFilter ALL = (rowCount, stats) -> true;

  /**
   * @param statsByFieldId the statistics of the column with a field id, or null when the file has
   *     no such column or no statistics for it
   * @return false only if no row of the row group can match
   */
  boolean mightMatch(long rowCount, IntFunction<ColumnStats> statsByFieldId);

  /**
   * The field ids whose statistics {@link #mightMatch} reads, so that a reader fetches page
   * indexes only for them; null when unknown (then no pages are skipped, only row groups).
   */
  default Set<Integer> fieldIds() {
    return null;
  }
}
