package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Queries a lake written by DuckDB 1.5.5 through Mallard's JDBC driver and through DuckDB, and
 * compares the answers row for row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;
  private Connection mallard;
  private Path catalog;

  @BeforeAll
  void writeLakeWithDuckDb() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    catalog = TestLakes.attachNew(duckdb, dir);
    TestLakes.interop(duckdb);
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  @AfterAll
  void close() throws SQLException {
    mallard.close();
    duckdb.close();
  }

  static Stream<String> queries() {
    Stream<String> general = Stream.of(
        "SELECT * FROM all_types ORDER BY id",
        "SELECT * FROM all_types_inlined ORDER BY id",
        "SELECT id, v, i32 FROM all_types ORDER BY v NULLS LAST, id LIMIT 5",
        "SELECT count(*), count(v), count(DISTINCT v), min(i32), max(i64), sum(i32), sum(d18),"
            + " min(d38), max(u128), min(dt), max(ts) FROM all_types",
        "SELECT avg(i32), avg(d18), sum(f32), sum(i64) FROM all_types WHERE id > 3 AND id < 100",
        "SELECT * FROM s1.events ORDER BY id",
        "SELECT kind, count(*), sum(amount), min(day), max(day) FROM s1.events GROUP BY kind ORDER BY kind",
        "SELECT e.kind, k.label, count(*) FROM s1.events e JOIN kinds k ON e.kind = k.kind GROUP BY e.kind, k.label"
            + " ORDER BY e.kind",
        "SELECT k.kind, count(e.id) FROM kinds k LEFT JOIN s1.events e ON e.kind = k.kind GROUP BY k.kind ORDER BY 1",
        "SELECT a.id, b.id FROM all_types a JOIN all_types_inlined b ON a.v = b.v ORDER BY 1, 2",
        "SELECT * FROM \"we ird\".\"T 1\" WHERE \"col \"\"q\"\"\" > 10 ORDER BY 1",
        "SELECT id, amount FROM s1.events WHERE amount > 2990 ORDER BY amount DESC LIMIT 3",
        "SELECT * FROM partitioned ORDER BY x",
        "SELECT region, count(*), sum(x) FROM partitioned WHERE day >= DATE '2022-01-01' GROUP BY region ORDER BY 1",
        "SELECT id FROM s1.events WHERE day BETWEEN DATE '2025-03-01' AND DATE '2025-03-10' ORDER BY id");
    // A filter on every type, against the Parquet and the inlined copy of the same rows.
    Stream<String> filters = Stream.of(
        "b", "NOT b", "b = false", "i8 < 0", "i16 >= 2", "i32 = 42", "i32 <> 3", "i64 > 0", "i128 < 0",
        "i128 = 1267650600228229401496703205376", "u8 >= 6", "u16 = 65535", "u32 > 3", "u64 > 100",
        "u64 = 18446744073709551615", "u128 > 5", "f32 > 1", "f32 < 0", "f64 > 2", "f64 <= 0", "f64 = 0",
        "d4 > 1.05", "d9 = 2.222", "d18 < 0", "d38 >= 4.4444444444", "v = 'apple'", "v > 'apple'", "v < 'b'",
        "v IN ('apple', 'cherry pie', 'nope')", "v LIKE 'a%'", "v IS NULL", "v IS NOT NULL",
        "u = '11111111-2222-3333-4444-555555555555'", "u > '50000000-0000-0000-0000-000000000000'", "j = '[1, 2]'", "dt = DATE '2024-02-29'",
        "dt < DATE '1970-01-01'", "dt BETWEEN DATE '1999-01-01' AND DATE '2024-12-31'",
        "tm > TIME '12:00:00'", "ts >= TIMESTAMP '2024-02-29 00:00:00'", "ts < TIMESTAMP '1970-01-01 00:00:00'",
        "ts_s = TIMESTAMP '2024-02-29 12:30:45'", "ts_ms > TIMESTAMP '2000-01-01 00:00:00'",
        "ts_ns < TIMESTAMP '2000-01-01 00:00:00'", "iv IS NULL", "ttz IS NOT NULL", "bl IS NULL",
        "i32 > 0 AND v LIKE '%a%'", "i32 < 0 OR f64 > 1e300", "NOT (i32 > 0)", "id = 3 OR i64 IS NULL");
    return Stream.concat(general, filters.flatMap(f -> Stream.of(
        "SELECT id FROM all_types WHERE " + f + " ORDER BY id",
        "SELECT id FROM all_types_inlined WHERE " + f + " ORDER BY id")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void answersLikeDuckDb(String sql) throws SQLException {
    DuckDb.Result expected = duckdb.query(sql);
    try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertSameRows(expected, rs, sql.contains("ORDER BY"));
    }
  }

  @Test
  void readsEverySnapshotAsDuckDbDoes() throws SQLException {
    List<Object> snapshots = duckdb.query("SELECT snapshot_id FROM snapshots() ORDER BY 1").rows().stream()
        .map(r -> r.get(0)).toList();
    assertThat(snapshots).hasSizeGreaterThan(10);
    for (Object id : snapshots) {
      String table = "s1.events";
      DuckDb.Result expected;
      try {
        expected = duckdb.query("SELECT count(*), sum(amount), min(id), max(id) FROM " + table
            + " AT (VERSION => " + id + ")");
      } catch (DuckDb.DuckDbException e) {
        // The table did not exist yet at this snapshot; Mallard must say so too.
        try (Connection pinned = Mallard.connect("sqlite:" + catalog + "?snapshot=" + id)) {
          assertThatThrownBy(() -> pinned.createStatement().executeQuery(
              "SELECT count(*) FROM " + table)).isInstanceOf(SQLException.class);
        }
        continue;
      }
      try (Connection pinned = Mallard.connect("sqlite:" + catalog + "?snapshot=" + id);
          ResultSet rs = pinned.createStatement().executeQuery(
              "SELECT count(*), sum(amount), min(id), max(id) FROM " + table)) {
        assertSameRows(expected, rs, true);
      }
    }
  }

  @Test
  void aStatementSeesDataCommittedAfterTheConnectionOpened() throws SQLException {
    try (Statement s = mallard.createStatement()) {
      ResultSet before = s.executeQuery("SELECT count(*) FROM kinds");
      before.next();
      long n = before.getLong(1);
      duckdb.execute("INSERT INTO kinds VALUES ('x', 'Ex')");
      ResultSet after = s.executeQuery("SELECT count(*) FROM kinds");
      after.next();
      assertThat(after.getLong(1)).isEqualTo(n + 1);
      duckdb.execute("DELETE FROM kinds WHERE kind = 'x'");
    }
  }
}
