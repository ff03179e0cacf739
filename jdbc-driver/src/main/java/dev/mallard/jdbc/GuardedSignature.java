package dev.mallard.jdbc;

import org.apache.calcite.DataContext;
import org.apache.calcite.jdbc.CalcitePrepare.CalciteSignature;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.EnumerableDefaults;

/**
 * A prepared query whose every execution is bounded by its statement as it is when it runs: the
 * row limit ({@code setMaxRows}), the query timeout and {@code cancel()}. Calcite applies only a
 * limit fixed at prepare time, and neither of the other two to a running query.
 */
final class GuardedSignature<T> extends CalciteSignature<T> {
  private final CalciteSignature<T> plan;
  private final Session session;

  GuardedSignature(CalciteSignature<T> plan, Session session) {
    // The plan keeps its own code; this copy only describes the result and delegates execution.
    super(plan.sql, plan.parameters, plan.internalParameters, plan.rowType, plan.columns, plan.cursorFactory,
        plan.rootSchema, plan.getCollationList(), -1, null, plan.statementType);
    this.plan = plan;
    this.session = session;
  }

  @Override
  public Enumerable<T> enumerable(DataContext dataContext) {
    Execution execution = Execution.start(dataContext, session);
    Enumerable<T> rows = execution.build(() -> plan.enumerable(dataContext));
    if (execution.maxRows() > 0) {
      rows = EnumerableDefaults.take(rows, execution.maxRows());
    }
    return execution.guard(rows);
  }
}
