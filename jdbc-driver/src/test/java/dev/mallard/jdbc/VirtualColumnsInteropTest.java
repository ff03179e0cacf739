package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB's virtual columns {@code rowid}, {@code snapshot_id} and {@code filename} through SQL,
 * compared with DuckDB 1.5.5 on a DuckDB-written lake ({@link TestLakes#interop}: s1.events has
 * delete files, inline deletions, updated rows and inlined rows).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualColumnsInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;
  private Connection mallard;

  @BeforeAll
  void setUp() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    TestLakes.interop(duckdb);
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  @AfterAll
  void tearDown() throws SQLException {
    mallard.close();
    duckdb.close();
  }

  private void compare(String sql) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, false);
    }
  }

  private List<String> columnsOf(String sql) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        names.add(md.getColumnLabel(i).toLowerCase());
      }
      return names;
    }
  }

  @Test
  void virtualColumnsOfFilesWithDeletesUpdatesAndInlinedRows() throws SQLException {
    compare("SELECT id, rowid, snapshot_id, filename FROM s1.events");
    compare("SELECT rowid, snapshot_id, filename, id, v FROM all_types_inlined WHERE id > 2");
  }

  @Test
  void starLeavesThemOutUnlessNamed() throws SQLException {
    assertThat(columnsOf("SELECT * FROM s1.events")).containsExactly("id", "kind", "amount", "day");
    assertThat(columnsOf("SELECT rowid, filename, * FROM s1.events"))
        .containsExactly("rowid", "filename", "id", "kind", "amount", "day");
    compare("SELECT rowid, filename, * FROM s1.events");
    compare("SELECT e.*, e.snapshot_id FROM s1.events AS e WHERE e.id < 30");
  }

  @Test
  void filtersJoinsAndAggregatesOnVirtualColumns() throws SQLException {
    compare("SELECT id, rowid FROM s1.events WHERE rowid BETWEEN 100 AND 110");
    compare("SELECT e.rowid, k.label FROM s1.events e JOIN kinds k ON e.kind = k.kind WHERE e.id < 40");
    compare("SELECT snapshot_id, count(*), min(rowid), max(rowid) FROM s1.events GROUP BY snapshot_id");
    compare("SELECT id FROM s1.events WHERE rowid IN (SELECT rowid FROM s1.events WHERE id % 7 = 0)");
  }

  @Test
  void timeTravel() throws SQLException {
    long first = ((Number) duckdb.query("SELECT min(snapshot_id) FROM s1.events").scalar()).longValue();
    compare("SELECT id, rowid, snapshot_id, filename FROM s1.events AT (VERSION => " + first + ")");
  }

  @Test
  void insertWithoutAColumnListIsUnaffected() throws SQLException {
    duckdb.execute("CREATE TABLE w (a INTEGER, b VARCHAR)");
    try (var st = mallard.createStatement()) {
      st.executeUpdate("INSERT INTO w VALUES (1, 'one'), (2, 'two')");
      st.executeUpdate("INSERT INTO w SELECT id, kind FROM s1.events WHERE rowid < 3");
    }
    compare("SELECT rowid, snapshot_id, filename, * FROM w");
  }

  @Test
  void aRealColumnNamedLikeAVirtualOneWins() throws SQLException {
    duckdb.execute("CREATE TABLE r (rowid VARCHAR, x INTEGER)");
    duckdb.execute("INSERT INTO r VALUES ('mine', 1)");
    compare("SELECT rowid, snapshot_id, x FROM r");
    assertThat(columnsOf("SELECT * FROM r")).containsExactly("rowid", "x");
    compare("WITH kinds AS (SELECT 'a WITH item' AS rowid) SELECT rowid FROM kinds"); // not the table kinds
  }

  @Test
  void twoVersionsJoinedByRowId() throws SQLException {
    long first = ((Number) duckdb.query("SELECT min(snapshot_id) FROM s1.events").scalar()).longValue();
    String updated = "SELECT a.id, a.r, a.s, b.snapshot_id, b.kind FROM (SELECT id, rowid AS r, snapshot_id AS s"
        + " FROM s1.events AT (VERSION => " + first + ")) AS a JOIN s1.events AS b ON a.r = b.rowid"
        + " WHERE a.s <> b.snapshot_id";
    assertThat(duckdb.query(updated).rows()).isNotEmpty(); // updated rows: same row id, newer snapshot
    compare(updated);
    // Mallard's own form of a time-travelling table with an alias
    try (ResultSet rs = mallard.createStatement().executeQuery("SELECT a.id, a.rowid, a.snapshot_id, b.snapshot_id,"
        + " b.kind FROM s1.events AS a AT (VERSION => " + first + ") JOIN s1.events AS b ON a.rowid = b.rowid"
        + " WHERE a.snapshot_id <> b.snapshot_id")) {
      assertSameRows(duckdb.query(updated), rs, false);
    }
  }

  @Test
  void deleteAndUpdateByRowId() throws SQLException {
    duckdb.execute("CREATE TABLE d (a INTEGER, b VARCHAR)");
    duckdb.execute("INSERT INTO d SELECT i, 'x' || i FROM range(20) r(i)");
    try (var st = mallard.createStatement()) {
      assertThat(st.executeUpdate("DELETE FROM d WHERE rowid IN (3, 4)")).isEqualTo(2);
      assertThat(st.executeUpdate("UPDATE d SET b = 'changed' WHERE rowid = 7 OR snapshot_id < 0")).isEqualTo(1);
    }
    compare("SELECT rowid, a, b FROM d");
    assertThat(duckdb.query("SELECT count(*) FROM d WHERE rowid IN (3, 4)").scalar().toString()).isEqualTo("0");
    assertThat(duckdb.query("SELECT b FROM d WHERE rowid = 7").scalar()).isEqualTo("changed");
  }
}
