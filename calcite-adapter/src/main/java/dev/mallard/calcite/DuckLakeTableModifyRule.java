package dev.mallard.calcite;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalTableModify;

/** Turns INSERT, DELETE and UPDATE of DuckLake tables into {@link DuckLakeTableModify}. */
public final class DuckLakeTableModifyRule extends ConverterRule {
  static final Config DEFAULT_CONFIG = Config.INSTANCE
      .withConversion(LogicalTableModify.class, m -> m.getTable().unwrap(DuckLakeTable.class) != null,
          Convention.NONE, EnumerableConvention.INSTANCE, "DuckLakeTableModifyRule")
      .withRuleFactory(DuckLakeTableModifyRule::new);

  private DuckLakeTableModifyRule(Config config) {
    super(config);
  }

  @Override
  public RelNode convert(RelNode rel) {
    LogicalTableModify modify = (LogicalTableModify) rel;
    RelNode input = convert(modify.getInput(), modify.getInput().getTraitSet().replace(EnumerableConvention.INSTANCE));
    return DuckLakeTableModify.of(modify, input);
  }
}
