package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
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
  /** Snapshots of table evo: as created, after a column rename, after a drop and an add, after a table rename. */
  private final long[] evo = new long[4];
  private String evoTime;
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
    duckdb.execute("CREATE TABLE evo (a INTEGER, b VARCHAR, c INTEGER)");
    duckdb.execute("INSERT INTO evo SELECT i, 'b' || i, i * 10 FROM range(0, 20) r(i)");
    evo[0] = latest();
    duckdb.execute("ALTER TABLE evo RENAME COLUMN b TO b2");
    duckdb.execute("INSERT INTO evo SELECT i, 'b2_' || i, i * 10 FROM range(20, 30) r(i)");
    evo[1] = latest();
    evoTime = (String) duckdb.query("SELECT strftime(snapshot_time, '%Y-%m-%d %H:%M:%S.%f')"
        + " FROM lake.snapshots() WHERE snapshot_id = " + evo[1]).scalar();
    duckdb.execute("ALTER TABLE evo DROP COLUMN c");
    duckdb.execute("ALTER TABLE evo ADD COLUMN d VARCHAR DEFAULT 'dflt'");
    duckdb.execute("INSERT INTO evo SELECT i, 'x', 'd' || i FROM range(30, 35) r(i)");
    evo[2] = latest();
    // (Not a type promotion: DuckDB 1.5.5 fails reading older versions after one, "SetMin or SetMax called
    // with Value that does not match statistics' column value".)
    duckdb.execute("ALTER TABLE evo RENAME TO evolved");
    evo[3] = latest();
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
  void aTimestampWithAnOffsetNamesTheInstantItSays() throws SQLException {
    LocalDateTime v2Utc = LocalDateTime.parse(v2Time.replace(' ', 'T'));
    // v2's commit written in +02:00 and in -05:30: read as UTC, they would name another snapshot
    String plusTwo = v2Utc.plusHours(2).toString().replace('T', ' ') + "+02";
    String minusFiveThirty = v2Utc.minusHours(5).minusMinutes(30).toString().replace('T', ' ') + "-05:30";
    for (String text : List.of(plusTwo, minusFiveThirty)) {
      String duck = "SELECT id, v FROM t AT (TIMESTAMP => TIMESTAMPTZ '" + text + "') ORDER BY id";
      compare("SELECT id, v FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '" + text + "' ORDER BY id", duck);
      compare("SELECT id, v FROM t AT (TIMESTAMP => TIMESTAMP '" + text + "') ORDER BY id", duck);
    }
    // one microsecond before v2's commit, in +02:00, is still v1
    String justBeforeAtPlusTwo = v2Utc.plusHours(2).minusNanos(1000).toString().replace('T', ' ') + "+02";
    assertThat(count("SELECT count(*) FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '" + justBeforeAtPlusTwo + "'"))
        .isEqualTo(2);
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
  void aSnapshotsColumnsAreThoseOfThen() throws SQLException {
    for (long v : evo) {
      String table = v == evo[3] ? "evolved" : "evo";
      compareWithNames("SELECT * FROM " + table + " AT (VERSION => " + v + ") ORDER BY a");
      compareWithNames("SELECT * FROM " + table + " FOR SYSTEM_TIME AS OF SNAPSHOT " + v + " ORDER BY a",
          "SELECT * FROM " + table + " AT (VERSION => " + v + ") ORDER BY a");
    }
    compareWithNames("SELECT * FROM evo AT (TIMESTAMP => TIMESTAMP '" + evoTime + "') ORDER BY a",
        "SELECT * FROM evo AT (TIMESTAMP => TIMESTAMP '" + evoTime + "') ORDER BY a");
    compareWithNames("SELECT e.b2, x.b, x.c, evo.d FROM evo AS e AT (VERSION => " + evo[1] + ")"
        + " JOIN evo AS x AT (VERSION => " + evo[0] + ") ON e.a = x.a"
        + " JOIN evo AT (VERSION => " + evo[2] + ") ON evo.a = e.a WHERE e.a < 5 ORDER BY e.a");
    // Columns added since the snapshot do not exist in it, as in DuckDB.
    assertThatThrownBy(() -> count("SELECT count(extra) FROM t AT (VERSION => " + v2 + ")"))
        .isInstanceOf(SQLException.class).hasMessageContaining("not found");
    assertThatThrownBy(() -> count("SELECT count(d) FROM evo AT (VERSION => " + evo[1] + ")"))
        .isInstanceOf(SQLException.class).hasMessageContaining("not found");
  }

  @Test
  void aSnapshotGivenAsAParameterReadsTodaysColumns() throws SQLException {
    // The snapshot is only known when the statement runs: the columns are the table's now, and
    // columns added since read as NULL.
    try (PreparedStatement ps = mallard.prepareStatement("SELECT count(*), count(extra) FROM t AT (VERSION => ?)")) {
      ps.setLong(1, v2);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(99);
        assertThat(rs.getLong(2)).isZero();
      }
    }
  }

  private void compareWithNames(String sql) throws SQLException {
    compareWithNames(sql, sql);
  }

  private void compareWithNames(String mallardSql, String duckdbSql) throws SQLException {
    DuckDb.Result expected = duckdb.query(duckdbSql);
    try (ResultSet rs = mallard.createStatement().executeQuery(mallardSql)) {
      java.util.List<String> names = new java.util.ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        names.add(rs.getMetaData().getColumnLabel(i));
      }
      assertThat(names).as(mallardSql).isEqualTo(expected.columns());
      assertSameRows(expected, rs, true);
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
