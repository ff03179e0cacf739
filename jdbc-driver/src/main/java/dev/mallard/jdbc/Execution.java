package dev.mallard.jdbc;

import dev.mallard.calcite.ScanEnumerable;
import dev.mallard.engine.MallardException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;

/**
 * One execution of a query, from the start of its execution until its last row is read or its
 * result set is closed: when it must stop (its statement was canceled, or its query timeout
 * passed), how many rows it may return, and its failures as JDBC's exceptions.
 *
 * <p>The timeout counts from the start of the execution to the last row, because Calcite computes
 * rows as they are read: there is no earlier point at which the query is "done".
 */
final class Execution {
  /** SQLSTATE of a statement canceled by request or by its timeout (PostgreSQL's query_canceled). */
  static final String CANCELED = "57014";

  private final AtomicBoolean cancelFlag;
  private final long timeoutMillis;
  private final long deadlineNanos;
  private final long maxRows;
  private final ScanEnumerable.Pulls pulls = new ScanEnumerable.Pulls(this::stopped);

  private Execution(AtomicBoolean cancelFlag, long timeoutMillis, long maxRows) {
    this.cancelFlag = cancelFlag;
    this.timeoutMillis = timeoutMillis;
    this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.maxRows = maxRows;
  }

  /** Starts an execution with what Calcite put in its DataContext and the statement's row limit. */
  static Execution start(DataContext dataContext, Session session) {
    AtomicBoolean flag = DataContext.Variable.CANCEL_FLAG.get(dataContext);
    Long timeout = DataContext.Variable.TIMEOUT.get(dataContext); // the statement's query timeout, in ms
    return new Execution(flag, timeout == null ? 0 : Math.max(0, timeout), session.maxRows(flag));
  }

  long maxRows() {
    return maxRows;
  }

  boolean stopped() {
    return (cancelFlag != null && cancelFlag.get()) || timedOut();
  }

  private boolean timedOut() {
    return timeoutMillis > 0 && System.nanoTime() - deadlineNanos > 0;
  }

  /**
   * Runs a step of the result (building it, or moving to its next row) so that the scans under it
   * stop when this execution must. Its failures are SQLExceptions, thrown as they are: only
   * {@code ResultSet.next()} declares them, so use it for moving to the next row.
   */
  <T> T step(Supplier<T> pull) {
    try {
      return pulled(pull);
    } catch (SQLException e) {
      throw sneaky(e);
    }
  }

  /**
   * Like {@link #step}, for building the result, with failures as {@link Failed}: Calcite catches
   * SQLExceptions there and keeps only their message, but lets unchecked ones through to JDBC's
   * caller as the cause of the SQLException it throws.
   */
  <T> T build(Supplier<T> pull) {
    try {
      return pulled(pull);
    } catch (SQLException e) {
      throw new Failed(e);
    }
  }

  private <T> T pulled(Supplier<T> pull) throws SQLException {
    if (stopped()) {
      throw stoppedException();
    }
    try {
      return ScanEnumerable.pulledBy(pulls, pull);
    } catch (CancellationException e) {
      pulls.closeOpenScans();
      throw stoppedException();
    } catch (MallardException e) {
      pulls.closeOpenScans();
      throw Errors.toSqlException(e);
    } catch (RuntimeException e) {
      pulls.closeOpenScans();
      throw Errors.rowFailed(e);
    } catch (ExceptionInInitializerError e) {
      pulls.closeOpenScans();
      // The statement's constant expressions are computed once, when its generated class loads.
      if (e.getCause() instanceof RuntimeException cause) {
        throw Errors.rowFailed(cause);
      }
      throw e;
    } catch (Error e) {
      pulls.closeOpenScans();
      throw e;
    }
  }

  /** The rows, each move to the next one a {@link #step}. */
  <T> Enumerable<T> guard(Enumerable<T> rows) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<T> enumerator() {
        Enumerator<T> inner = build(rows::enumerator);
        return new Enumerator<>() {
          /** Calcite computes a row's expressions here, lazily: a bad cast fails in current(). */
          @Override
          public T current() {
            try {
              return inner.current();
            } catch (MallardException e) {
              pulls.closeOpenScans();
              throw sneaky(Errors.toSqlException(e));
            } catch (RuntimeException e) {
              pulls.closeOpenScans();
              throw sneaky(Errors.rowFailed(e));
            }
          }

          @Override
          public boolean moveNext() {
            return step(inner::moveNext);
          }

          @Override
          public void reset() {
            inner.reset();
          }

          @Override
          public void close() {
            inner.close();
          }
        };
      }
    };
  }

  private SQLException stoppedException() {
    if (timedOut()) {
      return new SQLTimeoutException("The statement ran past its query timeout of " + timeoutMillis / 1000.0
          + " s and was canceled", CANCELED);
    }
    return new SQLException("The statement was canceled", CANCELED);
  }

  /** An SQLException from a step that may only throw unchecked exceptions. */
  static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failed(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * Throws a checked exception through Calcite's Enumerator, whose methods cannot declare it, up to
   * JDBC's {@code ResultSet.next()}, which does: JDBC callers expect an SQLException there.
   */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
