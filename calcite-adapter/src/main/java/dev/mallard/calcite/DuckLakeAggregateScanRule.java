package dev.mallard.calcite;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.scan.StatsAggregates;
import dev.mallard.engine.types.DuckLakeType;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.mapping.Mapping;
import org.apache.calcite.util.mapping.MappingType;
import org.apache.calcite.util.mapping.Mappings;
import org.immutables.value.Value;

/**
 * Narrows a scan to the columns an aggregate above it uses: {@code sum(amount)} reads one column,
 * {@code count(*)} none (its filters are still evaluated by the scan); and offers a
 * {@link DuckLakeStatsAggregate} for {@code count(*)}, {@code min} and {@code max} of a whole
 * table, which the catalog can answer without reading a data file.
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
    List<ColumnInfo> narrowed = new ArrayList<>();
    Mapping mapping = Mappings.create(MappingType.INVERSE_SURJECTION, columns.size(), used.cardinality());
    for (int source : used) {
      mapping.set(source, narrowed.size());
      narrowed.add(columns.get(source));
    }
    DuckLakeStatsAggregate.Spec fromStats = statsAnswerable(aggregate, scan, mapping, narrowed);
    if (fromStats != null) {
      call.transformTo(new DuckLakeStatsAggregate(scan.withColumns(narrowed), fromStats, aggregate.getRowType()));
    }
    if (used.cardinality() >= columns.size()) {
      return;
    }
    List<AggregateCall> calls = new ArrayList<>();
    for (AggregateCall c : aggregate.getAggCallList()) {
      calls.add(c.transform(mapping));
    }
    call.transformTo(aggregate.copy(aggregate.getTraitSet(), scan.withColumns(narrowed),
        Mappings.apply(mapping, aggregate.getGroupSet()),
        aggregate.getGroupSets().stream().map(g -> Mappings.apply(mapping, g)).toList(), calls));
  }

  /**
   * What a {@link DuckLakeStatsAggregate} computes for this aggregate, or null when it cannot take
   * it: only {@code count(*)}, {@code min} and {@code max} of columns whose statistics can be exact,
   * without GROUP BY, DISTINCT or FILTER, over a scan of the whole table (no filter, no time travel,
   * no row addresses or virtual columns).
   */
  private static DuckLakeStatsAggregate.Spec statsAnswerable(Aggregate aggregate, DuckLakeTableScan scan,
      Mapping mapping, List<ColumnInfo> narrowed) {
    if (!aggregate.getGroupSet().isEmpty() || aggregate.getGroupSets().size() != 1 || !scan.filters().isEmpty()
        || scan.hasTravel() || scan.columns().stream().anyMatch(c -> c.id() < 0)) {
      return null;
    }
    List<StatsAggregates.Kind> kinds = new ArrayList<>();
    List<Integer> columns = new ArrayList<>();
    for (AggregateCall c : aggregate.getAggCallList()) {
      if (c.isDistinct() || c.filterArg >= 0 || c.isApproximate()) {
        return null;
      }
      if (c.getAggregation().getKind() == SqlKind.COUNT && c.getArgList().isEmpty()) {
        kinds.add(StatsAggregates.Kind.COUNT_STAR);
        columns.add(-1);
      } else if ((c.getAggregation().getKind() == SqlKind.MIN || c.getAggregation().getKind() == SqlKind.MAX)
          && c.getArgList().size() == 1) {
        int column = mapping.getTarget(c.getArgList().get(0));
        DuckLakeType type = narrowed.get(column).type();
        if (!StatsAggregates.extremesExact(type)) {
          return null;
        }
        kinds.add(c.getAggregation().getKind() == SqlKind.MIN ? StatsAggregates.Kind.MIN : StatsAggregates.Kind.MAX);
        columns.add(column);
      } else {
        return null;
      }
    }
    return new DuckLakeStatsAggregate.Spec(kinds, columns);
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
