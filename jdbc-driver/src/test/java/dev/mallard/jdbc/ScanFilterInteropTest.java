package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Filters pushed into the scan, which evaluates them on the Arrow vectors it reads (integers of
 * every width, dates, timestamps, decimals of up to 18 digits and doubles and strings read from
 * the buffers; other types value by value): the rows they keep equal DuckDB 1.5.5's on edge values
 * (NULLs, negative numbers and type extremes, literals with more decimal digits than the column,
 * literals beyond its range, NaN, -0.0 and infinities, multi-byte and empty strings).
 */
class ScanFilterInteropTest {
  private static Path dir;
  private static DuckDb duckdb;
  private static Connection mallard;

  @BeforeAll
  static void lake() throws Exception {
    dir = Files.createTempDirectory("mallard-scan-filter");
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("CALL lake.set_option('data_inlining_row_limit', 0)");
    duckdb.execute("CREATE TABLE e (id INTEGER, t TINYINT, s SMALLINT, i INTEGER, b BIGINT, d2 DECIMAL(15,2),"
        + " d0 DECIMAL(18,0), d4 DECIMAL(9,4), big DECIMAL(38,2), f DOUBLE, r REAL, v VARCHAR, day DATE,"
        + " ts TIMESTAMP, ok BOOLEAN)");
    duckdb.execute("INSERT INTO e VALUES"
        + " (1, -128, -32768, -2147483648, -9223372036854775808, -9999999999999.99, -999999999999999999,"
        + " -99999.9999, -1e30, '-inf', '-inf', '', DATE '0001-01-01', TIMESTAMP '1970-01-01 00:00:00', false),"
        + " (2, 127, 32767, 2147483647, 9223372036854775807, 9999999999999.99, 999999999999999999,"
        + " 99999.9999, 1e30, 'inf', 'inf', 'é', DATE '9999-12-31', TIMESTAMP '2262-04-11 23:47:16', true),"
        + " (3, 0, 0, 0, 0, 0.00, 0, 0.0000, 0, -0.0, -0.0, 'a', DATE '1970-01-01', TIMESTAMP '1969-12-31 23:59:59.999999', true),"
        + " (4, -1, -1, -1, -1, -0.01, -1, -0.0001, -0.01, 'nan', 'nan', 'ab', DATE '1969-12-31', TIMESTAMP '1900-01-01 00:00:00', false),"
        + " (5, 1, 1, 1, 1, 1.00, 1, 1.0050, 1.01, 0.0, 0.0, 'b', DATE '1995-01-01', TIMESTAMP '1995-01-01 12:00:00', NULL),"
        + " (6, 24, 24, 24, 24, 24.00, 24, 0.0600, 24.00, 1e-300, 1.5, 'a😀', DATE '1994-12-31', TIMESTAMP '1995-01-01 00:00:00', true),"
        + " (7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
        + " (8, -24, -24, -24, -24, 1.01, -24, 0.0500, -24.00, -1e-300, -1.5, 'ﬀ', DATE '1994-01-01', TIMESTAMP '2000-02-29 00:00:00', false),"
        + " (9, 23, 23, 23, 23, 0.07, 23, 0.0700, 23.99, 24.0, 24.0, 'Z', DATE '1993-12-31', TIMESTAMP '1999-12-31 23:59:59', true)");
    // Strings of 8 bytes and more, which the scan compares a word at a time.
    duckdb.execute("INSERT INTO e (id, v) VALUES (10, 'DELIVER IN PERSON'), (11, 'DELIVER IN PERSOM'),"
        + " (12, 'abcdefgh'), (13, 'abcdefghé'), (14, 'abcdefgg'), (15, 'abcdefghéx'), (16, 'DELIVER IN PERSON ')");
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  @AfterAll
  static void close() throws Exception {
    mallard.close();
    duckdb.close();
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Mallard's ids equal DuckDB's for the filter, and the filter runs in the scan. */
  private static void same(String where) throws SQLException {
    String sql = "SELECT id FROM e WHERE " + where + " ORDER BY id";
    assertThat(Rows.plan(mallard, sql)).as(sql).contains("filters=").doesNotContain("EnumerableCalc")
        .doesNotContain("BatchFilter");
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, true);
    }
  }

