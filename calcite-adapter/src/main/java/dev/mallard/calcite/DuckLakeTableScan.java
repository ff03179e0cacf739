package dev.mallard.calcite;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.expr.Predicate;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import dev.mallard.calcite.parser.TimeTravel;
import org.apache.calcite.adapter.enumerable.RexToLixTranslator;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgramBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.rel.type.RelDataTypeFactory;

/**
 * Reads a DuckLake table, returning only the columns and rows the plan above needs: the rules in
 * {@link DuckLakeRules} fold projections and filters into it. {@code EXPLAIN} shows what it absorbed.
 */
public final class DuckLakeTableScan extends TableScan implements EnumerableRel {
  private final DuckLakeTable duckLakeTable;
  private final List<ColumnInfo> columns;
  private final List<Predicate> filters;
  /** Filters on {@code ?} parameters, bound at each execution (see {@link ParameterFilter}). */
  private final List<ParameterFilter> parameterFilters;
  private final boolean withRowAddress;
  /** The period of the time travel clause on this table (see {@link TimeTravel}), or null. */
  private final RexNode travel;

  private DuckLakeTableScan(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, DuckLakeTable duckLakeTable,
      List<ColumnInfo> columns, List<Predicate> filters, List<ParameterFilter> parameterFilters,
      boolean withRowAddress, RexNode travel) {
    super(cluster, traits, List.of(), table);
    this.duckLakeTable = duckLakeTable;
    this.columns = List.copyOf(columns);
    this.filters = List.copyOf(filters);
    this.parameterFilters = List.copyOf(parameterFilters);
    this.withRowAddress = withRowAddress;
    this.travel = travel;
  }

  /** The names of the address columns a DML scan adds after its own. */
  static final List<String> ADDRESS_FIELDS = List.of("_mallard_file", "_mallard_position", "_mallard_rowid");

  static DuckLakeTableScan create(RelOptCluster cluster, RelOptTable table, DuckLakeTable duckLakeTable) {
    return new DuckLakeTableScan(cluster, cluster.traitSetOf(EnumerableConvention.INSTANCE), table, duckLakeTable,
        duckLakeTable.columns(), List.of(), List.of(), false, null);
  }

  DuckLakeTableScan withColumns(List<ColumnInfo> newColumns) {
    return new DuckLakeTableScan(getCluster(), getTraitSet(), getTable(), duckLakeTable, newColumns, filters,
        parameterFilters, withRowAddress, travel);
  }

  DuckLakeTableScan withFilters(List<Predicate> newFilters) {
    return new DuckLakeTableScan(getCluster(), getTraitSet(), getTable(), duckLakeTable, columns, newFilters,
        parameterFilters, withRowAddress, travel);
  }

  /** This scan, also returning each row's address (data file id, position, row id) for DELETE and UPDATE. */
  DuckLakeTableScan withRowAddress() {
    return new DuckLakeTableScan(getCluster(), getTraitSet(), getTable(), duckLakeTable, columns, filters,
        parameterFilters, true, travel);
  }

  /** This scan, reading the version of its table that {@code period} names (a snapshot's period). */
  DuckLakeTableScan withTravel(RexNode period) {
    return new DuckLakeTableScan(getCluster(), getTraitSet(), getTable(), duckLakeTable, columns, filters,
        parameterFilters, withRowAddress, period);
  }

  public boolean hasTravel() {
    return travel != null;
  }

  public boolean hasRowAddress() {
    return withRowAddress;
  }

  /** The columns this scan returns, in order. */
  public List<ColumnInfo> columns() {
    return columns;
  }

  public List<Predicate> filters() {
    return filters;
  }

  List<ParameterFilter> parameterFilters() {
    return parameterFilters;
  }

  DuckLakeTableScan withParameterFilters(List<ParameterFilter> newParameterFilters) {
    return new DuckLakeTableScan(getCluster(), getTraitSet(), getTable(), duckLakeTable, columns, filters,
        newParameterFilters, withRowAddress, travel);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new DuckLakeTableScan(getCluster(), traitSet, getTable(), duckLakeTable, columns, filters,
        parameterFilters, withRowAddress, travel);
  }

