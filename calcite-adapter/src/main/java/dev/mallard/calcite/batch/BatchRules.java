package dev.mallard.calcite.batch;

import dev.mallard.calcite.DuckLakeTableScan;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.volcano.RelSubset;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Plans batch operators inside Volcano: a DuckLake scan, and filters, projections, aggregates and
 * limits over batch inputs, each only when every expression and type in it is handled (else Calcite's
 * Enumerable operator stays); {@link BatchToEnumerable} returns to rows above an aggregate or a limit.
 * Joins and sorts become batch operators after Volcano, in {@link BatchRewrite}: batch alternatives of
 * every join order multiply Volcano's search. Off when the system property {@code mallard.batch} is
 * {@code false}.
 */
public final class BatchRules {
  private BatchRules() {}

  /** Whether batch operators are planned (the system property {@code mallard.batch}, on by default). */
  public static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty("mallard.batch"));
  }

  public static void install(RelOptPlanner planner) {
    if (enabled()) {
      RULES.forEach(planner::addRule);
    }
  }

  static final ConverterRule SCAN = ConverterRule.Config.INSTANCE.withConversion(DuckLakeTableScan.class,
      BatchScan::supports, EnumerableConvention.INSTANCE, BatchRel.CONVENTION, "BatchScanRule")
      .withRuleFactory(ScanRule::new).toRule(ConverterRule.class);

  static final ConverterRule FILTER = ConverterRule.Config.INSTANCE.withConversion(LogicalFilter.class,
      f -> overOneTable(f.getInput()) && new RexToVector(f.getInput().getRowType(), f.getCluster().getRexBuilder())
          .supports(List.of(f.getCondition())), Convention.NONE, BatchRel.CONVENTION, "BatchFilterRule")
      .withRuleFactory(c -> new SingleInputRule(c, (rel, input) -> new BatchFilter(rel.getCluster(), batchTraits(rel),
          input, ((LogicalFilter) rel).getCondition()))).toRule(ConverterRule.class);

  static final ConverterRule PROJECT = ConverterRule.Config.INSTANCE.withConversion(LogicalProject.class,
      p -> overOneTable(p.getInput()) && BatchTypes.allSupported(p.getRowType()) && p.getVariablesSet().isEmpty()
          && new RexToVector(p.getInput().getRowType(), p.getCluster().getRexBuilder()).supports(p.getProjects()),
      Convention.NONE, BatchRel.CONVENTION, "BatchProjectRule")
      .withRuleFactory(c -> new SingleInputRule(c, (rel, input) -> new BatchProject(rel.getCluster(), batchTraits(rel),
          input, ((LogicalProject) rel).getProjects(), rel.getRowType()))).toRule(ConverterRule.class);

  static final ConverterRule AGGREGATE = ConverterRule.Config.INSTANCE.withConversion(LogicalAggregate.class,
      a -> overOneTable(a.getInput()) && BatchAggregate.supports(a), Convention.NONE, BatchRel.CONVENTION, "BatchAggregateRule")
      .withRuleFactory(c -> new SingleInputRule(c, (rel, input) -> {
        LogicalAggregate a = (LogicalAggregate) rel;
        return new BatchAggregate(a.getCluster(), batchTraits(a), input, a.getGroupSet(), a.getAggCallList());
      })).toRule(ConverterRule.class);

  static final ConverterRule LIMIT = ConverterRule.Config.INSTANCE.withConversion(LogicalSort.class,
      s -> overOneTable(s.getInput()) && BatchLimit.supports(s), Convention.NONE, BatchRel.CONVENTION, "BatchLimitRule")
      .withRuleFactory(c -> new SingleInputRule(c, (rel, input) -> new BatchLimit(rel.getCluster(), batchTraits(rel),
          input, ((Sort) rel).offset, ((Sort) rel).fetch))).toRule(ConverterRule.class);

  static final ConverterRule TO_ENUMERABLE = ConverterRule.Config.INSTANCE.withConversion(RelNode.class,
      r -> r instanceof BatchAggregate || r instanceof BatchLimit, BatchRel.CONVENTION, EnumerableConvention.INSTANCE, "BatchToEnumerableRule")
      .withRuleFactory(ToEnumerableRule::new).toRule(ConverterRule.class);

  /**
   * Whether {@code input} is a chain of single-input operators over one DuckLake scan (as first
   * planned). Batch alternatives are only made there: made over every join order Volcano tries,
   * they multiply its search space.
   */
  static boolean overOneTable(RelNode input) {
    RelNode rel = input instanceof RelSubset subset ? subset.getOriginal() : input;
    if (rel == null) {
      return false;
    }
    if (rel instanceof DuckLakeTableScan || rel instanceof BatchScan) {
      return true;
    }
    if (rel instanceof org.apache.calcite.rel.core.Filter || rel instanceof org.apache.calcite.rel.core.Project
        || rel instanceof org.apache.calcite.rel.core.Aggregate || rel instanceof Sort) {
      return overOneTable(rel.getInput(0));
    }
    return false;
  }

  static final List<RelOptRule> RULES = List.of(SCAN, FILTER, PROJECT, AGGREGATE, LIMIT, TO_ENUMERABLE);

  private static final class ScanRule extends ConverterRule {
    ScanRule(Config config) {
      super(config);
    }

    @Override
    public @Nullable RelNode convert(RelNode rel) {
      return new BatchScan(rel.getCluster(), rel.getTraitSet().replace(BatchRel.CONVENTION), (DuckLakeTableScan) rel);
    }
  }

  /** Converts a single-input operator, its input asked for in the batch convention too. */
  private static final class SingleInputRule extends ConverterRule {
    private final BiFunction<RelNode, RelNode, RelNode> make;

    /** @param make the batch operator for an operator and its batch input */
    SingleInputRule(Config config, BiFunction<RelNode, RelNode, RelNode> make) {
      super(config);
      this.make = make;
    }

    @Override
    public @Nullable RelNode convert(RelNode rel) {
      RelNode input = rel.getInput(0);
      return make.apply(rel, convert(input, input.getTraitSet().replace(BatchRel.CONVENTION)));
    }
  }

  private static RelTraitSet batchTraits(RelNode rel) {
    return rel.getTraitSet().replace(BatchRel.CONVENTION);
  }

  private static final class ToEnumerableRule extends ConverterRule {
    ToEnumerableRule(Config config) {
      super(config);
    }

    @Override
    public @Nullable RelNode convert(RelNode rel) {
      return new BatchToEnumerable(rel.getCluster(), rel.getTraitSet().replace(EnumerableConvention.INSTANCE), rel);
    }
  }
}
