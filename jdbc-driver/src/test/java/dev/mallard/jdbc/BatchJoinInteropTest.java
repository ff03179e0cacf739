package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.ScanMetrics;
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
 * Batch hash joins (INNER, LEFT, SEMI, ANTI) and batch sorts and top-N: results equal DuckDB 1.5.5's
 * on a lake it wrote, with NULL keys, duplicate keys, empty sides, keys of every type TPC-H joins on,
 * residual conditions, and NULLs in sort keys.
 */
class BatchJoinInteropTest {
  private static Path dir;
  private static DuckDb duckdb;
  private static Connection mallard;

  @BeforeAll
  static void lake() throws Exception {
    dir = Files.createTempDirectory("mallard-batch-join");
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("CALL lake.set_option('data_inlining_row_limit', 0)");
    for (String t : List.of("l", "r", "e")) {
      duckdb.execute("CREATE TABLE " + t + " (k INTEGER, s VARCHAR, d DATE, m DECIMAL(15,2), b BIGINT, v INTEGER)");
    }
    // Two files a side; every key NULL on some rows; each key value on several rows of each side.
    for (int f = 0; f < 2; f++) {
      for (String t : List.of("l", "r")) {
        int seed = t.equals("l") ? 0 : 7;
        duckdb.execute("INSERT INTO " + t + " SELECT"
            + " CASE WHEN i % 13 = " + seed % 13 + " THEN NULL ELSE (i * 7 + " + seed + ") % 150 END,"
            + " CASE WHEN i % 11 = 3 THEN NULL ELSE 'key' || ((i + " + seed + ") % 90) END,"
            + " CASE WHEN i % 17 = 5 THEN NULL ELSE DATE '1995-01-01' + ((i + " + seed + ") % 120)::INTEGER END,"
            + " CASE WHEN i % 19 = 2 THEN NULL ELSE ((i + " + seed + ") % 70 / 4.0)::DECIMAL(15,2) END,"
            + " CASE WHEN i % 23 = 1 THEN NULL ELSE ((i + " + seed + ") % 110) * 10000000000 END,"
            + " CASE WHEN i % 29 = 0 THEN NULL ELSE (i * 31) % 1000 END"
            + " FROM range(" + f * 1500 + ", " + (f + 1) * 1500 + ") t(i)");
      }
    }
    // Twelve files: a scan of several tasks at once on the scan pool.
    duckdb.execute("CREATE TABLE m (k INTEGER, s VARCHAR, v INTEGER)");
    for (int f = 0; f < MANY_FILES; f++) {
      duckdb.execute("INSERT INTO m SELECT CASE WHEN i % 31 = 0 THEN NULL ELSE i % 170 END, 'key' || (i % 95),"
          + " CASE WHEN i % 37 = 0 THEN NULL ELSE (i * 13) % 2000 END FROM range(" + f * 500 + ", " + (f + 1) * 500
          + ") t(i)");
    }
    // One file of one row group, 30 batches: keys 0-99 in its first 20,000 rows, 1,000 and up after.
    duckdb.execute("CREATE TABLE big (k INTEGER, t TINYINT, b BIGINT, s VARCHAR, v INTEGER)");
    duckdb.execute("INSERT INTO big SELECT CASE WHEN i % 41 = 0 THEN NULL WHEN i < 20000 THEN i % 100 ELSE 1000 + i END,"
        + " (i % 120)::TINYINT, CASE WHEN i % 43 = 0 THEN NULL ELSE (i % 110) * 10000000000 END, 'key' || (i % 95),"
        + " (i * 13) % 2000 FROM range(120000) t(i)");
    duckdb.execute("CREATE TABLE few (k INTEGER, t TINYINT, b BIGINT, v INTEGER)");
    duckdb.execute("INSERT INTO few VALUES (3, 3, 30000000000, 1), (5, NULL, NULL, 2), (8, -8, 80000000000, 3),"
        + " (NULL, 100, 0, 4), (5, 100, 50000000000, 5), (2000, 7, 20000000000, 6)");
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  private static final int MANY_FILES = 12;

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

  private static final String SUMMARY = "count(*), count(r.v), sum(l.v), sum(r.v), min(r.s), max(l.m)";

  @Test
  void innerJoinsOnEveryKeyTypeWithNullAndDuplicateKeys() throws SQLException {
    for (String on : List.of("l.k = r.k", "l.s = r.s", "l.d = r.d", "l.m = r.m", "l.b = r.b",
        "l.k = r.k AND l.s = r.s", "l.d = r.d AND l.m = r.m AND l.b = r.b")) {
      String sql = "SELECT " + SUMMARY + " FROM l JOIN r ON " + on;
      assertThat(explain(sql)).as(sql).contains("BatchHashJoin").doesNotContain("EnumerableHashJoin");
      same(sql);
    }
    same("SELECT l.k, l.s, r.s, l.m, r.d, r.v FROM l JOIN r ON l.k = r.k AND l.s = r.s");
  }

  @Test
  void residualConditionsDecideAmongMatchingKeys() throws SQLException {
    for (String sql : List.of(
        "SELECT " + SUMMARY + " FROM l JOIN r ON l.k = r.k AND l.v < r.v",
        "SELECT " + SUMMARY + " FROM l JOIN r ON l.s = r.s AND (l.m + r.m > 10 OR r.v IS NULL)",
        "SELECT " + SUMMARY + " FROM l LEFT JOIN r ON l.k = r.k AND l.v < r.v",
        "SELECT count(*), sum(v) FROM l WHERE EXISTS (SELECT 1 FROM r WHERE r.k = l.k AND r.v > l.v)",
        "SELECT count(*), sum(v) FROM l WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.k = l.k AND r.v > l.v)")) {
      assertThat(explain(sql)).as(sql).contains("BatchHashJoin");
      same(sql);
    }
  }

  @Test
  void leftSemiAndAntiJoinsKeepTheRightProbeRows() throws SQLException {
    for (String sql : List.of(
        "SELECT " + SUMMARY + " FROM l LEFT JOIN r ON l.k = r.k",
        "SELECT l.k, l.v, r.v, r.s FROM l LEFT JOIN r ON l.s = r.s AND l.d = r.d",
        "SELECT count(*), sum(v), count(k) FROM l WHERE EXISTS (SELECT 1 FROM r WHERE r.s = l.s)",
        "SELECT count(*), sum(v), count(k) FROM l WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.b = l.b)",
        "SELECT count(*), sum(v), count(k) FROM l WHERE k IN (SELECT k FROM r WHERE v > 500)")) {
      same(sql);
    }
  }

  @Test
  void rowsOfALeftJoinWithoutAMatchAreAnAntiJoin() throws SQLException {
    String distinctHits = "(SELECT DISTINCT k, s, true AS hit FROM r WHERE v > 300) x";
    for (String sql : List.of(
        "SELECT count(*), sum(v), count(k) FROM l WHERE NOT EXISTS (SELECT * FROM r WHERE r.k = l.k)",
        "SELECT count(*), sum(v), count(s) FROM l WHERE NOT EXISTS (SELECT * FROM r WHERE r.k = l.k AND r.s = l.s)",
        "SELECT l.k, l.s, l.v, x.k, x.hit FROM l LEFT JOIN " + distinctHits
            + " ON x.k = l.k AND x.s = l.s WHERE x.hit IS NULL AND l.v > 600",
        "SELECT count(*), sum(l.v) FROM l LEFT JOIN " + distinctHits + " ON x.k = l.k WHERE x.hit IS NULL")) {
      assertThat(explain(sql)).as(sql).contains("joinType=[anti]").doesNotContain("joinType=[left]");
      same(sql);
    }
    // A right column that is NULL in matched rows too, or an OR: the LEFT join stays.
    for (String sql : List.of(
        "SELECT count(*), sum(l.v), count(r.k) FROM l LEFT JOIN r ON l.k = r.k WHERE r.v IS NULL",
        "SELECT count(*), sum(l.v) FROM l LEFT JOIN " + distinctHits + " ON x.k = l.k WHERE x.hit IS NULL OR l.v > 900",
        "SELECT count(*), sum(l.v) FROM l LEFT JOIN " + distinctHits + " ON x.k = l.k WHERE x.hit IS NULL AND x.s IS NULL")) {
      assertThat(explain(sql)).as(sql).contains("joinType=[left]");
      same(sql);
    }
  }

  @Test
  void likeFiltersUnderJoins() throws SQLException {
    for (String sql : List.of(
        "SELECT " + SUMMARY + " FROM l JOIN r ON l.k = r.k WHERE l.s LIKE 'key1%' AND r.s NOT LIKE '%5'",
        "SELECT " + SUMMARY + " FROM l JOIN r ON l.k = r.k AND r.s LIKE '%e_1_'",
        "SELECT count(*), sum(v) FROM l WHERE s LIKE 'key!_%' ESCAPE '!' OR s LIKE '%3%'")) {
      assertThat(explain(sql)).as(sql).contains("Batch").doesNotContain("EnumerableCalc");
      same(sql);
    }
  }

  /** A nested-loop join reads its inner input once per outer row: a batch inner keeps its rows. */
  @Test
  void batchInputsOfNestedLoopJoins() throws SQLException {
    String having = "SELECT k, sum(v) AS total FROM l GROUP BY k"
        + " HAVING sum(v) > (SELECT sum(v) * 0.01 FROM r WHERE s LIKE 'key1%') ORDER BY total DESC NULLS LAST, k";
    assertThat(explain(having)).contains("keepRows=[true]");
    same(having);
    same("SELECT count(*), sum(v) FROM l WHERE k NOT IN (SELECT k FROM r WHERE s LIKE '%7' AND k IS NOT NULL)");
    same("SELECT count(*), sum(v) FROM l WHERE k NOT IN (SELECT k FROM r WHERE s LIKE '%7')");
    // A plain filtered scan as the inner input is kept too: it was scanned again for each outer row.
    String cross = "SELECT count(*), sum(l.v + r.v) FROM l CROSS JOIN (SELECT v FROM r WHERE k < 3) r"
        + " WHERE l.v + r.v > l.k * r.v";
    assertThat(explain(cross)).contains("NestedLoopJoin").contains("keepRows=[true]");
    same(cross);
  }

  @Test
  void emptySides() throws SQLException {
    for (String sql : List.of(
        "SELECT " + SUMMARY.replace("r.", "e.") + " FROM l JOIN e ON l.k = e.k",
        "SELECT count(*), sum(e.v) FROM e JOIN l ON l.k = e.k",
        "SELECT " + SUMMARY.replace("r.", "e.") + " FROM l LEFT JOIN e ON l.k = e.k",
        "SELECT l.k, l.s, e.s, e.m FROM l LEFT JOIN e ON l.k = e.k AND l.s = e.s WHERE l.v < 40",
        "SELECT count(*), sum(v) FROM l WHERE NOT EXISTS (SELECT 1 FROM e WHERE e.k = l.k)",
        "SELECT count(*), sum(v) FROM l WHERE EXISTS (SELECT 1 FROM e WHERE e.k = l.k)",
        "SELECT " + SUMMARY + " FROM l JOIN r ON l.k = r.k WHERE l.v > 5000")) {
      same(sql);
    }
  }

  /**
   * Over a scan, joins probe and aggregates start where the scan's tasks are decoded, several at
   * once: the answers do not depend on it; and an inner join whose build side is empty reads
   * nothing of its probe side.
   */
  @Test
  void joinsAndAggregatesOverAScanOfManyTasks() throws SQLException {
    for (String sql : List.of(
        "SELECT m.k, count(*), sum(r.v), min(r.s), max(m.s) FROM m JOIN r ON m.k = r.k GROUP BY m.k ORDER BY m.k",
        "SELECT m.s, count(r.k), sum(m.v), avg(r.m) FROM m LEFT JOIN r ON m.k = r.k AND m.v < r.v * 3 GROUP BY m.s",
        "SELECT count(*), sum(v) FROM m WHERE EXISTS (SELECT 1 FROM r WHERE r.k = m.k AND r.v > 500)",
        "SELECT count(*), sum(v) FROM m WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.s = m.s)",
        "SELECT k, v, s FROM m WHERE v + 0 > 1900",
        "SELECT k, count(*), sum(v), min(s) FROM m GROUP BY k",
        // A small left side against m: m's scan marks the rows of the left side it matches,
        "SELECT count(*), sum(v), min(s) FROM r WHERE k IN (1, 2, 3) AND v < 300"
            + " AND EXISTS (SELECT 1 FROM m WHERE m.k = r.k AND m.v > 100)",
        "SELECT k, v, s FROM r WHERE k IN (1, 2, 3, 160) AND v < 300 AND NOT EXISTS (SELECT 1 FROM m WHERE m.k = r.k AND m.v > 1500)",
        "SELECT k, v FROM r WHERE (k IS NULL OR k < 2) AND v < 200 AND NOT EXISTS (SELECT 1 FROM m WHERE m.k = r.k)",
        // and its LEFT joins, which also give m's matching rows, then the unmatched left rows
        "SELECT r.k, r.s, m.v, m.s FROM r LEFT JOIN m ON r.k = m.k AND m.v > 1980 WHERE r.v < 60",
        "SELECT r.k, r.v, count(m.k), sum(m.v), min(m.s) FROM r LEFT JOIN m ON m.k = r.k AND m.v > 1900"
            + " WHERE (r.k IS NULL OR r.k IN (1, 2, 3, 160)) AND r.v < 300 GROUP BY r.k, r.v")) {
      same(sql);
    }
    String emptyBuild = "SELECT count(*), sum(m.v) FROM m JOIN (SELECT k FROM r WHERE v + 0 > 5000) x ON m.k = x.k";
    assertThat(explain(emptyBuild)).contains("BatchHashJoin");
    ScanMetrics metrics = Mallard.scanMetrics(mallard);
    long opened = metrics.dataFilesOpened();
    same(emptyBuild);
    // r's files are pruned by their statistics (v is below 1000), and none of m's is opened.
    assertThat(metrics.dataFilesOpened() - opened).isZero();
  }

  /**
   * The INNER (and SEMI) joins probed first over a scan give it a filter of their build keys, and it
   * drops the rows whose key none has before decoding their other columns: directly, after a filter,
   * on keys of one to eight bytes, with NULL keys. (The scans that mark a small side's rows take its
   * filter too: {@link #joinsAndAggregatesOverAScanOfManyTasks}.) Where most rows pass the filter it rests for some
   * batches, and is tried again after them (big's last 100,000 rows match nothing).
   */
  @Test
  void joinKeyFiltersDropProbeRowsInTheScan() throws SQLException {
    ScanMetrics metrics = Mallard.scanMetrics(mallard); // few's scans have no filter: they skip nothing
    for (String sql : List.of(
        "SELECT count(*), sum(big.v), min(big.s), sum(few.v) FROM big JOIN few ON big.k = few.k",
        "SELECT count(*), sum(big.v), sum(few.v) FROM big JOIN few ON big.t = few.t",
        "SELECT count(*), sum(big.v), max(big.s), sum(few.v) FROM big JOIN few ON big.b = few.b",
        "SELECT count(*), min(big.s), sum(few.v) FROM big JOIN few ON big.k = few.k WHERE big.v - big.t > 900")) {
      assertThat(explain(sql)).as(sql).contains("BatchHashJoin");
      long skipped = metrics.lateValuesSkipped();
      same(sql);
      assertThat(metrics.lateValuesSkipped() - skipped).as(sql).isPositive();
    }
    // The filter's columns are dropped before the probes; the second probe's key is a column of few's,
    // after big's two kept ones: it is not one of big's scan columns.
    String twoProbes = "SELECT count(*), min(big.s), sum(few.v), sum(f2.v) FROM big JOIN few ON big.k = few.k"
        + " JOIN few AS f2 ON few.b = f2.b WHERE big.v - big.t > 900";
    assertThat(explain(twoProbes)).contains("BatchProject(k=[$0], s=[$2])");
    same(twoProbes);
    // Every key of big's first batches is r's: the filter rests, then drops most of the last 100,000
    // rows, whose s and v are not decoded.
    String resting = "SELECT count(*), sum(big.v), min(big.s), sum(r.v) FROM big JOIN r ON big.k = r.k";
    long skipped = metrics.lateValuesSkipped();
    same(resting);
    assertThat(metrics.lateValuesSkipped() - skipped).isGreaterThan(2 * 20_000);
  }

  @Test
  void threeWayJoinUnderAnAggregateAndATopN() throws SQLException {
    String sql = "SELECT l.s, sum(r.m * 2) AS total, count(*) AS n FROM l JOIN r ON l.k = r.k"
        + " JOIN l AS l2 ON l2.s = r.s AND l2.d = l.d WHERE l.m > 1 GROUP BY l.s ORDER BY total DESC, l.s LIMIT 7";
    String plan = explain(sql);
    assertThat(plan).contains("BatchHashJoin").contains("BatchSort").doesNotContain("EnumerableSort")
        .doesNotContain("EnumerableLimitSort").doesNotContain("EnumerableHashJoin");
    same(sql);
  }

  /**
   * With an explicit NULLS FIRST or LAST. Without one, DESC puts NULLs first in Mallard (Calcite's
   * default, row path and batch alike) and last in DuckDB: see the next test.
   */
  @Test
  void sortsPutNullsWhereDuckDbDoes() throws SQLException {
    for (String sql : List.of(
        "SELECT k, s, m, d, v FROM l ORDER BY m DESC NULLS LAST, s, d DESC NULLS LAST, v, k LIMIT 40",
        "SELECT k, s, m, d, v FROM l ORDER BY s NULLS FIRST, m DESC NULLS LAST, v, k, d LIMIT 30 OFFSET 5",
        "SELECT k, s, m, d, v FROM l WHERE v < 300 ORDER BY d, k DESC NULLS FIRST, s, m, v",
        "SELECT s, count(*) AS n, sum(m) AS total FROM l GROUP BY s ORDER BY total DESC NULLS LAST, s LIMIT 10",
        "SELECT s, count(*) AS n FROM l GROUP BY s ORDER BY n, s DESC")) {
      assertThat(explain(sql)).as(sql).contains("BatchSort");
      same(sql);
    }
  }

  private static List<List<Object>> rows(String sql) throws SQLException {
    List<List<Object>> rows = new java.util.ArrayList<>();
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        List<Object> row = new java.util.ArrayList<>();
        for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
          row.add(rs.getObject(c));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  @Test
  void descendingWithoutANullsClauseOrdersNullsLastAsDuckDbAndTheRowPath() throws SQLException {
    String sql = "SELECT k, s, m, d, v FROM l ORDER BY m DESC, s, d DESC, v, k LIMIT 40";
    assertThat(explain(sql)).contains("BatchSort");
    List<List<Object>> batch = rows(sql);
    assertThat(batch.get(0).get(2)).isNotNull(); // NULLs last, DESC too, as in DuckDB
    same(sql);
    assertThat(rows("SELECT m FROM l ORDER BY m DESC LIMIT 1").get(0).get(0)).isNotNull();
    System.setProperty("mallard.batch", "false");
    try {
      String other = sql.replace("SELECT k,", "SELECT k AS k2,"); // not the cached plan
      assertThat(explain(other)).doesNotContain("Batch");
      assertThat(rows(other)).isEqualTo(batch);
    } finally {
      System.clearProperty("mallard.batch");
    }
  }

  @Test
  void theSwitchTurnsBatchJoinsAndSortsOff() throws SQLException {
    System.setProperty("mallard.batch", "false");
    try {
      String sql = "SELECT l.s, count(*) AS c FROM l JOIN r ON l.k = r.k GROUP BY l.s ORDER BY c DESC, l.s LIMIT 3";
      assertThat(explain(sql)).doesNotContain("Batch").contains("EnumerableHashJoin");
      same(sql);
    } finally {
      System.clearProperty("mallard.batch");
    }
  }
}
