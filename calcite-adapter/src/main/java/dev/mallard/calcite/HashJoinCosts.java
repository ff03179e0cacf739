package dev.mallard.calcite;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableHashJoin;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelNodes;
import org.apache.calcite.rel.metadata.BuiltInMetadata;
import org.apache.calcite.rel.metadata.ChainedRelMetadataProvider;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.ReflectiveRelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.metadata.RelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.util.Util;

/**
 * Costs a hash join by the side it really builds. Calcite's {@code EnumerableHashJoin} hashes its
 * right input and streams its left, but its own cost charges {@code n log n} to the left, so the
 * planner put the biggest table on the hashed side (TPC-H's {@code lineitem} hashed row by row to be
 * probed by a few thousand rows). Here the hashed side pays {@code n log n} and the probe side
 * {@code n}, so the smaller input is the one hashed.
 */
public final class HashJoinCosts implements BuiltInMetadata.NonCumulativeCost.Handler {
  /** Calcite's metadata with this cost model and {@link JoinSelectivity}; one instance, because Calcite compiles a provider once. */
  public static final RelMetadataProvider PROVIDER = ChainedRelMetadataProvider.of(List.of(
      ReflectiveRelMetadataProvider.reflectiveSource(new HashJoinCosts(),
          BuiltInMetadata.NonCumulativeCost.Handler.class),
      ReflectiveRelMetadataProvider.reflectiveSource(JoinSelectivity.INSTANCE,
          BuiltInMetadata.Selectivity.Handler.class),
      DefaultRelMetadataProvider.INSTANCE));

  private HashJoinCosts() {}

  @Override
  public RelOptCost getNonCumulativeCost(RelNode rel, RelMetadataQuery mq) {
    return rel.computeSelfCost(rel.getCluster().getPlanner(), mq);
  }

  public RelOptCost getNonCumulativeCost(EnumerableHashJoin join, RelMetadataQuery mq) {
    double rows = mq.getRowCount(join);
    // As Calcite: of a join and its flipped twin, one costs a hair more, so plans are stable.
    switch (join.getJoinType()) {
      case SEMI, ANTI -> { }
      case RIGHT -> rows = RelMdUtil.addEpsilon(rows);
      default -> {
        if (RelNodes.COMPARATOR.compare(join.getLeft(), join.getRight()) > 0) {
          rows = RelMdUtil.addEpsilon(rows);
        }
      }
    }
    rows += mq.getRowCount(join.getLeft()) + Util.nLogN(mq.getRowCount(join.getRight()));
    RelOptCost cost = join.getCluster().getPlanner().getCostFactory().makeCost(rows, 0, 0);
    return join.isSemiJoin() ? cost.multiplyBy(.01d) : cost;
  }
}
