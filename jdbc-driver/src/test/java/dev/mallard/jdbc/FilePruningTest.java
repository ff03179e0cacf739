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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pruning by catalog statistics: a query that selects one file's key range opens one file. */
class FilePruningTest {
  @TempDir Path dir;

  @Test
  void aRangeInsideOneFileOpensExactlyThatFile() throws SQLException {
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      Path catalog = TestLakes.attachNew(duckdb, dir);
      duckdb.execute("CREATE TABLE t (key BIGINT, payload VARCHAR)");
      // 1,000,000 rows sorted by key, written as 20 inserts: 20 files of 50,000 keys each.
      for (int f = 0; f < 20; f++) {
        duckdb.execute("INSERT INTO t SELECT i, 'p' || i FROM range(" + f * 50_000 + ", " + (f + 1) * 50_000 + ") r(i)");
      }
      assertThat(duckdb.query("SELECT count(*) FROM ducklake_list_files('lake', 't')").scalar())
          .isEqualTo(java.math.BigInteger.valueOf(20));
      String sql = "SELECT count(*) FROM t WHERE key BETWEEN 310000 AND 349999";

      try (Connection c = Mallard.connect("sqlite:" + catalog)) {
        ScanMetrics metrics = Mallard.scanMetrics(c);
        long opened = metrics.dataFilesOpened();
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
          assertSameRows(duckdb.query(sql), rs, true);
        }
        assertThat(metrics.dataFilesOpened() - opened).isEqualTo(1);

        opened = metrics.dataFilesOpened();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM t WHERE key > 999999")) {
          rs.next();
          assertThat(rs.getLong(1)).isZero();
        }
        assertThat(metrics.dataFilesOpened() - opened).isZero();
      }
    }
  }

  /** Blanks belong to a string: a file whose strings all start with one is not below 'b'. */
  @Test
  void stringBoundsKeepTheirBlanks() throws SQLException {
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      Path catalog = TestLakes.attachNew(duckdb, dir);
      duckdb.execute("CALL lake.set_option('data_inlining_row_limit', 0)");
      duckdb.execute("CREATE TABLE t (s VARCHAR, n INTEGER)");
      duckdb.execute("INSERT INTO t VALUES (' b', 0), (' c', 1), (' d', 2)");
      duckdb.execute("INSERT INTO t VALUES ('b ', 10), ('c', 11)");
      assertThat(duckdb.query("SELECT count(*) FROM ducklake_list_files('lake', 't')").scalar())
          .isEqualTo(java.math.BigInteger.TWO);
      try (Connection c = Mallard.connect("sqlite:" + catalog)) {
        for (String sql : new String[] {"SELECT * FROM t WHERE s = ' b'", "SELECT * FROM t WHERE s < 'b'",
            "SELECT * FROM t WHERE s = 'b '", "SELECT * FROM t WHERE s > ' c' ORDER BY n"}) {
          try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertSameRows(duckdb.query(sql), rs, true);
          }
        }
      }
    }
  }
}
