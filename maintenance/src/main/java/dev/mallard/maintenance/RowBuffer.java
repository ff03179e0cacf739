package dev.mallard.maintenance;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.parquet.ParquetDataWriter;
import dev.mallard.engine.parquet.ReadColumn;
import dev.mallard.engine.parquet.WriteColumn;
import dev.mallard.engine.txn.TableAppender;
import dev.mallard.engine.types.ArrowTypes;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Rows on their way into a rewritten data file: the table's columns, then optionally
 * {@code _ducklake_internal_row_id} and {@code _ducklake_internal_snapshot_id}. Rows are handed to
 * the writer a batch at a time, so memory holds one batch.
 */
final class RowBuffer implements AutoCloseable {
  static final int BATCH_ROWS = 4096;
  private static final DuckLakeType INT64 = DuckLakeType.of(TypeKind.INT64);

  private final List<ColumnInfo> columns;
  private final boolean rowIds;
  private final boolean snapshotIds;
  private final BufferAllocator allocator;
  private final ParquetDataWriter writer;
  private Batch batch;

  RowBuffer(List<ColumnInfo> columns, boolean rowIds, boolean snapshotIds, BufferAllocator allocator,
      ParquetDataWriter writer) {
    this.columns = columns;
    this.rowIds = rowIds;
    this.snapshotIds = snapshotIds;
    this.allocator = allocator;
    this.writer = writer;
  }

  /** The writer's columns for these table columns plus the internal ones asked for. */
  static List<WriteColumn> writeColumns(List<ColumnInfo> columns, boolean rowIds, boolean snapshotIds) {
    List<WriteColumn> out = new ArrayList<>();
    for (ColumnInfo c : columns) {
      out.add(TableAppender.writeColumn(c));
    }
    if (rowIds) {
      out.add(new WriteColumn(ReadColumn.ROW_ID_FIELD_ID, "_ducklake_internal_row_id", INT64, false));
    }
    if (snapshotIds) {
      out.add(new WriteColumn(ReadColumn.SNAPSHOT_ID_FIELD_ID, "_ducklake_internal_snapshot_id", INT64, false));
    }
    return out;
  }

  /** Adds one row: engine values of the columns, then its row id and snapshot id (used if asked for). */
  void add(Object[] values, long rowId, long snapshotId) {
    if (batch == null) {
      batch = newBatch();
    }
    int row = batch.root().getRowCount();
    for (int i = 0; i < columns.size(); i++) {
      VectorValues.set(batch.vector(i), row, columns.get(i), values[i]);
    }
    int next = columns.size();
    if (rowIds) {
      ((BigIntVector) batch.vector(next++)).setSafe(row, rowId);
    }
    if (snapshotIds) {
      ((BigIntVector) batch.vector(next)).setSafe(row, snapshotId);
    }
    batch.root().setRowCount(row + 1);
    if (row + 1 == BATCH_ROWS) {
      flush();
    }
  }

  void flush() {
    if (batch != null) {
      try (Batch b = batch) {
        batch = null;
        writer.write(b);
      }
    }
  }

  private Batch newBatch() {
    List<Field> fields = new ArrayList<>();
    for (ColumnInfo c : columns) {
      fields.add(VectorValues.arrowField(c));
    }
    if (rowIds) {
      fields.add(ArrowTypes.field("_ducklake_internal_row_id", INT64, true, List.of()));
    }
    if (snapshotIds) {
      fields.add(ArrowTypes.field("_ducklake_internal_snapshot_id", INT64, true, List.of()));
    }
    VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator);
    for (FieldVector v : root.getFieldVectors()) {
      v.setInitialCapacity(BATCH_ROWS);
      v.allocateNew();
    }
    return new Batch(root, 0);
  }

  @Override
  public void close() {
    if (batch != null) {
      batch.close();
      batch = null;
    }
  }
}
