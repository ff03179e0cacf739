package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanTask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads a scan plan's tasks as batches, in task order, and hands out what a stage makes of each
 * batch. The stage runs where the batch was decoded: on {@link ScanPool} for the tasks read ahead,
 * so work done per batch (turning it into another form, filtering, probing a hash table) runs in
 * parallel with the caller's. {@link ScanReader} is the stage that keeps the batches.
 *
 * <p>Data files are decoded ahead on {@link ScanPool}: large files are split into byte ranges of
 * row groups ({@link ScanReader#SPLIT_BYTES}), and up to one more of these tasks than
 * {@link ScanPool} has threads are read at once, each at most {@link #PART_ITEMS} items ahead
 * of the caller, so memory stays bounded whatever the table's size. Items still come out in the
 * order a sequential read gives. A part of a task the pool has not started when the caller needs
 * it is read on the caller's thread, so a busy pool (other scans) slows a scan but never blocks it.
 * Inlined and pending rows, and files read through a name mapping (which may query the catalog),
 * are read on the caller's thread. With {@code mallard.scan.threads=1} everything is read on the
 * caller's thread, one task after another.
 *
 * @param <T> what the stage makes of a batch
 */
public final class StagedScan<T> implements AutoCloseable {
  /** What one task's batches become; made for each task, and used by one thread at a time. */
  public interface Stage<T> {
    /** What to hand out for this non-empty batch, which the stage now owns; null for nothing. */
    T apply(Batch batch);

    /** What to hand out after the task's last batch (state kept over its batches); null for nothing. */
    default T finish() {
      return null;
    }
  }

  /** Items a task makes ahead of the caller in one go. */
  static final int PART_ITEMS = 8;

  private final ScanPlan plan;
  private final DuckLakeCatalog catalog;
  private final boolean parallel;
  private final int threads;
  private final Supplier<Stage<T>> stages;
  private final Consumer<T> discard;
  private final Runnable checkStop;
  private final Iterator<ScanTask> tasks;
  private final ArrayDeque<TaskStream> inFlight = new ArrayDeque<>();
  private TaskStream current;
  private ScanTask currentTask;
  private volatile boolean closed;

  /**
   * @param threads how many tasks to read at once (1: one after another, on the caller's thread)
   * @param splitBytes the byte range of a data file one task reads
   * @param stages makes the stage of each task
   * @param discard frees an item made but never handed out (the scan was closed early)
   * @param checkStop run before each part is waited for and before each batch is read, also when
   *     parts make no items (a selective filter, an aggregate's first half): on the caller's thread
   *     and on the pool's, so it may not depend on the thread; throws to stop
   */
  public StagedScan(ScanPlan plan, DuckLakeCatalog catalog, int threads, long splitBytes,
      Supplier<Stage<T>> stages, Consumer<T> discard, Runnable checkStop) {
    this.plan = plan;
    this.catalog = catalog;
    this.threads = threads;
    this.parallel = threads > 1;
    this.stages = stages;
    this.discard = discard;
    this.checkStop = checkStop;
    this.tasks = (parallel ? split(plan.tasks(), splitBytes) : plan.tasks()).iterator();
  }

  /** A scan with the shared pool's degree of read-ahead. */
  public StagedScan(ScanPlan plan, DuckLakeCatalog catalog, Supplier<Stage<T>> stages, Consumer<T> discard,
      Runnable checkStop) {
    this(plan, catalog, ScanPool.threads(), ScanReader.SPLIT_BYTES, stages, discard, checkStop);
  }

  /** Whole data files larger than {@code splitBytes} as byte ranges (see {@link ScanTask.DataFileTask}). */
  private List<ScanTask> split(List<ScanTask> all, long splitBytes) {
    List<ScanTask> out = new ArrayList<>();
    for (ScanTask task : all) {
      if (task instanceof ScanTask.DataFileTask file && file.wholeFile()
          && file.file().fileSizeBytes() > splitBytes
          && RowCountReader.of(plan, file, ScanReader.BATCH_ROWS) == null) {
        long size = file.file().fileSizeBytes();
        for (long start = 0; start < size; start += splitBytes) {
          boolean last = start + splitBytes >= size;
          out.add(file.split(start, last ? Long.MAX_VALUE : start + splitBytes));
        }
      } else {
        out.add(task);
      }
    }
    return out;
  }

  /** The next item, or null when there are no more. */
  public T next() {
    if (closed) {
      throw new IllegalStateException("the scan is closed");
    }
    while (true) {
      if (current == null) {
        fillWindow();
        current = inFlight.poll();
        if (current == null) {
          return null;
        }
        currentTask = current.task;
      }
      T item = current.next();
      if (item != null) {
        fillWindow();
        return item;
      }
      current.close();
      current = null;
    }
  }

  /** Starts reading the next tasks until the window of tasks read ahead is full. */
  private void fillWindow() {
    int window = parallel ? threads + 1 : 1;
    while (inFlight.size() < window && tasks.hasNext()) {
      TaskStream stream = new TaskStream(tasks.next());
      inFlight.add(stream);
      stream.schedule();
    }
  }

  /** The task the item {@link #next} last returned was made from (see {@link RowOrigins}). */
  public ScanTask currentTask() {
    return currentTask;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    List<TaskStream> streams = new ArrayList<>(inFlight);
    if (current != null) {
      streams.add(0, current);
    }
    inFlight.clear();
    current = null;
    for (TaskStream stream : streams) {
      try {
        stream.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Up to {@link #PART_ITEMS} items of a task, and whether they are its last. */
  private record Part<T>(List<T> items, boolean last) {}

  /**
   * One task being read: at most one part is being read (on the pool or the caller's thread)
   * while the caller takes the items of the one before it.
   */
  private final class TaskStream {
    private final ScanTask task;
    private final boolean onPool;
    private final Stage<T> stage;
    private BatchReader reader;
    private FutureTask<Part<T>> pending;
    private final ArrayDeque<T> ready = new ArrayDeque<>();

    TaskStream(ScanTask task) {
      this.task = task;
      this.onPool = parallel && (task instanceof ScanTask.PendingFileTask
          || task instanceof ScanTask.DataFileTask file && file.file().mappingId() == null);
      this.stage = stages.get();
    }

    /** Queues the next part on the pool; other tasks read theirs when the caller asks. */
    void schedule() {
      pending = new FutureTask<>(this::readPart);
      if (onPool) {
        ScanPool.submit(pending);
      }
    }

    T next() {
      while (ready.isEmpty()) {
        if (pending == null) {
          return null; // the last part is taken
        }
        checkStop.run();
        Part<T> part = await(pending);
        pending = null;
        ready.addAll(part.items());
        if (!part.last()) {
          schedule();
        }
      }
      return ready.poll();
    }

    private Part<T> readPart() {
      List<T> items = new ArrayList<>();
      try {
        if (closed) {
          return new Part<>(items, true);
        }
        if (reader == null) {
          reader = ScanReader.open(plan, task, catalog);
        }
        // Bounded by the items made, not the batches read: a stage that hands out little (a
        // selective filter, an aggregate's first half) goes on reading the task in one go.
        int most = onPool ? PART_ITEMS : 1; // on the caller's thread nothing is gained by reading ahead
        while (items.size() < most && !closed) {
          checkStop.run();
          Batch batch = reader.next();
          if (batch == null) {
            T last = stage.finish();
            if (last != null) {
              items.add(last);
            }
            return new Part<>(items, true);
          }
          if (batch.selectedCount() == 0) {
            batch.close();
            continue;
          }
          T item = stage.apply(batch);
          if (item != null) {
            items.add(item);
          }
        }
        return new Part<>(items, false);
      } catch (RuntimeException | Error e) {
        items.forEach(discard);
        throw e;
      }
    }

    /** Frees what the task holds, after waiting for a part being read to end. */
    void close() {
      RuntimeException failure = null;
      if (pending != null) {
        // Not started: runs here and, the scan being closed, reads nothing. Running on the pool:
        // stops after its current batch; wait for it, then free what it read.
        pending.run();
        try {
          pending.get().items().forEach(discard);
        } catch (ExecutionException e) {
          // the caller stopped reading: a read failure it will not see is not worth a second failure
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        pending = null;
      }
      ready.forEach(discard);
      ready.clear();
      if (reader != null) {
        try {
          reader.close();
        } catch (RuntimeException e) {
          failure = e;
        }
        reader = null;
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  /**
   * The part, read on this thread if the pool has not started it (running a started or finished
   * task is a no-op); a read failure is rethrown as it was thrown.
   */
  private static <T> T await(FutureTask<T> task) {
    task.run();
    try {
      return task.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.mallard.engine.MallardException("Interrupted while reading a scan", e);
    }
  }
}