  @Test
  void integersOfEveryWidthAtTheirExtremes() throws SQLException {
    for (String column : List.of("t", "s", "i", "b")) {
      for (String where : List.of("%s < 24", "%s <= -1", "%s > 0", "%s >= 127", "%s = -24", "%s <> 0",
          "%s BETWEEN -24 AND 23", "%s IN (-1, 24, 127)", "NOT (%s IN (-1, 24))", "%s IS NULL", "%s IS NOT NULL",
          "%s < 0 OR %s > 23", "NOT (%s > 0)")) {
        same(where.replace("%s", column));
      }
    }
    same("b = -9223372036854775808");
    same("b >= 9223372036854775807");
    same("i < -2147483647");
  }

  @Test
  void decimalsAgainstLiteralsOfOtherScalesAndBeyondTheirRange() throws SQLException {
    for (String where : List.of("d2 < 24", "d2 <= 1.005", "d2 < 1.005", "d2 > 1.005", "d2 >= 1.005", "d2 = 1.005",
        "d2 <> 1.005", "d2 = 1.01", "d2 > -0.001", "d2 < -0.001", "d2 BETWEEN 0.06 - 0.01 AND 0.06 + 0.01",
        "d2 < 100000000000000000000", "d2 > -100000000000000000000", "d2 IN (1.01, 0.07, 5)", "d2 IS NULL",
        "d4 BETWEEN 0.05 AND 0.07", "d4 < 1.005", "d4 = 1.005", "d4 > -0.00005", "d4 >= -99999.9999",
        "d0 < 0.5", "d0 > -0.5", "d0 = 24", "d0 >= 999999999999999999", "d0 < -999999999999999998.5",
        "big < 24", "big > 1.005", "big = 23.99", "big < -100000000000000000000000000000")) {
      same(where);
    }
  }

  @Test
  void doublesWithNanZeroesAndInfinities() throws SQLException {
    for (String column : List.of("f", "r")) {
      for (String where : List.of("%s < 24", "%s > 0", "%s >= 0", "%s = 0", "%s = -0.0", "%s <> 0",
          "%s > 1e300", "%s = CAST('nan' AS DOUBLE)", "%s > CAST('inf' AS DOUBLE)", "%s < CAST('nan' AS DOUBLE)", "%s >= CAST('inf' AS DOUBLE)",
          "%s <= CAST('-inf' AS DOUBLE)", "%s IN (24, 1.5)", "%s < 1.5", "%s IS NULL")) {
        same(where.replace("%s", column));
      }
    }
  }

  @Test
  void stringsByCodePoint() throws SQLException {
    for (String where : List.of("v = ''", "v > ''", "v < 'a'", "v <= 'a'", "v > 'a'", "v >= 'ab'", "v = 'é'",
        "v > 'z'", "v < 'é'", "v > 'a😀'", "v < 'aa'", "v <> 'b'", "v IN ('a', 'ab', 'ﬀ')",
        "v BETWEEN 'a' AND 'b'", "v > 'ﬀ'", "v IS NULL", "v = 'a' OR v = 'Z'",
        "v = 'DELIVER IN PERSON'", "v < 'DELIVER IN PERSON'", "v > 'DELIVER IN PERSON'", "v >= 'DELIVER IN PERSOM'",
        "v = 'abcdefgh'", "v > 'abcdefgh'", "v < 'abcdefgi'", "v <= 'abcdefg'", "v > 'abcdefghé'",
        "v IN ('AIR', 'AIR REG', 'abcdefgg')", "v <> 'DELIVER IN PERSON'")) {
      same(where);
    }
  }

  @Test
  void datesTimestampsAndBooleans() throws SQLException {
    for (String where : List.of("day >= DATE '1994-01-01' AND day < DATE '1995-01-01'", "day < DATE '1970-01-01'",
        "day > DATE '9999-12-30'", "day = DATE '0001-01-01'", "day IS NULL",
        "ts < TIMESTAMP '1970-01-01 00:00:00'", "ts >= TIMESTAMP '1995-01-01 00:00:00'",
        "ts = TIMESTAMP '2000-02-29 00:00:00'", "ok = true", "ok = false", "ok IS NULL")) {
      same(where);
    }
  }
}
