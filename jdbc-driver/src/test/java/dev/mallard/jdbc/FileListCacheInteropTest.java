package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.ScanMetrics;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process-wide cache of table file lists ({@code SnapshotFilesCache}) never serves a stale
 * list: DuckDB 1.5.5 and Mallard commit inserts, deletes, updates, compactions and a drop and
 * re-create of the table under the same name between Mallard's queries, and every answer equals
 * DuckDB's, also by time travel to a snapshot whose list a flush of inlined rows rewrote; queries
 * with nothing committed in between reuse the list without reading it again.
 */
class FileListCacheInteropTest {
  private static final List<String> QUERIES = List.of(
      "SELECT count(*) FROM t",
      "SELECT * FROM t WHERE id = 5 ORDER BY v",
      "SELECT * FROM t WHERE id BETWEEN 40 AND 260 ORDER BY id, v",
      "SELECT min(id), max(id), count(v) FROM t",
      "SELECT * FROM t ORDER BY id, v");

  @TempDir Path dir;

  @Test
  void everyAnswerAfterEveryCommitIsDuckDbs() throws Exception {
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      Path catalog = TestLakes.attachNamed(duckdb, dir, "lake");
      duckdb.execute("USE lake");
      duckdb.execute("CALL lake.set_option('data_inlining_row_limit', 0)"); // every insert writes a file
      duckdb.execute("CREATE TABLE t (id BIGINT, v VARCHAR)");
      duckdb.execute("CREATE TABLE other (x INTEGER)");
      for (int batch = 0; batch < 4; batch++) {
        duckdb.execute("INSERT INTO t SELECT i, 'v' || i FROM range(" + batch * 100 + ", " + (batch + 1) * 100
            + ") r(i)");
      }
      try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
        ScanMetrics metrics = Mallard.scanMetrics(c);
        compareAll(duckdb, c);

        long read = metrics.fileListsRead();
        long reused = metrics.fileListsReused();
        compareAll(duckdb, c); // nothing committed: every list is the cached one
        assertThat(metrics.fileListsRead()).isEqualTo(read);
        assertThat(metrics.fileListsReused()).isGreaterThan(reused);

        duckdb.execute("INSERT INTO other VALUES (1)"); // another table: t's list is still good
        compareAll(duckdb, c);
        assertThat(metrics.fileListsRead()).isEqualTo(read);

        long refreshed = metrics.fileListsRefreshed();
        duckdb.execute("INSERT INTO t VALUES (5, 'again'), (1000, 'new')"); // only the new file is read
        compareAll(duckdb, c);
        assertThat(metrics.fileListsRead()).isEqualTo(read);
        assertThat(metrics.fileListsRefreshed()).isGreaterThan(refreshed);

        duckdb.execute("DELETE FROM t WHERE id % 10 = 3");
        compareAll(duckdb, c);
        duckdb.execute("DELETE FROM t WHERE id < 100"); // every row of the first file
        compareAll(duckdb, c);
        duckdb.execute("UPDATE t SET v = 'updated' WHERE id BETWEEN 250 AND 255");
        compareAll(duckdb, c);

        s.executeUpdate("INSERT INTO t VALUES (7, 'mallard'), (2000, 'mallard')");
        compareAll(duckdb, c);
        s.executeUpdate("DELETE FROM t WHERE id BETWEEN 200 AND 220");
        compareAll(duckdb, c);
        s.executeUpdate("UPDATE t SET v = 'mallard update' WHERE id = 5");
        compareAll(duckdb, c);

        duckdb.execute("CALL ducklake_merge_adjacent_files('lake')");
        compareAll(duckdb, c);
        duckdb.execute("CALL ducklake_rewrite_data_files('lake', 't')");
        compareAll(duckdb, c);
        duckdb.execute("INSERT INTO t VALUES (3000, 'after compaction')");
        compareAll(duckdb, c);

        duckdb.execute("DROP TABLE t");
        duckdb.execute("CREATE TABLE t (id BIGINT, v VARCHAR)");
        duckdb.execute("INSERT INTO t SELECT i, 'recreated ' || i FROM range(0, 300, 3) r(i)");
        compareAll(duckdb, c);

        s.execute("DROP TABLE t");
        s.execute("CREATE TABLE t (id BIGINT, v VARCHAR)");
        s.executeUpdate("INSERT INTO t VALUES (5, 'mallard recreated'), (41, 'x')");
        compareAll(duckdb, c);

        s.execute("CREATE TABLE t2 AS SELECT * FROM t");
        s.executeUpdate("TRUNCATE t");
        compareAll(duckdb, c);

        // A flush moves inlined rows into a file that earlier snapshots list too: a list cached at
        // such a snapshot is stale after it, also when that snapshot is read again by time travel.
        duckdb.execute("CALL lake.set_option('data_inlining_row_limit', 10)");
        duckdb.execute("INSERT INTO t VALUES (1, 'inlined'), (2, 'inlined')");
        compareAll(duckdb, c);
        long beforeFlush = Long.parseLong(duckdb.query("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')")
            .scalar().toString());
        String travel = "SELECT * FROM t AT (VERSION => " + beforeFlush + ") ORDER BY id";
        try (ResultSet rs = s.executeQuery(travel)) {
          assertSameRows(duckdb.query(travel), rs, true);
        }
        duckdb.execute("CALL ducklake_flush_inlined_data('lake')");
        try (ResultSet rs = s.executeQuery(travel)) {
          assertSameRows(duckdb.query(travel), rs, true);
        }
        compareAll(duckdb, c);
      }
    }
  }

  private static void compareAll(DuckDb duckdb, Connection mallard) throws SQLException {
    for (String sql : QUERIES) {
      try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        assertSameRows(duckdb.query(sql), rs, true);
      }
    }
  }
}
