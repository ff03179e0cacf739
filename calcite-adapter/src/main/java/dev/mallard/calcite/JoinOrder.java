package dev.mallard.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.metadata.RelMetadataProvider;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.JoinPushThroughJoinRule;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

/**
 * Calcite's standard optimization program with three changes. Disjunctions first give each table
 * they read the OR of its own parts (see {@link DisjunctionsPerTable}). Queries joining {@link #MIN_JOINS} or
 * more times are ordered by Calcite's heuristic ({@code LoptOptimizeJoinRule}: the smallest
 * estimated intermediate results first, by the scans' statistics and {@link JoinSelectivity}), not by
 * Volcano's exhaustive search, which took minutes to plan TPC-H's five-join Q07. And every phase
 * keeps Mallard's metadata ({@link HashJoinCosts#PROVIDER}), where Calcite's resets the cluster to its
 * default metadata before the cost-based phase.
 */
final class JoinOrder {
  /** From this many joins (five tables) on, the heuristic orders them. */
  static final int MIN_JOINS = 4;

  private JoinOrder() {}

  static Program program() {
    RelMetadataProvider metadata = HashJoinCosts.PROVIDER;
    return Programs.sequence(
        Programs.subQuery(metadata),
        Programs.decorrelate(),
        Programs.measure(metadata),
        FilterColumnTrimmer.program(),
        Programs.of(new HepProgramBuilder().addRuleInstance(AntiJoinRule.Config.DEFAULT.toRule()).build(), false,
            metadata),
        (planner, rel, traits, materializations, lattices) -> {
          List<RelOptRule> rules = new ArrayList<>(planner.getRules());
          RelNode input = DisjunctionsPerTable.program(metadata).run(planner, rel, traits, materializations, lattices);
          // Conditions pushed down to the tables they read, so that trimming again drops the columns
          // only they read (see FilterColumnTrimmer); the cost-based phase would push them anyway.
          HepProgram pushDown = new HepProgramBuilder()
              .addRuleCollection(List.of(CoreRules.FILTER_INTO_JOIN, CoreRules.JOIN_CONDITION_PUSH))
              .build();
          input = Programs.of(pushDown, false, metadata).run(planner, input, traits, materializations, lattices);
          input = FilterColumnTrimmer.program().run(planner, input, traits, materializations, lattices);
          if (RelOptUtil.countJoins(rel) >= MIN_JOINS) {
            HepProgram multiJoin = new HepProgramBuilder()
                .addRuleInstance(CoreRules.FILTER_INTO_JOIN)
                .addMatchOrder(HepMatchOrder.BOTTOM_UP)
                .addRuleInstance(CoreRules.JOIN_TO_MULTI_JOIN)
                .build();
            input = Programs.of(multiJoin, false, metadata).run(planner, input, traits, materializations, lattices);
            // Rules that reorder joins one swap at a time make the search exhaustive again.
            rules.removeAll(List.of(CoreRules.JOIN_COMMUTE, CoreRules.JOIN_ASSOCIATE, JoinPushThroughJoinRule.LEFT,
                JoinPushThroughJoinRule.RIGHT));
            rules.add(CoreRules.MULTI_JOIN_OPTIMIZE);
          }
          return Programs.ofRules(rules).run(planner, input, traits, materializations, lattices);
        },
        Programs.calc(metadata));
  }
}
