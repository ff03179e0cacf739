package dev.mallard.spark;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanRequest;
import dev.mallard.engine.scan.ScanTask;
import dev.mallard.engine.scan.StatsAggregates;
import dev.mallard.engine.types.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportPartitioning;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.connector.read.colstats.ColumnStatistics;
import org.apache.spark.sql.connector.read.partitioning.KeyGroupedPartitioning;
import org.apache.spark.sql.connector.read.partitioning.Partitioning;
import org.apache.spark.sql.connector.read.partitioning.UnknownPartitioning;
import org.apache.spark.sql.connector.read.SupportsRuntimeV2Filtering;
import org.apache.spark.sql.types.StructType;

/**
 * A planned read of one table at one snapshot. The engine's {@code ScanPlanner} plans it on the
 * driver, once, when Spark first needs the plan (statistics or partitions); each of its tasks
 * becomes one input partition. Runtime filters (dynamic partition pruning) drop the data files
 * whose catalog statistics rule them out.
 */
final class DuckLakeScan implements Scan, SupportsReportStatistics, SupportsRuntimeV2Filtering,
    SupportsReportPartitioning {
  private final DuckLakeSparkTable table;
  private final List<ColumnInfo> columns;
  private final List<Predicate> filters;
  private final Long limit;
  private final List<String> metadataColumns;
  private ScanPlan plan;
  private List<ScanTask> tasks;
  private PlanForms.ReadSpec spec;
  /** Rows visible in the scan's inlined data tables, before filters. */
  private long inlinedRows;
  private PartitionKeys keys;
  /** Computed once, from the plan. */
  private Map<NamedReference, ColumnStatistics> columnStats;
  /** The task list {@link #keys} was computed for. */
  private List<ScanTask> keysOf;

  DuckLakeScan(DuckLakeSparkTable table, List<ColumnInfo> columns, List<Predicate> filters, Long limit) {
    this(table, columns, filters, limit, List.of());
  }

  /** @param metadataColumns {@link MetadataColumns} read after the columns, in order */
  DuckLakeScan(DuckLakeSparkTable table, List<ColumnInfo> columns, List<Predicate> filters, Long limit,
      List<String> metadataColumns) {
    this.table = table;
    this.metadataColumns = List.copyOf(metadataColumns);
    this.columns = List.copyOf(columns);
    this.filters = List.copyOf(filters);
    this.limit = limit;
    for (ColumnInfo c : columns) {
      if (!SparkTypes.readable(c)) {
        throw new UnsupportedFeatureException("Column " + c.name() + " of " + table.name() + " has type "
            + c.type() + ", which Mallard cannot read yet; select the other columns");
      }
    }
  }

  @Override
  public StructType readSchema() {
    StructType schema = SparkTypes.schema(columns);
    for (String m : metadataColumns) {
      schema = schema.add(MetadataColumns.field(m));
    }
    return schema;
  }

  List<String> metadataColumns() {
    return metadataColumns;
  }

  @Override
  public String description() {
    return "DuckLakeScan(" + table.info().qualifiedName() + ", snapshot=" + table.snapshot().id() + ", columns=["
        + columns.stream().map(ColumnInfo::name).collect(Collectors.joining(", "))
        + metadataColumns.stream().map(m -> ", " + m).collect(Collectors.joining()) + "], filters=["
        + filters.stream().map(Object::toString).collect(Collectors.joining(", ")) + "]"
        + (limit == null ? "" : ", limit=" + limit) + ")";
  }

  @Override
  public ColumnarSupportMode columnarSupportMode() {
    return ColumnarSupportMode.SUPPORTED;
  }

  @Override
  public Batch toBatch() {
    return new DuckLakeBatch(this);
  }

  /** Rows visible in the scan's inlined data tables, before filters. */
  synchronized long inlinedRows() {
    plan();
    return inlinedRows;
  }

  LakeRef lake() {
    return table.lake();
  }

  Long limit() {
    return limit;
  }

  /** The tasks left to read: the plan's, less those runtime filters dropped. */
  synchronized List<ScanTask> tasks() {
    plan();
    return tasks;
  }

  synchronized PlanForms.ReadSpec spec() {
    if (spec == null) {
      spec = PlanForms.ReadSpec.of(plan());
    }
    return spec;
  }

  synchronized ScanPlan plan() {
    if (plan == null) {
      OpenLakes.OpenLake lake = OpenLakes.get(table.lake());
      plan = lake.planner().plan(new ScanRequest(table.info(), table.snapshot(), columns, filters, limit,
          !metadataColumns.isEmpty()));
      tasks = withoutEmptyInlinedTables(lake.catalog(), plan.tasks());
    }
    return plan;
  }

  /**
   * The planner lists every inlined data table of the table, and DuckDB makes one for each table
   * even when it inlines nothing. Counting their visible rows on the driver (they are small by
   * design) drops empty ones, so that a scan has one partition per file that can match, and gives
   * the row count for statistics.
   */
  private List<ScanTask> withoutEmptyInlinedTables(DuckLakeCatalog catalog, List<ScanTask> planned) {
    List<ScanTask> out = new ArrayList<>();
    for (ScanTask t : planned) {
      if (t instanceof ScanTask.InlinedRowsTask inlined) {
        long[] rows = {0};
        catalog.metadata().scanInlinedRows(inlined.table(), List.of(), table.snapshot().id(), rs -> {
          while (rs.next()) {
            rows[0]++;
          }
        });
        if (rows[0] == 0) {
          continue;
        }
        inlinedRows += rows[0];
      }
      out.add(t);
    }
    return out;
  }

  /**
   * Sizes from the catalog: data file bytes and live rows (records less deletions) plus the rows
   * kept inline, before filters. Partial files count all their records.
   */
  @Override
  public Statistics estimateStatistics() {
    List<ScanTask> current = tasks();
    long rows;
    synchronized (this) {
      rows = inlinedRows;
    }
    // Inlined rows are sized as Spark sizes rows of the read schema; files by their bytes.
    long bytes = rows * Math.max(1, readSchema().defaultSize());
    for (ScanTask t : current) {
      if (t instanceof ScanTask.DataFileTask d) {
        bytes += d.file().fileSizeBytes();
        long deleted = d.inlinedDeletions().length + (d.file().deleteFile() == null ? 0
            : d.file().deleteFile().deleteCount());
        rows += Math.max(0, d.file().recordCount() - deleted);
      }
    }
    OptionalLong numRows = OptionalLong.of(rows);
    OptionalLong sizeInBytes = OptionalLong.of(bytes);
    Map<NamedReference, ColumnStatistics> columnStats = columnStats();
    return new Statistics() {
      @Override
      public OptionalLong sizeInBytes() {
        return sizeInBytes;
      }

      @Override
      public OptionalLong numRows() {
        return numRows;
      }

      @Override
      public Map<NamedReference, ColumnStatistics> columnStats() {
        return columnStats;
      }
    };
  }

  /**
   * Per-column statistics where the catalog's are exact for the scan, as the engine's
   * {@link StatsAggregates} answers: NULL counts (rows less non-NULL values) and, for types whose
   * statistics are exact extremes, min and max. None for a filtered scan, whose rows the catalog
   * cannot count; distinct counts are never known.
   */
  private synchronized Map<NamedReference, ColumnStatistics> columnStats() {
    if (columnStats != null) {
      return columnStats;
    }
    List<StatsAggregates.Call> calls = new ArrayList<>();
    calls.add(new StatsAggregates.Call(StatsAggregates.Kind.COUNT_STAR, null));
    List<ColumnInfo> described = columns.stream().filter(SparkTypes::filterable).toList();
    for (ColumnInfo c : described) {
      calls.add(new StatsAggregates.Call(StatsAggregates.Kind.COUNT, c));
      calls.add(new StatsAggregates.Call(StatsAggregates.Kind.MIN, c));
      calls.add(new StatsAggregates.Call(StatsAggregates.Kind.MAX, c));
    }
    StatsAggregates.Answer[] answers = StatsAggregates.answerEach(plan(), OpenLakes.get(table.lake()).catalog()
        .metadata(), calls);
    Map<NamedReference, ColumnStatistics> out = new HashMap<>();
    for (int i = 0; i < described.size() && answers[0] != null; i++) {
      ColumnInfo c = described.get(i);
      StatsAggregates.Answer count = answers[1 + 3 * i];
      StatsAggregates.Answer min = answers[2 + 3 * i];
      StatsAggregates.Answer max = answers[3 + 3 * i];
      OptionalLong nulls = count == null ? OptionalLong.empty()
          : OptionalLong.of((Long) answers[0].value() - (Long) count.value());
      Optional<Object> low = min == null || min.value() == null ? Optional.empty()
          : Optional.of(StatsAggregateScan.sparkValue(c.type(), min.value()));
      Optional<Object> high = max == null || max.value() == null ? Optional.empty()
          : Optional.of(StatsAggregateScan.sparkValue(c.type(), max.value()));
      if (nulls.isPresent() || low.isPresent() || high.isPresent()) {
        out.put(Expressions.column(quoted(c.name())), new ColumnStatistics() {
          @Override
          public OptionalLong nullCount() {
            return nulls;
          }

          @Override
          public Optional<Object> min() {
            return low;
          }

          @Override
          public Optional<Object> max() {
            return high;
          }
        });
      }
    }
    columnStats = Map.copyOf(out);
    return columnStats;
  }

  /** The key-grouped partitioning of the tasks left (see {@link PartitionKeys}), or null. */
  synchronized PartitionKeys partitionKeys() {
    List<ScanTask> current = tasks();
    if (keysOf != current) {
      keys = PartitionKeys.of(OpenLakes.get(table.lake()).catalog().metadata(), table, current);
      keysOf = current;
    }
    return keys;
  }

  @Override
  public Partitioning outputPartitioning() {
    PartitionKeys k = partitionKeys();
    return k == null ? new UnknownPartitioning(tasks().size())
        : new KeyGroupedPartitioning(k.expressions(), k.distinctKeys());
  }

  /** Every column read whose values the catalog keeps min/max statistics for. */
  @Override
  public NamedReference[] filterAttributes() {
    return columns.stream().filter(c -> SparkTypes.filterable(c) && Values.isComparable(c.type()))
        .map(c -> Expressions.column(quoted(c.name()))).toArray(NamedReference[]::new);
  }

  /** Expressions.column parses its argument as a multi-part name, so names are quoted. */
  private static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /**
   * Drops the data files that the runtime filters rule out by their catalog statistics, planning
   * once more on the driver with them. The filters only prune: Spark evaluates them (they come
   * from a join) itself, so rows are still filtered by the pushed filters alone.
   */
  @Override
  public synchronized void filter(org.apache.spark.sql.connector.expressions.filter.Predicate[] predicates) {
    SparkPredicates translator = new SparkPredicates(table.info());
    List<Predicate> runtime = new ArrayList<>(filters);
    int before = runtime.size();
    for (var p : predicates) {
      translator.translate(p).ifPresent(runtime::add);
    }
    if (runtime.size() == before) {
      return;
    }
    ScanPlan pruned = OpenLakes.get(table.lake()).planner()
        .plan(new ScanRequest(table.info(), table.snapshot(), columns, runtime, null));
    Set<Long> kept = new HashSet<>();
    for (ScanTask t : pruned.tasks()) {
      if (t instanceof ScanTask.DataFileTask d) {
        kept.add(d.file().id());
      }
    }
    tasks = tasks().stream()
        .filter(t -> !(t instanceof ScanTask.DataFileTask d) || kept.contains(d.file().id()))
        .toList();
  }

  /**
   * Scans of the same rows are equal, whenever they were planned: Spark reuses an exchange (and so
   * a broadcast for dynamic partition pruning) only for plans whose scans are equal.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof DuckLakeScan s && s.table.lake().equals(table.lake()) && s.table.info().id() == table.info().id()
        && s.table.snapshot().id() == table.snapshot().id() && s.columns.equals(columns) && s.filters.equals(filters)
        && java.util.Objects.equals(s.limit, limit) && s.metadataColumns.equals(metadataColumns);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(table.lake(), table.info().id(), table.snapshot().id(), columns, filters, limit,
        metadataColumns);
  }

  @Override
  public String toString() {
    return description();
  }
}
