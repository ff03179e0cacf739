package dev.mallard.spark;

import static dev.mallard.testing.SparkRowAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.jdbc.Mallard;
import dev.mallard.testing.DuckDb;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark writes through the engine's transactions, checked by reading back with DuckDB 1.5.5, with
 * Mallard's JDBC driver and with Spark. Every test writes its own tables in its own lake {@code w}.
 */
class WritesTest {
  private static String url;
  private final DuckDb duckdb = SparkTestSupport.duckdb();
  private final SparkSession spark = SparkTestSupport.spark();

  @BeforeAll
  static void lake() {
    url = SparkTestSupport.newLake("w");
  }

  /** DuckDB's first row, as text: counts come back as Integer or Long depending on their size. */
  private String row(String sql) {
    return duckdb.query(sql).rows().get(0).toString();
  }

  private long latestSnapshot() {
    return ((Number) duckdb.query("SELECT max(snapshot_id) FROM ducklake_snapshots('w')").scalar()).longValue();
  }

  @Test
  void anAppendOfManyRowsIsVisibleToDuckDbAndTheJdbcDriverAtTheNewSnapshot() throws Exception {
    duckdb.execute("CREATE TABLE w.main.events (id BIGINT, kind VARCHAR, amount DECIMAL(10,2), day DATE)");
    duckdb.execute("INSERT INTO w.main.events VALUES (-1, 'seed', 1.50, DATE '2024-01-01')"); // inlined
    long before = latestSnapshot();
    spark.sql("INSERT INTO w.main.events SELECT id, CASE WHEN id % 3 = 0 THEN 'a' ELSE NULL END,"
        + " CAST(id / 8 AS DECIMAL(10,2)), date_add(DATE'2020-01-01', CAST(id % 1000 AS INT)) FROM range(0, 20000)");
    long after = latestSnapshot();
    assertThat(after).isEqualTo(before + 1);

    String all = "SELECT id, kind, amount, day FROM w.main.events";
    assertSameRows(duckdb.query(all), spark.sql(all), false);
    assertThat(row("SELECT count(*), count(kind) FROM w.main.events")).isEqualTo("[20001, 6668]");
    assertThat(row("SELECT count(*) FROM w.main.events AT (VERSION => " + before + ")")).isEqualTo("[1]");
    Object sum = duckdb.query("SELECT sum(amount) FROM w.main.events").scalar();

    try (Connection c = Mallard.connect(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), sum(amount), count(kind), max(day) FROM main.events")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(20001);
      assertThat(rs.getBigDecimal(2)).isEqualByComparingTo(sum.toString());
      assertThat(rs.getLong(3)).isEqualTo(6668);
      assertThat(rs.getDate(4).toString()).isEqualTo("2024-01-01");
    }
  }

