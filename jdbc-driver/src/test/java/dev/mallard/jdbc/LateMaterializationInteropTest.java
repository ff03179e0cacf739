package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.ScanMetrics;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late materialization (the scan decodes the filter's columns first, then the other columns only at
 * the rows the filter and the deletes keep) on a lake DuckDB 1.5.5 writes: selective filters over
 * each type, with NULLs, DuckDB's delete files and an update, {@code rowid}, and nested columns
 * (read whole). Every answer equals DuckDB's and Mallard's own with late materialization off
 * ({@code mallard.parquet.lateMaterialization=false}); the scan metrics show the other columns'
 * values were skipped.
 */
class LateMaterializationInteropTest {
  @TempDir Path dir;

  private static final String[] QUERIES = {
      "SELECT *, rowid FROM t WHERE i64 BETWEEN 150000 AND 150040 ORDER BY id",
      "SELECT * FROM t WHERE i32 = 777 ORDER BY id",
      "SELECT * FROM t WHERE i8 = -7 AND i16 < -32000 ORDER BY id",
      "SELECT id, u8, u16, u32, s FROM t WHERE u32 < 2000 ORDER BY id",
      "SELECT *, rowid FROM t WHERE f64 > 99990.0 OR f32 < -99990.5 ORDER BY id",
      "SELECT * FROM t WHERE d9 = 123.457 ORDER BY id",
      "SELECT id, d18, d38, v FROM t WHERE d38 >= 199990 ORDER BY id",
      "SELECT * FROM t WHERE v = 'value-4321' ORDER BY id",
      "SELECT id, v, dt, l FROM t WHERE v IN ('value-17', 'value-170017', 'nothing') ORDER BY id",
      "SELECT * FROM t WHERE dt = DATE '2001-01-01' ORDER BY id",
      "SELECT id, ts, ts_ms, ts_ns, tz FROM t WHERE ts >= TIMESTAMP '2000-01-03 10:00:00'"
          + " AND ts < TIMESTAMP '2000-01-03 10:00:30' ORDER BY id",
      "SELECT * FROM t WHERE tz >= TIMESTAMP '2000-06-29 00:00:00' AND b ORDER BY id",
      "SELECT id, i32, v FROM t WHERE v IS NULL AND i32 < 300 ORDER BY id",
      "SELECT count(*), count(v), sum(i64), min(dt), max(f64) FROM t WHERE i32 BETWEEN 1000 AND 3000",
      "SELECT count(*) FROM t WHERE i32 > 100000000",
  };

  @Test
  void answersAsDuckDbAndAsWithoutLateMaterialization() throws SQLException {
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      Path catalog = TestLakes.attachNew(duckdb, dir);
      String columns = "id BIGINT, b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INTEGER, i64 BIGINT, u8 UTINYINT,"
          + " u16 USMALLINT, u32 UINTEGER, f32 FLOAT, f64 DOUBLE, d9 DECIMAL(9,3), d18 DECIMAL(18,6),"
          + " d38 DECIMAL(38,10), v VARCHAR, dt DATE, ts TIMESTAMP, ts_ms TIMESTAMP_MS, ts_ns TIMESTAMP_NS,"
          + " tz TIMESTAMPTZ, s STRUCT(a INTEGER, b VARCHAR), l INTEGER[]";
      String select = "SELECT i, i % 3 = 0, (i % 256 - 128)::TINYINT, (i * 7 % 65536 - 32768)::SMALLINT,"
          + " CASE WHEN i % 11 = 5 THEN NULL ELSE i END, i * 3 - 7, (i % 256)::UTINYINT, (i * 13 % 65536)::USMALLINT,"
          + " (i * 2654435761 % 4294967296)::UINTEGER, ((i % 200000) - 100000)::FLOAT - 0.5, i / 2.0,"
          + " (i / 1000.0)::DECIMAL(9,3), i * 1.000001, i::DECIMAL(38,10),"
          + " CASE WHEN i % 7 = 3 THEN NULL ELSE 'value-' || i END, DATE '2000-01-01' + (i % 9000)::INTEGER,"
          + " TIMESTAMP '2000-01-01' + to_seconds(i), TIMESTAMP '2000-01-01' + to_milliseconds(i * 7),"
          + " TIMESTAMP '2000-01-01' + to_microseconds(i * 3), TIMESTAMPTZ '2000-01-01 00:00:00+00' + to_minutes(i),"
          + " CASE WHEN i % 5 = 0 THEN NULL ELSE {'a': i::INTEGER, 'b': 'n' || i} END,"
          + " CASE WHEN i % 4 = 0 THEN NULL ELSE [i::INTEGER, i::INTEGER + 1] END";
      duckdb.execute("CREATE TABLE t (" + columns + ")");
      // two files of two row groups each
      duckdb.execute("INSERT INTO t " + select + " FROM range(0, 130000) r(i)");
      duckdb.execute("INSERT INTO t " + select + " FROM range(130000, 260000) r(i)");
      duckdb.execute("DELETE FROM t WHERE id % 3 = 1 AND id BETWEEN 150000 AND 150030");
      duckdb.execute("DELETE FROM t WHERE id IN (777, 4321, 170017)");
      duckdb.execute("UPDATE t SET v = 'updated', f64 = -1 WHERE id BETWEEN 1000 AND 1010");

      try (Connection c = Mallard.connect("sqlite:" + catalog)) {
        ScanMetrics metrics = Mallard.scanMetrics(c);
        for (String sql : QUERIES) {
          long skipped = metrics.lateValuesSkipped();
          List<List<String>> late = compare(duckdb, c, sql);
          if (!sql.contains("> 100000000")) { // pruned by statistics: nothing is read
            assertThat(metrics.lateValuesSkipped() - skipped).as(sql).isPositive();
          }
          assertThat(withoutLateMaterialization(c, metrics, sql)).as(sql).isEqualTo(late);
        }
      }
    }
  }

  private static List<List<String>> compare(DuckDb duckdb, Connection c, String sql) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, true);
    }
    return Rows.query(c, sql);
  }

  private static List<List<String>> withoutLateMaterialization(Connection c, ScanMetrics metrics, String sql)
      throws SQLException {
    String before = System.getProperty("mallard.parquet.lateMaterialization");
    System.setProperty("mallard.parquet.lateMaterialization", "false");
    try {
      long skipped = metrics.lateValuesSkipped();
      List<List<String>> rows = Rows.query(c, sql);
      assertThat(metrics.lateValuesSkipped()).isEqualTo(skipped);
      return rows;
    } finally {
      if (before == null) {
        System.clearProperty("mallard.parquet.lateMaterialization");
      } else {
        System.setProperty("mallard.parquet.lateMaterialization", before);
      }
    }
  }
}
