package dev.mallard.benchmarks.pointquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.benchmarks.tpch.DuckDbTimer;
import dev.mallard.jdbc.Mallard;
import dev.mallard.jdbc.server.MallardServer;
import dev.mallard.jdbc.server.ServerConfig;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Median latency of one reused {@code PreparedStatement} point query,
 * {@code SELECT name, amount FROM points WHERE id = ?}, on one lake written by DuckDB 1.5.5, through
 * three paths in one run: Mallard's embedded JDBC driver, Mallard's Avatica server (protobuf, on
 * loopback, in this JVM) through Avatica's remote driver, and DuckDB 1.5.5 with ducklake in Python
 * (its own timing, so no inter-process cost is counted). Every path fetches its one row, with the
 * same seeded ids. Not part of the test suite (its name does not end in Test); run it with
 *
 * <pre>
 * ./mvnw -o -q -B -pl benchmarks -am test -Dtest=PointQueryBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * and read {@code benchmarks/target/point-query.md}. {@code -Dpoints.rows=N},
 * {@code -Dpoints.warmup=N} and {@code -Dpoints.iterations=N} change its size.
 */
class PointQueryBenchmark {
  static final int ROWS = Integer.getInteger("points.rows", 100_000);
  static final int WARMUP = Integer.getInteger("points.warmup", 100);
  static final int ITERATIONS = Integer.getInteger("points.iterations", 500);
  static final long SEED = 42;
  static final String SQL = "SELECT name, amount FROM points WHERE id = ?";

  @TempDir Path dir;

  @Test
  void pointQueryLatency() throws Exception {
    Path catalog;
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      catalog = TestLakes.attachNew(duckdb, dir);
      duckdb.execute("CREATE TABLE points (id BIGINT, name VARCHAR, amount DECIMAL(12,2))");
      duckdb.execute("INSERT INTO points SELECT i, 'point ' || i, i * 0.01 FROM range(" + ROWS + ") t(i)");
    }
    String url = "jdbc:ducklake:sqlite:" + catalog;
    double embedded;
    try (Connection c = Mallard.connect(url)) {
      embedded = medianMicros(c);
    }
    double avatica;
    try (MallardServer server = MallardServer.start(ServerConfig.of(url).withPort(0));
        Connection c = DriverManager.getConnection(server.clientUrl())) {
      avatica = medianMicros(c);
    }
    double duckdb = duckdbMedianMicros(catalog);
    String report = String.format(Locale.ROOT, """
        | path | median latency |
        |---|---|
        | Mallard, embedded JDBC | %.0f µs |
        | Mallard, Avatica server (protobuf, loopback) | %.0f µs |
        | DuckDB 1.5.5 + ducklake (Python API) | %.0f µs |

        %d rows in one Parquet file, %d warm-up then %d measured executions, ids drawn with seed %d.
        Java %s, %d processors, %s.
        """, embedded, avatica, duckdb, ROWS, WARMUP, ITERATIONS, SEED, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    System.out.println(report);
    Files.writeString(Path.of("target", "point-query.md"), report);
  }

  /** Executes the one prepared statement with each id, fetching its row; the median, in µs. */
  private static double medianMicros(Connection c) throws SQLException {
    Random ids = new Random(SEED);
    long[] nanos = new long[ITERATIONS];
    try (PreparedStatement ps = c.prepareStatement(SQL)) {
      for (int i = 0; i < WARMUP + ITERATIONS; i++) {
        long id = ids.nextInt(ROWS);
        long start = System.nanoTime();
        ps.setLong(1, id);
        int found = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            assertThat(rs.getString(1)).isEqualTo("point " + id);
            found++;
          }
        }
        long elapsed = System.nanoTime() - start;
        assertThat(found).isEqualTo(1);
        if (i >= WARMUP) {
          nanos[i - WARMUP] = elapsed;
        }
      }
    }
    return median(nanos) / 1000.0;
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  private double duckdbMedianMicros(Path catalog) throws IOException, InterruptedException {
    long[] medianAndRows = DuckDbTimer.pointQuery(catalog, WARMUP, ITERATIONS, SEED, ROWS, dir);
    assertThat(medianAndRows[1]).as("rows DuckDB found").isEqualTo(WARMUP + ITERATIONS);
    return medianAndRows[0];
  }
}
