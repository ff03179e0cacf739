package dev.mallard.engine.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that decode data files ahead of scans ({@link ScanReader}), shared by every scan of
 * the JVM: one per core, or {@code mallard.scan.threads}. Daemon threads: they never keep a JVM
 * alive, and idle ones end after a minute.
 */
public final class ScanPool {
  private ScanPool() {}

  private static final int THREADS = Math.max(1,
      Integer.getInteger("mallard.scan.threads", Runtime.getRuntime().availableProcessors()));

  private static final class Holder {
    static final ThreadPoolExecutor POOL = create();

    private static ThreadPoolExecutor create() {
      AtomicInteger count = new AtomicInteger();
      ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "mallard-scan-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      pool.allowCoreThreadTimeOut(true);
      return pool;
    }
  }

  /** Threads scans decode on; 1 means scans read on their caller's thread only. */
  public static int threads() {
    return THREADS;
  }

  static void submit(Runnable task) {
    Holder.POOL.execute(task);
  }

  /**
   * Runs {@code tasks} on the pool and on the caller's thread, which takes those the pool has not
   * started (so a busy pool slows them but never blocks them); returns when all have ended, and
   * rethrows the first task's failure.
   */
  public static void runAll(List<Runnable> tasks) {
    List<FutureTask<Void>> futures = new ArrayList<>();
    for (Runnable task : tasks) {
      futures.add(new FutureTask<>(task, null));
    }
    for (int i = 1; i < futures.size(); i++) {
      submit(futures.get(i));
    }
    Throwable failure = null;
    for (FutureTask<Void> future : futures) {
      future.run(); // a no-op if the pool has started it
      try {
        future.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new dev.mallard.engine.MallardException("Interrupted while running tasks", e);
      }
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }
}
