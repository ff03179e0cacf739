package dev.mallard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.PostgresServer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 100 single-row INSERTs spread over 3 writers through one PostgreSQL catalog (each INSERT its own
 * commit, each writer its own connection): once with Mallard (3 JVM processes) and once with
 * DuckDB 1.5.5's ducklake extension (3 DuckDB processes), in one run on the same server. Prints
 * total time (first insert started to last insert done) and the median per-insert latency.
 *
 * <p>Not part of the test suite (the class name does not match Surefire's patterns); run it with
 * {@code ./mvnw -o -q -B -pl benchmarks -am test -Dtest=ConcurrentInsertBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ConcurrentInsertBenchmark {
  private static final int WORKERS = 3;
  private static final int INSERTS = 100;

  record Result(String name, long totalMillis, double medianMillis, int inserts) {
    @Override
    public String toString() {
      return String.format("%-32s total %6.2f s   median %7.1f ms   (%d inserts)", name, totalMillis / 1000.0,
          medianMillis, inserts);
    }
  }

  @Test
  void hundredSingleRowInsertsOverThreeWriters() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    Path dir = Files.createTempDirectory("mallard-insert-bench");
    Result duck = duckDb(pg, dir);
    Result mallard = mallard(pg, dir);
    System.out.println("BENCHMARK " + duck);
    System.out.println("BENCHMARK " + mallard);
  }

  private static int share(int worker) {
    return INSERTS / WORKERS + (worker < INSERTS % WORKERS ? 1 : 0); // 34 + 33 + 33
  }

  private Result mallard(PostgresServer pg, Path dir) throws Exception {
    String db = pg.createDatabase("bench_mallard");
    String url = "postgresql://" + pg.host() + ":" + pg.port() + "/" + db + "?user=" + pg.user() + "&data_path="
        + dir.resolve("mallard-data") + "/";
    // Mallard has no SQL DDL in the driver yet: the catalog and table come from DuckDB, unmeasured.
    try (DuckDb setup = DuckDb.start(DuckDb.Version.V1_5_5)) {
      setup.execute("ATTACH 'ducklake:postgres:" + pg.libpq(db) + "' AS lake (DATA_PATH '" + dir.resolve("mallard-data")
          + "/')");
      setup.execute("CREATE TABLE lake.t (worker INTEGER, n INTEGER, who VARCHAR)");
    }
    List<Process> processes = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), MallardInsertWorker.class.getName(), url, Integer.toString(w),
          Integer.toString(share(w)));
      pb.environment().put("PGPASSWORD", pg.password());
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      processes.add(pb.start());
    }
    List<Long> latencies = new ArrayList<>();
    long first = Long.MAX_VALUE;
    long last = 0;
    for (Process p : processes) {
      for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("start ")) {
          first = Math.min(first, Long.parseLong(line.substring(6).trim()));
        } else if (line.startsWith("end ")) {
          last = Math.max(last, Long.parseLong(line.substring(4).trim()));
        } else if (line.matches("\\d+")) {
          latencies.add(Long.parseLong(line));
        }
      }
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    assertThat(latencies).hasSize(INSERTS);
    checkRows(pg, db);
    return new Result("Mallard (3 JVM processes)", last - first, median(latencies), latencies.size());
  }

  private Result duckDb(PostgresServer pg, Path dir) throws Exception {
    String db = pg.createDatabase("bench_duckdb");
    List<DuckDb> writers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      DuckDb d = DuckDb.start(DuckDb.Version.V1_5_5);
      d.execute("ATTACH 'ducklake:postgres:" + pg.libpq(db) + "' AS lake (DATA_PATH '" + dir.resolve("duck-data")
          + "/')");
      d.execute("USE lake");
      if (w == 0) {
        d.execute("CREATE TABLE t (worker INTEGER, n INTEGER, who VARCHAR)");
      }
      writers.add(d);
    }
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    long start = System.currentTimeMillis();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        int worker = w;
        done.add(pool.submit(() -> {
          for (int n = 0; n < share(worker); n++) {
            long t0 = System.nanoTime();
            writers.get(worker).execute("INSERT INTO t VALUES (" + worker + ", " + n + ", 'duckdb')");
            latencies.add(System.nanoTime() - t0);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    long total = System.currentTimeMillis() - start;
    for (DuckDb d : writers) {
      d.close();
    }
    checkRows(pg, db);
    return new Result("DuckDB 1.5.5 ducklake (3 processes)", total, median(latencies), latencies.size());
  }

  /** Every insert landed once, as DuckDB reads the lake. */
  private static void checkRows(PostgresServer pg, String db) {
    try (DuckDb check = DuckDb.start(DuckDb.Version.V1_5_5)) {
      check.execute("ATTACH 'ducklake:postgres:" + pg.libpq(db) + "' AS lake (READ_ONLY)");
      assertThat(check.query("SELECT count(*), count(DISTINCT worker * 1000 + n) FROM lake.t").rows().get(0))
          .containsExactly(BigInteger.valueOf(INSERTS), BigInteger.valueOf(INSERTS));
    }
  }

  private static double median(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int n = sorted.size();
    double mid = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    return mid / 1_000_000.0;
  }
}
