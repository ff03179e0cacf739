package dev.mallard.calcite.batch;

import dev.mallard.engine.vector.Limit;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/** LIMIT and OFFSET without ORDER BY: stops reading its input once it has its rows. */
public final class BatchLimit extends Sort implements BatchRel {
  BatchLimit(RelOptCluster cluster, RelTraitSet traits, RelNode input, RexNode offset, RexNode fetch) {
    super(cluster, traits, input, RelCollations.EMPTY, offset, fetch);
  }

  /** Literal offsets and fetches only: a dynamic parameter is known at run time. */
  static boolean supports(Sort sort) {
    return sort.getCollation().getFieldCollations().isEmpty() && literalBounds(sort);
  }

  /** Whether the offset and fetch of {@code sort} are literals (or absent). */
  static boolean literalBounds(Sort sort) {
    return (sort.offset == null || sort.offset instanceof RexLiteral)
        && (sort.fetch == null || sort.fetch instanceof RexLiteral);
  }

  @Override
  public Sort copy(RelTraitSet traitSet, RelNode newInput, RelCollation newCollation, RexNode offset,
      RexNode fetch) {
    return new BatchLimit(getCluster(), traitSet, newInput, offset, fetch);
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    return super.computeSelfCost(planner, mq).multiplyBy(COST_FACTOR);
  }

  @Override
  public BatchPlan plan() {
    BatchPlan input = ((BatchRel) getInput()).plan();
    long skip = offset == null ? 0 : ((RexLiteral) offset).getValueAs(Long.class);
    long take = fetch == null ? -1 : ((RexLiteral) fetch).getValueAs(Long.class);
    return root -> new Limit(input.open(root), skip, take);
  }
}
