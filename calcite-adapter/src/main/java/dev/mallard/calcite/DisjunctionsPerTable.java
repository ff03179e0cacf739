package dev.mallard.calcite;

import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.metadata.RelMetadataProvider;
import org.apache.calcite.rel.rules.ExpandDisjunctionForTableRule;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

/**
 * Adds to a filter's or join's condition that is an OR of ANDs (TPC-H Q19's three brand cases, Q07's
 * two nation pairs) one OR per table it reads, of that table's own conjuncts in every branch:
 * {@code (p.a AND l.b) OR (p.c AND l.d)} gains {@code (p.a OR p.c) AND (l.b OR l.d)}, which the
 * cost-based phase then pushes down to each table's scan, as DuckDB does. A table absent from some
 * branch gains nothing. The added conditions are implied by the original one, which stays, so rows
 * are the same in SQL's three-valued logic; conditions that are not deterministic are left alone
 * (repeating {@code random()} would change them). Run once before the cost-based phase, as
 * Calcite's {@link ExpandDisjunctionForTableRule} asks: with the push-down rules it would loop.
 */
final class DisjunctionsPerTable {
  private DisjunctionsPerTable() {}

  static Program program(RelMetadataProvider metadata) {
    ExpandDisjunctionForTableRule filters = ExpandDisjunctionForTableRule.Config.FILTER
        .withOperandSupplier(b -> b.operand(Filter.class)
            .predicate(f -> expandable(f.getCondition())).anyInputs())
        .as(ExpandDisjunctionForTableRule.Config.class).toRule();
    ExpandDisjunctionForTableRule joins = ExpandDisjunctionForTableRule.Config.JOIN
        .withOperandSupplier(b -> b.operand(Join.class)
            .predicate(j -> expandable(j.getCondition())).anyInputs())
        .as(ExpandDisjunctionForTableRule.Config.class).toRule();
    // Factored first: the key common to every branch (Q19's p_partkey = l_partkey) stays an equi-join
    // condition instead of being repeated into the OR of both tables.
    return Programs.of(new HepProgramBuilder().addRuleInstance(DuckLakeRules.FILTER_FACTOR_OUT)
        .addRuleInstance(filters).addRuleInstance(joins).build(), false, metadata);
  }

  /** Whether {@code condition} has an OR (as a conjunct or itself) and nothing that may differ when repeated. */
  private static boolean expandable(RexNode condition) {
    return RexUtil.isDeterministic(condition) && FilterFactorOutRule.hasDisjunction(condition);
  }
}
