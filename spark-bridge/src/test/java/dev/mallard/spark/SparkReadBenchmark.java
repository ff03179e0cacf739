package dev.mallard.spark;

import dev.mallard.testing.DuckDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark reading a DuckLake table through the bridge against Spark reading the same Parquet files
 * with {@code spark.read.parquet}, in one JVM and one {@code local[2]} session. DuckDB 1.5.5
 * writes the table ({@code rows} rows in files of 1M rows); each query runs once to warm up, then
 * {@code runs} times per reader, alternating; the medians are printed with their ratio.
 *
 * <p>Run (from the repository root, after {@code ./mvnw -o -q -pl spark-bridge -am test-compile}):
 * see BENCHMARKS.md. Arguments: rows (default 10,000,000), runs (default 5).
 */
public final class SparkReadBenchmark {
  private SparkReadBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("mallard-spark-bench-");
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      duckdb.attachSqliteLake("bench", dir.resolve("lake.sqlite"), dir.resolve("data"));
      duckdb.execute("CREATE TABLE events (id BIGINT, kind VARCHAR, amount DOUBLE, day DATE)");
      for (long start = 0; start < rows; start += 1_000_000) {
        long end = Math.min(rows, start + 1_000_000);
        duckdb.execute("INSERT INTO events SELECT i, ['alpha','beta','gamma'][1 + (i % 3)::INTEGER], (i % 1000) / 7.0,"
            + " DATE '2020-01-01' + (i % 2000)::INTEGER FROM range(" + start + ", " + end + ") t(i)");
      }
      List<String> files = new ArrayList<>();
      duckdb.query("SELECT data_file FROM ducklake_list_files('bench', 'events')").rows()
          .forEach(r -> files.add(r.get(0).toString()));
      SparkSession spark = SparkSession.builder().master("local[2]").appName("mallard-spark-bench")
          .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2")
          .getOrCreate();
      Dataset<Row> bridge = spark.read().format("ducklake")
          .option("url", "jdbc:ducklake:sqlite:" + dir.resolve("lake.sqlite")).option("table", "main.events").load();
      Dataset<Row> parquet = spark.read().parquet(files.toArray(new String[0]));
      bridge.createOrReplaceTempView("bridge");
      parquet.createOrReplaceTempView("parquet");
      String[] queries = {
          "SELECT kind, count(*), round(sum(amount), 3), max(day) FROM %s GROUP BY kind",
          "SELECT count(*), round(sum(amount), 3) FROM %s WHERE amount > 100 AND kind = 'beta'",
          "SELECT sum(id) FROM %s WHERE id BETWEEN 2500000 AND 2600000",
      };
      System.out.printf("rows=%d files=%d runs=%d%n", rows, files.size(), runs);
      for (String q : queries) {
        String b = String.format(q, "bridge");
        String p = String.format(q, "parquet");
        List<Row> want = spark.sql(p).collectAsList(); // warm-up of both, and the same answer from both
        List<Row> got = spark.sql(b).collectAsList();
        if (!sorted(want).equals(sorted(got))) {
          throw new AssertionError("Different results for " + q + ": parquet " + want + ", bridge " + got);
        }
        long[] bridgeMs = new long[runs];
        long[] parquetMs = new long[runs];
        for (int i = 0; i < runs; i++) {
          bridgeMs[i] = time(spark, b);
          parquetMs[i] = time(spark, p);
        }
        double mb = median(bridgeMs);
        double mp = median(parquetMs);
        System.out.printf("%-70s bridge %6.0f ms  parquet %6.0f ms  ratio %.2f%n", q, mb, mp, mb / mp);
      }
      spark.stop();
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static List<String> sorted(List<Row> rows) {
    return rows.stream().map(Row::toString).sorted().toList();
  }

  private static long time(SparkSession spark, String sql) {
    long start = System.nanoTime();
    spark.sql(sql).collectAsList();
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static double median(long[] values) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }
}
