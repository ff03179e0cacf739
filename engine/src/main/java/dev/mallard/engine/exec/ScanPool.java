package dev.mallard.engine.exec;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that decode data files ahead of scans ({@link ScanReader}), shared by every scan of
 * the JVM: one per core, or {@code mallard.scan.threads}. Daemon threads: they never keep a JVM
 * alive, and idle ones end after a minute.
 */
final class ScanPool {
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
  static int threads() {
    return THREADS;
  }

  static void submit(Runnable task) {
    Holder.POOL.execute(task);
  }
}
