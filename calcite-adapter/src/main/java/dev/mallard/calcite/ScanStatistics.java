package dev.mallard.calcite;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.scan.SnapshotFilesCache;
import dev.mallard.engine.types.ColumnStats;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Planner estimates for a table from what the catalog knows of its data files: each file's row
 * count and, per column, its min, max and null count. A filter's selectivity is the share of rows,
 * file by file, that it could keep: files whose ranges exclude it count nothing (as pruning would
 * skip them), ranges on numbers and dates interpolate between min and max, and an equality keeps one
 * distinct value's share, with the distinct values of an integer, date or decimal column bounded by
 * its range. What the statistics do not tell falls back to fixed guesses.
 */
final class ScanStatistics {
  /** Guesses where the statistics say nothing: as Calcite's for equality and ranges. */
  private static final double EQUALS_GUESS = 0.15;
  private static final double RANGE_GUESS = 1 / 3D;
  private static final double NULL_GUESS = 0.05;

  /** One data file: its row count, and its statistics of the columns loaded so far. */
  private record FileStats(long rows, long id, Map<Long, Map<Long, ColumnStats>> byColumn) {
    ColumnStats column(long columnId) {
      Map<Long, ColumnStats> column = byColumn.get(columnId);
      return column == null ? null : column.get(id);
    }
  }

  private final List<FileStats> files;
  private final long fileRows;
  private final MetadataStore metadata;
  private final SnapshotFilesCache.Files cached;
  /** The table's columns whose statistics can be read, by id. */
  private final Map<Long, DuckLakeType> types;
  /** Column id to data file id to statistics, each column loaded when an estimate first needs it. */
  private final Map<Long, Map<Long, ColumnStats>> byColumn = new ConcurrentHashMap<>();

  private ScanStatistics(MetadataStore metadata, SnapshotFilesCache.Files cached, Map<Long, DuckLakeType> types) {
    this.metadata = metadata;
    this.cached = cached;
    this.types = types;
    this.files = cached.files().stream().map(f -> new FileStats(f.recordCount(), f.id(), byColumn)).toList();
    this.fileRows = files.stream().mapToLong(FileStats::rows).sum();
  }

  /** The table's data files at {@code snapshotId}; their statistics are read column by column when needed. */
  static ScanStatistics load(DuckLakeTable table, long snapshotId) {
    var catalog = table.lake().catalog();
    Map<Long, DuckLakeType> types = new HashMap<>();
    for (ColumnInfo c : table.info().columns()) {
      if (!c.type().kind().isNested() && Values.isComparable(c.type())) {
        types.put(c.id(), c.type());
      }
    }
    return new ScanStatistics(catalog.metadata(), SnapshotFilesCache.shared().files(catalog, table.info(), snapshotId),
        types);
  }

  /** Reads the statistics of those of the columns not read yet. */
  private void load(Collection<Long> columnIds) {
    Map<Long, DuckLakeType> wanted = new HashMap<>();
    for (Long id : columnIds) {
      DuckLakeType type = types.get(id);
      if (type != null && !byColumn.containsKey(id)) {
        wanted.put(id, type);
      }
    }
    if (!wanted.isEmpty()) {
      byColumn.putAll(cached.columnStats(metadata, wanted));
    }
  }

  /** The share of the table's rows that all of {@code filters} and {@code parameterFilters} keep. */
  double selectivity(List<Predicate> filters, List<ParameterFilter> parameterFilters) {
    if (filters.isEmpty() && parameterFilters.isEmpty()) {
      return 1;
    }
    if (fileRows == 0) {
      return Math.pow(0.25, filters.size() + parameterFilters.size());
    }
    Set<Long> columns = new HashSet<>();
    filters.forEach(p -> p.columns().forEach(c -> columns.add(c.columnId())));
    parameterFilters.forEach(p -> columns.add(p.column().columnId()));
    load(columns);
    double kept = 0;
    for (FileStats f : files) {
      double share = 1;
      for (Predicate p : filters) {
        share *= selectivity(p, f);
      }
      for (ParameterFilter p : parameterFilters) {
        share *= selectivity(p, f);
      }
      kept += share * f.rows();
    }
    return kept / fileRows;
  }

  /** The distinct values of a column in the whole table, from its range, or empty when unknown. */
  Double distinctValues(ColumnInfo column) {
    load(List.of(column.id()));
    Object min = null;
    Object max = null;
    for (FileStats f : files) {
      ColumnStats s = f.column(column.id());
      if (s == null || s.min() == null || s.max() == null) {
        return null;
      }
      try {
        min = min == null || Values.compare(s.min(), min) < 0 ? s.min() : min;
        max = max == null || Values.compare(s.max(), max) > 0 ? s.max() : max;
      } catch (RuntimeException e) {
        return null;
      }
    }
    Double range = min == null ? null : rangeDistinct(column.type(), min, max);
    return range == null ? null : Math.max(1, Math.min(range, fileRows));
  }

