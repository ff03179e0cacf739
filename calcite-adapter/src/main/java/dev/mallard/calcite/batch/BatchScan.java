package dev.mallard.calcite.batch;

import dev.mallard.calcite.DuckLakeTable;
import dev.mallard.calcite.DuckLakeTableScan;
import dev.mallard.calcite.ScanSpec;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.vector.ArrowChunks;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.AbstractRelNode;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;

/** A {@link DuckLakeTableScan} handing out its Arrow batches as chunks (same columns, same pushed filters). */
public final class BatchScan extends AbstractRelNode implements BatchRel {
  private final DuckLakeTableScan scan;

  BatchScan(RelOptCluster cluster, RelTraitSet traits, DuckLakeTableScan scan) {
    super(cluster, traits);
    this.scan = scan;
  }

  /** Whether batch operators can read {@code scan}: its own columns, all of types chunks hold, at the statement's snapshot. */
  static boolean supports(DuckLakeTableScan scan) {
    if (scan.hasTravel() || scan.hasRowAddress()) {
      return false;
    }
    for (ColumnInfo c : scan.columns()) {
      if (c.id() < 0 || ArrowChunks.readable(c.type()) == null) {
        return false;
      }
    }
    return BatchTypes.allSupported(scan.getRowType());
  }

  /** The scan this one hands out in chunks. */
  DuckLakeTableScan scan() {
    return scan;
  }

  @Override
  protected RelDataType deriveRowType() {
    return scan.getRowType();
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new BatchScan(getCluster(), traitSet, scan);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("table", scan.getTable().getQualifiedName())
        .item("columns", scan.getRowType().getFieldNames())
        .itemIf("filters", scan.filters(), !scan.filters().isEmpty());
  }

  @Override
  public double estimateRowCount(RelMetadataQuery mq) {
    return scan.estimateRowCount(mq);
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    return scan.computeSelfCost(planner, mq);
  }

  @Override
  public BatchPlan plan() {
    DuckLakeTable table = scan.duckLakeTable();
    ScanSpec spec = scan.spec();
    DuckLakeType[] types = scan.columns().stream().map(ColumnInfo::type).toArray(DuckLakeType[]::new);
    return new ScanPipeline(table, spec, types);
  }
}
