package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanRequest;
import dev.mallard.engine.scan.StatsAggregates;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.vector.Chunk;
import dev.mallard.engine.vector.ChunkSink;
import dev.mallard.engine.vector.ChunkSource;
import dev.mallard.engine.vector.ScanChunks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.metadata.BuiltInMetadata;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.ExtensibleTable;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.TemporalTable;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql2rel.InitializerExpressionFactory;

/**
 * A DuckLake table as Calcite sees it: its columns as they were when the statement was planned,
 * and a scan that reads whatever snapshot the statement runs against.
 */
public final class DuckLakeTable extends AbstractTable implements TranslatableTable, TemporalTable, ExtensibleTable {
  private final LakeContext lake;
  private final TableInfo info;
  private final long schemaVersion;
  /** The {@link VirtualColumns} a query named, after the table's own columns. */
  private final List<ColumnInfo> virtualColumns;
  private Statistic statistic;
  private ScanStatistics scanStatistics;

  DuckLakeTable(LakeContext lake, TableInfo info, long schemaVersion) {
    this(lake, info, schemaVersion, List.of());
  }

  private DuckLakeTable(LakeContext lake, TableInfo info, long schemaVersion, List<ColumnInfo> virtualColumns) {
    this.lake = lake;
    this.info = info;
    this.schemaVersion = schemaVersion;
    this.virtualColumns = List.copyOf(virtualColumns);
  }

  /** The table's columns, then the virtual columns the query named. */
  List<ColumnInfo> columns() {
    List<ColumnInfo> all = new ArrayList<>(info.columns());
    all.addAll(virtualColumns);
    return all;
  }

  /** This table with the virtual columns {@code fields} too (see {@link MallardValidator}). */
  @Override
  public Table extend(List<RelDataTypeField> fields) {
    List<ColumnInfo> extended = new ArrayList<>(virtualColumns);
    for (RelDataTypeField f : fields) {
      extended.add(VirtualColumns.named(f.getName()).orElseThrow(() -> new UserException("Table "
          + info.qualifiedName() + " has no column " + f.getName() + " (its virtual columns are rowid,"
          + " snapshot_id and filename)")));
    }
    return new DuckLakeTable(lake, info, schemaVersion, extended);
  }

  @Override
  public int getExtendedColumnOffset() {
    return info.columns().size();
  }

  public TableInfo info() {
    return info;
  }

  long schemaVersion() {
    return schemaVersion;
  }

  LakeContext lake() {
    return lake;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder b = typeFactory.builder();
    for (ColumnInfo c : columns()) {
      b.add(c.name(), SqlTypes.of(c, typeFactory));
    }
    return b.build();
  }

  /**
   * The row count the catalog keeps, so that the planner sizes joins by it (with Calcite's default
   * of 100 rows for every table it joins a million-row table as if it were small).
   */
  @Override
  public Statistic getStatistic() {
    if (statistic == null) {
      OptionalLong rows = lake.catalog().metadata().recordCount(info.id());
      statistic = rows.isPresent() ? Statistics.of(rows.getAsLong(), List.of()) : Statistics.UNKNOWN;
    }
    return statistic;
  }

  /** The catalog's file statistics of the table as it is now, for the planner's estimates (read once). */
  synchronized ScanStatistics scanStatistics() {
    if (scanStatistics == null) {
      scanStatistics = ScanStatistics.load(this, lake.readSnapshot().id());
    }
    return scanStatistics;
  }

  /**
   * Column defaults for INSERTs that leave columns out (see {@link ColumnDefaults}), and the distinct
   * values of a scan's columns for join estimates (see {@link DuckLakeTableScan#distinctRowCount}).
   */
  @Override
  public <C> C unwrap(Class<C> aClass) {
    if (aClass == InitializerExpressionFactory.class) {
      return aClass.cast(new ColumnDefaults(info.columns()));
    }
    if (aClass == BuiltInMetadata.DistinctRowCount.Handler.class) {
      return aClass.cast((BuiltInMetadata.DistinctRowCount.Handler) (rel, mq, groupKey, predicate) ->
          rel instanceof DuckLakeTableScan scan ? scan.distinctRowCount(mq, groupKey, predicate) : null);
    }
    return super.unwrap(aClass);
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    return DuckLakeTableScan.create(context.getCluster(), relOptTable, this);
  }

