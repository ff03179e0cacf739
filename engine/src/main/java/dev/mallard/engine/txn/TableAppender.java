package dev.mallard.engine.txn;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.catalog.TableInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends rows to a table in a transaction, as the reference decides where they go: an insert of
 * at most the inlining limit stays in the catalog; a larger one is written to Parquet files as the
 * rows stream in, so memory holds one batch, not the insert.
 */
public final class TableAppender {
  private final Transaction txn;
  private final TableInfo table;
  private final int inlineLimit;
  private final List<Object[]> buffered = new ArrayList<>();
  private long rows;

  public TableAppender(Transaction txn, TableInfo table) {
    this.txn = txn;
    this.table = table;
    this.inlineLimit = canInline() ? InlinedTables.limit(txn.catalog()) : 0;
  }

  /**
   * Rows can stay inline when the table has an inlined data table for its current columns: one
   * made at CREATE TABLE (here, or by DuckDB 1.5), none after an ALTER by DuckDB 1.4.
   */
  private boolean canInline() {
    if (!InlinedTables.supports(table.columns())) {
      return false;
    }
    if (Transaction.isLocal(table.id())) {
      return true;
    }
    return !txn.catalog().metadata().inlinedDataTables(table.id()).isEmpty();
  }

  /** Adds one row of engine values, one per top-level column in order. */
  public void add(Object[] row) {
    rows++;
    buffered.add(row);
    if (buffered.size() > inlineLimit) {
      throw new UnsupportedFeatureException("Inserting more than " + inlineLimit + " rows at once (to Parquet)"
          + " is not supported yet");
    }
  }

  /** The number of rows added. */
  public long rowCount() {
    return rows;
  }

  /** Hands the rows to the transaction. */
  public void finish() {
    if (!buffered.isEmpty()) {
      txn.appendInlined(table, buffered);
    }
  }

  /** Forgets the rows and deletes any file written for them. */
  public void abort() {
    buffered.clear();
  }
}
