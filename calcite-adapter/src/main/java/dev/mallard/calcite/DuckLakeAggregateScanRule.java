package dev.mallard.calcite;

import dev.mallard.engine.catalog.ColumnInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.mapping.Mapping;
import org.apache.calcite.util.mapping.MappingType;
import org.apache.calcite.util.mapping.Mappings;
import org.immutables.value.Value;

/**
 * Narrows a scan to the columns an aggregate above it uses: {@code sum(amount)} reads one column,
 * {@code count(*)} none (its filters are still evaluated by the scan).
 */
@Value.Enclosing
public final class DuckLakeAggregateScanRule extends RelRule<DuckLakeAggregateScanRule.Config> {
  private DuckLakeAggregateScanRule(Config config) {
    super(config);
  }

  private static ImmutableBitSet used(Aggregate aggregate) {
    ImmutableBitSet.Builder used = aggregate.getGroupSet().rebuild();
    for (AggregateCall call : aggregate.getAggCallList()) {
      call.getArgList().forEach(used::set);
      if (call.filterArg >= 0) {
        used.set(call.filterArg);
      }
    }
    return used.build();
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Aggregate aggregate = call.rel(0);
    DuckLakeTableScan scan = call.rel(1);
    if (scan.hasRowAddress()) {
      return;
    }
    ImmutableBitSet used = used(aggregate);
    List<ColumnInfo> columns = scan.columns();
    if (used.cardinality() >= columns.size()) {
      return;
    }
    List<ColumnInfo> narrowed = new ArrayList<>();
    Mapping mapping = Mappings.create(MappingType.INVERSE_SURJECTION, columns.size(), used.cardinality());
    for (int source : used) {
      mapping.set(source, narrowed.size());
      narrowed.add(columns.get(source));
    }
    List<AggregateCall> calls = new ArrayList<>();
    for (AggregateCall c : aggregate.getAggCallList()) {
      calls.add(c.transform(mapping));
    }
    call.transformTo(aggregate.copy(aggregate.getTraitSet(), scan.withColumns(narrowed),
        Mappings.apply(mapping, aggregate.getGroupSet()),
        aggregate.getGroupSets().stream().map(g -> Mappings.apply(mapping, g)).toList(), calls));
  }

  /** Matches an aggregate directly on a DuckLake scan. */
  @Value.Immutable
  public interface Config extends RelRule.Config {
    Config DEFAULT = ImmutableDuckLakeAggregateScanRule.Config.builder()
        .withOperandSupplier(b0 -> b0.operand(Aggregate.class)
            .oneInput(b1 -> b1.operand(DuckLakeTableScan.class).noInputs()))
        .build();

    @Override
    default DuckLakeAggregateScanRule toRule() {
      return new DuckLakeAggregateScanRule(this);
    }
  }
}
