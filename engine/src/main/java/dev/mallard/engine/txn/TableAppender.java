package dev.mallard.engine.txn;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.parquet.ParquetDataWriter;
import dev.mallard.engine.parquet.ReadColumn;
import dev.mallard.engine.parquet.WriteColumn;
import dev.mallard.engine.parquet.WriterOptions;
import dev.mallard.engine.parquet.WrittenFile;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
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
  /** Row ids of the buffered rows when they are new versions of existing rows (an UPDATE); else null. */
  private final List<Long> rowIds;
  /** Rows (and, for updates, their ids) while the insert may still be inlined. */
  private final List<Object[]> buffered = new ArrayList<>();
  /** Past the inlining limit: the files being written, by partition values (none when unpartitioned). */
  private Map<List<String>, PartitionFiles> files;
  private Partitioning partitioning;
  /** The catalog's Parquet settings, read once when the first file is opened. */
  private WriterOptions writerOptions;
  private long rows;

  /** Appends new rows. */
  public TableAppender(Transaction txn, TableInfo table) {
    this(txn, table, false);
  }

  private TableAppender(Transaction txn, TableInfo table, boolean keepRowIds) {
    this.txn = txn;
    this.table = table;
    this.inlineLimit = canInline() ? InlinedTables.limit(txn.catalog(), table) : 0;
    this.rowIds = keepRowIds ? new ArrayList<>() : null;
  }

  /**
   * Appends new versions of committed rows under their row ids (an UPDATE keeps a row's identity):
   * inline up to the limit, else in Parquet files that embed each row's id, as the reference does.
   */
  public static TableAppender forUpdates(Transaction txn, TableInfo table) {
    return new TableAppender(txn, table, true);
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
    if (rowIds != null) {
      throw new IllegalStateException("an appender for updates takes rows with their ids");
    }
    append(row, null);
  }

  /** Adds the new version of the committed row {@code rowId}. */
  public void addUpdated(Object[] row, long rowId) {
    if (rowIds == null || Transaction.isLocal(rowId)) {
      throw new IllegalStateException("not an appender for updates of committed rows");
    }
    append(row, rowId);
  }

  private void append(Object[] row, Long rowId) {
    rows++;
    if (files == null) {
      buffered.add(row);
      if (rowIds != null) {
        rowIds.add(rowId);
      }
      if (buffered.size() > inlineLimit) {
        // Too many rows to inline: from now on every row goes to the Parquet file of its partition.
        partitioning = txn.partitioning(table);
        files = new LinkedHashMap<>();
        List<Object[]> pending = new ArrayList<>(buffered);
        List<Long> pendingIds = rowIds == null ? null : new ArrayList<>(rowIds);
        buffered.clear();
        if (rowIds != null) {
          rowIds.clear();
        }
        for (int i = 0; i < pending.size(); i++) {
          route(pending.get(i), pendingIds == null ? null : pendingIds.get(i));
        }
      }
    } else {
      route(row, rowId);
    }
  }

  private void route(Object[] row, Long rowId) {
    List<String> values = partitioning == null ? List.of() : partitioning.values(table, row, txn.catalog().config().timeZone());
    PartitionFiles target = files.computeIfAbsent(values, v -> new PartitionFiles(openWriter(v)));
    target.rows.add(row);
    if (rowId != null) {
      target.rowIds.add(rowId);
    }
    if (target.rows.size() >= BATCH_ROWS) {
      target.flush();
    }
  }

  private ParquetDataWriter openWriter(List<String> partitionValues) {
    List<WriteColumn> columns = new ArrayList<>();
    for (ColumnInfo c : table.columns()) {
      columns.add(writeColumn(c));
    }
    if (rowIds != null) {
      columns.add(new WriteColumn(ReadColumn.ROW_ID_FIELD_ID, "_ducklake_internal_row_id",
          DuckLakeType.of(TypeKind.INT64), false));
    }
    String directory = table.path() + (partitioning == null ? "" : partitioning.directory(partitionValues));
    if (writerOptions == null) {
      writerOptions = WriterSettings.of(txn.catalog(), table);
    }
    return ParquetDataWriter.open(txn.catalog().fileIO(), directory, columns, writerOptions);
  }

  /** The column as data files hold it: its id as field id, and its children's for nested types. */
  public static WriteColumn writeColumn(ColumnInfo c) {
    List<WriteColumn> children = new ArrayList<>();
    for (ColumnInfo child : c.children()) {
      children.add(writeColumn(child));
    }
    return new WriteColumn(Math.toIntExact(c.id()), c.name(), c.type(), c.nullable(), children);
  }

  /** The rows of one partition waiting for the next batch, and the writer of its files. */
  private final class PartitionFiles {
    final ParquetDataWriter writer;
    final List<Object[]> rows = new ArrayList<>();
    final List<Long> rowIds = new ArrayList<>();

    PartitionFiles(ParquetDataWriter writer) {
      this.writer = writer;
    }

    void flush() {
      if (rows.isEmpty()) {
        return;
      }
      List<ColumnInfo> columns = table.columns();
      List<FieldVector> vectors = new ArrayList<>();
      try {
        for (int c = 0; c < columns.size(); c++) {
          ColumnInfo column = columns.get(c);
          FieldVector v = VectorValues.arrowField(column).createVector(txn.catalog().allocator());
          vectors.add(v);
          v.setInitialCapacity(rows.size());
          v.allocateNew();
          for (int r = 0; r < rows.size(); r++) {
            VectorValues.set(v, r, column, rows.get(r)[c]);
          }
          v.setValueCount(rows.size());
        }
        if (TableAppender.this.rowIds != null) {
          BigIntVector ids = new BigIntVector("_ducklake_internal_row_id", txn.catalog().allocator());
          vectors.add(ids);
          ids.allocateNew(rowIds.size());
          for (int r = 0; r < rowIds.size(); r++) {
            ids.set(r, rowIds.get(r));
          }
          ids.setValueCount(rowIds.size());
        }
      } catch (RuntimeException e) {
        vectors.forEach(FieldVector::close);
        throw e;
      }
      VectorSchemaRoot root = new VectorSchemaRoot(vectors);
      root.setRowCount(rows.size());
      try (Batch batch = new Batch(root, -1)) {
        writer.write(batch);
      }
      rows.clear();
      rowIds.clear();
    }
  }

  /** The number of rows added. */
  public long rowCount() {
    return rows;
  }

  /** Hands the rows, or the files written for them, to the transaction. */
  public void finish() {
    if (files != null) {
      for (Map.Entry<List<String>, PartitionFiles> e : files.entrySet()) {
        e.getValue().flush();
        List<WrittenFile> written = e.getValue().writer.finish();
        if (partitioning == null) {
          txn.appendFiles(table, written);
        } else {
          txn.appendPartitionFiles(table, written, partitioning, e.getKey());
        }
      }
      files = null;
    } else if (!buffered.isEmpty() && rowIds != null) {
      txn.appendInlinedUpdates(table, buffered, rowIds.stream().mapToLong(Long::longValue).toArray());
    } else if (!buffered.isEmpty()) {
      txn.appendInlined(table, buffered);
    }
    buffered.clear();
    if (rowIds != null) {
      rowIds.clear();
    }
  }

  /** Forgets the rows and deletes any file written for them. */
  public void abort() {
    buffered.clear();
    if (rowIds != null) {
      rowIds.clear();
    }
    if (files != null) {
      files.values().forEach(f -> f.writer.abort());
      files = null;
    }
  }
}
