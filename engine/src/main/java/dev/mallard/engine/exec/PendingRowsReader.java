package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanTask;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/** Reads the rows an open transaction added, from memory, like any other rows of the table. */
final class PendingRowsReader implements BatchReader {
  private final Deque<Batch> batches = new ArrayDeque<>();

  PendingRowsReader(ScanPlan plan, ScanTask.PendingRowsTask task, BufferAllocator allocator, int batchRows) {
    List<ColumnInfo> columns = plan.readColumns();
    List<ColumnInfo> tableColumns = plan.table().columns();
    int[] source = new int[columns.size()];
    for (int i = 0; i < source.length; i++) {
      long id = columns.get(i).id();
      for (int j = 0; j < tableColumns.size(); j++) {
        if (tableColumns.get(j).id() == id) {
          source[i] = j;
        }
      }
    }
    RowFilter filter = new RowFilter(plan.filter(), columns);
    List<Object[]> rows = task.rows();
    try {
      for (int from = 0; from < rows.size(); from += batchRows) {
        int n = Math.min(batchRows, rows.size() - from);
        Batch batch = InlinedRowsReader.newBatch(columns, allocator, n);
        long[] rowIds = new long[n];
        for (int r = 0; r < n; r++) {
          Object[] row = rows.get(from + r);
          rowIds[r] = task.rowIds().get(from + r);
          for (int c = 0; c < columns.size(); c++) {
            VectorValues.set(batch.vector(c), r, columns.get(c), row[source[c]]);
          }
        }
        batch.root().setRowCount(n);
        filter.apply(batch);
        batches.add(plan.withRowAddress() ? RowAddresses.append(batch, columns.size(), new RowAddresses.Source() {
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
        }, allocator) : batch);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
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
