package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** DuckLake's introspection functions, compared with DuckDB 1.5.5's on a DuckDB-written lake. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntrospectionInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;
  private Connection mallard;
  private long afterInsert;

  @BeforeAll
  void setUp() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("SET TimeZone = 'UTC'");
    duckdb.execute("CREATE SCHEMA s1");
    duckdb.execute("CREATE TABLE t (id INTEGER, v VARCHAR)");
    duckdb.execute("INSERT INTO t VALUES (1, 'a')");
    duckdb.execute("INSERT INTO t SELECT i, 'x' || i FROM range(2, 500) r(i)");
    afterInsert = ((BigInteger) duckdb.query("SELECT max(snapshot_id) FROM lake.snapshots()").scalar()).longValue();
    duckdb.execute("DELETE FROM t WHERE id < 100 AND id % 2 = 0");
    duckdb.execute("CREATE TABLE s1.u AS SELECT i FROM range(10) r(i)");
    duckdb.execute("CREATE VIEW vv AS SELECT * FROM t");
    duckdb.execute("CREATE TABLE \"Odd Name\" (a INTEGER)");
    duckdb.execute("ALTER TABLE t ADD COLUMN w INTEGER");
    duckdb.execute("DROP TABLE \"Odd Name\"");
    duckdb.execute("BEGIN");
    duckdb.execute("INSERT INTO t (id) VALUES (1000)");
    duckdb.execute("CALL lake.set_commit_message('ann', 'one more row', extra_info => '{\"ticket\": 7}')");
    duckdb.execute("COMMIT");
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  @AfterAll
  void tearDown() throws SQLException {
    mallard.close();
    duckdb.close();
  }

  private void compare(String sql) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, true);
    }
  }

  @Test
  void snapshotsWithTheirChangesAuthorsAndMessages() throws SQLException {
    compare("SELECT snapshot_id, schema_version, author, commit_message, commit_extra_info"
        + " FROM ducklake_snapshots('lake') ORDER BY snapshot_id");
    List<String> expected = new ArrayList<>();
    for (List<Object> row : duckdb.query("SELECT changes FROM ducklake_snapshots('lake') ORDER BY snapshot_id").rows()) {
      expected.add(String.valueOf(row.get(0)));
    }
    List<String> actual = new ArrayList<>();
    try (ResultSet rs = mallard.createStatement().executeQuery(
        "SELECT changes FROM ducklake_snapshots('lake') ORDER BY snapshot_id")) {
      while (rs.next()) {
        // a MAP(VARCHAR, VARCHAR[]): its lists are java.sql.Arrays, written here as Java lists are
        java.util.Map<Object, Object> changes = new java.util.LinkedHashMap<>();
        for (java.util.Map.Entry<?, ?> e : ((java.util.Map<?, ?>) rs.getObject(1)).entrySet()) {
          changes.put(e.getKey(), List.of((Object[]) ((java.sql.Array) e.getValue()).getArray()));
        }
        actual.add(String.valueOf(changes));
      }
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(actual).contains("{tables_created=[main.\"Odd Name\"]}", "{views_created=[main.vv]}");
  }

  @Test
  void snapshotTimesToTheMillisecond() throws SQLException {
    List<Long> expected = new ArrayList<>();
    for (List<Object> row : duckdb.query("SELECT epoch_ms(snapshot_time) FROM ducklake_snapshots('lake')"
        + " ORDER BY snapshot_id").rows()) {
      expected.add(((Number) row.get(0)).longValue());
    }
    List<Long> actual = new ArrayList<>();
    try (ResultSet rs = mallard.createStatement().executeQuery(
        "SELECT snapshot_time FROM ducklake_snapshots('lake') ORDER BY snapshot_id")) {
      while (rs.next()) {
        actual.add(rs.getTimestamp(1).getTime());
      }
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void currentSnapshot() throws SQLException {
    compare("SELECT * FROM ducklake_current_snapshot('lake')");
  }

  @Test
  void tableInfo() throws SQLException {
    compare("SELECT * FROM ducklake_table_info('lake') ORDER BY table_id");
  }

  @Test
  void listFilesNowAndAtASnapshotAndInASchema() throws SQLException {
    compare("SELECT * FROM ducklake_list_files('lake', 't') ORDER BY data_file");
    compare("SELECT * FROM ducklake_list_files('lake', 't', snapshot_version => " + afterInsert + ") ORDER BY data_file");
    compare("SELECT data_file, data_file_size_bytes FROM ducklake_list_files('lake', 'u', schema => 's1')");
  }

  @Test
  void introspectionJoinsOtherTables() throws SQLException {
    compare("SELECT i.table_name, count(*) FROM ducklake_table_info('lake') AS i"
        + " JOIN t ON t.id = i.table_id GROUP BY i.table_name ORDER BY 1");
  }

  @Test
  void aMissingTableIsAClearError() {
    assertThatThrownBy(() -> mallard.createStatement().executeQuery(
        "SELECT * FROM ducklake_list_files('lake', 'nope')").next())
        .isInstanceOf(SQLException.class).hasMessageContaining("main.nope");
  }
}
