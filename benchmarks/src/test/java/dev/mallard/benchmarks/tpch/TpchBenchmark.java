package dev.mallard.benchmarks.tpch;

import dev.mallard.jdbc.Mallard;
import dev.mallard.testing.DuckDb;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 22 TPC-H queries, warm, through DuckDB 1.5.5 with ducklake (threads=2), Mallard's embedded
 * JDBC driver and Spark {@code local[2]} over the same Parquet files, in one run; Mallard's result
 * of each query is checked against DuckDB's ({@link ResultCheck}). Prints and writes to
 * {@code benchmarks/target/tpch-sf<SF>.md} per-query medians, ratios and geometric means. Not part
 * of the test suite (its name does not end in Test); run it with
 *
 * <pre>
 * ./mvnw -o -q -B -pl benchmarks -am test -Dtest=TpchBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dtpch.sf=0.1
 * </pre>
 *
 * <p>Properties: {@code tpch.sf} (scale factor, default 0.01), {@code tpch.warmup} (untimed runs
 * per query, default 1), {@code tpch.repetitions} (timed runs, default 5),
 * {@code tpch.queries} (e.g. {@code 1,6,18}; default all 22), {@code tpch.engines} (a subset of
 * {@code duckdb,mallard,spark}), {@code tpch.timeout} (seconds one Mallard execution may take,
 * default 600), {@code tpch.slow} (seconds: a query whose warm-up took longer is timed once,
 * default 60), {@code benchmark.heap} (the fixed heap, default 4g).
 */
class TpchBenchmark {
  static final double SCALE = Double.parseDouble(System.getProperty("tpch.sf", "0.01"));
  static final int WARMUP = Integer.getInteger("tpch.warmup", 1);
  static final int REPETITIONS = Integer.getInteger("tpch.repetitions", 5);
  static final String ENGINES = System.getProperty("tpch.engines", "duckdb,mallard,spark");
  static final long TIMEOUT_SECONDS = Long.getLong("tpch.timeout", 600);
  static final long SLOW_SECONDS = Long.getLong("tpch.slow", 60);

  @TempDir Path work;

  @Test
  void tpch() throws Exception {
    Map<String, String> queries = queries();
    long start = System.nanoTime();
    Path catalog = TpchData.ensure(SCALE);
    System.out.printf(Locale.ROOT, "TPC-H SF %s lake at %s (ready after %.1f s)%n", TpchData.scaleText(SCALE),
        catalog.getParent(), (System.nanoTime() - start) / 1e9);

    Map<String, DuckDb.Result> expected = new LinkedHashMap<>();
    try (DuckDb oracle = DuckDb.start(DuckDb.Version.V1_5_5)) {
      oracle.execute("ATTACH 'ducklake:sqlite:" + catalog.toString().replace("'", "''") + "' AS tpch (READ_ONLY)");
      oracle.execute("USE tpch");
      for (Map.Entry<String, String> q : queries.entrySet()) {
        expected.put(q.getKey(), oracle.query(q.getValue()));
      }
    }

    Map<String, Timings> duckdb = ENGINES.contains("duckdb")
        ? DuckDbTimer.time(catalog, 2, WARMUP, REPETITIONS, queries, work) : Map.of();
    Map<String, Timings> mallard = new LinkedHashMap<>();
    Map<String, String> checks = new LinkedHashMap<>();
    if (ENGINES.contains("mallard")) {
      runMallard(catalog, queries, expected, mallard, checks);
    }
    Map<String, Timings> spark = ENGINES.contains("spark") ? runSpark(queries) : Map.of();

    String report = report(queries, expected, duckdb, mallard, checks, spark);
    System.out.println(report);
    Path out = Path.of("target", "tpch-sf" + TpchData.scaleText(SCALE) + ".md");
    Files.writeString(out, report);
    System.out.println("written to " + out.toAbsolutePath());
  }

