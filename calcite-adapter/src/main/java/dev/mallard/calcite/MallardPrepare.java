package dev.mallard.calcite;

import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalcitePrepareImpl;

/**
 * Calcite's statement preparation with Mallard's rules in every planner, so that statements with
 * no DuckLake scan in them (an INSERT of VALUES) still find how to write to a lake. Use it through
 * {@code Driver.createPrepare()}.
 */
public class MallardPrepare extends CalcitePrepareImpl {
  @Override
  protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext,
      org.apache.calcite.plan.Context externalContext,
      RelOptCostFactory costFactory) {
    RelOptPlanner planner = super.createPlanner(prepareContext, externalContext, costFactory);
    DuckLakeRules.RULES.forEach(planner::addRule);
    planner.addRule(DuckLakeRules.TABLE_MODIFY);
    return planner;
  }
}
