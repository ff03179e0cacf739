package dev.mallard.engine.exec;

import dev.mallard.engine.MallardException.CatalogException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanTask;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads the rows a table keeps inline in a catalog table. Values are stored in the catalog
 * database's own types: integers as integers, blobs as bytes, everything else as DuckDB's text
 * form, which {@link Values#parse} reads.
 */
final class InlinedRowsReader implements BatchReader {
  private final Deque<Batch> batches = new ArrayDeque<>();

  InlinedRowsReader(ScanPlan plan, ScanTask.InlinedRowsTask task, MetadataStore metadata, BufferAllocator allocator,
      int batchRows) {
    List<ColumnInfo> columns = plan.readColumns();
    List<String> present = new ArrayList<>();
    List<Integer> resultIndex = new ArrayList<>();
    for (String source : task.sourceColumns()) {
      if (source == null) {
        resultIndex.add(-1);
      } else {
        present.add(source);
        resultIndex.add(present.size() + 1); // column 1 of the result is the row id
      }
    }
    RowFilter filter = new RowFilter(plan.filter(), columns);
    boolean withRowAddress = plan.withRowAddress();
    List<ColumnInfo> sources = sourceShapes(columns, task, metadata);
    try {
      metadata.scanInlinedRows(task.table(), present, plan.snapshot().id(), rs -> {
        Batch batch = null;
        long[] rowIds = new long[batchRows];
        try {
          while (rs.next()) {
            if (task.deletedRowIds().contains(rs.getLong(1))) {
              continue; // deleted by the open transaction reading it
            }
            if (batch == null) {
              batch = newBatch(columns, allocator, batchRows);
            }
            int row = batch.root().getRowCount();
            rowIds[row] = rs.getLong(1);
            for (int i = 0; i < columns.size(); i++) {
              ColumnInfo c = columns.get(i);
              Object value = resultIndex.get(i) < 0
                  ? (c.initialDefault() == null ? null : Values.parse(c.type(), c.initialDefault()))
                  : read(rs, resultIndex.get(i), c, sources.get(i), task);
              VectorValues.set(batch.vector(i), row, c, value);
            }
            batch.root().setRowCount(row + 1);
            if (row + 1 == batchRows) {
              finish(batch, filter, withRowAddress ? rowIds.clone() : null, allocator);
              batch = null;
            }
          }
        } catch (RuntimeException | SQLException e) {
          if (batch != null) {
            batch.close();
          }
          throw e;
        }
        if (batch != null) {
          finish(batch, filter, withRowAddress ? rowIds.clone() : null, allocator);
        }
      });
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void finish(Batch batch, RowFilter filter, long[] rowIds, BufferAllocator allocator) {
    filter.apply(batch);
    if (rowIds == null) {
      batches.add(batch);
      return;
    }
    batches.add(RowAddresses.append(batch, batch.vectors().size(), new RowAddresses.Source() {
      @Override
      public Long fileId(int row) {
        return null;
      }

      @Override
      public long position(int row) {
        return rowIds[row];
      }

      @Override
      public long rowId(int row) {
        return rowIds[row];
      }
    }, allocator));
  }

  static Batch newBatch(List<ColumnInfo> columns, BufferAllocator allocator, int batchRows) {
    List<Field> fields = new ArrayList<>();
    for (ColumnInfo c : columns) {
      fields.add(VectorValues.arrowField(c));
    }
    VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator);
    for (FieldVector v : root.getFieldVectors()) {
      v.setInitialCapacity(batchRows);
      v.allocateNew();
    }
    return new Batch(root, -1);
  }

  /**
   * For each column read, the column as the inlined table holds it: for structs (also inside lists
   * and maps) the fields as they were at the table's schema version, since DuckDB's text names
   * them with the names of then. Other columns are themselves.
   */
  static List<ColumnInfo> sourceShapes(List<ColumnInfo> columns, ScanTask.InlinedRowsTask task,
      MetadataStore metadata) {
    if (columns.stream().noneMatch(c -> c.type().kind().isNested())) {
      return columns;
    }
    List<ColumnInfo> then = metadata.firstSnapshotWithSchemaVersion(task.table().schemaVersion())
        .map(s -> metadata.columnsAt(task.table().tableId(), s))
        .orElse(columns); // its snapshots were expired: today's shape is the best guess
    List<ColumnInfo> out = new ArrayList<>();
    for (ColumnInfo c : columns) {
      out.add(then.stream().filter(t -> t.id() == c.id() && t.type().kind() == c.type().kind()).findFirst()
          .orElse(c));
    }
    return out;
  }

  static Object read(ResultSet rs, int index, ColumnInfo column, ColumnInfo source,
      ScanTask.InlinedRowsTask task) throws SQLException {
    DuckLakeType type = column.type();
    if (type.kind() == TypeKind.BLOB) {
      return rs.getBytes(index);
    }
    String text = rs.getString(index);
    if (text == null) {
      return null;
    }
    try {
      return type.kind().isNested() ? NestedText.evolve(source, column, NestedText.parse(source, text))
          : Values.parse(type, text);
    } catch (RuntimeException e) {
      throw new CatalogException("Cannot read value '" + text + "' of column " + column.name() + " (" + type
          + ") in inlined data table " + task.table().name(), e);
    }
  }

  @Override
  public Batch next() {
    return batches.poll();
  }

  @Override
  public void close() {
    Batch b;
    while ((b = batches.poll()) != null) {
      b.close();
    }
  }
}
