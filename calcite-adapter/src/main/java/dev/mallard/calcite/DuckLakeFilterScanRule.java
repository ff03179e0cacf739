package dev.mallard.calcite;

import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.scan.FilterPushdown;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;
import org.immutables.value.Value;

/**
 * Pushes the conjuncts of a filter into the scan below it. Each conjunct the engine answers EXACT
 * leaves the filter; INEXACT ones are pushed for pruning and also kept; the rest stay. Comparisons with
 * {@code ?} parameters are pushed as {@link ParameterFilter}s, bound at each execution, and also kept.
 */
@Value.Enclosing
public final class DuckLakeFilterScanRule extends RelRule<DuckLakeFilterScanRule.Config> {
  private DuckLakeFilterScanRule(Config config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Filter filter = call.rel(0);
    DuckLakeTableScan scan = call.rel(1);
    RexToPredicate translator = new RexToPredicate(scan.columns(), filter.getCluster().getRexBuilder());
    List<Predicate> pushed = new ArrayList<>();
    List<ParameterFilter> parameterFilters = new ArrayList<>(scan.parameterFilters());
    boolean newParameterFilter = false;
    List<RexNode> remaining = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      Optional<Predicate> p = translator.translate(conjunct);
      FilterPushdown answer = p.map(FilterPushdown::of).orElse(FilterPushdown.UNSUPPORTED);
      if (answer != FilterPushdown.UNSUPPORTED) {
        pushed.add(p.get());
      }
      if (answer != FilterPushdown.EXACT) {
        remaining.add(conjunct);
      }
      if (answer == FilterPushdown.UNSUPPORTED) {
        // Kept above too: a bound value the column cannot hold exactly is not pushed.
        Optional<ParameterFilter> withParameter = translator.translateParameter(conjunct);
        if (withParameter.isPresent() && !parameterFilters.contains(withParameter.get())) {
          parameterFilters.add(withParameter.get());
          newParameterFilter = true;
        }
      }
    }
    if (pushed.isEmpty() && !newParameterFilter) {
      return;
    }
    List<Predicate> filters = new ArrayList<>(scan.filters());
    filters.addAll(pushed);
    RelBuilder b = call.builder().push(scan.withFilters(filters).withParameterFilters(parameterFilters));
    if (!remaining.isEmpty()) {
      b.filter(remaining);
    }
    call.transformTo(b.build());
  }

  /** Matches a filter directly on a DuckLake scan. */
  @Value.Immutable
  public interface Config extends RelRule.Config {
    Config DEFAULT = ImmutableDuckLakeFilterScanRule.Config.builder()
        .withOperandSupplier(b0 -> b0.operand(Filter.class)
            .oneInput(b1 -> b1.operand(DuckLakeTableScan.class).noInputs()))
        .build();

    @Override
    default DuckLakeFilterScanRule toRule() {
      return new DuckLakeFilterScanRule(this);
    }
  }
}
