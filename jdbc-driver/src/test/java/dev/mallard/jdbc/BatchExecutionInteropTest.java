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
 * Batch operators (columnar filter, project, hash aggregate, limit; see COMPATIBILITY.md): their
 * results equal DuckDB 1.5.5's on a lake it wrote, NULLs included, and the plans show where they run
 * and where Calcite's Enumerable operators stay.
 */
class BatchExecutionInteropTest {
  private static Path dir;
  private static DuckDb duckdb;
  private static Connection mallard;

  @BeforeAll
  static void lake() throws Exception {
    dir = Files.createTempDirectory("mallard-batch");
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("CALL lake.set_option('data_inlining_row_limit', 0)");
    duckdb.execute("CREATE TABLE li (flag VARCHAR, status VARCHAR, qty DECIMAL(15,2), price DECIMAL(15,2),"
        + " disc DECIMAL(15,2), tax DECIMAL(15,2), ship DATE, k INTEGER, b BIGINT, d DOUBLE, s SMALLINT, ok BOOLEAN,"
        + " big DECIMAL(18,4))");
    // Two files; every column NULL on some rows; big values whose products and sums outgrow a long.
    for (int f = 0; f < 2; f++) {
      duckdb.execute("INSERT INTO li SELECT"
          + " CASE WHEN i % 97 = 0 THEN NULL ELSE ['A', 'N', 'R'][1 + (i % 3)::INTEGER] END,"
          + " CASE WHEN i % 89 = 0 THEN NULL ELSE ['F', 'O'][1 + (i % 2)::INTEGER] END,"
          + " CASE WHEN i % 83 = 0 THEN NULL ELSE (i % 50 + 1)::DECIMAL(15,2) END,"
          + " CASE WHEN i % 79 = 0 THEN NULL ELSE (900 + (i * 37) % 100000 / 100.0)::DECIMAL(15,2) END,"
          + " CASE WHEN i % 73 = 0 THEN NULL ELSE ((i % 11) / 100.0)::DECIMAL(15,2) END,"
          + " CASE WHEN i % 71 = 0 THEN NULL ELSE ((i % 9) / 100.0)::DECIMAL(15,2) END,"
          + " CASE WHEN i % 67 = 0 THEN NULL ELSE DATE '1992-01-01' + (i % 2500)::INTEGER END,"
          + " CASE WHEN i % 61 = 0 THEN NULL ELSE (i % 1000 - 500)::INTEGER END,"
          + " CASE WHEN i % 59 = 0 THEN NULL ELSE i * 1000003 END,"
          + " CASE WHEN i % 53 = 0 THEN NULL ELSE i / 7.0 END,"
          + " CASE WHEN i % 47 = 0 THEN NULL ELSE (i % 300)::SMALLINT END,"
          + " CASE WHEN i % 43 = 0 THEN NULL ELSE i % 4 = 0 END,"
          + " CASE WHEN i % 41 = 0 THEN NULL ELSE (99999999999999.9999 - i)::DECIMAL(18,4) END"
          + " FROM range(" + f * 30000 + ", " + (f + 1) * 30000 + ") t(i)");
    }
    duckdb.execute("CREATE TABLE days (d DATE)");
    duckdb.execute("INSERT INTO days VALUES (DATE '1969-12-31'), (DATE '1970-01-01'), (DATE '1900-02-28'),"
        + " (DATE '2000-02-29'), (DATE '2024-12-31'), (DATE '0001-01-01'), (DATE '9999-12-31'), (NULL)");
    duckdb.execute("CREATE TABLE phones (p VARCHAR, bal DECIMAL(15,2), ck INTEGER)");
    duckdb.execute("INSERT INTO phones SELECT CASE WHEN i % 13 = 0 THEN NULL WHEN i % 11 = 0 THEN ''"
        + " ELSE ['13', '31', 'ñá', '2'][1 + (i % 4)::INTEGER] || '-' || (i * 7919 % 1000)::VARCHAR END,"
        + " CASE WHEN i % 17 = 0 THEN NULL ELSE (i % 200 - 50)::DECIMAL(15,2) END, i FROM range(0, 5000) t(i)");
    duckdb.execute("CREATE TABLE endless (d DATE)");
    duckdb.execute("INSERT INTO endless VALUES (DATE '2020-05-17'), ('infinity'::DATE)");
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

  private static String explain(String sql) throws SQLException {
    return Rows.plan(mallard, sql);
  }

  /** Asserts Mallard's rows equal DuckDB's; ordered when the query has an ORDER BY. */
  private static void same(String sql) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, sql.contains("ORDER BY"));
    }
  }

  private static final String Q01_LIKE = "SELECT flag, status, sum(qty) AS sum_qty, sum(price) AS sum_base,"
      + " sum(price * (1 - disc)) AS sum_disc, sum(price * (1 - disc) * (1 + tax)) AS sum_charge,"
      + " avg(qty) AS avg_qty, avg(price) AS avg_price, avg(disc) AS avg_disc, count(*) AS n"
      + " FROM li WHERE ship <= DATE '1998-12-01' - INTERVAL '90' DAY GROUP BY flag, status ORDER BY flag, status";

  @Test
  void aQ01LikeAggregateRunsAsBatchOperatorsAndEqualsDuckDb() throws SQLException {
    String plan = explain(Q01_LIKE);
    assertThat(plan).contains("BatchToEnumerable").contains("BatchAggregate").contains("BatchScan")
        .doesNotContain("EnumerableAggregate");
    same(Q01_LIKE);
  }

  @Test
  void aQ06LikeSumRunsAsBatchOperators() throws SQLException {
    String sql = "SELECT sum(price * disc) AS revenue FROM li WHERE ship >= DATE '1994-01-01'"
        + " AND ship < DATE '1994-01-01' + INTERVAL '1' YEAR AND disc BETWEEN 0.06 - 0.01 AND 0.06 + 0.01"
        + " AND qty < 24";
    assertThat(explain(sql)).contains("BatchAggregate");
    same(sql);
  }

  @Test
  void anUnsupportedExpressionStaysEnumerable() throws SQLException {
    String sql = "SELECT flag, sum(qty) FROM li WHERE status LIKE 'F%' AND upper(flag) <> 'X' GROUP BY flag";
    String plan = explain(sql);
    assertThat(plan).contains("EnumerableCalc").doesNotContain("Batch");
    same(sql);
    String doubleKeys = "SELECT d, count(*) FROM li GROUP BY d";
    assertThat(explain(doubleKeys)).contains("EnumerableAggregate").doesNotContain("BatchAggregate");
    same(doubleKeys);
  }

  @Test
  void theSwitchTurnsBatchOperatorsOff() throws SQLException {
    System.setProperty("mallard.batch", "false");
    try {
      // Another text than the other tests' (whose plans the connection may have cached).
      String sql = Q01_LIKE.replace("AS n", "AS count_order");
      assertThat(explain(sql)).doesNotContain("Batch").contains("EnumerableAggregate");
      same(sql);
    } finally {
      System.clearProperty("mallard.batch");
    }
  }

  @Test
  void aggregatesOfEveryTypeWithNullGroupsAndNullArguments() throws SQLException {
    for (String sql : List.of(
        "SELECT flag, count(*), count(qty), count(flag), sum(k), sum(b), sum(s), avg(k), avg(d), sum(d),"
            + " min(k), max(k), min(b), max(b), min(flag), max(status), min(price), max(price), min(ship), max(ship)"
            + " FROM li GROUP BY flag",
        "SELECT status, ship, count(*) FROM li GROUP BY status, ship",
        "SELECT ok, k > 7 AS seven, count(*), sum(qty) FROM li GROUP BY ok, k > 7",
        "SELECT price, count(*) FROM li GROUP BY price",
        // One integer key (NULL and negative keys included) and averages of negative decimals and of sums beyond 2^53.
        "SELECT k, count(*), avg(qty), avg(disc - 0.05), avg(big), sum(price) FROM li GROUP BY k",
        "SELECT b, avg(price) FROM li GROUP BY b",
        "SELECT count(*), sum(qty), avg(qty), min(flag), max(ship) FROM li",
        "SELECT count(*), sum(qty), avg(qty), min(flag), max(ship), sum(d) FROM li WHERE k > 100000",
        "SELECT flag, sum(qty) FROM li WHERE k > 100000 GROUP BY flag",
        "SELECT sum(big), sum(CAST(big AS DECIMAL(38,4)) * qty), max(big + 1), min(big - 1), sum(big - 1) FROM li",
        "SELECT sum(k * 1000), sum(b * 2), sum(s + s), max(b - k) FROM li")) {
      assertThat(explain(sql)).as(sql).contains("BatchAggregate");
      same(sql);
    }
  }

  /** {@code + 0} keeps a comparison from being pushed into the scan, so that the batch filter computes it. */
  @Test
  void filtersWithSqlNullSemantics() throws SQLException {
    for (String sql : List.of(
        "SELECT count(k) FROM li WHERE ok = (k + 0 > 0)",
        "SELECT count(k) FROM li WHERE NOT (ok = (k + 0 > 0))",
        "SELECT count(k) FROM li WHERE ok IS NULL OR k + 0 IS NULL",
        "SELECT count(k) FROM li WHERE NOT (k + 0 > 0 AND qty + 0 < 10)",
        "SELECT count(k) FROM li WHERE k + 0 > 0 OR qty + 0 < 10",
        "SELECT count(k) FROM li WHERE (k + 0 > 0) IS NOT NULL AND flag IS NOT NULL",
        "SELECT count(k) FROM li WHERE k + 0 IN (1, 2, 3, -400, 499) OR flag IN ('A', 'R')",
        "SELECT count(k) FROM li WHERE k + 0 NOT IN (1, 2, 3)",
        "SELECT count(k) FROM li WHERE qty + 0 BETWEEN 10 AND 20.5"
            + " AND ship NOT BETWEEN DATE '1993-01-01' AND DATE '1995-06-30'",
        "SELECT count(k) FROM li WHERE d > 1000.5 AND d * 2 < 5000 AND k + s > 0",
        "SELECT count(k) FROM li WHERE price * (1 - disc) > 1000 AND b - k * 2 > 40000",
        "SELECT count(k) FROM li WHERE CAST(k AS DOUBLE) > 3.5 AND CAST(k AS DECIMAL(20,3)) < 400.5",
        "SELECT count(k) FROM li WHERE flag = status OR flag < 'B'")) {
      assertThat(explain(sql)).as(sql).contains("BatchScan").doesNotContain("EnumerableCalc");
      same(sql);
    }
  }

  @Test
  void projectionsAndCaseInAggregates() throws SQLException {
    for (String sql : List.of(
        "SELECT flag, sum(CASE WHEN status = 'F' THEN price * disc ELSE 0 END), sum(CASE WHEN k > 0 THEN 1 ELSE 0 END),"
            + " sum(CASE WHEN k IS NULL THEN NULL WHEN k > 0 THEN d END) FROM li GROUP BY flag ORDER BY flag",
        "SELECT s + 1, count(*) FROM li GROUP BY s + 1",
        "SELECT k * 2 + 1, price - disc, d * 3.5, ok, ship, flag FROM li WHERE k < -495")) {
      same(sql);
    }
    // Calls repeated, computed once: nested in each other, inside a CASE.
    for (String sql : List.of(
        "SELECT flag, sum(qty * 2), sum(qty * 2 + 1), sum((qty * 2 + 1) * disc),"
            + " sum(CASE WHEN qty * 2 > 40 THEN (qty * 2 + 1) * disc ELSE 0 END) FROM li GROUP BY flag ORDER BY flag",
        "SELECT flag, sum(price * (1 - disc)), sum(price * (1 - disc) * (1 + tax)),"
            + " sum(CASE WHEN qty * (1 - disc) > 20 THEN qty * (1 - disc) ELSE 0 END) FROM li GROUP BY flag ORDER BY flag")) {
      assertThat(explain(sql)).as(sql).contains("BatchProject");
      same(sql);
    }
  }

  /**
   * A correlated subquery like TPC-H Q17's: the join's build side aggregates by the join key, and
   * only the keys the (small) probe side holds are aggregated; NULL keys and negative keys included.
   */
  @Test
  void aQ17LikeCorrelatedAverageOverTheFewKeysOfTheOuterQuery() throws SQLException {
    for (String sql : List.of(
        "SELECT sum(price) FROM li o WHERE (o.k BETWEEN -3 AND 2 OR o.k IS NULL)"
            + " AND qty < (SELECT 0.2 * avg(qty) + 3 FROM li i WHERE i.k = o.k)")) {
      assertThat(explain(sql)).as(sql).contains("BatchHashJoin").contains("BatchAggregate");
      same(sql);
    }
  }

  /**
   * TPC-H Q22's shape: SUBSTRING of constant positions, and a scalar subquery's one row joined to
   * every row (Calcite's nested-loop join), in batch operators; the subquery's value NULL too.
   */
  @Test
  void substringsAndScalarSubqueriesRunAsBatchOperators() throws SQLException {
    for (String sql : List.of(
        "SELECT substring(p, 1, 2) AS c, count(*), sum(bal) FROM phones WHERE substring(p, 1, 2) IN ('13', 'ñá', '2-')"
            + " AND bal > (SELECT avg(bal) FROM phones WHERE bal > 0 AND substring(p, 1, 2) IN ('13', '31'))"
            + " GROUP BY 1 ORDER BY 1",
        "SELECT count(*) FROM phones WHERE bal > (SELECT avg(bal) FROM phones WHERE bal > 1000)",
        "SELECT ck, bal - m FROM phones, (SELECT max(bal) AS m FROM phones WHERE ck < 100) WHERE ck < 300")) {
      assertThat(explain(sql)).as(sql).contains("BatchSingleRowJoin").doesNotContain("NestedLoop")
          .doesNotContain("EnumerableCalc");
      same(sql);
    }
    String substrings = "SELECT p, substring(p, 3), substring(p, 2, 4), substring(p, 4, 100), count(*) FROM phones"
        + " WHERE p IS NULL OR substring(p, 4, 1) <> '9' GROUP BY 1, 2, 3, 4";
    assertThat(explain(substrings)).contains("BatchAggregate").doesNotContain("EnumerableCalc");
    same(substrings);
  }

  /**
   * TPC-H Q16's shape: NOT IN over a subquery becomes a single-row join of the subquery's counts and
   * a LEFT join of its distinct values marked by LITERAL_AGG, all batch operators; with and without
   * NULLs among the subquery's values (a NULL there leaves no row).
   */
  @Test
  void notInSubqueriesRunAsBatchOperators() throws SQLException {
    for (String sql : List.of(
        "SELECT flag, count(*) FROM li WHERE k NOT IN (SELECT ck FROM phones WHERE bal > 100) GROUP BY flag ORDER BY flag",
        "SELECT flag, count(*) FROM li WHERE k NOT IN (SELECT k FROM li WHERE s < 5) GROUP BY flag ORDER BY flag")) {
      assertThat(explain(sql)).as(sql).contains("LITERAL_AGG").contains("BatchSingleRowJoin")
          .doesNotContain("EnumerableAggregate").doesNotContain("EnumerableHashJoin");
      same(sql);
    }
  }

  @Test
  void datePartsOfDates() throws SQLException {
    for (String sql : List.of(
        "SELECT extract(year FROM ship), extract(quarter FROM ship), extract(month FROM ship),"
            + " extract(day FROM ship), count(*) FROM li GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        "SELECT d, extract(year FROM d), extract(quarter FROM d), extract(month FROM d), extract(day FROM d)"
            + " FROM days WHERE d IS NULL OR extract(month FROM d) > 0 ORDER BY d")) {
      assertThat(explain(sql)).as(sql).contains("BatchScan").doesNotContain("EnumerableCalc");
      same(sql);
    }
  }

  /** Mallard computes on finite dates only (DuckDB's year of infinity is NULL): it fails, as the row path does. */
  @Test
  void aDatePartOfAnInfiniteDateFails() throws SQLException {
    String sql = "SELECT max(extract(year FROM d)) FROM endless";
    assertThat(explain(sql)).contains("BatchAggregate").doesNotContain("EnumerableCalc");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
        while (rs.next()) {
          rs.getLong(1);
        }
      }
    }).hasStackTraceContaining("The date infinity cannot be used in this operation");
  }

  @Test
  void limitWithoutOrder() throws SQLException {
    String sql = "SELECT count(*) FROM (SELECT k FROM li WHERE k > 0 LIMIT 1000 OFFSET 10)";
    assertThat(explain(sql)).contains("BatchLimit");
    same(sql);
  }

  @Test
  void integerOverflowFailsAsInDuckDb() throws SQLException {
    // DuckDB: "Overflow in multiplication of INT64"; Mallard must not wrap around either.
    String sql = "SELECT sum(b * 9223372036854) FROM li";
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
        rs.next();
      }
    }).hasStackTraceContaining("out of the range");
  }
}
