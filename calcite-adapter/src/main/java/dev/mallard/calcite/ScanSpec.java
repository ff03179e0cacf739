package dev.mallard.calcite;

import dev.mallard.engine.expr.Predicate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@link DuckLakeTableScan} absorbed from the plan above it, handed to the generated code
 * as a stashed object so the generated source stays the same whatever the spec holds.
 *
 * @param columnIds the DuckLake ids of the columns the scan returns, in order
 * @param filters conjuncts the scan evaluates on every row
 * @param plannedSchemaVersion the schema version the statement was planned against
 * @param withRowAddress rows end with the data file id, position and row id of the row (for DML)
 * @param travel what the time travel value handed to the scan at run time means, if any
 * @param parameterFilters filters on {@code ?} parameters, bound by {@link #withParameters} at each execution
 */
public record ScanSpec(long tableId, List<Long> columnIds, List<Predicate> filters, long plannedSchemaVersion,
    boolean withRowAddress, Travel travel, List<ParameterFilter> parameterFilters) {
  /** Which snapshot a scan reads. */
  public enum Travel {
    /** The statement's snapshot. */
    NONE,
    /** The snapshot whose id is the time travel value (a number). */
    SNAPSHOT_ID,
    /** The last snapshot at or before the time travel value (microseconds since the epoch, UTC). */
    TIMESTAMP
  }

  public ScanSpec {
    columnIds = List.copyOf(columnIds);
    filters = List.copyOf(filters);
    parameterFilters = List.copyOf(parameterFilters);
  }

  /**
   * Called by the generated code at each execution: this spec with its parameter filters bound to
   * {@code values} (each filter's values in turn) and added to {@link #filters}.
   */
  public ScanSpec withParameters(Object[] values) {
    List<Predicate> bound = new ArrayList<>(filters);
    int next = 0;
    for (ParameterFilter f : parameterFilters) {
      int count = f.values().size();
      Predicate p = f.bind(Arrays.asList(values).subList(next, next + count));
      next += count;
      if (p != null) {
        bound.add(p);
      }
    }
    return new ScanSpec(tableId, columnIds, bound, plannedSchemaVersion, withRowAddress, travel, List.of());
  }
}
