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
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change feed ({@code ducklake_table_insertions}, {@code _deletions}, {@code _changes}), the
 * virtual columns of rows in partial files, and time travel through them, compared with DuckDB
 * 1.5.5 on a lake it wrote: inlined inserts, updates and deletes, Parquet files with inlined
 * deletions and delete files, a column added with a default, a flush of inlined rows, files merged
 * by compaction, and a file deleted whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeFeedInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;
  private Connection mallard;
  private long last;
  private long mergedDelete;

  @BeforeAll
  void setUp() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("USE lake");
    duckdb.execute("CREATE TABLE t (id INTEGER, v VARCHAR)");
    duckdb.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')"); // inlined
    duckdb.execute("UPDATE t SET v = v || '!' WHERE id = 1"); // inlined update
    duckdb.execute("DELETE FROM t WHERE id = 2"); // inlined delete
    duckdb.execute("INSERT INTO t SELECT i, 'x' || i FROM range(100, 400) r(i)"); // a Parquet file
    duckdb.execute("DELETE FROM t WHERE id IN (100, 101, 150)"); // deletions inlined in the catalog
    duckdb.execute("DELETE FROM t WHERE id BETWEEN 200 AND 230"); // a delete file
    duckdb.execute("UPDATE t SET v = 'updated' WHERE id BETWEEN 300 AND 320"); // file update, same row ids
    duckdb.execute("DELETE FROM t WHERE id BETWEEN 240 AND 260"); // a delete file holding two snapshots
    duckdb.execute("ALTER TABLE t ADD COLUMN w INTEGER DEFAULT 7");
    duckdb.execute("INSERT INTO t VALUES (4, 'd', 40), (5, 'e', NULL)");
    duckdb.execute("UPDATE t SET w = 41 WHERE id = 4");
    duckdb.execute("CALL ducklake_flush_inlined_data('lake')"); // a partial file and a partial delete file
    duckdb.execute("DELETE FROM t WHERE id = 3");
    for (int i = 0; i < 3; i++) {
      duckdb.execute("INSERT INTO t SELECT i, 'm" + i + "', " + i + " FROM range(" + (1000 + 100 * i) + ", "
          + (1050 + 100 * i) + ") r(i)");
    }
    duckdb.execute("CALL ducklake_merge_adjacent_files('lake')"); // files merged into one partial file
    duckdb.execute("INSERT INTO t SELECT i, 'gone', 0 FROM range(2000, 2030) r(i)");
    duckdb.execute("DELETE FROM t WHERE id >= 2000 AND id < 3000"); // the whole file: its end_snapshot
    duckdb.execute("UPDATE t SET v = 'again' WHERE id IN (5, 3000)");
    last = ((BigInteger) duckdb.query("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')").scalar()).longValue();
    // Rows deleted from a merged (partial) file: DuckDB 1.5.5 reports their deletions wrongly.
    duckdb.execute("CREATE TABLE m (id INTEGER)");
    for (int i = 0; i < 3; i++) {
      duckdb.execute("INSERT INTO m SELECT i FROM range(" + (100 * i) + ", " + (100 * i + 50) + ") r(i)");
    }
    duckdb.execute("CALL ducklake_merge_adjacent_files('lake')");
    duckdb.execute("DELETE FROM m WHERE id BETWEEN 100 AND 120"); // a delete file
    mergedDelete = ((BigInteger) duckdb.query("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')").scalar())
        .longValue();
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  @AfterAll
  void tearDown() throws SQLException {
    if (mallard != null) {
      mallard.close();
    }
    duckdb.close();
  }

  private void compare(String sql) throws SQLException {
    compare(sql, sql);
  }

  private void compare(String mallardSql, String duckdbSql) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(mallardSql)) {
      assertSameRows(duckdb.query(duckdbSql), rs, false);
    }
  }

  private static String feed(String function, long start, long end) {
    return "ducklake_table_" + function + "('lake', 'main', 't', " + start + ", " + end + ")";
  }

  @Test
  void theMergedFileIsPartialAndTheWholeFileDeleteEndedAFile() {
    assertThat(duckdb.query("SELECT count(*) FROM __ducklake_metadata_lake.ducklake_data_file"
        + " WHERE partial_max IS NOT NULL").scalar()).isNotEqualTo(BigInteger.ZERO);
    assertThat(duckdb.query("SELECT count(*) FROM __ducklake_metadata_lake.ducklake_data_file"
        + " WHERE end_snapshot IS NOT NULL").scalar()).isNotEqualTo(BigInteger.ZERO);
  }

  @Test
  void changesOfEverySnapshot() throws SQLException {
    for (long s = 1; s <= last; s++) {
      compare("SELECT * FROM " + feed("changes", s, s));
    }
  }

  @Test
  void insertionsAndDeletionsOfEverySnapshot() throws SQLException {
    for (long s = 1; s <= last; s++) {
      compare("SELECT snapshot_id, rowid, * FROM " + feed("insertions", s, s));
      compare("SELECT rowid, snapshot_id, * FROM " + feed("deletions", s, s));
    }
  }

  @Test
  void changesOverRanges() throws SQLException {
    for (long s = 1; s <= last; s += 3) {
      compare("SELECT * FROM " + feed("changes", 1, s));
      compare("SELECT * FROM " + feed("changes", s, last));
      compare("SELECT snapshot_id, rowid, * FROM " + feed("insertions", s, last));
      compare("SELECT snapshot_id, rowid, * FROM " + feed("deletions", 1, s));
    }
  }

  @Test
  void anEmptyOrReversedRange() throws SQLException {
    compare("SELECT * FROM " + feed("changes", 1, 1));
    compare("SELECT * FROM " + feed("changes", 5, 4));
  }

  @Test
  void starShowsTheTableColumnsOfInsertionsAndDeletions() throws SQLException {
    for (String function : List.of("insertions", "deletions", "changes")) {
      String sql = "SELECT * FROM " + feed(function, 1, last);
      DuckDb.Result expected = duckdb.query(sql);
      try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          names.add(md.getColumnLabel(i));
        }
        assertThat(names).isEqualTo(expected.columns());
        assertSameRows(expected, rs, false);
      }
    }
  }

  @Test
  void boundsAsTimestamps() throws SQLException {
    List<List<Object>> times = duckdb.query("SELECT snapshot_time FROM ducklake_snapshots('lake') ORDER BY snapshot_id")
        .rows();
    for (int[] range : new int[][] {{4, 12}, {1, 2}, {13, (int) last}}) {
      String from = text((OffsetDateTime) times.get(range[0]).get(0));
      String to = text((OffsetDateTime) times.get(range[1]).get(0));
      compare("SELECT * FROM ducklake_table_changes('lake', 'main', 't', '" + from + "', '" + to + "')",
          "SELECT * FROM ducklake_table_changes('lake', 'main', 't', TIMESTAMPTZ '" + from + "', TIMESTAMPTZ '" + to
              + "')");
    }
  }

  /** A snapshot's time as DuckDB's text, to the microsecond. */
  private static String text(OffsetDateTime time) {
    return time.toLocalDateTime().toString().replace('T', ' ') + "+00";
  }

  @Test
  void everySnapshotReadsTheSameRowsRowIdsAndSnapshotIds() throws SQLException {
    for (long s = 2; s <= last; s++) {
      compare("SELECT rowid, snapshot_id, id, v FROM t AT (VERSION => " + s + ")");
    }
  }

  @Test
  void oneQueryJoinsTwoVersionsOfTheTable() throws SQLException {
    String at = "SELECT a.id, a.v AS before, b.v AS after, b.w FROM t AS a AT (VERSION => 6)"
        + " JOIN t AS b AT (VERSION => " + last + ") ON a.id = b.id";
    compare(at);
    compare("SELECT a.id, a.v AS before, b.v AS after, b.w FROM t FOR SYSTEM_TIME AS OF SNAPSHOT 6 a"
        + " JOIN t AS b AT (VERSION => " + last + ") ON a.id = b.id", at);
    compare("SELECT a.id, a.rowid, b.snapshot_id FROM t AS a AT (VERSION => 12) FULL JOIN t AS b AT (VERSION => "
        + last + ") ON a.rowid = b.rowid");
  }

  @Test
  void deletionsFromAMergedFileHaveTheirDeletingSnapshot() throws SQLException {
    String sql = "SELECT snapshot_id, rowid, id FROM ducklake_table_deletions('lake', 'main', 'm', " + mergedDelete
        + ", " + mergedDelete + ") ORDER BY id";
    List<List<Object>> expected = new ArrayList<>();
    for (List<Object> row : duckdb.query(sql).rows()) {
      // DuckDB 1.5.5 may report the snapshot that inserted the row instead (see COMPATIBILITY.md).
      expected.add(List.of(mergedDelete, ((BigInteger) row.get(1)).longValue(), ((BigInteger) row.get(2)).intValue()));
    }
    assertThat(expected).hasSize(21);
    List<List<Object>> actual = new ArrayList<>();
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        actual.add(List.of(rs.getLong(1), rs.getLong(2), rs.getInt(3)));
      }
    }
    assertThat(actual).isEqualTo(expected);
    for (long s = mergedDelete - 4; s <= mergedDelete; s++) {
      compare("SELECT rowid, snapshot_id, id FROM m AT (VERSION => " + s + ")");
    }
  }

  @Test
  void aMissingTableOrSnapshotIsAClearError() {
    assertThatThrownBy(() -> mallard.createStatement().executeQuery(
        "SELECT * FROM ducklake_table_changes('lake', 'main', 'nope', 0, 1)").next())
        .isInstanceOf(SQLException.class).hasMessageContaining("main.nope");
    assertThatThrownBy(() -> mallard.createStatement().executeQuery(
        "SELECT * FROM ducklake_table_changes('lake', 'main', 't', 0, 100000)").next())
        .isInstanceOf(SQLException.class).hasMessageContaining("100000");
  }
}
