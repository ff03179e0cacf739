package dev.mallard.calcite;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.scan.StatsAggregates;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.rel.AbstractRelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;

/**
 * {@code count(*)}, {@code min} and {@code max} of a whole table, without a GROUP BY or a filter:
 * answered from the catalog's statistics when they are exact at the snapshot the statement reads,
 * otherwise by reading the rows (see {@link DuckLakeTable#aggregate}). Made by
 * {@link DuckLakeAggregateScanRule}.
 */
public final class DuckLakeStatsAggregate extends AbstractRelNode implements EnumerableRel {
  /**
   * What to compute, handed to the generated code as a stashed object.
   *
   * @param kinds one per output field
   * @param columns for each field, the index of its column among the scan's columns; -1 for count(*)
   */
  public record Spec(List<StatsAggregates.Kind> kinds, List<Integer> columns) {
    public Spec {
      kinds = List.copyOf(kinds);
      columns = List.copyOf(columns);
    }
  }

  private final DuckLakeTableScan scan;
  private final Spec spec;
  private final RelDataType rowType;

  DuckLakeStatsAggregate(DuckLakeTableScan scan, Spec spec, RelDataType rowType) {
    super(scan.getCluster(), scan.getCluster().traitSetOf(EnumerableConvention.INSTANCE));
    this.scan = scan;
    this.spec = spec;
    this.rowType = rowType;
  }

  @Override
  protected RelDataType deriveRowType() {
    return rowType;
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    List<ColumnInfo> columns = scan.columns();
    String calls = java.util.stream.IntStream.range(0, spec.kinds().size())
        .mapToObj(i -> spec.kinds().get(i) == StatsAggregates.Kind.COUNT_STAR ? "count(*)"
            : spec.kinds().get(i).name().toLowerCase() + "(" + columns.get(spec.columns().get(i)).name() + ")")
        .collect(Collectors.joining(", "));
    return super.explainTerms(pw).item("table", scan.getTable().getQualifiedName()).item("aggregates", calls);
  }

  /** Far cheaper than reading: the catalog usually answers. */
  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    return planner.getCostFactory().makeTinyCost();
  }

  @Override
  public double estimateRowCount(RelMetadataQuery mq) {
    return 1;
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY);
    Expression table = implementor.stash(scan.duckLakeTable(), DuckLakeTable.class);
    Expression scanSpec = implementor.stash(scan.spec(), ScanSpec.class);
    Expression aggregates = implementor.stash(spec, Spec.class);
    return implementor.result(physType, Blocks.toBlock(Expressions.call(table, "aggregate",
        implementor.getRootExpression(), scanSpec, aggregates)));
  }
}
