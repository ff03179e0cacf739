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
 * The planner's and batch operators' shortcuts for TPC-H query shapes (LIKE by substring search,
 * unary minus, disjunctions split over a join's inputs, ...): their results equal DuckDB 1.5.5's on
 * a lake it wrote, with NULLs in every column.
 */
class PlanRewritesInteropTest {
  private static Path dir;
  private static DuckDb duckdb;
  private static Connection mallard;

  @BeforeAll
  static void lake() throws Exception {
    dir = Files.createTempDirectory("mallard-rewrites");
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("CALL lake.set_option('data_inlining_row_limit', 0)");
    duckdb.execute("CREATE TABLE p (pk INTEGER, brand VARCHAR, size INTEGER, cont VARCHAR, name VARCHAR)");
    duckdb.execute("INSERT INTO p SELECT"
        + " CASE WHEN i % 53 = 0 THEN NULL ELSE i END,"
        + " CASE WHEN i % 31 = 0 THEN NULL ELSE 'Brand#' || (1 + i % 5) END,"
        + " CASE WHEN i % 29 = 0 THEN NULL ELSE (i % 20)::INTEGER END,"
        + " CASE WHEN i % 23 = 0 THEN NULL ELSE ['SM BOX', 'MED BAG', 'LG CASE', 'SM PKG'][1 + (i % 4)::INTEGER] END,"
        + " CASE WHEN i % 19 = 0 THEN NULL WHEN i % 17 = 0 THEN '' WHEN i % 13 = 0 THEN 'green' || chr(10) || 'x'"
        + "   ELSE ['forest green', 'PROMO tin', 'special x requests', 'requests special', 'ab'][1 + (i % 5)::INTEGER] END"
        + " FROM range(0, 2000) t(i)");
    duckdb.execute("CREATE TABLE l (pk INTEGER, qty DECIMAL(15,2), price DECIMAL(15,2), mode VARCHAR, k SMALLINT, d DOUBLE)");
    duckdb.execute("INSERT INTO l SELECT"
        + " CASE WHEN i % 47 = 0 THEN NULL ELSE (i * 7) % 2100 END,"
        + " CASE WHEN i % 43 = 0 THEN NULL ELSE (i % 50 + 1)::DECIMAL(15,2) END,"
        + " CASE WHEN i % 41 = 0 THEN NULL ELSE (i % 1000 / 10.0)::DECIMAL(15,2) END,"
        + " CASE WHEN i % 37 = 0 THEN NULL ELSE ['AIR', 'AIR REG', 'MAIL', 'SHIP'][1 + (i % 4)::INTEGER] END,"
        + " CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 300 - 150)::SMALLINT END,"
        + " CASE WHEN i % 7 = 0 THEN NULL ELSE i / 3.0 - 100 END"
        + " FROM range(0, 8000) t(i)");
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

  private static void same(String sql) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, sql.contains("ORDER BY"));
    }
  }

  @Test
  void likePatternsOfPercentAndTextMatchAsDuckDb() throws SQLException {
    for (String pattern : List.of("%green%", "PROMO%", "%special%requests%", "%requests", "ab", "", "%", "%%",
        "green%x", "%e%e%e%", "a%b", "%s%s%")) {
      String sql = "SELECT count(*), count(name) FROM p WHERE size + 0 >= 0 AND name LIKE '" + pattern + "'";
      assertThat(explain(sql)).as(sql).contains("BatchScan").doesNotContain("EnumerableCalc");
      same(sql);
      same("SELECT count(*) FROM p WHERE size + 0 >= 0 AND name NOT LIKE '" + pattern + "'");
    }
  }

  @Test
  void unaryMinusInBatchOperators() throws SQLException {
    for (String sql : List.of(
        "SELECT sum(-qty), min(-price), sum(-d), sum(-k), min(-pk), max(-pk) FROM l",
        "SELECT -k AS m, count(*), sum(-(qty * price)) FROM l GROUP BY -k",
        "SELECT count(*) FROM l WHERE -d > -50 AND -k < 10")) {
      assertThat(explain(sql)).as(sql).contains("BatchAggregate");
      same(sql);
    }
  }

  /** Q19's shape: the key is in every branch, so the join hashes, and each table gets its part of every branch. */
  @Test
  void orOfAndsWithTheJoinKeyInEveryBranchHashesAndFiltersEachTable() throws SQLException {
    String sql = "SELECT count(*), sum(l.qty), sum(l.price * (1 - l.qty)) FROM l, p WHERE"
        + " (p.pk = l.pk AND p.brand = 'Brand#1' AND p.cont IN ('SM BOX', 'SM PKG') AND l.qty BETWEEN 1 AND 11"
        + "   AND p.size BETWEEN 1 AND 5 AND l.mode IN ('AIR', 'AIR REG'))"
        + " OR (p.pk = l.pk AND p.brand = 'Brand#2' AND p.cont = 'MED BAG' AND l.qty BETWEEN 10 AND 20"
        + "   AND p.size BETWEEN 1 AND 10 AND l.mode IN ('AIR', 'AIR REG'))"
        + " OR (l.pk = p.pk AND p.brand = 'Brand#3' AND l.qty BETWEEN 20 AND 30 AND p.size BETWEEN 1 AND 15"
        + "   AND l.mode = 'MAIL')";
    String plan = explain(sql);
    assertThat(plan).as(plan).contains("HashJoin(condition=[AND(=(")
        .containsPattern("table=\\[\\[main, l]], .*filters=.*OR")
        .containsPattern("table=\\[\\[main, p]], .*filters=.*OR");
    same(sql);
  }

  /** A branch without the key: nothing is factored out (the join stays a nested loop), rows as DuckDB's. */
  @Test
  void orWithABranchLackingTheKeyIsNotFactored() throws SQLException {
    String sql = "SELECT count(*), sum(l.qty), count(p.size) FROM (SELECT * FROM l WHERE price < 3) l,"
        + " (SELECT * FROM p WHERE size < 3) p WHERE"
        + " (p.pk = l.pk AND p.brand = 'Brand#1' AND l.qty < 30) OR (p.brand = 'Brand#2' AND l.qty < 3)";
    assertThat(explain(sql)).contains("NestedLoopJoin");
    same(sql);
  }

  /** A table absent from one branch gets no filter of its own; the key still hashes. */
  @Test
  void tableMissingFromABranchGetsNoFilter() throws SQLException {
    for (String sql : List.of(
        "SELECT count(*), sum(l.qty) FROM l, p WHERE (p.pk = l.pk AND p.brand = 'Brand#1')"
            + " OR (p.pk = l.pk AND l.qty < 3)",
        "SELECT count(*), sum(l.qty) FROM l, p WHERE p.pk = l.pk AND (p.brand = 'Brand#1' OR l.qty < 3"
            + " OR p.name IS NULL AND l.mode IS NULL)",
        "SELECT count(*) FROM l, p WHERE p.pk = l.pk AND (p.size IS NULL OR l.k IS NULL)")) {
      assertThat(explain(sql)).as(sql).doesNotContain("NestedLoopJoin");
      same(sql);
    }
  }

  /** Q07's shape: the same table twice, a pair of values swapped between the two. */
  @Test
  void orOverTwoCopiesOfATableFiltersEachCopy() throws SQLException {
    String sql = "SELECT p1.brand, p2.brand, count(*), sum(l.qty) FROM p p1, p p2, l"
        + " WHERE p1.pk = l.pk AND p2.size = l.k"
        + " AND ((p1.brand = 'Brand#1' AND p2.brand = 'Brand#2') OR (p1.brand = 'Brand#2' AND p2.brand = 'Brand#1'))"
        + " GROUP BY p1.brand, p2.brand ORDER BY 1, 2";
    same(sql);
  }

  /** An OR in an outer join's ON: the preserved side is not filtered (its unmatched rows remain). */
  @Test
  void orInALeftJoinConditionKeepsThePreservedRows() throws SQLException {
    for (String sql : List.of(
        "SELECT count(*), count(l.pk), sum(l.qty) FROM p LEFT JOIN l"
            + " ON (p.pk = l.pk AND p.size < 5 AND l.qty < 10) OR (p.pk = l.pk AND p.size > 15 AND l.qty > 40)",
        "SELECT count(*), count(p.pk) FROM l LEFT JOIN p"
            + " ON (p.pk = l.pk AND p.size < 5 AND l.qty < 10) OR (p.pk = l.pk AND p.size > 15 AND l.qty > 40)")) {
      same(sql);
    }
  }

  /** Q15's shape: a WITH query read twice is aggregated once; two different ones are not confused. */
  @Test
  void aggregateReadTwiceIsComputedOnce() throws SQLException {
    String sql = "WITH r AS (SELECT pk, sum(qty * price) AS total FROM l WHERE k > 0 GROUP BY pk)"
        + " SELECT p.pk, p.brand, r.total FROM p, r WHERE p.pk = r.pk"
        + " AND r.total = (SELECT max(total) FROM r) ORDER BY p.pk";
    assertThat(explain(sql)).contains("BatchShared");
    same(sql);
    String different = "WITH r AS (SELECT pk, sum(qty * price) AS total FROM l WHERE k > 0 GROUP BY pk),"
        + " s AS (SELECT pk, sum(qty * price) AS total FROM l WHERE k > 1 GROUP BY pk)"
        + " SELECT r.pk, r.total FROM r WHERE r.total = (SELECT max(total) FROM s) ORDER BY r.pk";
    assertThat(explain(different)).doesNotContain("BatchShared");
    same(different);
    String groupsWithNulls = "WITH r AS (SELECT pk, mode, count(*) AS n FROM l GROUP BY pk, mode)"
        + " SELECT a.mode, count(*), sum(a.n) FROM r a JOIN r b ON a.pk = b.pk AND a.mode = b.mode"
        + " GROUP BY a.mode ORDER BY a.mode";
    same(groupsWithNulls);
  }

  /** Grouping by several keys of every kind (integers, text, decimals, NULLs), as DuckDB does. */
  @Test
  void groupByManyKeysOfEveryKind() throws SQLException {
    for (String sql : List.of(
        "SELECT pk, k, count(*), sum(qty) FROM l GROUP BY pk, k",
        "SELECT mode, qty, count(*), min(price) FROM l GROUP BY mode, qty",
        "SELECT mode, k, qty, price, count(*) FROM l GROUP BY mode, k, qty, price",
        "SELECT brand, cont, size, count(*), count(name) FROM p GROUP BY brand, cont, size")) {
      assertThat(explain(sql)).as(sql).contains("BatchAggregate");
      same(sql);
    }
  }
}
