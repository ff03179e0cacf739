package dev.mallard.jdbc;

import java.lang.reflect.Type;
import java.util.function.Function;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.linq4j.Queryable;
import org.apache.calcite.sql.SqlNode;

/**
 * Prepares the statements of Mallard connections with another {@link CalcitePrepare} (Calcite's
 * own, or one with more rules), adding two things: a connection reuses its query plans while the
 * lake's schema version stays the same (planning and compiling cost tens of milliseconds, reading a
 * small table less), and every execution of a query honors its statement's row limit, query
 * timeout and cancel (see {@link GuardedSignature}).
 *
 * <p>A reused plan is still right for new data: the scan resolves the snapshot it reads each time
 * the plan runs.
 */
final class StatementPrepare implements CalcitePrepare {
  private final CalcitePrepare planner;
  private final Function<CalciteSchema, Session> sessions;
  /** Set while a statement must be planned afresh on this thread (see {@link #planAfresh}). */
  private static final ThreadLocal<Boolean> AFRESH = new ThreadLocal<>();

  /**
   * Runs {@code prepare} with statements planned afresh, not taken from (nor put in) the plan cache:
   * for callers that inspect the plan as it is made (see {@link ArrowQuery}).
   */
  static <T, E extends Exception> T planAfresh(Preparation<T, E> prepare) throws E {
    AFRESH.set(Boolean.TRUE);
    try {
      return prepare.run();
    } finally {
      AFRESH.remove();
    }
  }

  /** A step that prepares a statement. */
  @FunctionalInterface
  interface Preparation<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * @param planner prepares what is not reused
   * @param sessions the session of a connection, by the connection's root schema; null for
   *     connections that are not the driver's own (Calcite opens internal ones)
   */
  StatementPrepare(CalcitePrepare planner, Function<CalciteSchema, Session> sessions) {
    this.planner = planner;
    this.sessions = sessions;
  }

  @Override
  public <T> CalciteSignature<T> prepareSql(Context context, Query<T> query, Type elementType, long maxRowCount) {
    Session session = sessions.apply(context.getMutableRootSchema());
    if (session == null) {
      return planner.prepareSql(context, query, elementType, maxRowCount);
    }
    if (query.sql == null || elementType != Object[].class || !session.reusesPlans() || AFRESH.get() != null) {
      return prepare(context, query, elementType, session);
    }
    long version = session.schemaVersion();
    PlanCache.Key key = new PlanCache.Key(query.sql, context.getDefaultSchemaPath(), version);
    @SuppressWarnings("unchecked")
    CalciteSignature<T> cached = (CalciteSignature<T>) session.plans().get(key);
    if (cached != null) {
      return cached;
    }
    CalciteSignature<T> plan = prepare(context, query, elementType, session);
    // A plan made while the schema changed may have seen either version: keep only a clear one.
    if (plan instanceof GuardedSignature && session.schemaVersion() == version) {
      session.plans().put(key, plan);
    }
    return plan;
  }

  /**
   * Plans without a row limit: the limit is the statement's at each execution (JDBC lets it change
   * after prepareStatement), applied by {@link GuardedSignature}.
   */
  private <T> CalciteSignature<T> prepare(Context context, Query<T> query, Type elementType, Session session) {
    CalciteSignature<T> plan = planner.prepareSql(context, query, elementType, -1);
    // Queries only: DDL runs while it is prepared, and DML reports a count, not rows.
    return plan.statementType == Meta.StatementType.SELECT ? new GuardedSignature<>(plan, session) : plan;
  }

  @Override
  public ParseResult parse(Context context, String sql) {
    return planner.parse(context, sql);
  }

  @Override
  public ConvertResult convert(Context context, String sql) {
    return planner.convert(context, sql);
  }

  @Override
  public void executeDdl(Context context, SqlNode node) {
    planner.executeDdl(context, node);
  }

  @Override
  public AnalyzeViewResult analyzeView(Context context, String sql, boolean fail) {
    return planner.analyzeView(context, sql, fail);
  }

  @Override
  public <T> CalciteSignature<T> prepareQueryable(Context context, Queryable<T> queryable) {
    return planner.prepareQueryable(context, queryable);
  }
}
