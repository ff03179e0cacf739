package dev.mallard.spark;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.scan.ScanTask;
import dev.mallard.engine.types.ColumnStats;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.aggregate.AggregateFunc;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.expressions.aggregate.Count;
import org.apache.spark.sql.connector.expressions.aggregate.CountStar;
import org.apache.spark.sql.connector.expressions.aggregate.Max;
import org.apache.spark.sql.connector.expressions.aggregate.Min;
import org.apache.spark.sql.connector.read.LocalScan;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code count(*)}, {@code count(col)}, {@code min(col)} and {@code max(col)} without a GROUP BY
 * or a filter, answered from the catalog alone when its numbers are exact: every visible row is in
 * a whole data file (no deletions, not a partial file) whose statistics cover the column, or, for
 * {@code count(*)} only, kept inline (the scan counts those rows anyway). min and max are taken
 * only for numbers, dates and timestamps, whose statistics DuckDB and Mallard write as the exact
 * extremes, and never over a file holding NaN. Anything else is left to Spark, which reads the rows.
 */
final class MetadataAggregates {
  private MetadataAggregates() {}

  /** The one result row as a scan, or empty when the catalog cannot answer exactly. */
  static Optional<LocalScan> answer(DuckLakeSparkTable table, Aggregation aggregation) {
    if (aggregation.groupByExpressions().length > 0) {
      return Optional.empty();
    }
    DuckLakeScan probe = new DuckLakeScan(table, List.of(), List.of(), null);
    List<DataFile> files = new ArrayList<>();
    for (ScanTask t : probe.tasks()) {
      if (!(t instanceof ScanTask.DataFileTask d)) {
        continue; // inlined rows, counted by the probe
      }
      DataFile f = d.file();
      if (d.inlinedDeletions().length > 0 || f.deleteFile() != null || f.partialMax() != null
          || f.legacyVisibleRows() != null) {
        return Optional.empty();
      }
      files.add(f);
    }
    long inlinedRows = probe.inlinedRows();
    Map<Long, DuckLakeType> types = new HashMap<>();
    List<StructField> fields = new ArrayList<>();
    List<ColumnInfo> columns = new ArrayList<>();
    for (AggregateFunc f : aggregation.aggregateExpressions()) {
      ColumnInfo c = null;
      if (!(f instanceof CountStar)) {
        c = column(table, f);
        if (c == null || inlinedRows > 0 || (!(f instanceof Count) && !extremesExact(c.type()))) {
          return Optional.empty();
        }
        types.put(c.id(), c.type());
      }
      columns.add(c);
      fields.add(new StructField(f.toString(), f instanceof Count || f instanceof CountStar ? DataTypes.LongType
          : SparkTypes.dataType(c), true, org.apache.spark.sql.types.Metadata.empty()));
    }
    Map<Long, Map<Long, ColumnStats>> stats = OpenLakes.get(table.lake()).catalog().metadata()
        .fileColumnStats(table.info().id(), types);
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      AggregateFunc f = aggregation.aggregateExpressions()[i];
      if (f instanceof CountStar) {
        values[i] = inlinedRows + files.stream().mapToLong(DataFile::recordCount).sum();
        continue;
      }
      ColumnInfo c = columns.get(i);
      long count = 0;
      Object extreme = null;
      for (DataFile file : files) {
        ColumnStats s = stats.getOrDefault(file.id(), Map.of()).get(c.id());
        s = s == null ? null : s.checkedAgainst(file.recordCount());
        boolean floating = c.type().kind() == dev.mallard.engine.types.TypeKind.FLOAT32
            || c.type().kind() == dev.mallard.engine.types.TypeKind.FLOAT64;
        if (s == null || s.valueCount() == null || (floating && !(f instanceof Count)
            && !Boolean.FALSE.equals(s.containsNan()))) {
          return Optional.empty(); // the file predates the column, or its counts do not add up
        }
        count += s.valueCount();
        if (s.valueCount() > 0) {
          Object v = f instanceof Min ? s.min() : s.max();
          if (v == null) {
            return Optional.empty();
          }
          if (extreme == null || (f instanceof Min ? Values.compare(v, extreme) < 0 : Values.compare(v, extreme) > 0)) {
            extreme = v;
          }
        }
      }
      if (isInfinite(extreme)) {
        return Optional.empty(); // Spark has no infinite dates or timestamps: reading fails as it should
      }
      values[i] = f instanceof Count ? (Object) count : extreme == null ? null : sparkValue(c.type(), extreme);
    }
    StructType schema = new StructType(fields.toArray(new StructField[0]));
    InternalRow row = new GenericInternalRow(values);
    String description = "DuckLakeMetadataAggregates(" + table.info().qualifiedName() + ", snapshot="
        + table.snapshot().id() + ", " + fields.stream().map(StructField::name).toList() + ")";
    return Optional.of(new LocalScan() {
      @Override
      public InternalRow[] rows() {
        return new InternalRow[] {row};
      }

      @Override
      public StructType readSchema() {
        return schema;
      }

      @Override
      public String description() {
        return description;
      }
    });
  }

  /** The plain column an aggregate (other than count(*)) is over, or null for anything else. */
  private static ColumnInfo column(DuckLakeSparkTable table, AggregateFunc f) {
    org.apache.spark.sql.connector.expressions.Expression e;
    if (f instanceof Count c && !c.isDistinct()) {
      e = c.column();
    } else if (f instanceof Min m) {
      e = m.column();
    } else if (f instanceof Max m) {
      e = m.column();
    } else {
      return null;
    }
    if (!(e instanceof NamedReference ref) || ref.fieldNames().length != 1) {
      return null;
    }
    return table.info().columns().stream().filter(c -> c.name().equals(ref.fieldNames()[0])).findFirst()
        .filter(SparkTypes::readable).orElse(null);
  }

  private static boolean isInfinite(Object v) {
    return v instanceof Integer days && Math.abs(days) == Values.DATE_INFINITY
        || v instanceof Long micros && Math.abs(micros) == Values.TIMESTAMP_INFINITY;
  }

  private static boolean extremesExact(DuckLakeType type) {
    return switch (type.kind()) {
      case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, FLOAT32, FLOAT64, DECIMAL, DATE, TIMESTAMP,
          TIMESTAMPTZ -> true;
      default -> false;
    };
  }

  /** An engine value of one of the {@link #extremesExact} types as Spark's internal value. */
  private static Object sparkValue(DuckLakeType type, Object v) {
    return switch (type.kind()) {
      case INT8 -> (byte) (long) (Long) v;
      case INT16, UINT8 -> (short) (long) (Long) v;
      case INT32, UINT16 -> (int) (long) (Long) v;
      case FLOAT32 -> (float) (double) (Double) v;
      case DECIMAL -> Decimal.apply((BigDecimal) v, type.precision(), type.scale());
      default -> v; // long, double, date (int days), timestamp (long microseconds)
    };
  }
}
