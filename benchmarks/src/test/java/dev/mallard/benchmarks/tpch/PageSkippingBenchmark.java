package dev.mallard.benchmarks.tpch;

import dev.mallard.engine.ScanMetrics;
import dev.mallard.jdbc.Mallard;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Selective queries over a table Mallard wrote (so its files carry Parquet page indexes), with page
 * skipping on and off ({@code mallard.parquet.pageSkipping}), alternating.
 * DuckDB 1.5.5 generates {@code -Dpageskip.rows} rows (default 2,000,000) with a sorted key, Mallard
 * copies them with INSERT ... SELECT; each answer is checked against DuckDB's. Not a test: prints
 * and writes {@code target/page-skipping.md}.
 */
class PageSkippingBenchmark {
  private static final long ROWS = Long.getLong("pageskip.rows", 2_000_000);
  private static final int RUNS = Integer.getInteger("pageskip.runs", 7);
  private static final String[] QUERIES = {
      "SELECT count(*), sum(amount), max(note) FROM t WHERE key BETWEEN 1000000 AND 1002000",
      "SELECT key, amount, note FROM t WHERE key = 1234567",
      "SELECT count(*), sum(amount) FROM t WHERE key < 30000 OR key > " + (ROWS - 30000),
  };

  @TempDir Path dir;

  @Test
  void pageSkipping() throws Exception {
    List<String> report = new ArrayList<>();
    report.add(String.format(Locale.ROOT, "%,d rows written by Mallard (row groups of 122,880 rows, pages of at most"
        + " 20,000); median of %d runs per side after 1 warm-up each, alternating; CPU is the JDBC caller's thread"
        + " only (Mallard may run the query on its own threads: wall is the measure)", ROWS, RUNS));
    report.add("");
    report.add("| query | skipping off: wall (s) | caller CPU (s) | skipping on: wall (s) | caller CPU (s) | pages skipped per run |");
    report.add("|---|---:|---:|---:|---:|---:|");
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      Path catalog = TestLakes.attachNew(duckdb, dir);
      duckdb.execute("CREATE TABLE src AS SELECT i::BIGINT AS key, i * 0.25 AS amount, 'note-' || i AS note"
          + " FROM range(" + ROWS + ") r(i)");
      try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (key BIGINT, amount DOUBLE, note VARCHAR)");
        s.executeUpdate("INSERT INTO t SELECT * FROM src");
        ScanMetrics metrics = Mallard.scanMetrics(c);
        for (String sql : QUERIES) {
          DuckDb.Result expected = duckdb.query(sql);
          double[][] off = new double[2][RUNS];
          double[][] on = new double[2][RUNS];
          long skipped = 0;
          for (int i = -1; i < RUNS; i++) {
            check(sql, expected, run(c, sql, false, off, i, expected));
            long before = metrics.pagesSkipped();
            check(sql, expected, run(c, sql, true, on, i, expected));
            skipped = metrics.pagesSkipped() - before;
          }
          report.add(String.format(Locale.ROOT, "| `%s` | %.3f | %.3f | %.3f | %.3f | %d |", sql, median(off[0]),
              median(off[1]), median(on[0]), median(on[1]), skipped));
          System.out.println(report.get(report.size() - 1));
        }
      }
    }
    report.forEach(System.out::println);
    Path out = Path.of("target", "page-skipping.md");
    Files.createDirectories(out.getParent());
    Files.write(out, report);
  }

  /** Runs the query once with page skipping on or off; records wall and CPU seconds at run {@code i} (not at -1). */
  private static List<List<Object>> run(Connection c, String sql, boolean skipping, double[][] times, int i,
      DuckDb.Result expected) throws Exception {
    System.setProperty("mallard.parquet.pageSkipping", String.valueOf(skipping));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long start = System.nanoTime();
    long cpuStart = threads.getCurrentThreadCpuTime();
    List<List<Object>> rows;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rows = ResultCheck.read(rs, expected.types());
    }
    if (i >= 0) {
      times[0][i] = (System.nanoTime() - start) / 1e9;
      times[1][i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    }
    return rows;
  }

  private static void check(String sql, DuckDb.Result expected, List<List<Object>> actual) {
    String difference = ResultCheck.difference(expected, actual);
    if (difference != null) {
      throw new AssertionError(sql + ": " + difference);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