  @Test
  void everyWritableTypeRoundTripsThroughDuckDb() {
    duckdb.execute("CREATE TABLE w.main.typed (b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INTEGER, i64 BIGINT,"
        + " u8 UTINYINT, u16 USMALLINT, u32 UINTEGER, u64 UBIGINT, i128 HUGEINT, f32 FLOAT, f64 DOUBLE,"
        + " d DECIMAL(18,3), d38 DECIMAL(38,10), v VARCHAR, bl BLOB, u UUID, j JSON, dt DATE, tm TIME, ts TIMESTAMP,"
        + " ts_s TIMESTAMP_S, ts_ms TIMESTAMP_MS, ts_ns TIMESTAMP_NS, tz TIMESTAMPTZ)");
    spark.sql("INSERT INTO w.main.typed SELECT id % 2 = 0, CAST(id % 100 AS TINYINT), CAST(id AS SMALLINT),"
        + " CAST(id * 1000 AS INT), id * 100000000000, id % 256, id, id * 100000, id * 1000000000000,"
        + " CAST(id AS DECIMAL(38,0)) * 100000000000000000000, CAST(id AS FLOAT) / 3, CAST(id AS DOUBLE) / 7,"
        + " CAST(id AS DECIMAL(18,3)) / 8, CAST(id AS DECIMAL(38,10)) / 3, concat('v', id, 'ü😀'), CAST(concat('b', id) AS BINARY),"
        + " '0190a2b3-c4d5-7e6f-8091-a2b3c4d5e6f7', '{\"k\": 1}', date_add(DATE'1970-01-01', CAST(id AS INT) - 1000),"
        + " '12:30:45.123456', TIMESTAMP_NTZ'2024-02-29 12:30:45.123456' + make_interval(0, 0, 0, 0, 0, 0, id),"
        + " TIMESTAMP_NTZ'2024-02-29 12:30:45', TIMESTAMP_NTZ'2024-02-29 12:30:45.123', TIMESTAMP_NTZ'2024-02-29 12:30:45.123456',"
        + " TIMESTAMP'2024-02-29 12:30:45.123456Z' - make_interval(0, 0, 0, id)"
        + " FROM range(0, 3000) UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
        + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL");
    String all = "SELECT * FROM w.main.typed";
    assertSameRows(duckdb.query(all), spark.sql(all), false);
    assertThat(row("SELECT count(*), count(u8), max(u64), max(i128) FROM w.main.typed"))
        .isEqualTo("[3001, 3000, 2999000000000000, 299900000000000000000000]");
    // DuckDB's own statistics for the files agree with what it reads (the catalog's min/max prune).
    assertThat(row("SELECT count(*) FROM w.main.typed WHERE i64 = 100000000000 * 2999")).isEqualTo("[1]");
  }

  @Test
  void createTableAsSelectMakesATableDuckDbReads() throws Exception {
    spark.sql("CREATE TABLE w.main.ctas AS SELECT id, concat('n', id) AS name, CAST(id AS DOUBLE) / 2 AS half,"
        + " TIMESTAMP'2024-01-01 00:00:00Z' AS at, TIMESTAMP_NTZ'2024-01-01 00:00:00' AS local FROM range(500)");
    assertThat(duckdb.query("SELECT column_name, data_type FROM information_schema.columns"
        + " WHERE table_catalog = 'w' AND table_name = 'ctas' ORDER BY ordinal_position").rows()).containsExactly(
        List.of("id", "BIGINT"), List.of("name", "VARCHAR"), List.of("half", "DOUBLE"),
        List.of("at", "TIMESTAMP WITH TIME ZONE"), List.of("local", "TIMESTAMP"));
    String all = "SELECT * FROM w.main.ctas";
    assertSameRows(duckdb.query(all), spark.sql(all), false);
    spark.table("w.main.ctas").where("id < 10").writeTo("w.main.ctas_v2").create();
    assertThat(row("SELECT count(*) FROM w.main.ctas_v2")).isEqualTo("[10]");
    spark.sql("DROP TABLE w.main.ctas_v2");
    assertThat(row("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'w' AND table_name = 'ctas_v2'"))
        .isEqualTo("[0]");
    spark.sql("CREATE NAMESPACE w.fresh");
    spark.sql("CREATE TABLE w.fresh.t (a INT, b STRING NOT NULL)");
    spark.sql("INSERT INTO w.fresh.t VALUES (1, 'x'), (NULL, 'y')");
    assertSameRows(duckdb.query("SELECT * FROM w.fresh.t"), spark.sql("SELECT * FROM w.fresh.t"), false);
    assertThat(duckdb.query("SELECT is_nullable FROM information_schema.columns WHERE table_catalog = 'w'"
        + " AND table_schema = 'fresh' ORDER BY ordinal_position").rows()).containsExactly(List.of("YES"), List.of("NO"));
  }

  @Test
  void anOverwriteReplacesEveryRowInOneSnapshot() {
    duckdb.execute("CREATE TABLE w.main.over (id BIGINT, v VARCHAR)");
    duckdb.execute("INSERT INTO w.main.over SELECT i, 'old' FROM range(100) t(i)"); // a data file
    duckdb.execute("INSERT INTO w.main.over VALUES (1000, 'inlined')");
    duckdb.execute("DELETE FROM w.main.over WHERE id < 10");
    long before = latestSnapshot();
    spark.sql("INSERT OVERWRITE w.main.over SELECT id, 'new' FROM range(5, 8)");
    assertThat(latestSnapshot()).isEqualTo(before + 1);
    assertSameRows(duckdb.query("SELECT * FROM w.main.over"), spark.sql("SELECT * FROM w.main.over"), false);
    assertThat(row("SELECT count(*), min(v), max(v) FROM w.main.over")).isEqualTo("[3, new, new]");
    assertThat(row("SELECT count(*) FROM w.main.over AT (VERSION => " + before + ")")).isEqualTo("[91]");

    spark.range(4).selectExpr("id", "'df' AS v").write().format("ducklake").option("url", url).option("table", "over")
        .mode("overwrite").save();
    spark.range(2).selectExpr("id + 100 AS id", "'df2' AS v").write().format("ducklake").option("url", url)
        .option("table", "main.over").mode("append").save();
    assertThat(row("SELECT count(*) FILTER (v = 'df'), count(*) FILTER (v = 'df2'), count(*) FROM w.main.over"))
        .isEqualTo("[4, 2, 6]");
  }

  @Test
  void twoSparkJobsAppendingAtOnceBothLand() throws Exception {
    duckdb.execute("CREATE TABLE w.main.races (job INTEGER, id BIGINT)");
    long before = latestSnapshot();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int job = 0; job < 2; job++) {
        int j = job;
        jobs.add(pool.submit(() -> {
          spark.range(0, 5000, 1, 2).selectExpr(j + " AS job", "id").writeTo("w.main.races").append();
          return null;
        }));
      }
      for (Future<?> f : jobs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(latestSnapshot()).isEqualTo(before + 2);
    assertThat(duckdb.query("SELECT job, count(*), count(DISTINCT id) FROM w.main.races GROUP BY job ORDER BY job")
        .rows().toString()).isEqualTo("[[0, 5000, 5000], [1, 5000, 5000]]");
    Dataset<Row> spark2 = spark.sql("SELECT job, id FROM w.main.races");
    assertSameRows(duckdb.query("SELECT job, id FROM w.main.races"), spark2, false);
  }

  @Test
  void whatIsNotSupportedFailsWithAMessageAndChangesNothing() {
    duckdb.execute("CREATE TABLE w.main.kept (u UTINYINT, tm TIME)");
    assertThatThrownBy(() -> spark.sql("INSERT INTO w.main.kept VALUES (300, '10:00:00')"))
        .hasStackTraceContaining("out of range for column u");
    assertThatThrownBy(() -> spark.sql("INSERT INTO w.main.kept VALUES (3, 'noon')"))
        .hasStackTraceContaining("'noon' is not a time");
    assertThatThrownBy(() -> spark.sql("DELETE FROM w.main.kept WHERE u = 1"))
        .hasMessageContaining("does not support deletes");
    assertThatThrownBy(() -> spark.sql("ALTER TABLE w.main.kept ADD COLUMN x INT"))
        .hasStackTraceContaining("ALTER TABLE main.kept is not supported from Spark yet");
    assertThatThrownBy(() -> spark.sql("CREATE TABLE w.main.parted (a INT, b INT) PARTITIONED BY (b)"))
        .hasStackTraceContaining("partitioned DuckLake tables from Spark is not supported yet");
    assertThatThrownBy(() -> spark.sql("CREATE TABLE w.main.kept (a INT)")).hasStackTraceContaining("already exists");
    assertThat(row("SELECT count(*) FROM w.main.kept")).isEqualTo("[0]");
    assertThat(row("SELECT count(*) FROM glob('" + url.substring("jdbc:ducklake:sqlite:".length())
        .replace("lake.sqlite", "data") + "/main/kept/*')")).as("failed tasks delete their files").isEqualTo("[0]");
  }
}
