package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.ScanMetrics;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ?} parameters prune like literals: a reused PreparedStatement opens only the files whose
 * statistics allow its bound values, at each execution, from one cached plan; answers are DuckDB's.
 */
class ParameterPushdownInteropTest {
  @TempDir static Path dir;
  private static DuckDb duckdb;
  private static Connection mallard;
  private static ScanMetrics metrics;

  @BeforeAll
  static void writeLake() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("CREATE TABLE t (key BIGINT, small INTEGER, amount DECIMAL(12,2), name VARCHAR, day DATE)");
    // 20 files of 1,000 keys each, every column sorted with the key, so each file has its own ranges.
    for (int f = 0; f < 20; f++) {
      duckdb.execute("INSERT INTO t SELECT i, i::INTEGER, i / 100, 'n' || lpad(i::VARCHAR, 6, '0'),"
          + " DATE '2000-01-01' + i::INTEGER FROM range(" + f * 1000 + ", " + (f + 1) * 1000 + ") r(i)");
    }
    assertThat(duckdb.query("SELECT count(*) FROM ducklake_list_files('lake', 't')").scalar())
        .isEqualTo(BigInteger.valueOf(20));
    mallard = Mallard.connect("sqlite:" + catalog);
    metrics = Mallard.scanMetrics(mallard);
  }

  @AfterAll
  static void close() throws SQLException {
    if (mallard != null) {
      mallard.close();
    }
    if (duckdb != null) {
      duckdb.close();
    }
  }

  /** Runs the statement as bound, compares with DuckDB's {@code expectedSql}, returns the files it opened. */
  private static long filesOpened(PreparedStatement statement, String expectedSql) throws SQLException {
    long before = metrics.dataFilesOpened();
    try (ResultSet rs = statement.executeQuery()) {
      assertSameRows(duckdb.query(expectedSql), rs, true);
    }
    return metrics.dataFilesOpened() - before;
  }

  @Test
  void aReusedPointQueryOpensOnlyTheFileOfEachBoundKey() throws SQLException {
    PlanCache plans = DuckLakeDriver.session(mallard).plans();
    long missesBefore = plans.misses();
    try (PreparedStatement ps = mallard.prepareStatement("SELECT key, name FROM t WHERE key = ?")) {
      for (long key : new long[] {0, 7_321, 19_999, 12_000}) {
        ps.setLong(1, key);
        assertThat(filesOpened(ps, "SELECT key, name FROM t WHERE key = " + key)).isEqualTo(1);
      }
      ps.setLong(1, 25_000); // beyond every file's maximum
      assertThat(filesOpened(ps, "SELECT key, name FROM t WHERE key = 25000")).isZero();
    }
    assertThat(plans.misses() - missesBefore).isEqualTo(1);
  }

  @Test
  void rangesBetweenAndInListsOfParametersPrune() throws SQLException {
    try (PreparedStatement ps = mallard.prepareStatement(
        "SELECT key FROM t WHERE key BETWEEN ? AND ? ORDER BY key")) {
      ps.setLong(1, 4_100);
      ps.setLong(2, 5_900);
      assertThat(filesOpened(ps, "SELECT key FROM t WHERE key BETWEEN 4100 AND 5900 ORDER BY key")).isEqualTo(2);
    }
    try (PreparedStatement ps = mallard.prepareStatement("SELECT count(*) FROM t WHERE small < ?")) {
      ps.setInt(1, 1_500);
      assertThat(filesOpened(ps, "SELECT count(*) FROM t WHERE small < 1500")).isEqualTo(2);
    }
    try (PreparedStatement ps = mallard.prepareStatement("SELECT key FROM t WHERE key IN (?, ?) ORDER BY key")) {
      ps.setLong(1, 3);
      ps.setLong(2, 18_500);
      assertThat(filesOpened(ps, "SELECT key FROM t WHERE key IN (3, 18500) ORDER BY key")).isEqualTo(2);
    }
  }

  @Test
  void decimalStringAndDateParametersPrune() throws SQLException {
    try (PreparedStatement ps = mallard.prepareStatement("SELECT key FROM t WHERE amount >= ? ORDER BY key")) {
      ps.setBigDecimal(1, new BigDecimal("199.95"));
      assertThat(filesOpened(ps, "SELECT key FROM t WHERE amount >= 199.95 ORDER BY key")).isEqualTo(1);
    }
    try (PreparedStatement ps = mallard.prepareStatement("SELECT key FROM t WHERE name = ?")) {
      ps.setString(1, "n010203");
      assertThat(filesOpened(ps, "SELECT key FROM t WHERE name = 'n010203'")).isEqualTo(1);
    }
    try (PreparedStatement ps = mallard.prepareStatement("SELECT key FROM t WHERE day > ? ORDER BY key")) {
      ps.setDate(1, Date.valueOf("2054-06-01"));
      assertThat(filesOpened(ps, "SELECT key FROM t WHERE day > DATE '2054-06-01' ORDER BY key")).isEqualTo(1);
    }
  }

  /** Values the column's type cannot hold exactly, and NULL, are not pushed: the filter above still answers. */
  @Test
  void inexactAndNullValuesStillGiveDuckDbsAnswer() throws SQLException {
    try (PreparedStatement ps = mallard.prepareStatement("SELECT key FROM t WHERE key = ?")) {
      ps.setNull(1, java.sql.Types.BIGINT);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isFalse();
      }
    }
    try (PreparedStatement ps = mallard.prepareStatement("SELECT count(*) FROM t WHERE amount < ?")) {
      ps.setBigDecimal(1, new BigDecimal("0.015"));
      try (ResultSet rs = ps.executeQuery()) {
        assertSameRows(duckdb.query("SELECT count(*) FROM t WHERE amount < 0.015"), rs, true);
      }
    }
  }
}
