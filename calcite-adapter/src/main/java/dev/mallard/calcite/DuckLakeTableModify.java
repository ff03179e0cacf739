package dev.mallard.calcite;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexNode;

/**
 * Writes the rows of its input to a DuckLake table (INSERT), or removes or replaces the rows its
 * input addresses (DELETE, UPDATE), in the connection's transaction. Returns the row count.
 */
public final class DuckLakeTableModify extends TableModify implements EnumerableRel {
  DuckLakeTableModify(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, Prepare.CatalogReader catalogReader,
      RelNode input, Operation operation, List<String> updateColumnList, List<RexNode> sourceExpressionList,
      boolean flattened) {
    super(cluster, traits, table, catalogReader, input, operation, updateColumnList, sourceExpressionList, flattened);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new DuckLakeTableModify(getCluster(), traitSet, getTable(), getCatalogReader(), sole(inputs),
        getOperation(), getUpdateColumnList(), getSourceExpressionList(), isFlattened());
  }

  /** Always preferred over Calcite's own table modify, which writes into an in-memory collection. */
  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    return planner.getCostFactory().makeTinyCost();
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    if (!MallardTypeSystem.exactTimestamps(implementor.getTypeFactory().getTypeSystem())) {
      // TableWriter takes TIMESTAMP(6) and (9) values in micro- and nanoseconds, as ExactTimestamps plans them.
      throw new IllegalStateException("Writes to a lake need Mallard's type system and planner (a jdbc:ducklake: connection)");
    }
    BlockBuilder block = new BlockBuilder();
    Result input = implementor.visitChild(this, 0, (EnumerableRel) getInput(), Prefer.ARRAY);
    Expression rows = block.append("rows", input.block);
    Expression arrays = input.physType.convertTo(rows, JavaRowFormat.ARRAY);
    TableWriter writer = new TableWriter(getTable().unwrap(DuckLakeTable.class), getOperation(), getUpdateColumnList(),
        getTable().getRowType().getFieldCount());
    Expression stashed = implementor.stash(writer, TableWriter.class);
    block.add(Expressions.return_(null, Expressions.call(stashed, "write", implementor.getRootExpression(),
        Expressions.convert_(arrays, Enumerable.class))));
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), pref.prefer(JavaRowFormat.SCALAR));
    return implementor.result(physType, block.toBlock());
  }

  static DuckLakeTableModify of(TableModify modify, RelNode input) {
    return new DuckLakeTableModify(modify.getCluster(), modify.getTraitSet().replace(EnumerableConvention.INSTANCE),
        modify.getTable(), modify.getCatalogReader(), input, modify.getOperation(), modify.getUpdateColumnList(),
        modify.getSourceExpressionList(), modify.isFlattened());
  }
}
