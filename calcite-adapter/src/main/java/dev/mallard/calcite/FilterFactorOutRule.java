package dev.mallard.calcite;

import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.immutables.value.Value;

/**
 * Rewrites {@code (a AND b) OR (a AND c)} as {@code a AND (b OR c)}, so that a join key repeated
 * in every branch of an OR (TPC-H Q19's {@code p_partkey = l_partkey}) becomes an equi-join
 * condition and the join a hash join instead of a nested loop. The two forms are equal in SQL's
 * three-valued logic.
 */
@Value.Enclosing
public final class FilterFactorOutRule extends RelRule<FilterFactorOutRule.Config> {
  private FilterFactorOutRule(Config config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Filter filter = call.rel(0);
    RexNode factored = RexUtil.pullFactors(filter.getCluster().getRexBuilder(), filter.getCondition());
    if (!factored.equals(filter.getCondition())) {
      call.transformTo(filter.copy(filter.getTraitSet(), filter.getInput(), factored));
    }
  }

  /** Whether {@code condition} is an OR or has one among the terms of its AND. */
  static boolean hasDisjunction(RexNode condition) {
    return RexUtil.flattenAnd(java.util.List.of(condition)).stream().anyMatch(c -> c.getKind() == SqlKind.OR);
  }

  /** Matches a filter whose condition is an OR, or an AND with an OR among its terms. */
  @Value.Immutable
  public interface Config extends RelRule.Config {
    Config DEFAULT = ImmutableFilterFactorOutRule.Config.builder()
        .withOperandSupplier(b -> b.operand(Filter.class)
            .predicate(f -> hasDisjunction(f.getCondition())).anyInputs())
        .build();

    @Override
    default FilterFactorOutRule toRule() {
      return new FilterFactorOutRule(this);
    }
  }
}
