package dev.mallard.calcite;

import dev.mallard.engine.catalog.ColumnInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexPermuteInputsShuttle;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.mapping.Mapping;
import org.apache.calcite.util.mapping.MappingType;
import org.apache.calcite.util.mapping.Mappings;
import org.immutables.value.Value;

/**
 * Narrows a scan to the columns a projection above it uses. A projection of plain column references
 * disappears into the scan; any other keeps its expressions over the narrowed scan.
 */
@Value.Enclosing
public final class DuckLakeProjectScanRule extends RelRule<DuckLakeProjectScanRule.Config> {
  private DuckLakeProjectScanRule(Config config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Project project = call.rel(0);
    DuckLakeTableScan scan = call.rel(1);
    if (scan.hasRowAddress()) {
      return; // a DML scan keeps its shape: its address columns follow the table's
    }
    List<ColumnInfo> columns = scan.columns();

    if (isDistinctColumnList(project.getProjects())) {
      List<ColumnInfo> picked = new ArrayList<>();
      for (RexNode e : project.getProjects()) {
        picked.add(columns.get(((RexInputRef) e).getIndex()));
      }
      // Field names may differ (aliases); keep the project's row type by renaming if needed.
      call.transformTo(call.builder().push(scan.withColumns(picked))
          .rename(project.getRowType().getFieldNames()).build());
      return;
    }

    ImmutableBitSet used = RelOptUtil.InputFinder.bits(project.getProjects(), null);
    if (used.cardinality() >= columns.size()) {
      return;
    }
    List<ColumnInfo> narrowed = new ArrayList<>();
    Mapping mapping = Mappings.create(MappingType.INVERSE_SURJECTION, columns.size(), used.cardinality());
    for (int source : used) {
      mapping.set(source, narrowed.size());
      narrowed.add(columns.get(source));
    }
    RexPermuteInputsShuttle shuttle = new RexPermuteInputsShuttle(mapping, scan);
    List<RexNode> projects = new ArrayList<>();
    for (RexNode e : project.getProjects()) {
      projects.add(e.accept(shuttle));
    }
    call.transformTo(call.builder().push(scan.withColumns(narrowed))
        .project(projects, project.getRowType().getFieldNames()).build());
  }

  private static boolean isDistinctColumnList(List<RexNode> projects) {
    return projects.stream().allMatch(e -> e instanceof RexInputRef)
        && projects.stream().map(e -> ((RexInputRef) e).getIndex()).distinct().count() == projects.size();
  }

  /** Matches a projection directly on a DuckLake scan. */
  @Value.Immutable
  public interface Config extends RelRule.Config {
    Config DEFAULT = ImmutableDuckLakeProjectScanRule.Config.builder()
        .withOperandSupplier(b0 -> b0.operand(Project.class)
            .oneInput(b1 -> b1.operand(DuckLakeTableScan.class).noInputs()))
        .build();

    @Override
    default DuckLakeProjectScanRule toRule() {
      return new DuckLakeProjectScanRule(this);
    }
  }
}