  private static double selectivity(Predicate p, FileStats f) {
    if (p instanceof Predicate.And and) {
      double s = 1;
      for (Predicate t : and.terms()) {
        s *= selectivity(t, f);
      }
      return s;
    }
    if (p instanceof Predicate.Or or) {
      double none = 1;
      for (Predicate t : or.terms()) {
        none *= 1 - selectivity(t, f);
      }
      return 1 - none;
    }
    if (p instanceof Predicate.Not not) {
      return 1 - selectivity(not.term(), f);
    }
    if (p instanceof Predicate.IsNull isNull) {
      ColumnStats s = f.column(isNull.column().columnId());
      return s == null || s.nullCount() == null || f.rows() == 0 ? NULL_GUESS : s.nullCount() / (double) f.rows();
    }
    if (p instanceof Predicate.In in) {
      double s = 0;
      for (Object v : in.values()) {
        try {
          s += comparison(in.column(), Predicate.Op.EQ, v, f);
        } catch (RuntimeException e) {
          s += EQUALS_GUESS;
        }
      }
      return Math.min(1, s);
    }
    if (p instanceof Predicate.Comparison c) {
      try {
        return comparison(c.column(), c.op(), c.value(), f);
      } catch (RuntimeException e) {
        return RANGE_GUESS; // statistics of an unexpected form: an estimate must not fail the query
      }
    }
    return RANGE_GUESS;
  }

  /** A filter on a value known only at execution: one distinct value's share, or a range guess. */
  private static double selectivity(ParameterFilter p, FileStats f) {
    ColumnStats s = f.column(p.column().columnId());
    double nonNull = nonNullShare(s, f);
    if (p.op() != Predicate.Op.EQ) {
      return RANGE_GUESS * nonNull;
    }
    return Math.min(1, p.values().size() * equalsShare(p.column().type(), s, f)) * nonNull;
  }

  private static double comparison(ColumnRef column, Predicate.Op op, Object value, FileStats f) {
    ColumnStats s = f.column(column.columnId());
    if (s == null || s.min() == null || s.max() == null) {
      return op == Predicate.Op.EQ ? EQUALS_GUESS : op == Predicate.Op.NE ? 1 - EQUALS_GUESS : RANGE_GUESS;
    }
    double nonNull = nonNullShare(s, f);
    int belowMin = Values.compare(value, s.min());
    int aboveMax = Values.compare(value, s.max());
    if (belowMin < 0 || aboveMax > 0) { // outside the file's range: pruning would skip the file
      boolean keeps = switch (op) {
        case EQ -> false;
        case NE -> true;
        case LT, LE -> aboveMax > 0;
        case GT, GE -> belowMin < 0;
      };
      return keeps ? nonNull : 0;
    }
    double equals = equalsShare(column.type(), s, f);
    Double position = position(s.min(), s.max(), value); // where value lies in [min, max], 0 to 1
    double less = (position == null ? RANGE_GUESS : position) * (1 - equals);
    double share = switch (op) {
      case EQ -> equals;
      case NE -> 1 - equals;
      case LT -> less;
      case LE -> less + equals;
      case GT -> 1 - less - equals;
      case GE -> 1 - less;
    };
    return Math.max(0, Math.min(1, share)) * nonNull;
  }

  /** The share of one distinct value among a file's rows. */
  private static double equalsShare(DuckLakeType type, ColumnStats s, FileStats f) {
    Double distinct = s == null || s.min() == null || s.max() == null ? null : rangeDistinct(type, s.min(), s.max());
    if (distinct == null) {
      return EQUALS_GUESS;
    }
    return 1 / Math.max(1, Math.min(distinct, f.rows()));
  }

  /**
   * How many distinct values fit between min and max: for integers, dates and decimals (by their
   * scale); null for other types, whose values are not evenly spaced.
   */
  private static Double rangeDistinct(DuckLakeType type, Object min, Object max) {
    TypeKind kind = type.kind();
    boolean integral = switch (kind) {
      case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, INT128, UINT128, DATE -> true;
      default -> false;
    };
    if (integral && min instanceof Number lo && max instanceof Number hi) {
      return hi.doubleValue() - lo.doubleValue() + 1;
    }
    if (kind == TypeKind.DECIMAL && min instanceof BigDecimal lo && max instanceof BigDecimal hi) {
      return hi.subtract(lo).movePointRight(type.scale()).doubleValue() + 1;
    }
    return null;
  }

  /** Where {@code value} lies between {@code min} and {@code max}, as 0 to 1, for numbers; else null. */
  private static Double position(Object min, Object max, Object value) {
    if (!(min instanceof Number lo) || !(max instanceof Number hi) || !(value instanceof Number v)) {
      return null;
    }
    double width = hi.doubleValue() - lo.doubleValue();
    if (!(width > 0)) {
      return 0.5;
    }
    return Math.max(0, Math.min(1, (v.doubleValue() - lo.doubleValue()) / width));
  }

  private static double nonNullShare(ColumnStats s, FileStats f) {
    return s == null || s.nullCount() == null || f.rows() == 0 ? 1 : 1 - s.nullCount() / (double) f.rows();
  }
}
