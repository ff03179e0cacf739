package dev.mallard.calcite;

import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import java.util.List;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Snapshot;
import org.immutables.value.Value;

/**
 * Time travel: a {@link Snapshot} (what {@code FOR SYSTEM_TIME AS OF} and {@code AT (VERSION => n)}
 * become) directly on a DuckLake scan turns into a scan of the version the snapshot's period names.
 * Calcite has no other way to run a Snapshot, so a time travel clause on anything else (a view,
 * a subquery) fails to plan.
 */
@Value.Enclosing
public final class DuckLakeSnapshotScanRule extends RelRule<DuckLakeSnapshotScanRule.Config> {
  private DuckLakeSnapshotScanRule(Config config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Snapshot snapshot = call.rel(0);
    if (call.rels.length == 2) {
      DuckLakeTableScan scan = call.rel(1);
      if (!scan.hasTravel()) {
        call.transformTo(scan.withTravel(snapshot.getPeriod()));
      }
      return;
    }
    // Calcite's field trimming puts a projection between the snapshot and its table.
    Project project = call.rel(1);
    DuckLakeTableScan scan = call.rel(2);
    if (!scan.hasTravel()) {
      call.transformTo(project.copy(project.getTraitSet(), List.of(scan.withTravel(snapshot.getPeriod()))));
    }
  }

  /** Matches a snapshot directly on a DuckLake scan ({@link #DEFAULT}), or on a projection of one. */
  @Value.Immutable
  public interface Config extends RelRule.Config {
    Config DEFAULT = ImmutableDuckLakeSnapshotScanRule.Config.builder()
        .withOperandSupplier(b0 -> b0.operand(Snapshot.class)
            .oneInput(b1 -> b1.operand(DuckLakeTableScan.class).noInputs()))
        .build();

    Config OVER_PROJECT = ImmutableDuckLakeSnapshotScanRule.Config.builder()
        .withOperandSupplier(b0 -> b0.operand(Snapshot.class)
            .oneInput(b1 -> b1.operand(Project.class)
                .oneInput(b2 -> b2.operand(DuckLakeTableScan.class).noInputs())))
        .withDescription("DuckLakeSnapshotScanRule:project")
        .build();

    @Override
    default DuckLakeSnapshotScanRule toRule() {
      return new DuckLakeSnapshotScanRule(this);
    }
  }
}
