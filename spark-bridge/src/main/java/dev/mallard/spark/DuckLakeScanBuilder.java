package dev.mallard.spark;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.scan.FilterPushdown;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.read.LocalScan;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownAggregates;
import org.apache.spark.sql.connector.read.SupportsPushDownLimit;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.connector.read.SupportsPushDownV2Filters;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Collects what Spark pushes into a scan: filters, the columns it needs and a limit. A filter goes
 * to the engine when it translates; Spark evaluates it again afterwards unless the engine answers
 * {@link FilterPushdown#EXACT}, exactly as the engine answers.
 */
final class DuckLakeScanBuilder
    implements ScanBuilder, SupportsPushDownV2Filters, SupportsPushDownRequiredColumns, SupportsPushDownLimit,
    SupportsPushDownAggregates {
  private final DuckLakeSparkTable table;
  private final SparkPredicates translator;
  private final List<org.apache.spark.sql.connector.expressions.filter.Predicate> pushed = new ArrayList<>();
  private final List<Predicate> filters = new ArrayList<>();
  private List<ColumnInfo> columns;
  private Long limit;
  private List<String> metadataColumns = List.of();
  /** The scan of the one row of aggregates the catalog answered, if it did. */
  private LocalScan aggregated;

  DuckLakeScanBuilder(DuckLakeSparkTable table) {
    this.table = table;
    this.translator = new SparkPredicates(table.info());
    this.columns = table.info().columns();
  }

  @Override
  public org.apache.spark.sql.connector.expressions.filter.Predicate[] pushPredicates(
      org.apache.spark.sql.connector.expressions.filter.Predicate[] predicates) {
    List<org.apache.spark.sql.connector.expressions.filter.Predicate> postScan = new ArrayList<>();
    for (var p : predicates) {
      Optional<Predicate> engine = translator.translate(p);
      FilterPushdown answer = engine.map(FilterPushdown::of).orElse(FilterPushdown.UNSUPPORTED);
      if (answer != FilterPushdown.UNSUPPORTED) {
        filters.add(engine.get());
        pushed.add(p);
      }
      if (answer != FilterPushdown.EXACT) {
        postScan.add(p);
      }
    }
    return postScan.toArray(new org.apache.spark.sql.connector.expressions.filter.Predicate[0]);
  }

  @Override
  public org.apache.spark.sql.connector.expressions.filter.Predicate[] pushedPredicates() {
    return pushed.toArray(new org.apache.spark.sql.connector.expressions.filter.Predicate[0]);
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    List<ColumnInfo> out = new ArrayList<>();
    metadataColumns = new ArrayList<>();
    for (StructField f : requiredSchema.fields()) {
      boolean isColumn = table.info().columns().stream().anyMatch(c -> c.name().equals(f.name()));
      if (!isColumn && MetadataColumns.NAMES.contains(f.name())) {
        metadataColumns.add(f.name()); // a table column of the same name hides the metadata column
        continue;
      }
      out.add(table.info().columns().stream().filter(c -> c.name().equals(f.name())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("Spark asked for column " + f.name() + ", which "
              + table.name() + " does not have")));
    }
    columns = out;
  }

  /**
   * Spark pushes a limit only when every filter was pushed completely, so each partition may stop
   * after {@code limit} rows; Spark still applies the limit across partitions.
   */
  @Override
  public boolean pushLimit(int limit) {
    this.limit = (long) limit;
    return true;
  }

  @Override
  public boolean isPartiallyPushed() {
    return true;
  }

  /** Aggregates are answered completely from the catalog (see {@link StatsAggregateScan}), or not at all. */
  @Override
  public boolean supportCompletePushDown(Aggregation aggregation) {
    return true;
  }

  /** Only without filters: the catalog's counts and extremes are of whole files. */
  @Override
  public boolean pushAggregation(Aggregation aggregation) {
    if (!filters.isEmpty()) {
      return false;
    }
    aggregated = StatsAggregateScan.answer(table, aggregation).orElse(null);
    return aggregated != null;
  }

  @Override
  public Scan build() {
    if (aggregated != null) {
      return aggregated;
    }
    return new DuckLakeScan(table, columns, filters, limit, metadataColumns);
  }
}
