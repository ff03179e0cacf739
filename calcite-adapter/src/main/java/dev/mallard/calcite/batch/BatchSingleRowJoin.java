package dev.mallard.calcite.batch;

import dev.mallard.engine.vector.Calc;
import dev.mallard.engine.vector.Chunk;
import dev.mallard.engine.vector.ChunkSource;
import dev.mallard.engine.vector.Column;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexNode;

/**
 * An INNER join whose right input is an aggregate without GROUP BY, so one row: a scalar subquery
 * (TPC-H Q22's {@code c_acctbal > (SELECT avg(c_acctbal) ...)}), or the counts Calcite joins to every
 * row for a {@code NOT IN} (Q16). That row is read once, then its values are added to every left
 * chunk, which the condition then filters. Calcite plans it as a nested-loop join.
 */
public final class BatchSingleRowJoin extends Join implements BatchRel {
  BatchSingleRowJoin(RelOptCluster cluster, RelTraitSet traits, RelNode left, RelNode right, RexNode condition) {
    super(cluster, traits, List.of(), left, right, condition, Set.of(), JoinRelType.INNER);
  }

  @Override
  public Join copy(RelTraitSet traitSet, RexNode conditionExpr, RelNode left, RelNode right, JoinRelType joinType,
      boolean semiJoinDone) {
    return new BatchSingleRowJoin(getCluster(), traitSet, left, right, conditionExpr);
  }

  /** Whether {@code join} is an INNER join of a right input of one row, and its condition translates. */
  static boolean supports(Join join) {
    return join.getJoinType() == JoinRelType.INNER && join.getVariablesSet().isEmpty()
        && isOneRow(join.getRight()) && BatchTypes.allSupported(join.getRowType())
        && (join.getCondition().isAlwaysTrue() || new RexToVector(BatchHashJoin.bothSides(join),
            join.getCluster().getRexBuilder()).supports(List.of(join.getCondition())));
  }

  /** An aggregate without GROUP BY (exactly one row), under projections only (of either convention). */
  private static boolean isOneRow(RelNode node) {
    while (node instanceof org.apache.calcite.rel.core.Calc calc && calc.getProgram().getCondition() == null
        || node instanceof Project || node instanceof BatchToEnumerable) {
      node = node.getInput(0);
    }
    return node instanceof Aggregate aggregate && aggregate.getGroupSet().isEmpty()
        && aggregate.getGroupType() == Aggregate.Group.SIMPLE;
  }

  @Override
  public BatchPlan plan() {
    BatchPlan left = ((BatchRel) getLeft()).plan();
    BatchPlan right = ((BatchRel) getRight()).plan();
    Calc filter = getCondition().isAlwaysTrue() ? null : new Calc(new RexToVector(BatchHashJoin.bothSides(this),
        getCluster().getRexBuilder()).translateAll(List.of(getCondition())).get(0), null);
    return left.then(root -> {
      Chunk row = onlyRow(right.open(root));
      if (row == null) {
        return null; // no right row: no left row has a match
      }
      return chunk -> {
        int n = chunk.size();
        int leftColumns = chunk.columns().length;
        Column[] columns = Arrays.copyOf(chunk.columns(), leftColumns + row.columns().length);
        int[] first = new int[n]; // row 0, n times
        for (int c = 0; c < row.columns().length; c++) {
          columns[leftColumns + c] = row.column(c).select(first, n);
        }
        Chunk joined = new Chunk(columns, n);
        return filter == null ? joined : filter.apply(joined);
      };
    });
  }

  /** The source's one row, or null if it has none. */
  private static Chunk onlyRow(ChunkSource source) {
    try (source) {
      Chunk row = source.next();
      if (row != null && (row.size() != 1 || source.next() != null)) {
        throw new IllegalStateException("The right input of a single-row join gave more than one row");
      }
      return row;
    }
  }
}
