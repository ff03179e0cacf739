package dev.mallard.calcite;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.RowOrigins;
import dev.mallard.engine.exec.ScanReader;
import dev.mallard.engine.scan.ScanPlan;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.calcite.runtime.FlatLists;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerator;

/**
 * A scan plan's rows for Calcite, read batch by batch as Calcite asks for them, in Calcite's row
 * format: an empty list when there are no columns, the value itself for one, Object[] for more.
 *
 * <p>A scan stops between batches, with a {@link CancellationException}, when the statement it
 * belongs to is canceled or times out: see {@link #pulledBy}.
 */
public final class ScanEnumerable extends AbstractEnumerable<Object> {
  /**
   * The statement pulling on this thread. Calcite computes a statement's rows on the thread that
   * pulls them, inside the pull, so whoever pulls (the JDBC driver) sets this around each pull, and
   * every scan of the statement (under a sort, a join or an aggregate too) sees it. A thread-local
   * because the scan is not handed the statement's DataContext.
   */
  private static final ThreadLocal<Pulls> PULLS = new ThreadLocal<>();

  /**
   * What the scans of one statement share across its pulls: when they must stop, and which of them
   * are open, so that a statement that fails above its scans (where Calcite closes nothing) can
   * free their batches.
   */
  public static final class Pulls {
    private final BooleanSupplier stop;
    private final Set<Enumerator<?>> open = Collections.newSetFromMap(new IdentityHashMap<>());

    public Pulls(BooleanSupplier stop) {
      this.stop = stop;
    }

    /** Closes the scans still open, after a pull failed. */
    public void closeOpenScans() {
      for (Enumerator<?> scan : List.copyOf(open)) {
        scan.close();
      }
    }
  }

  /**
   * Runs {@code pull} (a step of a statement's result: building it, or moving to its next row) so
   * that the scans it reads from throw a {@link CancellationException} at their next batch once the
   * statement must stop, and register while they are open.
   */
  public static <T> T pulledBy(Pulls pulls, Supplier<T> pull) {
    Pulls outer = PULLS.get();
    PULLS.set(pulls);
    try {
      return pull.get();
    } finally {
      if (outer == null) {
        PULLS.remove();
      } else {
        PULLS.set(outer);
      }
    }
  }

  /** Throws a {@link CancellationException} if the statement pulling on this thread was canceled. */
  public static void checkNotStopped() {
    checkNotStopped(PULLS.get());
  }

  /**
   * {@link #checkNotStopped} for the statement pulling on this thread, that any thread can run: the
   * scan pool's threads check it too, to stop a part of a scan that makes no rows.
   */
  public static Runnable stopCheck() {
    Pulls pulls = PULLS.get();
    return pulls == null ? ScanEnumerable::checkNotStopped : () -> checkNotStopped(pulls);
  }

  private static void checkNotStopped(Pulls pulls) {
    if (pulls != null && pulls.stop.getAsBoolean()) {
      throw new CancellationException("The statement was canceled while reading a table");
    }
  }

  private final ScanPlan plan;
  private final DuckLakeCatalog catalog;
  private final List<ColumnInfo> columns;
  private final boolean addressOut;
  private final boolean exactTimestamps;

  ScanEnumerable(ScanPlan plan, DuckLakeCatalog catalog) {
    this(plan, catalog, plan.outputColumns(), plan.withRowAddress(), false);
  }

  /**
   * Rows of {@code columns}: the plan's output columns with {@link VirtualColumns} among them,
   * then the row addresses if {@code addressOut}; timestamps in their own unit if
   * {@code exactTimestamps} (see {@link ExactTimestamps}), else in milliseconds.
   */
  ScanEnumerable(ScanPlan plan, DuckLakeCatalog catalog, List<ColumnInfo> columns, boolean addressOut,
      boolean exactTimestamps) {
    this.plan = plan;
    this.catalog = catalog;
    this.columns = List.copyOf(columns);
    this.addressOut = addressOut;
    this.exactTimestamps = exactTimestamps;
  }

  @Override
  public Enumerator<Object> enumerator() {
    int width = columns.size() + (addressOut ? ScanPlan.ADDRESS_COLUMNS : 0);
    Enumerator<Object> scan = new Enumerator<>() {
      private final Pulls pulls = PULLS.get();
      private final RowConverter converter = new RowConverter(plan, columns, addressOut,
          new RowOrigins(plan, catalog), exactTimestamps);
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
          checkNotStopped();
          batch = reader.next();
          next = 0;
          if (batch == null) {
            close();
            return false;
          }
        }
        Object[] row = converter.row(batch, next++, reader.currentTask());
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
        if (pulls != null) {
          pulls.open.remove(this);
        }
      }

      private void closeBatch() {
        if (batch != null) {
          batch.close();
          batch = null;
        }
      }
    };
    Pulls pulls = PULLS.get();
    if (pulls != null) {
      pulls.open.add(scan);
    }
    return scan;
  }
}
