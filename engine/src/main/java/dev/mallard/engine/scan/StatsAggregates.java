package dev.mallard.engine.scan;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.types.ColumnStats;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code count(*)}, {@code count(col)}, {@code min(col)} and {@code max(col)} of a whole table
 * answered from the catalog, without opening a data file, when the catalog's numbers are exact for
 * the plan: no filter, every visible row in a data file all of whose rows are visible (no
 * deletions, no rows newer than the snapshot, no uncommitted rows; inlined rows are counted, but
 * count(col), min and max wait for none), each file with statistics of the column,
 * and a column type whose statistics DuckDB and Mallard write as the exact extremes (integers,
 * decimals, dates, timestamps; not floats, whose NaN and signed zeros the bounds do not settle,
 * nor strings, whose bounds DuckDB truncates).
 */
public final class StatsAggregates {
  private StatsAggregates() {}

  /**
   * An aggregate to answer: {@code count(*)} (column null), or {@code count(col)} (its non-NULL
   * values), min or max of a column.
   */
  public record Call(Kind kind, ColumnInfo column) {}

  public enum Kind { COUNT_STAR, COUNT, MIN, MAX }

  /** One call's answer from statistics; {@code value} is null for min or max of no value. */
  public record Answer(Object value) {}

  /** Whether min and max of a column of this type can come from statistics. */
  public static boolean extremesExact(DuckLakeType type) {
    return switch (type.kind()) {
      case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, DECIMAL, DATE, TIMESTAMP, TIMESTAMPTZ -> true;
      default -> false;
    };
  }

  /**
   * The engine value of each call (a Long for the counts; null for min or max of no value), or
   * null when the catalog cannot answer all of them exactly and the rows must be read.
   */
  public static Object[] answer(ScanPlan plan, MetadataStore metadata, List<Call> calls) {
    Answer[] each = answerEach(plan, metadata, calls);
    Object[] out = new Object[each.length];
    for (int i = 0; i < out.length; i++) {
      if (each[i] == null) {
        return null;
      }
      out[i] = each[i].value();
    }
    return out;
  }

  /**
   * Each call answered on its own: its {@link Answer}, or null where the catalog cannot answer it
   * exactly. The files' statistics are read once for all calls.
   */
  public static Answer[] answerEach(ScanPlan plan, MetadataStore metadata, List<Call> calls) {
    Answer[] out = new Answer[calls.size()];
    if (plan.filter() != null || plan.withRowAddress()) {
      return out;
    }
    boolean valuesNeeded = calls.stream().anyMatch(c -> c.kind() != Kind.COUNT_STAR);
    List<DataFile> files = new ArrayList<>();
    long inlinedRows = 0;
    for (ScanTask task : plan.tasks()) {
      if (task instanceof ScanTask.InlinedRowsTask inlined) {
        // DuckDB makes an inlined data table for every table, most often empty: counting its rows
        // is one small catalog query. Values of inlined rows have no statistics: those calls read.
        inlinedRows += visibleRows(metadata, inlined, plan.snapshot().id());
        continue;
      }
      if (!(task instanceof ScanTask.DataFileTask d)) {
        return out; // uncommitted rows
      }
      DataFile f = d.file();
      boolean allVisible = f.deleteFile() == null && d.inlinedDeletions().length == 0 && f.legacyVisibleRows() == null
          && (f.partialMax() == null || f.partialMax() <= plan.snapshot().id());
      if (!allVisible) {
        return out;
      }
      files.add(f);
    }
    Map<Long, DuckLakeType> types = new HashMap<>();
    if (valuesNeeded && inlinedRows == 0) {
      for (Call call : calls) {
        if (call.kind() == Kind.COUNT || (call.kind() != Kind.COUNT_STAR && extremesExact(call.column().type()))) {
          types.put(call.column().id(), call.column().type());
        }
      }
    }
    Map<Long, Map<Long, ColumnStats>> stats = metadata.fileColumnStats(plan.table().id(), types);
    for (int i = 0; i < out.length; i++) {
      Call call = calls.get(i);
      if (call.kind() == Kind.COUNT_STAR) {
        out[i] = new Answer(inlinedRows + files.stream().mapToLong(DataFile::recordCount).sum());
      } else if (types.containsKey(call.column().id())
          && (call.kind() == Kind.COUNT || extremesExact(call.column().type()))) {
        out[i] = fromFileStats(call, files, stats);
      }
    }
    return out;
  }

  /** A count, min or max over whole files, or null when a file's statistics do not settle it. */
  private static Answer fromFileStats(Call call, List<DataFile> files, Map<Long, Map<Long, ColumnStats>> stats) {
    long count = 0;
    Object extreme = null;
    for (DataFile file : files) {
      ColumnStats s = stats.getOrDefault(file.id(), Map.of()).get(call.column().id());
      s = s == null ? null : s.checkedAgainst(file.recordCount());
      if (s == null || s.valueCount() == null) {
        return null; // the file predates the column, or its counts do not add up
      }
      count += s.valueCount();
      if (call.kind() == Kind.COUNT || s.valueCount() == 0) {
        continue; // only NULLs
      }
      Object v = call.kind() == Kind.MIN ? s.min() : s.max();
      if (v == null || isInfinite(v)) {
        return null;
      }
      int cmp = extreme == null ? 0 : Values.compare(v, extreme);
      if (extreme == null || (call.kind() == Kind.MIN ? cmp < 0 : cmp > 0)) {
        extreme = v;
      }
    }
    return new Answer(call.kind() == Kind.COUNT ? (Object) count : extreme);
  }

  /** The rows of an inlined data table visible at the snapshot, less those the task deletes. */
  private static long visibleRows(MetadataStore metadata, ScanTask.InlinedRowsTask task, long snapshot) {
    long[] rows = {0};
    metadata.scanInlinedRows(task.table(), List.of(), snapshot, rs -> {
      while (rs.next()) {
        if (!task.deletedRowIds().contains(rs.getLong(1))) {
          rows[0]++;
        }
      }
    });
    return rows[0];
  }

  /** Infinite dates and timestamps: their bounds are not always written; read the rows instead. */
  private static boolean isInfinite(Object v) {
    return v instanceof Integer days && Math.abs(days) == Values.DATE_INFINITY
        || v instanceof Long micros && Math.abs(micros) == Values.TIMESTAMP_INFINITY;
  }
}
