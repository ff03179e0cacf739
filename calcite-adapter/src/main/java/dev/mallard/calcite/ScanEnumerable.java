package dev.mallard.calcite;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.ScanReader;
import dev.mallard.engine.scan.ScanPlan;
import org.apache.calcite.runtime.FlatLists;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerator;

/**
 * A scan plan's rows for Calcite, read batch by batch as Calcite asks for them, in Calcite's row
 * format: an empty list when there are no columns, the value itself for one, Object[] for more.
 */
final class ScanEnumerable extends AbstractEnumerable<Object> {
  private final ScanPlan plan;
  private final DuckLakeCatalog catalog;

  ScanEnumerable(ScanPlan plan, DuckLakeCatalog catalog) {
    this.plan = plan;
    this.catalog = catalog;
  }

  @Override
  public Enumerator<Object> enumerator() {
    int width = plan.outputColumns().size();
    return new Enumerator<>() {
      private final RowConverter converter = new RowConverter(plan.outputColumns());
      private ScanReader reader = new ScanReader(plan, catalog);
      private Batch batch;
      private int next;
      private Object current;

      @Override
      public Object current() {
        return current;
      }

      @Override
      public boolean moveNext() {
        try {
          return advance();
        } catch (RuntimeException e) {
          close(); // Calcite does not close an enumerator that failed; free its batches now
          throw e;
        }
      }

      private boolean advance() {
        while (batch == null || next >= batch.selectedCount()) {
          closeBatch();
          if (reader == null) {
            return false;
          }
          batch = reader.next();
          next = 0;
          if (batch == null) {
            close();
            return false;
          }
        }
        Object[] row = converter.row(batch, next++);
        current = width == 0 ? FlatLists.COMPARABLE_EMPTY_LIST : width == 1 ? row[0] : row;
        return true;
      }

      @Override
      public void reset() {
        throw new UnsupportedOperationException("a scan cannot be restarted");
      }

      @Override
      public void close() {
        closeBatch();
        if (reader != null) {
          reader.close();
          reader = null;
        }
      }

      private void closeBatch() {
        if (batch != null) {
          batch.close();
          batch = null;
        }
      }
    };
  }
}