  /**
   * Every DuckLake table time-travels ({@code FOR SYSTEM_TIME AS OF}, {@code AT (VERSION => n)}): its
   * versions are the lake's snapshots, not rows with validity periods, so these columns do not exist.
   */
  @Override
  public String getSysStartFieldName() {
    return "_mallard_snapshot_start";
  }

  @Override
  public String getSysEndFieldName() {
    return "_mallard_snapshot_end";
  }

  /**
   * Called by the generated code of a time-travelling {@link DuckLakeTableScan} each time its
   * statement runs: reads the committed version of the table at the snapshot {@code travelValue}
   * names (see {@link ScanSpec.Travel}; a timestamp in microseconds, UTC), with the columns the statement was planned with. Columns
   * added since that snapshot read as NULL.
   */
  public Enumerable<Object> scan(DataContext root, ScanSpec spec, Object travelValue) {
    if (travelValue == null) {
      throw new UserException("The time travel clause on " + info.qualifiedName() + " names no snapshot (NULL)");
    }
    long value = ((Number) travelValue).longValue();
    Snapshot snapshot = spec.travel() == ScanSpec.Travel.SNAPSHOT_ID ? lake.catalog().snapshot(value)
        : lake.catalog().snapshotAt(Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L),
            Math.floorMod(value, 1_000_000L) * 1000L));
    TableInfo then = lake.catalog().view(snapshot).tableById(spec.tableId()).orElseThrow(() ->
        new UserException("Table " + info.qualifiedName() + " did not exist at snapshot " + snapshot.id()));
    List<ColumnInfo> columns = new ArrayList<>();
    for (long id : spec.columnIds()) {
      if (id < 0) {
        continue;
      }
      ColumnInfo planned = info.columns().stream().filter(c -> c.id() == id).findFirst().orElseThrow();
      boolean existed = then.columns().stream().anyMatch(c -> c.id() == id);
      columns.add(existed ? planned : new ColumnInfo(planned.id(), planned.name(), planned.type(), true, null,
          null, planned.children()));
    }
    ScanRequest request = new ScanRequest(then, snapshot, columns, spec.filters(), null, readsAddress(spec));
    return enumerable(lake.planner().plan(request), spec, root);
  }

  /** Called by the generated code of a {@link DuckLakeTableScan} each time its statement runs. */
  public Enumerable<Object> scan(DataContext root, ScanSpec spec) {
    return enumerable(plan(root, spec), spec, root);
  }

  /**
   * The chunks of a scan without time travel, row addresses or virtual columns, at the statement's
   * snapshot, through {@code steps} and {@code sinks} (for batch operators; see {@link ScanChunks}):
   * its columns are {@code spec}'s, of {@code types}, in order. The readers may drop the rows
   * {@code keyFilters} rule out (see {@link ScanPlan#keyFilters}).
   */
  public ChunkSource chunks(DataContext root, ScanSpec spec, DuckLakeType[] types, List<UnaryOperator<Chunk>> steps,
      Supplier<ChunkSink> sinks, List<ScanPlan.KeyColumn> keyFilters) {
    return new ScanChunks(plan(root, spec).withKeyFilters(keyFilters), lake.catalog(), types, steps, sinks,
        ScanEnumerable.stopCheck());
  }

  /**
   * Called by the generated code of a {@link DuckLakeStatsAggregate} each time its statement runs:
   * the one row of its aggregates, from the catalog's statistics when they are exact at the
   * statement's snapshot, otherwise computed from the rows.
   */
  public Enumerable<Object> aggregate(DataContext root, ScanSpec spec, DuckLakeStatsAggregate.Spec aggregates) {
    ScanPlan plan = plan(root, spec);
    List<StatsAggregates.Call> calls = new ArrayList<>();
    for (int i = 0; i < aggregates.kinds().size(); i++) {
      int column = aggregates.columns().get(i);
      calls.add(new StatsAggregates.Call(aggregates.kinds().get(i),
          column < 0 ? null : plan.outputColumns().get(column)));
    }
    Object[] row = StatsAggregates.answer(plan, lake.catalog().metadata(), calls);
    if (row != null) {
      for (int i = 0; i < row.length; i++) {
        if (calls.get(i).column() != null) {
          row[i] = RowConverter.toCalcite(calls.get(i).column(), row[i],
              MallardTypeSystem.exactTimestamps(root.getTypeFactory().getTypeSystem()));
        }
      }
    } else {
      row = aggregateRows(enumerable(plan, spec, root), plan.outputColumns().size(), aggregates);
    }
    Object result = row.length == 1 ? row[0] : row;
    return Linq4j.singletonEnumerable(result);
  }

  /** The aggregates computed from the rows (values of types {@link StatsAggregates#extremesExact} allows). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object[] aggregateRows(Enumerable<Object> rows, int columnCount, DuckLakeStatsAggregate.Spec spec) {
    Object[] out = new Object[spec.kinds().size()];
    long count = 0;
    for (Object row : rows) {
      count++;
      for (int i = 0; i < out.length; i++) {
        int column = spec.columns().get(i);
        if (column < 0) {
          continue;
        }
        Object v = columnCount == 1 ? row : ((Object[]) row)[column];
        if (v == null) {
          continue;
        }
        int cmp = out[i] == null ? 0 : ((Comparable) v).compareTo(out[i]);
        if (out[i] == null || (spec.kinds().get(i) == StatsAggregates.Kind.MIN ? cmp < 0 : cmp > 0)) {
          out[i] = v;
        }
      }
    }
    for (int i = 0; i < out.length; i++) {
      if (spec.kinds().get(i) == StatsAggregates.Kind.COUNT_STAR) {
        out[i] = count;
      }
    }
    return out;
  }

  /** The plan of a scan at the statement's snapshot, with the open transaction's changes. */
  private ScanPlan plan(DataContext root, ScanSpec spec) {
    return plan(lake.snapshotFor(root), spec);
  }

  /** The plan of a scan at the snapshot reads see now (the open transaction's), with its changes. */
  ScanPlan planNow(ScanSpec spec) {
    return plan(lake.readSnapshot(), spec);
  }

  private ScanPlan plan(Snapshot snapshot, ScanSpec spec) {
    TableInfo now = lake.viewAt(snapshot).tableById(spec.tableId()).orElseThrow(() ->
        new UserException("Table " + info.qualifiedName() + " does not exist at snapshot " + snapshot.id()
            + "; it was dropped after the statement was prepared"));
    List<ColumnInfo> columns = new ArrayList<>();
    for (long id : spec.columnIds()) {
      if (id < 0) {
        continue;
      }
      ColumnInfo column = now.columns().stream().filter(c -> c.id() == id).findFirst().orElse(null);
      ColumnInfo planned = info.columns().stream().filter(c -> c.id() == id).findFirst().orElseThrow();
      if (column == null || !column.type().equals(planned.type())) {
        throw new UserException("Column " + planned.name() + " of " + info.qualifiedName()
            + " changed after the statement was prepared; prepare it again");
      }
      columns.add(column);
    }
    ScanRequest request = new ScanRequest(now, snapshot, columns, spec.filters(), null, readsAddress(spec));
    return lake.planner().plan(request, lake.pendingChanges(now));
  }

  /** Virtual columns are computed from each row's address. */
  private static boolean readsAddress(ScanSpec spec) {
    return spec.withRowAddress() || spec.columnIds().stream().anyMatch(id -> id < 0);
  }

  /** The rows of {@code spec}'s columns (real ones read by {@code plan}, virtual ones computed). */
  private Enumerable<Object> enumerable(ScanPlan plan, ScanSpec spec, DataContext root) {
    List<ColumnInfo> columns = new ArrayList<>();
    int real = 0;
    for (long id : spec.columnIds()) {
      columns.add(id < 0 ? VirtualColumns.byId(id) : plan.outputColumns().get(real++));
    }
    return new ScanEnumerable(plan, lake.catalog(), columns, spec.withRowAddress(),
        MallardTypeSystem.exactTimestamps(root.getTypeFactory().getTypeSystem()));
  }
}
