package dev.mallard.engine.txn;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.parquet.ParquetDataWriter;
import dev.mallard.engine.parquet.WriteColumn;
import dev.mallard.engine.types.ArrowTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Appends rows to a table in a transaction, as the reference decides where they go: an insert of
 * at most the inlining limit stays in the catalog; a larger one is written to Parquet files as the
 * rows stream in, so memory holds one batch, not the insert.
 */
public final class TableAppender {
  /** Rows per batch handed to the Parquet writer. */
  private static final int BATCH_ROWS = 4096;

  private final Transaction txn;
  private final TableInfo table;
  private final int inlineLimit;
  private final List<Object[]> buffered = new ArrayList<>();
  private ParquetDataWriter writer;
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
    if (writer == null && buffered.size() > inlineLimit) {
      writer = openWriter();
    }
    if (writer != null && buffered.size() >= BATCH_ROWS) {
      flush();
    }
  }

  private ParquetDataWriter openWriter() {
    if (!Transaction.isLocal(table.id()) && txn.catalog().metadata().isPartitioned(table.id())) {
      throw new UnsupportedFeatureException("Writing Parquet files into partitioned table " + table.qualifiedName()
          + " is not supported yet; inserts of at most " + InlinedTables.limit(txn.catalog())
          + " rows (kept inline in the catalog) are");
    }
    List<WriteColumn> columns = new ArrayList<>();
    for (ColumnInfo c : table.columns()) {
      columns.add(new WriteColumn(Math.toIntExact(c.id()), c.name(), c.type(), c.nullable()));
    }
    return ParquetDataWriter.open(txn.catalog().fileIO(), table.path(), columns, WriterSettings.of(txn.catalog()));
  }

  private void flush() {
    List<ColumnInfo> columns = table.columns();
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (int c = 0; c < columns.size(); c++) {
        ColumnInfo column = columns.get(c);
        FieldVector v = ArrowTypes.field(column.name(), column.type(), true, null)
            .createVector(txn.catalog().allocator());
        vectors.add(v);
        v.setInitialCapacity(buffered.size());
        v.allocateNew();
        for (int r = 0; r < buffered.size(); r++) {
          VectorValues.set(v, r, column.type(), buffered.get(r)[c]);
        }
        v.setValueCount(buffered.size());
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    VectorSchemaRoot root = new VectorSchemaRoot(vectors);
    root.setRowCount(buffered.size());
    try (Batch batch = new Batch(root, -1)) {
      writer.write(batch);
    }
    buffered.clear();
  }

  /** The number of rows added. */
  public long rowCount() {
    return rows;
  }

  /** Hands the rows, or the files written for them, to the transaction. */
  public void finish() {
    if (writer != null) {
      if (!buffered.isEmpty()) {
        flush();
      }
      txn.appendFiles(table, writer.finish());
      writer = null;
    } else if (!buffered.isEmpty()) {
      txn.appendInlined(table, buffered);
    }
    buffered.clear();
  }

  /** Forgets the rows and deletes any file written for them. */
  public void abort() {
    buffered.clear();
    if (writer != null) {
      writer.abort();
      writer = null;
    }
  }
}
