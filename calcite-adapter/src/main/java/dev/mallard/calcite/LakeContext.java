package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.CatalogView;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.scan.PendingChanges;
import dev.mallard.engine.scan.ScanPlanner;
import dev.mallard.engine.txn.Transaction;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.calcite.DataContext;

/**
 * One connection's lake: the catalog, its scan planner, the snapshot each running statement reads,
 * and the transaction writes go into. A statement resolves the snapshot once, at its first scan,
 * so every table in it sees the same state of the lake and a re-executed statement sees new data.
 * With auto-commit on (the JDBC default), each writing statement commits its own transaction;
 * with it off, writes gather in one transaction until {@link #commit} or {@link #rollback}.
 */
public final class LakeContext implements AutoCloseable {
  private final DuckLakeCatalog catalog;
  private final ScanPlanner planner;
  /** Keyed by the statement's DataContext; entries go when the statement's context is collected. */
  private final Map<DataContext, Snapshot> statementSnapshots = Collections.synchronizedMap(new WeakHashMap<>());
  private boolean autoCommit = true;
  private Transaction transaction;
  /** When the JDBC transaction began (its first statement), to the microsecond; null between transactions. */
  private java.time.Instant transactionStart;
  /** Why the JDBC transaction was aborted (a writing statement in it failed), until it is rolled back; or null. */
  private String abortedBy;

  public LakeContext(DuckLakeCatalog catalog) {
    this.catalog = catalog;
    this.planner = new ScanPlanner(catalog);
  }

  public DuckLakeCatalog catalog() {
    return catalog;
  }

  ScanPlanner planner() {
    return planner;
  }

  /** The snapshot the running statement reads: its transaction's, or the current one. */
  Snapshot snapshotFor(DataContext statement) {
    beginJdbcTransaction();
    Transaction t = openTransaction();
    if (t != null) {
      return t.startSnapshot();
    }
    return statementSnapshots.computeIfAbsent(statement, s -> catalog.currentSnapshot());
  }

  /** The snapshot statements read now: the open transaction's, or the current one. */
  Snapshot readSnapshot() {
    Transaction t = openTransaction();
    return t != null ? t.startSnapshot() : catalog.currentSnapshot();
  }

  /** The open transaction's uncommitted changes to a table, which its own statements see. */
  PendingChanges pendingChanges(TableInfo table) {
    Transaction t = openTransaction();
    return t == null ? PendingChanges.NONE : t.pendingChanges(table);
  }

  /** What is visible at a snapshot a statement reads, with the open transaction's changes. */
  CatalogView viewAt(Snapshot snapshot) {
    Transaction t = openTransaction();
    return t != null && t.startSnapshot().id() == snapshot.id() ? t.view() : catalog.view(snapshot);
  }

  /** The schemas and tables statements see now: the open transaction's view, or the current one. */
  CatalogView view() {
    Transaction t = openTransaction();
    return t != null ? t.view() : catalog.view(catalog.currentSnapshot());
  }

  public synchronized boolean autoCommit() {
    return autoCommit;
  }

  /** Turning auto-commit on commits the open transaction, as JDBC specifies. */
  public synchronized void setAutoCommit(boolean on) {
    if (on && !autoCommit) {
      commit();
    }
    autoCommit = on;
  }

  /**
   * Runs statements as one transaction even with auto-commit on, as a JDBC batch is run: one commit
   * (one snapshot) for all of them, or nothing if one fails. Inside a JDBC transaction it just runs them.
   */
  public <T> T inOneTransaction(java.util.concurrent.Callable<T> statements) throws Exception {
    if (!autoCommit()) {
      return statements.call();
    }
    setAutoCommit(false);
    try {
      T result = statements.call();
      commit();
      return result;
    } catch (Throwable e) {
      rollback();
      throw e;
    } finally {
      setAutoCommit(true);
    }
  }

  /** The transaction writes go into, begun on first use. */
  public synchronized Transaction transaction() {
    checkNotAborted();
    if (transaction == null) {
      transaction = new Transaction(catalog);
      beginJdbcTransaction();
    }
    return transaction;
  }

  /**
   * The time of the transaction statements run in, which {@code now()} and {@code current_timestamp}
   * defaults take, as DuckDB's {@code get_current_timestamp()}: the start of the JDBC transaction (its
   * first statement that reads or writes the lake; with auto-commit on, the writing statement's).
   */
  public synchronized java.time.Instant transactionStart() {
    beginJdbcTransaction();
    // Outside a transaction (auto-commit on, nothing written yet): now.
    return transactionStart != null ? transactionStart
        : java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  /**
   * The start of the open JDBC transaction, begun by this call with auto-commit off; null outside
   * one (auto-commit on, nothing written yet).
   */
  public synchronized java.time.Instant openTransactionStart() {
    beginJdbcTransaction();
    return transactionStart;
  }

  private synchronized void beginJdbcTransaction() {
    if (transactionStart == null && (!autoCommit || transaction != null)) {
      transactionStart = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
  }

  /** The open transaction, or null; reads inside it see its writes. */
  synchronized Transaction openTransaction() {
    checkNotAborted();
    return transaction;
  }

  private void checkNotAborted() {
    if (abortedBy != null) {
      throw new UserException("Current transaction is aborted (please ROLLBACK): a statement in it failed ("
          + abortedBy + ")");
    }
  }

  /** Ends a writing statement: with auto-commit on, commits what it did. */
  public synchronized void statementDone() {
    if (autoCommit) {
      commit();
    }
  }

  /** Ends a writing statement that failed before changing anything: with auto-commit on, its transaction ends. */
  public synchronized void statementFailed() {
    if (autoCommit) {
      rollback();
    }
  }

  /**
   * Ends a writing statement that failed after part of its changes were recorded: with auto-commit
   * on, they vanish; in a JDBC transaction, the transaction is aborted as DuckDB aborts it (its
   * changes are dropped, statements fail until ROLLBACK, and COMMIT fails), so that half of a
   * statement is never committed.
   */
  public synchronized void statementFailedHalfway(Throwable cause) {
    boolean inJdbcTransaction = !autoCommit && transaction != null;
    rollback();
    if (inJdbcTransaction) {
      abortedBy = String.valueOf(cause.getMessage());
    }
  }

  public synchronized void commit() {
    if (abortedBy != null) {
      String cause = abortedBy;
      abortedBy = null;
      throw new UserException("The transaction was rolled back, not committed: a statement in it failed (" + cause
          + ")");
    }
    Transaction t = transaction;
    transaction = null;
    transactionStart = null;
    if (t != null) {
      t.commit();
    }
  }

  public synchronized void rollback() {
    abortedBy = null;
    Transaction t = transaction;
    transaction = null;
    transactionStart = null;
    if (t != null) {
      t.rollback();
    }
  }

  @Override
  public void close() {
    try {
      rollback();
    } finally {
      catalog.close();
    }
  }
}
