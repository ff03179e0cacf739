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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers from the catalog: {@code count(*)} of a table of 1,000 DuckDB-written files opens none of
 * them while no row is deleted; with deletions and inlined rows it opens only the files with
 * deletions and is still DuckDB's answer.
 */
class MetadataAnswersInteropTest {
  @TempDir Path dir;

  private static long opened(ScanMetrics metrics, Connection c, DuckDb duckdb, String sql) throws SQLException {
    long before = metrics.dataFilesOpened();
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, false);
    }
    return metrics.dataFilesOpened() - before;
  }

  @Test
  void countStarOfAThousandFilesOpensNoneUntilRowsAreDeleted() throws SQLException {
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      Path catalog = TestLakes.attachNew(duckdb, dir);
      duckdb.execute("CREATE TABLE many (k INTEGER, v INTEGER, d DATE, ts TIMESTAMP, amount DECIMAL(10, 2),"
          + " name VARCHAR)");
      duckdb.execute("ALTER TABLE many SET PARTITIONED BY (k)"); // one file per k
      duckdb.execute("INSERT INTO many SELECT i % 1000, i, DATE '2000-01-01' + i::INTEGER,"
          + " TIMESTAMP '2000-01-01' + INTERVAL (i) MINUTE, i / 100, 'n' || i FROM range(7000) r(i)");
      assertThat(duckdb.query("SELECT count(*) FROM ducklake_list_files('lake', 'many')").scalar())
          .isEqualTo(BigInteger.valueOf(1000));

      try (Connection c = Mallard.connect("sqlite:" + catalog)) {
        ScanMetrics metrics = Mallard.scanMetrics(c);
        assertThat(opened(metrics, c, duckdb, "SELECT count(*) FROM many")).isZero();
        assertThat(opened(metrics, c, duckdb, "SELECT count(*) AS n, count(*) + 1 AS m FROM many")).isZero();
        assertThat(opened(metrics, c, duckdb, "SELECT min(v), max(v), min(d), max(d), min(amount),"
            + " max(amount), count(*) FROM many")).isZero();
        assertThat(opened(metrics, c, duckdb, "SELECT min(ts), max(ts) FROM many")).isZero();
        // A filter, a column of another kind, or another aggregate needs the rows.
        assertThat(opened(metrics, c, duckdb, "SELECT count(v) FROM many WHERE k < 10")).isEqualTo(10);
        assertThat(opened(metrics, c, duckdb, "SELECT min(name), max(v) FROM many")).isEqualTo(1000);
        assertThat(opened(metrics, c, duckdb, "SELECT sum(v) FROM many")).isEqualTo(1000);
      }

      // Deletions in ten files (k < 10: the three smallest v of each, the table's smallest) and rows
      // kept inline in the catalog.
      duckdb.execute("DELETE FROM many WHERE k < 10 AND v < 3000");
      duckdb.execute("INSERT INTO many VALUES (5000, 100000, NULL, NULL, NULL, NULL), (5001, 2, NULL, NULL, NULL, 'x')");
      assertThat(duckdb.query("SELECT count(*) FROM ducklake_list_files('lake', 'many')").scalar())
          .isEqualTo(BigInteger.valueOf(1000));
      try (Connection c = Mallard.connect("sqlite:" + catalog)) {
        ScanMetrics metrics = Mallard.scanMetrics(c);
        assertThat(opened(metrics, c, duckdb, "SELECT count(*) FROM many")).isEqualTo(10);
        // Statistics no longer give the extremes: the rows do, and the answers are still DuckDB's.
        opened(metrics, c, duckdb, "SELECT min(v), max(v), min(d), max(d), min(ts), max(ts), min(amount),"
            + " max(amount), count(*) FROM many");
        // Time travel to before the deletions: none opened again.
        assertThat(opened(metrics, c, duckdb, "SELECT count(*) FROM many AT (VERSION => 3)")).isZero();
      }
    }
  }

  @Test
  void extremesOfTimestampsWithMicrosecondsComeFromStatisticsExactly() throws SQLException {
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      Path catalog = TestLakes.attachNew(duckdb, dir);
      duckdb.execute("CREATE TABLE ticks (k INTEGER, ts TIMESTAMP, tz TIMESTAMPTZ)");
      duckdb.execute("ALTER TABLE ticks SET PARTITIONED BY (k)"); // one file per k
      // Digits below the millisecond at both ends, and values before 1970.
      duckdb.execute("INSERT INTO ticks SELECT i % 5, TIMESTAMP '1969-12-31 23:59:59.999999' + INTERVAL (i * 7) MICROSECOND,"
          + " TIMESTAMPTZ '2025-01-02 03:04:05.123456+00' - INTERVAL (i * 3) MICROSECOND FROM range(3000) r(i)");
      assertThat(duckdb.query("SELECT count(*) FROM ducklake_list_files('lake', 'ticks')").scalar())
          .isEqualTo(BigInteger.valueOf(5));
      try (Connection c = Mallard.connect("sqlite:" + catalog)) {
        ScanMetrics metrics = Mallard.scanMetrics(c);
        assertThat(opened(metrics, c, duckdb, "SELECT min(ts), max(ts), min(tz), max(tz), count(*) FROM ticks")).isZero();
        assertThat(opened(metrics, c, duckdb, "SELECT max(ts) FROM ticks")).isZero();
        assertThat(opened(metrics, c, duckdb, "SELECT min(tz) FROM ticks")).isZero();
        assertThat(opened(metrics, c, duckdb, "SELECT max(ts) > TIMESTAMP '1970-01-01 00:00:00.020992' FROM ticks"))
            .isZero();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT min(ts), max(ts) FROM ticks")) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo("1969-12-31 23:59:59.999999");
          assertThat(rs.getString(2)).isEqualTo("1970-01-01 00:00:00.020992");
        }
      }
    }
  }

  @Test
  void uncommittedRowsAndColumnsWithoutStatisticsAreAnsweredFromTheRows() throws SQLException {
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      Path catalog = TestLakes.attachNew(duckdb, dir);
      duckdb.execute("CREATE TABLE t (v INTEGER)");
      duckdb.execute("INSERT INTO t SELECT i FROM range(3000) r(i)");
      duckdb.execute("INSERT INTO t SELECT i FROM range(3000, 6000) r(i)");
      // Files written before w existed have no statistics of it: its rows there hold the default.
      duckdb.execute("ALTER TABLE t ADD COLUMN w INTEGER DEFAULT 7");
      String sql = "SELECT min(v), max(v), min(w), max(w), count(*) FROM t";
      try (Connection c = Mallard.connect("sqlite:" + catalog)) {
        ScanMetrics metrics = Mallard.scanMetrics(c);
        opened(metrics, c, duckdb, sql);
        assertThat(opened(metrics, c, duckdb, "SELECT min(v), max(v), count(*) FROM t")).isZero();
        c.setAutoCommit(false);
        c.createStatement().executeUpdate("INSERT INTO t VALUES (-5, 100)");
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(-5);
          assertThat(rs.getInt(2)).isEqualTo(5999);
          assertThat(rs.getInt(3)).isEqualTo(7);
          assertThat(rs.getInt(4)).isEqualTo(100);
          assertThat(rs.getLong(5)).isEqualTo(6001);
        }
        c.rollback();
        opened(metrics, c, duckdb, sql);
      }
    }
  }
}
