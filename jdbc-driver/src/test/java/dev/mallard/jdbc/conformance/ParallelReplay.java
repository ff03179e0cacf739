package dev.mallard.jdbc.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Replays files on several {@link ConformanceRunner}s at once, each with its own DuckDB process and
 * scratch folder, so that one file's DuckDB works while another's Mallard reads. Files start in the
 * order given; results come back as futures in that order.
 *
 * <p>{@code mallard.conformance.workers} sets how many (default: the available processors, at most 2).
 */
final class ParallelReplay implements AutoCloseable {
  private final Path scratch;
  private final List<ConformanceRunner> runners = new ArrayList<>();
  private final BlockingQueue<ConformanceRunner> idle;
  private final ExecutorService pool;
  private final Map<String, Long> millis = new ConcurrentHashMap<>();

  ParallelReplay(Path corpus, int workers) {
    try {
      scratch = Files.createTempDirectory("mallard-conformance");
      for (int i = 0; i < workers; i++) {
        runners.add(new ConformanceRunner(corpus, Files.createDirectory(scratch.resolve("worker" + i))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    idle = new ArrayBlockingQueue<>(workers, false, runners);
    pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "conformance-worker");
      t.setDaemon(true);
      return t;
    });
  }

  /** How many workers to use when the caller does not say. */
  static int defaultWorkers() {
    return Integer.getInteger("mallard.conformance.workers",
        Math.min(2, Runtime.getRuntime().availableProcessors()));
  }

  /** How long a finished file's replay took, in milliseconds. */
  long millis(String file) {
    return millis.getOrDefault(file, -1L);
  }

  /**
   * Starts every file, the {@code .test_slow} ones first so that they do not finish last; the
   * futures come back in the order of {@code files}.
   */
  List<CompletableFuture<FileResult>> submitAll(List<String> files) {
    Map<String, CompletableFuture<FileResult>> started = new HashMap<>();
    files.stream().filter(f -> f.endsWith(".test_slow")).forEach(f -> started.put(f, submit(f)));
    files.stream().filter(f -> !started.containsKey(f)).forEach(f -> started.put(f, submit(f)));
    return files.stream().map(started::get).toList();
  }

  CompletableFuture<FileResult> submit(String file) {
    return CompletableFuture.supplyAsync(() -> {
      ConformanceRunner runner = idle.remove();
      long start = System.nanoTime();
      try {
        return runner.run(file);
      } finally {
        millis.put(file, (System.nanoTime() - start) / 1_000_000);
        idle.add(runner);
      }
    }, pool);
  }

  @Override
  public void close() {
    pool.shutdownNow();
    runners.forEach(ConformanceRunner::close);
    for (int i = 0; i < runners.size(); i++) {
      try {
        Files.deleteIfExists(scratch.resolve("worker" + i));
      } catch (IOException e) {
        // a temp directory left behind is harmless
      }
    }
    try {
      Files.deleteIfExists(scratch);
    } catch (IOException e) {
      // as above
    }
  }
}
