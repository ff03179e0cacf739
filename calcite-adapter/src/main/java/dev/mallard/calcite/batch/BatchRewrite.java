package dev.mallard.calcite.batch;

import dev.mallard.calcite.DuckLakeTableScan;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.adapter.enumerable.EnumerableAggregate;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableHashJoin;
import org.apache.calcite.adapter.enumerable.EnumerableLimit;
import org.apache.calcite.adapter.enumerable.EnumerableNestedLoopJoin;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;

/**
 * Turns the parts of a finished Enumerable plan that batch operators handle into batch operators,
 * with rows made only where a row operator (or the statement) reads them: hash joins, sorts,
 * top-N, aggregates, and the filters and projections between them, over DuckLake scans. Done after
 * Volcano has chosen the plan, so that batch alternatives do not multiply its join-order search (as
 * batch rules inside Volcano did, see {@link BatchRules}). Off when {@code mallard.batch} is false.
 */
public final class BatchRewrite {
  private final Map<RelNode, BatchRel> batchForms = new IdentityHashMap<>();

  private BatchRewrite() {}

  /** {@code plan} with batch operators where they apply. */
  public static RelNode rewrite(RelNode plan) {
    return BatchRules.enabled() ? SharedAggregates.share(new BatchRewrite().rows(plan)) : plan;
  }

  /** {@code node} as rows: its batch form under a {@link BatchToEnumerable} if worth it, else its inputs rewritten. */
  private RelNode rows(RelNode node) {
    BatchRel batch = batch(node);
    if (batch != null && worthIt(batch)) {
      return node instanceof BatchToEnumerable ? node
          : new BatchToEnumerable(node.getCluster(), node.getTraitSet(), batch);
    }
    List<RelNode> inputs = new ArrayList<>();
    boolean changed = false;
    for (int i = 0; i < node.getInputs().size(); i++) {
      RelNode input = node.getInput(i);
      RelNode rewritten = rows(input);
      if (i == 1 && node instanceof EnumerableNestedLoopJoin) {
        // The join enumerates its inner input once per outer row: the rows are kept after the
        // first, also of a scan that stays a row scan elsewhere (it was read again each time).
        BatchRel inner = rewritten instanceof BatchToEnumerable ? null : batch(input);
        if (inner != null) {
          rewritten = new BatchToEnumerable(input.getCluster(), input.getTraitSet(), inner);
        }
        if (rewritten instanceof BatchToEnumerable top) {
          rewritten = top.keepingRows();
        }
      }
      changed |= rewritten != input;
      inputs.add(rewritten);
    }
    return changed ? node.copy(node.getTraitSet(), inputs) : node;
  }

  /**
   * Whether a batch tree does more than scan, filter and project: those alone stay as they were
   * planned (the row scan applies the same filters).
   */
  private static boolean worthIt(RelNode batch) {
    if (!(batch instanceof BatchScan || batch instanceof BatchFilter || batch instanceof BatchProject)) {
      return true;
    }
    return batch.getInputs().stream().anyMatch(BatchRewrite::worthIt);
  }

  /** The batch form of {@code node} and all below it, or null when some part has none. */
  private BatchRel batch(RelNode node) {
    if (batchForms.containsKey(node)) {
      return batchForms.get(node);
    }
    BatchRel batch = convert(node);
    batchForms.put(node, batch);
    return batch;
  }

  private BatchRel convert(RelNode node) {
    RelTraitSet traits = node.getTraitSet().replace(BatchRel.CONVENTION);
    if (node instanceof BatchToEnumerable top) {
      return (BatchRel) top.getInput();
    }
    if (node instanceof DuckLakeTableScan scan) {
      return BatchScan.supports(scan) ? new BatchScan(scan.getCluster(), traits, scan) : null;
    }
    if (node instanceof EnumerableCalc calc) {
      BatchRel input = batch(calc.getInput());
      return input == null ? null : calc(calc, input, traits);
    }
    if (node instanceof EnumerableHashJoin join) {
      if (!BatchHashJoin.supports(join)) {
        return null;
      }
      BatchRel left = batch(join.getLeft());
      BatchRel right = left == null ? null : batch(join.getRight());
      return right == null ? null
          : new BatchHashJoin(join.getCluster(), traits, left, right, join.getCondition(), join.getJoinType());
    }
    if (node instanceof EnumerableNestedLoopJoin join) {
      if (!BatchSingleRowJoin.supports(join)) {
        return null;
      }
      BatchRel left = batch(join.getLeft());
      BatchRel right = left == null ? null : batch(join.getRight());
      return right == null ? null
          : new BatchSingleRowJoin(join.getCluster(), traits, left, right, join.getCondition());
    }
    if (node instanceof EnumerableAggregate aggregate) {
      BatchRel input = BatchAggregate.supports(aggregate) ? batch(aggregate.getInput()) : null;
      return input == null ? null : new BatchAggregate(aggregate.getCluster(), traits, input,
          aggregate.getGroupSet(), aggregate.getAggCallList());
    }
    if (node instanceof Sort sort) { // EnumerableSort, EnumerableLimitSort
      BatchRel input = BatchSort.supports(sort) ? batch(sort.getInput()) : null;
      return input == null ? null
          : new BatchSort(sort.getCluster(), traits, input, sort.getCollation(), sort.offset, sort.fetch);
    }
    if (node instanceof EnumerableLimit limit) {
      boolean literal = (limit.offset == null || limit.offset instanceof RexLiteral)
          && (limit.fetch == null || limit.fetch instanceof RexLiteral);
      if (!literal) {
        return null;
      }
      if (limit.getInput() instanceof Sort sort && sort.offset == null && sort.fetch == null
          && BatchSort.supports(sort)) {
        BatchRel input = batch(sort.getInput()); // ORDER BY then LIMIT: one top-N
        return input == null ? null
            : new BatchSort(sort.getCluster(), traits.replace(sort.getCollation()), input, sort.getCollation(),
                limit.offset, limit.fetch);
      }
      BatchRel input = batch(limit.getInput());
      return input == null ? null : new BatchLimit(limit.getCluster(), traits.replace(RelCollations.EMPTY), input,
          limit.offset, limit.fetch);
    }
    return null;
  }

  /** A Calc as a batch filter and projection, or null when an expression or type is not handled. */
  private static BatchRel calc(EnumerableCalc calc, BatchRel input, RelTraitSet traits) {
    RexProgram program = calc.getProgram();
    RelNode in = input;
    RexToVector translator = new RexToVector(in.getRowType(), calc.getCluster().getRexBuilder());
    RexNode condition = program.getCondition() == null ? null : program.expandLocalRef(program.getCondition());
    List<RexNode> projects = program.expandList(program.getProjectList());
    if (!BatchTypes.allSupported(calc.getRowType()) || condition != null && !translator.supports(List.of(condition))
        || !translator.supports(projects)) {
      return null;
    }
    BatchRel out = input;
    if (condition != null) {
      out = new BatchFilter(calc.getCluster(), traits, out, condition);
    }
    if (!program.projectsOnlyIdentity()) {
      out = new BatchProject(calc.getCluster(), traits, out, projects, calc.getRowType());
    }
    return out;
  }
}
