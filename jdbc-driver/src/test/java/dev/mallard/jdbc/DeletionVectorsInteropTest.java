package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Puffin delete files (Iceberg v3 deletion vectors) as DuckDB 1.5.5 writes them with
 * {@code WRITE_DELETION_VECTORS}: Mallard reads every snapshot as DuckDB does; with the lake's
 * {@code write_deletion_vectors} option Mallard's own deletes write puffin files DuckDB reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeletionVectorsInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;
  private Path catalog;

  @BeforeAll
  void setUp() {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    catalog = dir.resolve("lake.sqlite");
    duckdb.execute("ATTACH 'ducklake:sqlite:" + catalog + "' AS lake (DATA_PATH '" + dir.resolve("data")
        + "/', WRITE_DELETION_VECTORS true, DATA_INLINING_ROW_LIMIT 0)");
    duckdb.execute("USE lake");
    // A file of 100,000 rows: its deletes fill array and bitmap containers of two Roaring keys.
    duckdb.execute("CREATE TABLE t AS SELECT i AS id, 'v' || i AS v FROM range(100000) r(i)");
    duckdb.execute("INSERT INTO t SELECT i, 'w' || i FROM range(200000, 201000) r(i)");
    duckdb.execute("DELETE FROM t WHERE id % 2 = 0 AND id < 70000 OR id % 7 = 3");
    duckdb.execute("DELETE FROM t WHERE id < 100 OR id BETWEEN 200500 AND 200600");
  }

  @AfterAll
  void tearDown() {
    duckdb.close();
  }

  private long lastSnapshot() {
    return ((BigInteger) duckdb.query("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')").scalar()).longValue();
  }

  private List<Object> deleteFileFormats() {
    return duckdb.query("SELECT DISTINCT format FROM __ducklake_metadata_lake.ducklake_delete_file ORDER BY 1")
        .rows().stream().map(r -> r.get(0)).toList();
  }

  private void everySnapshotReadsAsDuckDb(Connection mallard) throws SQLException {
    for (long s = 1; s <= lastSnapshot(); s++) {
      String sql = "SELECT rowid, id, v FROM t AT (VERSION => " + s + ")";
      try (Statement st = mallard.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        assertSameRows(duckdb.query(sql), rs, false);
      }
    }
  }

  @Test
  void readsDuckDbsDeletionVectorsAtEverySnapshot() throws SQLException {
    assertThat(deleteFileFormats()).containsExactly("puffin");
    try (Connection mallard = Mallard.connect("sqlite:" + catalog)) {
      everySnapshotReadsAsDuckDb(mallard);
      try (Statement st = mallard.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
        assertSameRows(duckdb.query("SELECT count(*) FROM t"), rs, false);
      }
    }
  }

  @Test
  void mallardWritesDeletionVectorsWhenTheLakeAsksForThem() throws SQLException {
    duckdb.execute("CREATE TABLE m AS SELECT i AS id FROM range(5000) r(i)");
    duckdb.execute("CALL lake.set_option('write_deletion_vectors', true, table_name => 'm')");
    try (Connection mallard = Mallard.connect("sqlite:" + catalog); Statement st = mallard.createStatement()) {
      st.executeUpdate("DELETE FROM m WHERE id % 3 = 0"); // a new delete file: one bare deletion vector
      st.executeUpdate("DELETE FROM m WHERE id < 1000"); // ends it; a new one holds every position
      assertThat(duckdb.query("SELECT f.format, f.footer_size, f.delete_count, f.end_snapshot IS NULL"
          + " FROM __ducklake_metadata_lake.ducklake_delete_file f JOIN __ducklake_metadata_lake.ducklake_table t"
          + " USING (table_id) WHERE t.table_name = 'm' ORDER BY f.delete_file_id").rows())
          .containsExactly(List.of("puffin", BigInteger.ZERO, BigInteger.valueOf(1667), false),
              List.of("puffin", BigInteger.ZERO, BigInteger.valueOf(1667 + 666), true));
      for (long s = 1; s <= lastSnapshot(); s++) {
        String sql = "SELECT rowid, id FROM m AT (VERSION => " + s + ")";
        if (((BigInteger) duckdb.query("SELECT count(*) FROM __ducklake_metadata_lake.ducklake_table"
            + " WHERE table_name = 'm' AND begin_snapshot <= " + s).scalar()).signum() == 0) {
          continue;
        }
        try (ResultSet rs = st.executeQuery(sql)) {
          assertSameRows(duckdb.query(sql), rs, false);
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM m")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(2667); // 1000..4999 but the 1333 multiples of 3
      }
    }
  }
}
