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

/**
 * Reads a scan plan's tasks as batches, in task order. Each batch holds the plan's read columns,
 * with only matching, undeleted rows selected.
 *
 * <p>Data files are decoded ahead on {@link ScanPool}: large files are split into byte ranges of
 * row groups ({@link #SPLIT_BYTES}), and up to one more of these tasks than {@link ScanPool} has threads are
 * read at once, each at most {@link #CHUNK_BATCHES} batches ahead of the caller, so memory stays
 * bounded whatever the table's size. Batches still come out in the order a sequential read gives.
 * A chunk the pool has not started when the caller needs it is read on the caller's thread, so a
 * busy pool (other scans) slows a scan but never blocks it. Inlined and pending rows, and files
 * read through a name mapping (which may query the catalog), are read on the caller's thread.
 * With {@code mallard.scan.threads=1} everything is read on the caller's thread, one task after
 * another.
 */
public final class ScanReader implements BatchReader {
  /** Rows per batch: large enough to amortize per-batch work, small enough to stay in cache. */
  public static final int BATCH_ROWS = 4096;
  /** Files larger than this are read as several tasks, each the row groups of one byte range. */
  public static final long SPLIT_BYTES = 8L << 20;
  /** Batches a task reads ahead of the caller in one go. */
  static final int CHUNK_BATCHES = 8;

  private final ScanPlan plan;
  private final DuckLakeCatalog catalog;
  private final boolean parallel;
  private final int threads;
  private final long splitBytes;
  private final Iterator<ScanTask> tasks;
  private final ArrayDeque<TaskStream> inFlight = new ArrayDeque<>();
  private TaskStream current;
  private ScanTask currentTask;
  private volatile boolean closed;

  public ScanReader(ScanPlan plan, DuckLakeCatalog catalog) {
    this(plan, catalog, ScanPool.threads(), SPLIT_BYTES);
  }

  /**
   * A reader with its own degree of read-ahead, for benchmarks and tests; the pool is still the
   * shared one.
   *
   * @param threads how many tasks to read at once (1: one after another, on the caller's thread)
   * @param splitBytes the byte range of a data file one task reads
   */
  public ScanReader(ScanPlan plan, DuckLakeCatalog catalog, int threads, long splitBytes) {
    this.plan = plan;
    this.catalog = catalog;
    this.threads = threads;
    this.splitBytes = splitBytes;
    this.parallel = threads > 1;
    this.tasks = (parallel ? split(plan.tasks()) : plan.tasks()).iterator();
  }

  /** Opens a reader for one task; Spark executors use this to read their own tasks. */
  public static BatchReader open(ScanPlan plan, ScanTask task, DuckLakeCatalog catalog) {
    if (task instanceof ScanTask.DataFileTask file) {
      RowCountReader counted = RowCountReader.of(plan, file, BATCH_ROWS);
      return counted != null ? counted : new DataFileReader(plan, file, catalog, BATCH_ROWS);
    }
    if (task instanceof ScanTask.PendingFileTask file) {
      return new DataFileReader(plan, new ScanTask.DataFileTask(file.file(), file.deletedPositions()), catalog, BATCH_ROWS, true);
    }
    if (task instanceof ScanTask.PendingRowsTask pending) {
      return new PendingRowsReader(plan, pending, catalog.allocator(), BATCH_ROWS);
    }
    catalog.scanMetrics().inlinedTableRead();
    return new InlinedRowsReader(plan, (ScanTask.InlinedRowsTask) task, catalog.metadata(), catalog.allocator(),
        BATCH_ROWS);
  }

  /** Whole data files larger than {@code splitBytes} as byte ranges (see {@link ScanTask.DataFileTask}). */
  private List<ScanTask> split(List<ScanTask> all) {
    List<ScanTask> out = new ArrayList<>();
    for (ScanTask task : all) {
      if (task instanceof ScanTask.DataFileTask file && file.wholeFile()
          && file.file().fileSizeBytes() > splitBytes && RowCountReader.of(plan, file, BATCH_ROWS) == null) {
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

  @Override
  public Batch next() {
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
      Batch batch = current.next();
      if (batch != null) {
        fillWindow();
        return batch;
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

  /** The task the batch {@link #next} last returned was read from (see {@link RowOrigins}). */
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

  /** Up to {@link #CHUNK_BATCHES} batches of a task, and whether they are its last. */
  private record Chunk(List<Batch> batches, boolean last) {}

  /**
   * One task being read: at most one chunk is being read (on the pool or the caller's thread)
   * while the caller takes the batches of the one before it.
   */
  private final class TaskStream {
    private final ScanTask task;
    private final boolean onPool;
    private BatchReader reader;
    private FutureTask<Chunk> pending;
    private ArrayDeque<Batch> ready = new ArrayDeque<>();
    private boolean last;

    TaskStream(ScanTask task) {
      this.task = task;
      this.onPool = parallel && (task instanceof ScanTask.PendingFileTask
          || task instanceof ScanTask.DataFileTask file && file.file().mappingId() == null);
    }

    /** Queues the next chunk on the pool; other tasks read theirs when the caller asks. */
    void schedule() {
      pending = new FutureTask<>(this::readChunk);
      if (onPool) {
        ScanPool.submit(pending);
      }
    }

    Batch next() {
      while (ready.isEmpty()) {
        if (pending == null) {
          return null; // the last chunk is taken
        }
        Chunk chunk = await(pending);
        pending = null;
        ready.addAll(chunk.batches());
        last = chunk.last();
        if (!last) {
          schedule();
        }
      }
      return ready.poll();
    }

    private Chunk readChunk() {
      List<Batch> batches = new ArrayList<>();
      try {
        if (closed) {
          return new Chunk(batches, true);
        }
        if (reader == null) {
          reader = open(plan, task, catalog);
        }
        int most = onPool ? CHUNK_BATCHES : 1; // on the caller's thread nothing is gained by reading ahead
        while (batches.size() < most && !closed) {
          Batch batch = reader.next();
          if (batch == null) {
            return new Chunk(batches, true);
          }
          if (batch.selectedCount() == 0) {
            batch.close();
          } else {
            batches.add(batch);
          }
        }
        return new Chunk(batches, false);
      } catch (RuntimeException | Error e) {
        batches.forEach(Batch::close);
        throw e;
      }
    }

    /** Frees what the task holds, after waiting for a chunk being read to end. */
    void close() {
      RuntimeException failure = null;
      if (pending != null) {
        // Not started: runs here and, the scan being closed, reads nothing. Running on the pool:
        // stops after its current batch; wait for it, then free what it read.
        pending.run();
        try {
          Chunk chunk = pending.get();
          chunk.batches().forEach(Batch::close);
        } catch (ExecutionException e) {
          // the caller stopped reading: a read failure it will not see is not worth a second failure
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        pending = null;
      }
      ready.forEach(Batch::close);
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
   * The chunk, read on this thread if the pool has not started it (running a started or finished
   * task is a no-op); a read failure is rethrown as it was thrown.
   */
  private static Chunk await(FutureTask<Chunk> task) {
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
