package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time travel per table reference, in every accepted form, compared with DuckDB 1.5.5's
 * {@code AT (VERSION => n)} / {@code AT (TIMESTAMP => t)} on a DuckDB-written lake.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeTravelInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;
  private Connection mallard;
  /** Snapshot ids: after the first insert (inlined), the second (a file), the delete, the update. */
  private long v1;
  private long v2;
  private long v3;
  private long v4;
  /** The commit time of v2 in UTC, to the microsecond, as DuckDB stores it. */
  private String v2Time;

  @BeforeAll
  void setUp() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("SET TimeZone = 'UTC'");
    duckdb.execute("CREATE TABLE t (id INTEGER, v VARCHAR)");
    duckdb.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
    v1 = latest();
    duckdb.execute("INSERT INTO t SELECT i, 'x' || i FROM range(3, 100) r(i)");
    v2 = latest();
    v2Time = (String) duckdb.query("SELECT strftime(snapshot_time, '%Y-%m-%d %H:%M:%S.%f')"
        + " FROM lake.snapshots() WHERE snapshot_id = " + v2).scalar();
    duckdb.execute("DELETE FROM t WHERE id % 10 = 0 OR id = 1");
    v3 = latest();
    duckdb.execute("UPDATE t SET v = 'changed' WHERE id < 5");
    v4 = latest();
    duckdb.execute("ALTER TABLE t ADD COLUMN extra INTEGER");
    duckdb.execute("CREATE TABLE later (a INTEGER)");
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  @AfterAll
  void tearDown() throws SQLException {
    mallard.close();
    duckdb.close();
  }

  private long latest() {
    return ((BigInteger) duckdb.query("SELECT max(snapshot_id) FROM lake.snapshots()").scalar()).longValue();
  }

  private void compare(String mallardSql, String duckdbSql) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(mallardSql)) {
      assertSameRows(duckdb.query(duckdbSql), rs, true);
    }
  }

  @Test
  void duckDbsAtVersionReadsEachSnapshot() throws SQLException {
    for (long v : new long[] {v1, v2, v3, v4}) {
      String sql = "SELECT id, v FROM t AT (VERSION => " + v + ") ORDER BY id";
      compare(sql, sql);
    }
  }

  @Test
  void forSystemTimeAsOfSnapshot() throws SQLException {
    compare("SELECT id, v FROM t FOR SYSTEM_TIME AS OF SNAPSHOT " + v3 + " WHERE id > 40 ORDER BY id",
        "SELECT id, v FROM t AT (VERSION => " + v3 + ") WHERE id > 40 ORDER BY id");
    compare("SELECT count(*), min(id), max(v) FROM t FOR SYSTEM_TIME AS OF SNAPSHOT (" + v2 + ")",
        "SELECT count(*), min(id), max(v) FROM t AT (VERSION => " + v2 + ")");
  }

  @Test
  void forSystemTimeAsOfATimestampWithOffsetAndDuckDbsAtTimestamp() throws SQLException {
    String duck = "SELECT id, v FROM t AT (TIMESTAMP => TIMESTAMPTZ '" + v2Time + "+00') ORDER BY id";
    compare("SELECT id, v FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '" + v2Time + "+00' ORDER BY id", duck);
    compare("SELECT id, v FROM t AT (TIMESTAMP => TIMESTAMP '" + v2Time + "') ORDER BY id", duck);
    // Microseconds count: one before v2's commit is still v1.
    String justBefore = LocalDateTime.parse(v2Time.replace(' ', 'T')).minusNanos(1000).toString().replace('T', ' ');
    assertThat(count("SELECT count(*) FROM t AT (TIMESTAMP => TIMESTAMP '" + justBefore + "')")).isEqualTo(2);
    // Expressions computed when the statement runs.
    compare("SELECT count(*) FROM t AT (TIMESTAMP => CURRENT_TIMESTAMP)", "SELECT count(*) FROM t");
    compare("SELECT count(*) FROM t AT (TIMESTAMP => CURRENT_TIMESTAMP - INTERVAL '1' DAY + INTERVAL '1' DAY)",
        "SELECT count(*) FROM t");
  }

  @Test
  void oneQueryJoinsTwoVersionsOfATable() throws SQLException {
    String sql = "SELECT o.id, o.v AS before, n.v AS after FROM t AS o AT (VERSION => " + v2 + ")"
        + " JOIN t AS n AT (VERSION => " + v4 + ") ON o.id = n.id WHERE o.v <> n.v ORDER BY o.id";
    compare(sql, sql);
    compare("SELECT count(*) FROM t FOR SYSTEM_TIME AS OF SNAPSHOT " + v2 + " AS o"
            + " LEFT JOIN t AS n ON o.id = n.id WHERE n.id IS NULL",
        "SELECT count(*) FROM t AS o AT (VERSION => " + v2 + ") LEFT JOIN t AS n ON o.id = n.id WHERE n.id IS NULL");
  }

  @Test
  void aDynamicParameterNamesTheSnapshot() throws SQLException {
    try (PreparedStatement ps = mallard.prepareStatement("SELECT count(*) FROM t AT (VERSION => ?)")) {
      for (long v : new long[] {v1, v4}) {
        ps.setLong(1, v);
        try (ResultSet rs = ps.executeQuery()) {
          assertSameRows(duckdb.query("SELECT count(*) FROM t AT (VERSION => " + v + ")"), rs, true);
        }
      }
    }
  }

  @Test
  void columnsAddedSinceTheSnapshotReadAsNull() throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(
        "SELECT count(*), count(extra) FROM t AT (VERSION => " + v2 + ")")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(99);
      assertThat(rs.getLong(2)).isZero();
    }
  }

  @Test
  void badSnapshotsAreClearErrors() {
    assertThatThrownBy(() -> count("SELECT count(*) FROM later AT (VERSION => " + v2 + ")"))
        .isInstanceOf(SQLException.class).hasMessageContaining("later").hasMessageContaining("did not exist");
    assertThatThrownBy(() -> count("SELECT count(*) FROM t AT (VERSION => 100000)"))
        .isInstanceOf(SQLException.class).hasMessageContaining("No snapshot found at version 100000");
    assertThatThrownBy(() -> count("SELECT count(*) FROM t AT (TIMESTAMP => TIMESTAMP '1999-01-01 00:00:00')"))
        .isInstanceOf(SQLException.class).hasMessageContaining("No snapshot found");
  }

  private long count(String sql) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
