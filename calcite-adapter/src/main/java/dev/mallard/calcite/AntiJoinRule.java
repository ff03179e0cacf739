package dev.mallard.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;
import org.immutables.value.Value;

/**
 * Turns the rows of a LEFT join that found no match, {@code IS NULL} of a right column that is never
 * NULL itself, into an ANTI join: what Calcite makes of {@code NOT EXISTS} (TPC-H Q21, Q22). When the
 * right side is a DISTINCT of the columns the condition reads (as the decorrelated subquery's is),
 * the ANTI join reads the rows under the DISTINCT instead: a left row either matches one of them or
 * matches none. So Q22's customers are tested against every order's customer key, without first
 * grouping all 1.5 M orders by customer.
 */
@Value.Enclosing
public final class AntiJoinRule extends RelRule<AntiJoinRule.Config> {
  private AntiJoinRule(Config config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Filter filter = call.rel(0);
    Join join = call.rel(1);
    int leftCount = join.getLeft().getRowType().getFieldCount();
    List<RelDataTypeField> rightFields = join.getRight().getRowType().getFieldList();
    List<RexNode> rest = new ArrayList<>();
    boolean unmatched = false;
    for (RexNode c : RelOptUtil.conjunctions(filter.getCondition())) {
      if (!unmatched && c.getKind() == SqlKind.IS_NULL && ((RexCall) c).getOperands().get(0) instanceof RexInputRef ref
          && ref.getIndex() >= leftCount && !rightFields.get(ref.getIndex() - leftCount).getType().isNullable()) {
        unmatched = true;
      } else if (RelOptUtil.InputFinder.bits(c).nextSetBit(leftCount) >= 0) {
        return; // reads the right side's columns (all NULL in the rows kept): left as it is
      } else {
        rest.add(c);
      }
    }
    if (!unmatched) {
      return;
    }
    RelBuilder b = call.builder();
    b.push(join.getLeft()).push(withoutDistinct(join.getRight(), b))
        .join(JoinRelType.ANTI, join.getCondition())
        .filter(rest);
    RexBuilder rex = b.getRexBuilder();
    List<RexNode> columns = new ArrayList<>(b.fields());
    for (RelDataTypeField f : join.getRowType().getFieldList().subList(leftCount, join.getRowType().getFieldCount())) {
      columns.add(rex.makeNullLiteral(f.getType()));
    }
    call.transformTo(b.project(columns, filter.getRowType().getFieldNames(), true).build());
  }

  /**
   * The rows under a DISTINCT (an aggregate without aggregate functions, under an optional
   * projection of its columns), with the same columns; else {@code right} itself.
   */
  private static RelNode withoutDistinct(RelNode right, RelBuilder b) {
    // stripped(): in a Hep program, inputs are the planner's vertices
    Project project = right.stripped() instanceof Project p ? p : null;
    RelNode below = (project == null ? right : project.getInput()).stripped();
    if (!(below instanceof Aggregate aggregate) || !aggregate.getAggCallList().isEmpty()
        || aggregate.getGroupType() != Aggregate.Group.SIMPLE || aggregate.getGroupCount() == 0) {
      return right;
    }
    ImmutableBitSet groups = aggregate.getGroupSet();
    List<RexNode> exprs = project != null ? project.getProjects()
        : b.getRexBuilder().identityProjects(aggregate.getRowType());
    RexShuttle toInput = new RexShuttle() {
      @Override
      public RexNode visitInputRef(RexInputRef ref) {
        return new RexInputRef(groups.nth(ref.getIndex()), ref.getType());
      }
    };
    List<RexNode> onInput = exprs.stream().map(e -> e.accept(toInput)).toList();
    return b.push(aggregate.getInput()).project(onInput, right.getRowType().getFieldNames(), true).build();
  }

  /** Matches a filter over a LEFT join. */
  @Value.Immutable
  public interface Config extends RelRule.Config {
    Config DEFAULT = ImmutableAntiJoinRule.Config.builder()
        .withOperandSupplier(b -> b.operand(Filter.class).oneInput(j -> j.operand(Join.class)
            .predicate(join -> join.getJoinType() == JoinRelType.LEFT).anyInputs()))
        .build();

    @Override
    default AntiJoinRule toRule() {
      return new AntiJoinRule(this);
    }
  }
}
