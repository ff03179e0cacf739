package dev.mallard.calcite;

import java.util.List;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.metadata.RelMdSelectivity;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * The selectivity of an equi-join from its keys' distinct values: {@code a.x = b.y} keeps
 * {@code 1 / max(distinct(a.x), distinct(b.y))} of the cross product, the textbook estimate, which
 * sizes a key/foreign-key join by the foreign side. Calcite's own guess (0.15 for every equality)
 * made a join of two large tables look far bigger than a join of a large one with a small one, so
 * the join order put filtered dimension tables last. Other conditions keep Calcite's guesses.
 */
public final class JoinSelectivity extends RelMdSelectivity {
  static final JoinSelectivity INSTANCE = new JoinSelectivity();

  private JoinSelectivity() {}

  @Override
  public Double getSelectivity(Join rel, RelMetadataQuery mq, RexNode predicate) {
    if (rel.isSemiJoin() || predicate == null) {
      return super.getSelectivity(rel, mq, predicate);
    }
    int leftCount = rel.getLeft().getRowType().getFieldCount();
    double selectivity = 1;
    List<RexNode> conjuncts = RelOptUtil.conjunctions(predicate);
    for (RexNode conjunct : conjuncts) {
      Double keys = conjunct.getKind() == SqlKind.EQUALS ? keySelectivity(rel, mq, (RexCall) conjunct, leftCount)
          : null;
      selectivity *= keys != null ? keys : RelMdUtil.guessSelectivity(conjunct);
    }
    return selectivity;
  }

  /** {@code 1 / max(distinct values)} of an equality of a left column with a right one, else null. */
  private static Double keySelectivity(Join rel, RelMetadataQuery mq, RexCall equals, int leftCount) {
    if (!(equals.getOperands().get(0) instanceof RexInputRef a) || !(equals.getOperands().get(1) instanceof RexInputRef b)) {
      return null;
    }
    int left = Math.min(a.getIndex(), b.getIndex());
    int right = Math.max(a.getIndex(), b.getIndex());
    if (left >= leftCount || right < leftCount) {
      return null;
    }
    Double leftDistinct = mq.getDistinctRowCount(rel.getLeft(), ImmutableBitSet.of(left), null);
    Double rightDistinct = mq.getDistinctRowCount(rel.getRight(), ImmutableBitSet.of(right - leftCount), null);
    if (leftDistinct == null && rightDistinct == null) {
      return null;
    }
    double distinct = Math.max(leftDistinct == null ? 1 : leftDistinct, rightDistinct == null ? 1 : rightDistinct);
    return 1 / Math.max(1, distinct);
  }
}