  /** The query texts (q01..q22, or those of tpch.queries), by name. */
  private static Map<String, String> queries() throws IOException {
    String selected = System.getProperty("tpch.queries", "");
    Map<String, String> queries = new LinkedHashMap<>();
    for (int i = 1; i <= 22; i++) {
      if (!selected.isBlank() && !List.of(selected.split(",")).contains(Integer.toString(i))) {
        continue;
      }
      String name = String.format(Locale.ROOT, "q%02d", i);
      try (InputStream in = TpchBenchmark.class.getResourceAsStream(name + ".sql")) {
        queries.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return queries;
  }

  private static void runMallard(Path catalog, Map<String, String> queries, Map<String, DuckDb.Result> expected,
      Map<String, Timings> timings, Map<String, String> checks) throws Exception {
    ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mallard-query");
      t.setDaemon(true);
      return t;
    });
    try (Connection connection = Mallard.connect("jdbc:ducklake:sqlite:" + catalog)) {
      for (Map.Entry<String, String> q : queries.entrySet()) {
        String name = q.getKey();
        List<String> types = expected.get(name).types();
        List<List<Object>> firstResult = new ArrayList<>();
        List<Long> nanos = new ArrayList<>();
        long rows = -1;
        String error = null;
        int runs = WARMUP + REPETITIONS;
        for (int i = 0; i < runs && error == null; i++) {
          boolean keep = i == 0;
          Future<List<List<Object>>> run = runner.submit(() -> execute(connection, q.getValue(), types, keep));
          long begin = System.nanoTime();
          try {
            List<List<Object>> result = run.get(TIMEOUT_SECONDS + 60, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - begin;
            if (keep) {
              firstResult = result;
              rows = result.size();
              if (elapsed > SLOW_SECONDS * 1_000_000_000L) {
                runs = Math.min(runs, 2); // too slow to repeat: one more, timed, run
              }
            }
            if (i >= WARMUP || runs == 1) {
              nanos.add(elapsed);
            }
          } catch (TimeoutException e) {
            run.cancel(true);
            error = "did not stop within a minute of its " + TIMEOUT_SECONDS + " s timeout (interrupted; it may still run)";
          } catch (ExecutionException e) {
            error = rootMessage(e.getCause());
          }
        }
        if (error != null) {
          timings.put(name, Timings.failed(error));
          checks.put(name, "failed");
        } else {
          timings.put(name, Timings.of(nanos.stream().mapToLong(Long::longValue).toArray(), rows));
          String difference = ResultCheck.difference(expected.get(name), firstResult);
          checks.put(name, difference == null ? "ok" : "WRONG: " + difference);
        }
        Timings t = timings.get(name);
        System.out.printf(Locale.ROOT, "mallard %s: %s %s%n", name,
            t.ok() ? Timings.seconds(t.medianSeconds()) + " s" : t.error(), checks.get(name));
      }
    } finally {
      runner.shutdownNow();
    }
  }

  /** Executes and fetches every row; keeps the rows (read as DuckDB typed them) when {@code keep}. */
  private static List<List<Object>> execute(Connection connection, String sql, List<String> types, boolean keep)
      throws Exception {
    try (Statement s = connection.createStatement()) {
      s.setQueryTimeout((int) TIMEOUT_SECONDS); // Mallard's scans stop at their next batch
      return fetch(s, sql, types, keep);
    }
  }

  private static List<List<Object>> fetch(Statement s, String sql, List<String> types, boolean keep)
      throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      if (keep) {
        return ResultCheck.read(rs, types);
      }
      int n = rs.getMetaData().getColumnCount();
      List<List<Object>> count = new ArrayList<>();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          rs.getObject(i);
        }
        count.add(List.of());
      }
      return count;
    }
  }

  private static String rootMessage(Throwable t) {
    StringBuilder s = new StringBuilder(t.getClass().getSimpleName() + ": " + t.getMessage());
    Throwable cause = t.getCause();
    while (cause != null && cause != t) {
      s.append(" <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
      t = cause;
      cause = cause.getCause();
    }
    return s.toString().replace('\n', ' ');
  }

  private static Map<String, Timings> runSpark(Map<String, String> queries) {
    Map<String, Timings> timings = new LinkedHashMap<>();
    SparkSession spark = SparkSession.builder().master("local[2]").appName("tpch")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
    try {
      try {
        for (String table : TpchData.tableNames()) {
          spark.read().parquet(TpchData.tableFiles(SCALE, table).toString()).createOrReplaceTempView(table);
        }
      } catch (RuntimeException e) {
        for (String name : queries.keySet()) {
          timings.put(name, Timings.failed("reading the tables: " + rootMessage(e)));
        }
        return timings;
      }
      for (Map.Entry<String, String> q : queries.entrySet()) {
        long[] nanos = new long[REPETITIONS];
        long rows = 0;
        try {
          for (int i = 0; i < WARMUP + REPETITIONS; i++) {
            long begin = System.nanoTime();
            rows = spark.sql(q.getValue()).collectAsList().size();
            long elapsed = System.nanoTime() - begin;
            if (i >= WARMUP) {
              nanos[i - WARMUP] = elapsed;
            }
          }
          timings.put(q.getKey(), Timings.of(nanos, rows));
        } catch (RuntimeException e) {
          timings.put(q.getKey(), Timings.failed(rootMessage(e)));
        }
        System.out.printf(Locale.ROOT, "spark %s: %s%n", q.getKey(), timings.get(q.getKey()).ok()
            ? Timings.seconds(timings.get(q.getKey()).medianSeconds()) + " s" : timings.get(q.getKey()).error());
      }
    } finally {
      spark.stop();
    }
    return timings;
  }

  private static String report(Map<String, String> queries, Map<String, DuckDb.Result> expected,
      Map<String, Timings> duckdb, Map<String, Timings> mallard, Map<String, String> checks,
      Map<String, Timings> spark) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "TPC-H SF %s, %d warm-up + %d timed runs per query (median shown), "
        + "Java %s, %d processors, heap %d MB%n%n", TpchData.scaleText(SCALE), WARMUP, REPETITIONS,
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20));
    s.append("| query | rows | DuckDB (s) | Mallard (s) | Spark (s) | Mallard / DuckDB | Spark / Mallard | Mallard result |\n");
    s.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    List<Double> d = new ArrayList<>();
    List<Double> m = new ArrayList<>();
    List<Double> p = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (String name : queries.keySet()) {
      Timings dt = duckdb.get(name);
      Timings mt = mallard.get(name);
      Timings st = spark.get(name);
      boolean all = ok(dt) && ok(mt) && ok(st);
      if (all) {
        d.add(dt.medianSeconds());
        m.add(mt.medianSeconds());
        p.add(st.medianSeconds());
      }
      String check = checks.getOrDefault(name, "not run");
      if (!check.equals("ok") && !check.equals("not run")) {
        notes.add(name + ": " + (ok(mt) ? check : "FAILED: " + mt.error()));
        check = ok(mt) ? "**wrong** (see below)" : "**failed** (see below)";
      }
      if (st != null && st.ok() && st.rows() != expected.get(name).rows().size()) {
        notes.add(name + ": Spark returned " + st.rows() + " rows, DuckDB " + expected.get(name).rows().size());
      }
      if (dt != null && !dt.ok()) {
        notes.add(name + ": DuckDB failed: " + dt.error());
      }
      if (st != null && !st.ok()) {
        notes.add(name + ": Spark failed: " + st.error());
      }
      s.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", name.toUpperCase(Locale.ROOT),
          expected.get(name).rows().size(), cell(dt), cell(mt), cell(st),
          ok(dt) && ok(mt) ? Timings.ratio(mt.medianSeconds() / dt.medianSeconds()) : "",
          ok(st) && ok(mt) ? Timings.ratio(st.medianSeconds() / mt.medianSeconds()) : "", check));
    }
    if (!d.isEmpty()) {
      double gd = Timings.geomean(d);
      double gm = Timings.geomean(m);
      double gs = Timings.geomean(p);
      s.append(String.format(Locale.ROOT, "| **geomean** (%d queries all three ran) | | **%s** | **%s** | **%s** | **%s** | **%s** | |%n",
          d.size(), Timings.seconds(gd), Timings.seconds(gm), Timings.seconds(gs), Timings.ratio(gm / gd),
          Timings.ratio(gs / gm)));
    }
    if (!notes.isEmpty()) {
      s.append("\nFailures and differences:\n\n");
      for (String note : notes) {
        s.append("- ").append(note.replace("\n", "\n  ")).append('\n');
      }
    }
    return s.toString();
  }

  private static boolean ok(Timings t) {
    return t != null && t.ok();
  }

  private static String cell(Timings t) {
    if (t == null) {
      return "not run";
    }
    return t.ok() ? Timings.seconds(t.medianSeconds()) : "error";
  }
}
