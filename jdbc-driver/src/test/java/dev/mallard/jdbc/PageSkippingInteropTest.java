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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Page skipping with Parquet page indexes: a file Mallard writes (parquet-java writes a column
 * index and an offset index per chunk, pages of at most 20,000 rows or about 1 MB) is read in part when a filter
 * rules out whole pages. Every answer equals DuckDB 1.5.5's and Mallard's own with page skipping
 * off ({@code mallard.parquet.pageSkipping=false}); the scan metrics show pages were skipped.
 * Also with a DuckDB delete file on that file, and with {@code rowid}, which both depend on each
 * row's position in the file.
 */
class PageSkippingInteropTest {
  @TempDir Path dir;

  private static final String PAD_70500 = "'070500" + "x".repeat(200) + "'";

  private static final String[] QUERIES = {
      "SELECT key, grp, note, amount FROM t WHERE key BETWEEN 45000 AND 45100 ORDER BY key",
      // pad's pages (about 5,000 rows: 1 MB of 206-byte strings) end inside the others' (20,000 rows)
      "SELECT key, pad FROM t WHERE key BETWEEN 59990 AND 60010 ORDER BY key",
      "SELECT key, grp, note, rowid FROM t WHERE pad = " + PAD_70500,
      "SELECT count(*), count(note), min(key), max(key) FROM t WHERE pad >= " + PAD_70500 + " AND key < 71000",
      "SELECT count(*), sum(amount), min(note) FROM t WHERE key < 5 OR key >= 99990",
      "SELECT key, note FROM t WHERE grp = 61 AND amount > 30600 ORDER BY key",
      "SELECT count(*) FROM t WHERE note IS NULL",
      "SELECT rowid, key FROM t WHERE key BETWEEN 39990 AND 40010 ORDER BY key",
      "SELECT key FROM t WHERE key = 20000 OR key = 79999 ORDER BY key",
      "SELECT count(*) FROM t WHERE key > 1000000",
  };

  @Test
  void skipsPagesAndAnswersAsDuckDbAndAsWithoutSkipping() throws SQLException {
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      Path catalog = TestLakes.attachNew(duckdb, dir);
      // key sorted, so its pages hold disjoint ranges; note NULL in rows 70,000..70,999 only
      duckdb.execute("CREATE TABLE src AS SELECT i::BIGINT AS key, (i // 1000)::INTEGER AS grp,"
          + " CASE WHEN i BETWEEN 70000 AND 70999 THEN NULL ELSE 'note-' || i END AS note,"
          + " i / 2.0 AS amount, lpad(i::VARCHAR, 6, '0') || repeat('x', 200) AS pad FROM range(100000) r(i)");
      try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (key BIGINT, grp INTEGER, note VARCHAR, amount DOUBLE, pad VARCHAR)");
        assertThat(s.executeUpdate("INSERT INTO t SELECT * FROM src")).isEqualTo(100_000);
        assertThat(duckdb.query("SELECT count(*) FROM ducklake_list_files('lake', 't')").scalar())
            .isEqualTo(BigInteger.ONE);
        ScanMetrics metrics = Mallard.scanMetrics(c);

        for (String sql : QUERIES) {
          long skipped = metrics.pagesSkipped();
          List<List<String>> withSkipping = compare(duckdb, c, sql);
          if (!sql.contains("> 1000000")) { // that one is pruned by the file's statistics, no page is looked at
            assertThat(metrics.pagesSkipped() - skipped).as(sql).isPositive();
          }
          assertThat(withoutSkipping(c, sql)).as(sql).isEqualTo(withSkipping);
        }

        // DuckDB deletes rows of Mallard's file: positions after skipped pages must still line up
        duckdb.execute("DELETE FROM t WHERE key % 3 = 0 AND key BETWEEN 44990 AND 45050");
        duckdb.execute("DELETE FROM t WHERE key = 40000");
        for (String sql : QUERIES) {
          long skipped = metrics.pagesSkipped();
          List<List<String>> withSkipping = compare(duckdb, c, sql);
          if (!sql.contains("> 1000000")) {
            assertThat(metrics.pagesSkipped() - skipped).as(sql).isPositive();
          }
          assertThat(withoutSkipping(c, sql)).as(sql).isEqualTo(withSkipping);
        }
      }
    }
  }

  /** The files DuckDB writes have no page index: nothing is skipped, answers are right. */
  @Test
  void duckDbFilesHaveNoPagesToSkip() throws SQLException {
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      Path catalog = TestLakes.attachNew(duckdb, dir);
      duckdb.execute("CREATE TABLE t AS SELECT i::BIGINT AS key, 'note-' || i AS note FROM range(300000) r(i)");
      try (Connection c = Mallard.connect("sqlite:" + catalog)) {
        ScanMetrics metrics = Mallard.scanMetrics(c);
        String sql = "SELECT key, note FROM t WHERE key BETWEEN 150000 AND 150010 ORDER BY key";
        compare(duckdb, c, sql);
        assertThat(metrics.pagesSkipped()).isZero();
        assertThat(metrics.rowGroupsSkipped()).isPositive(); // row groups are still pruned
      }
    }
  }

  private static List<List<String>> compare(DuckDb duckdb, Connection c, String sql) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, true);
    }
    return Rows.query(c, sql);
  }

  private static List<List<String>> withoutSkipping(Connection c, String sql) throws SQLException {
    String before = System.getProperty("mallard.parquet.pageSkipping");
    System.setProperty("mallard.parquet.pageSkipping", "false");
    try {
      ScanMetrics metrics = Mallard.scanMetrics(c);
      long skipped = metrics.pagesSkipped();
      List<List<String>> rows = Rows.query(c, sql);
      assertThat(metrics.pagesSkipped()).isEqualTo(skipped);
      return rows;
    } finally {
      if (before == null) {
        System.clearProperty("mallard.parquet.pageSkipping");
      } else {
        System.setProperty("mallard.parquet.pageSkipping", before);
      }
    }
  }
}
