package dev.mallard.calcite;

import dev.mallard.engine.expr.Predicate;
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
 */
public record ScanSpec(long tableId, List<Long> columnIds, List<Predicate> filters, long plannedSchemaVersion,
    boolean withRowAddress, Travel travel) {
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
  }
}
