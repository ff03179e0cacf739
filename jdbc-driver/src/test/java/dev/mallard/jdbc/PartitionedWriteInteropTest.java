package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.ScanMetrics;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Partitioned tables Mallard writes through SQL, read back and pruned by DuckDB 1.5.5 and by Mallard. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionedWriteInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;

  @BeforeAll
  void start() {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
  }

  @AfterAll
  void stop() {
    duckdb.close();
  }

  /** A new lake at dir/name, attached in DuckDB as {@code name}; returns its catalog path. */
  private Path lake(String name) throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, name);
    return catalog;
  }

  private void compare(Connection mallard, String lake, String sql) throws SQLException {
    duckdb.execute("USE " + lake);
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, true);
    } finally {
      duckdb.execute("USE memory");
    }
  }

  private long files(String lake, String table) {
    return ((BigInteger) duckdb.query("SELECT count(*) FROM ducklake_list_files('" + lake + "', '" + table + "')")
        .scalar()).longValue();
  }

  @Test
  void bucketPartitionedInsertsAndUpdatesAreReadAndPrunedByDuckDbAndMallard() throws Exception {
    Path catalog = lake("bk");
    duckdb.execute("CREATE TABLE bk.src AS SELECT i::BIGINT AS id, 'n' || i AS name, (i * 1.5)::DECIMAL(12,2) AS amount"
        + " FROM range(1, 2001) r(i)");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGINT, name VARCHAR, amount DECIMAL(12,2))");
      s.execute("ALTER TABLE t SET PARTITIONED BY (bucket(16, id))");
      assertThat(s.executeUpdate("INSERT INTO t SELECT * FROM src")).isEqualTo(2000);
      long written = files("bk", "t");
      assertThat(written).isEqualTo(16);
      // UPDATE re-inserts the new versions into the files of their buckets.
      assertThat(s.executeUpdate("UPDATE t SET name = 'updated' WHERE id % 100 = 7")).isEqualTo(20);
      assertThat(files("bk", "t")).isGreaterThan(written);
      compare(c, "bk", "SELECT * FROM t ORDER BY id");
      for (long id : new long[] {7, 1234, 1999}) {
        // DuckDB folds the constant through its bucket transform: a wrong bucket value hides the row.
        compare(c, "bk", "SELECT * FROM t WHERE id = " + id);
      }
      duckdb.execute("USE bk");
      try {
        assertThat(duckdb.query("SELECT count(*) FROM t WHERE id = 1234").scalar()).isEqualTo(BigInteger.ONE);
      } finally {
        duckdb.execute("USE memory");
      }
      ScanMetrics metrics = Mallard.scanMetrics(c);
      long opened = metrics.dataFilesOpened();
      try (ResultSet rs = s.executeQuery("SELECT name FROM t WHERE id = 1234")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("n1234");
        assertThat(rs.next()).isFalse();
      }
      assertThat(metrics.dataFilesOpened() - opened).isEqualTo(1);
    }
  }

  @Test
  void hourPartitionsOfTimestamptzFollowTheConnectionsTimeZone() throws Exception {
    Path catalog = lake("tz");
    duckdb.execute("CREATE TABLE tz.src AS SELECT i::BIGINT AS id, TIMESTAMPTZ '2024-03-30 20:10:00+00'"
        + " + INTERVAL (i * 7) MINUTE AS ts FROM range(400) r(i)");
    java.util.Properties props = new java.util.Properties();
    props.setProperty("time_zone", "Asia/Kolkata");
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:ducklake:sqlite:" + catalog, props);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGINT, ts TIMESTAMPTZ)");
      s.execute("ALTER TABLE t SET PARTITIONED BY (day(ts), hour(ts))");
      assertThat(s.executeUpdate("INSERT INTO t SELECT * FROM src")).isEqualTo(400);
      compare(c, "tz", "SELECT * FROM t ORDER BY id");
    }
    // Each file's day and hour are those of its rows in Kolkata, as DuckDB computes them there.
    duckdb.execute("SET TimeZone = 'Asia/Kolkata'");
    try {
      String m = "__ducklake_metadata_tz.";
      assertThat(duckdb.query("SELECT count(*) FROM (SELECT DISTINCT day(ts), hour(ts) FROM tz.t)").scalar())
          .isEqualTo(BigInteger.valueOf(files("tz", "t")));
      assertThat(duckdb.query("SELECT count(*) FROM tz.t, " + m + "ducklake_data_file f WHERE"
          + " f.end_snapshot IS NULL AND t.filename LIKE '%' || f.path AND (day(ts)::VARCHAR, hour(ts)::VARCHAR)"
          + " <> ((SELECT partition_value FROM " + m + "ducklake_file_partition_value v WHERE v.data_file_id ="
          + " f.data_file_id AND partition_key_index = 0), (SELECT partition_value FROM " + m
          + "ducklake_file_partition_value v WHERE v.data_file_id = f.data_file_id AND partition_key_index = 1))")
          .scalar()).isEqualTo(BigInteger.ZERO);
      assertThat(duckdb.query("SELECT count(*) FROM tz.t, " + m + "ducklake_data_file f WHERE"
          + " f.end_snapshot IS NULL AND t.filename LIKE '%' || f.path").scalar()).isEqualTo(BigInteger.valueOf(400));
    } finally {
      duckdb.execute("SET TimeZone = 'UTC'");
    }
  }
}
