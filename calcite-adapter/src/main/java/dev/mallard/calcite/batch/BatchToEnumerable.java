package dev.mallard.calcite.batch;

import dev.mallard.calcite.MallardTypeSystem;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.convert.ConverterImpl;
import org.apache.calcite.rel.metadata.RelMetadataQuery;

/** The top of a batch plan: turns its chunks into the rows Calcite's Enumerable operators consume. */
public final class BatchToEnumerable extends ConverterImpl implements EnumerableRel {
  /** Whether the rows are kept after the first pass, for a reader that reads them again and again. */
  private final boolean keepRows;

  BatchToEnumerable(RelOptCluster cluster, RelTraitSet traits, RelNode input) {
    this(cluster, traits, input, false);
  }

  private BatchToEnumerable(RelOptCluster cluster, RelTraitSet traits, RelNode input, boolean keepRows) {
    super(cluster, ConventionTraitDef.INSTANCE, traits, input);
    this.keepRows = keepRows;
  }

  /**
   * The same, keeping its rows after the first pass: for the inner input of a nested-loop join, which
   * reads it once per outer row (Calcite's row aggregates compute once; a batch plan would run again).
   */
  BatchToEnumerable keepingRows() {
    return keepRows ? this : new BatchToEnumerable(getCluster(), getTraitSet(), getInput(), true);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new BatchToEnumerable(getCluster(), traitSet, sole(inputs), keepRows);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).itemIf("keepRows", true, keepRows);
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    double rows = mq.getRowCount(getInput());
    return planner.getCostFactory().makeCost(rows * BatchRel.COST_FACTOR, rows * BatchRel.COST_FACTOR, 0);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    // The same row format as DuckLakeTableScan: a List for no columns, the bare value for one, Object[] for more.
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY);
    Expression plan = implementor.stash(((BatchRel) getInput()).plan(), BatchPlan.class);
    Expression rows = implementor.stash(BatchRows.Converter.of(getRowType(),
        MallardTypeSystem.exactTimestamps(getCluster().getTypeFactory().getTypeSystem())), BatchRows.Converter.class);
    return implementor.result(physType, Blocks.toBlock(Expressions.call(BatchRows.class, "enumerable",
        implementor.getRootExpression(), plan, rows, Expressions.constant(keepRows))));
  }
}
