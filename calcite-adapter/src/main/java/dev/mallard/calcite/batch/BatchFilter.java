package dev.mallard.calcite.batch;

import dev.mallard.engine.vector.Calc;
import dev.mallard.engine.vector.VectorExpr;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexNode;

/** Keeps the rows of its input's chunks where the condition is true. */
public final class BatchFilter extends Filter implements BatchRel {
  BatchFilter(RelOptCluster cluster, RelTraitSet traits, RelNode input, RexNode condition) {
    super(cluster, traits, input, condition);
  }

  @Override
  public Filter copy(RelTraitSet traitSet, RelNode input, RexNode condition) {
    return new BatchFilter(getCluster(), traitSet, input, condition);
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    return super.computeSelfCost(planner, mq).multiplyBy(COST_FACTOR);
  }

  @Override
  public BatchPlan plan() {
    BatchPlan input = ((BatchRel) getInput()).plan();
    VectorExpr filter = new RexToVector(getInput().getRowType(), getCluster().getRexBuilder())
        .translateAll(java.util.List.of(condition)).get(0);
    Calc calc = new Calc(filter, null);
    return input.then(root -> calc);
  }
}