  @Override
  public RelDataType deriveRowType() {
    RelDataTypeFactory f = getCluster().getTypeFactory();
    RelDataTypeFactory.Builder b = f.builder();
    for (ColumnInfo c : columns) {
      b.add(c.name(), SqlTypes.of(c, f));
    }
    if (withRowAddress) {
      RelDataType bigint = f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.BIGINT);
      for (String name : ADDRESS_FIELDS) {
        b.add(name, f.createTypeWithNullability(bigint, true));
      }
    }
    return b.build();
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw)
        .item("columns", columns.stream().map(ColumnInfo::name).collect(Collectors.toList()))
        .itemIf("filters", filters, !filters.isEmpty())
        .itemIf("parameterFilters", parameterFilters, !parameterFilters.isEmpty())
        .itemIf("rowAddress", true, withRowAddress)
        .itemIf("asOf", travel, travel != null);
  }

  @Override
  public void register(RelOptPlanner planner) {
    DuckLakeRules.RULES.forEach(planner::addRule);
    dev.mallard.calcite.batch.BatchRules.install(planner);
    DecimalSums.install(planner); // for plain Calcite, whose planner MallardPrepare did not make
  }

  /** The table's row count times the share of rows its filters keep, by the catalog's file statistics. */
  @Override
  public double estimateRowCount(RelMetadataQuery mq) {
    double rows = super.estimateRowCount(mq);
    if (filters.isEmpty() && parameterFilters.isEmpty()) {
      return rows;
    }
    return Math.max(1, rows * duckLakeTable.scanStatistics().selectivity(filters, parameterFilters));
  }

  /**
   * The distinct values of some of this scan's columns: of one column, the values its range holds
   * (for integers, dates and decimals), at most the rows the scan returns; of several, their product
   * up to that. Null (Calcite's guess) when the statistics do not tell.
   */
  Double distinctRowCount(RelMetadataQuery mq, ImmutableBitSet groupKey, RexNode predicate) {
    double rows = mq.getRowCount(this);
    if (groupKey.isEmpty()) {
      return 1D;
    }
    double product = 1;
    for (int i : groupKey) {
      if (i >= columns.size() || VirtualColumns.isVirtual(columns.get(i))) {
        return null;
      }
      Double distinct = duckLakeTable.scanStatistics().distinctValues(columns.get(i));
      if (distinct == null) {
        return null;
      }
      product *= distinct;
    }
    double distinct = Math.max(1, Math.min(product, rows));
    Double kept = predicate == null ? null : mq.getSelectivity(this, predicate);
    return kept == null ? distinct : Math.max(1, distinct * kept);
  }

  /** Cheaper with fewer columns and more filters, so that the planner prefers scans that absorbed them. */
  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    double columnShare = (columns.size() + 2D) / (duckLakeTable.info().columns().size() + 2D);
    return super.computeSelfCost(planner, mq).multiplyBy(columnShare);
  }

  public DuckLakeTable duckLakeTable() {
    return duckLakeTable;
  }

  /** What this scan reads, for the generated code. */
  public ScanSpec spec() {
    ScanSpec.Travel travelKind = travel == null ? ScanSpec.Travel.NONE
        : TimeTravel.isVersion(travel) ? ScanSpec.Travel.SNAPSHOT_ID : ScanSpec.Travel.TIMESTAMP;
    return new ScanSpec(duckLakeTable.info().id(), columns.stream().map(ColumnInfo::id).toList(), filters,
        duckLakeTable.schemaVersion(), withRowAddress, travelKind, parameterFilters);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    // The generated code always has the same text; what varies comes through the stashed spec,
    // so compiled plans can be reused.
    // Calcite's row format: a List for no columns, the bare value for one, Object[] for more.
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY);
    ScanSpec spec = spec();
    Expression stashedTable = implementor.stash(duckLakeTable, DuckLakeTable.class);
    Expression stashedSpec = implementor.stash(spec, ScanSpec.class);
    BlockBuilder block = new BlockBuilder();
    if (!parameterFilters.isEmpty()) {
      stashedSpec = Expressions.call(stashedSpec, "withParameters", parameterValues(implementor, block));
    }
    if (travel == null) {
      block.add(Expressions.call(stashedTable, "scan", implementor.getRootExpression(), stashedSpec));
      return implementor.result(physType, block.toBlock());
    }
    Expression value = travelValue(implementor, block);
    block.add(Expressions.call(stashedTable, "scan", implementor.getRootExpression(), stashedSpec, value));
    return implementor.result(physType, block.toBlock());
  }

  /** Code computing the values of the parameter filters at each execution, in order, as an Object[]. */
  private Expression parameterValues(EnumerableRelImplementor implementor, BlockBuilder block) {
    RexProgramBuilder program = new RexProgramBuilder(
        getCluster().getTypeFactory().builder().build(), getCluster().getRexBuilder());
    int i = 0;
    for (ParameterFilter f : parameterFilters) {
      for (RexNode value : f.values()) {
        program.addProject(value, "p" + i++);
      }
    }
    RexToLixTranslator.InputGetter noInputs = (list, index, storageType) -> {
      throw new IllegalStateException("A parameter filter's value cannot read a column");
    };
    List<Expression> translated = RexToLixTranslator.translateProjects(program.getProgram(),
        implementor.getTypeFactory(), implementor.getConformance(), block, null, implementor.getRootExpression(),
        noInputs, implementor::getCorrelVariableGetter);
    return Expressions.newArrayInit(Object.class,
        translated.stream().map(e -> (Expression) Expressions.box(e)).toList());
  }

  /**
   * Code computing the time travel value when the statement runs: the snapshot id, or the
   * timestamp (a literal, a dynamic parameter or an expression such as {@code now() - INTERVAL ...}).
   */
  private Expression travelValue(EnumerableRelImplementor implementor, BlockBuilder block) {
    // A snapshot id, or a timestamp literal's microseconds (the markers' operand); otherwise a
    // timestamp expression, which Calcite computes in milliseconds.
    boolean marker = TimeTravel.isVersion(travel) || TimeTravel.isMicros(travel);
    RexNode value = marker ? ((RexCall) travel).getOperands().get(0) : travel;
    RexBuilder rexBuilder = getCluster().getRexBuilder();
    RexProgramBuilder program = new RexProgramBuilder(
        getCluster().getTypeFactory().builder().build(), rexBuilder);
    program.addProject(value, "travel");
    RexToLixTranslator.InputGetter noInputs = (list, index, storageType) -> {
      throw new IllegalStateException("A time travel value cannot read a column");
    };
    List<Expression> translated = RexToLixTranslator.translateProjects(program.getProgram(),
        implementor.getTypeFactory(), implementor.getConformance(), block, null, implementor.getRootExpression(),
        noInputs, implementor::getCorrelVariableGetter);
    Expression computed = Expressions.box(translated.get(0));
    if (!marker) {
      computed = Expressions.call(DuckLakeTableScan.class, "millisToMicros", computed);
    }
    return Expressions.convert_(computed, Object.class);
  }

  /** Called by generated code: a timestamp computed at run time (milliseconds, or null) in microseconds. */
  public static Long millisToMicros(Object millis) {
    return millis == null ? null : Math.multiplyExact(((Number) millis).longValue(), 1000L);
  }
}
