package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
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

/**
 * Partial files in their pre-0.4 form: a 0.3 catalog written by DuckDB 1.4.4, whose flush and
 * {@code merge_adjacent_files} record which leading rows each snapshot shows in
 * {@code partial_file_info} ({@code S1:R1|S2:R2|...}). Mallard reads every snapshot as DuckDB
 * 1.4.4 does, row ids included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LegacyPartialFilesInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;
  private Connection mallard;
  private long last;

  @BeforeAll
  void setUp() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_4_4);
    Path catalog = dir.resolve("lake.sqlite");
    duckdb.execute("ATTACH 'ducklake:sqlite:" + catalog + "' AS lake (DATA_PATH '" + dir.resolve("data")
        + "/', DATA_INLINING_ROW_LIMIT 10)");
    duckdb.execute("USE lake");
    duckdb.execute("CREATE TABLE t (id INTEGER, v VARCHAR)");
    duckdb.execute("INSERT INTO t SELECT i, 'a' FROM range(0, 4) r(i)");
    duckdb.execute("INSERT INTO t SELECT i, 'b' FROM range(10, 13) r(i)");
    duckdb.execute("DELETE FROM t WHERE id = 11");
    duckdb.execute("CALL ducklake_flush_inlined_data('lake')");
    duckdb.execute("INSERT INTO t SELECT i, 'c' FROM range(20, 40) r(i)");
    duckdb.execute("INSERT INTO t SELECT i, 'd' FROM range(40, 60) r(i)");
    duckdb.execute("CALL ducklake_merge_adjacent_files('lake')");
    duckdb.execute("DELETE FROM t WHERE id IN (21, 41)");
    duckdb.execute("INSERT INTO t SELECT i, 'e' FROM range(60, 63) r(i)");
    last = ((BigInteger) duckdb.query("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')").scalar()).longValue();
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  @AfterAll
  void tearDown() throws SQLException {
    if (mallard != null) {
      mallard.close();
    }
    duckdb.close();
  }

  @Test
  void theCatalogHasALegacyPartialFileList() {
    assertThat(duckdb.query("SELECT count(*) FROM __ducklake_metadata_lake.ducklake_data_file"
        + " WHERE partial_file_info LIKE '%|%'").scalar()).isEqualTo(BigInteger.ONE);
  }

  @Test
  void everySnapshotReadsTheSameRowsAndRowIds() throws SQLException {
    for (long s = 2; s <= last; s++) {
      String sql = "SELECT rowid, id, v FROM t AT (VERSION => " + s + ")";
      try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
        assertSameRows(duckdb.query(sql), rs, false);
      }
    }
  }

  @Test
  void changesAfterTheMerge() throws SQLException {
    String sql = "SELECT * FROM ducklake_table_changes('lake', 'main', 't', " + last + ", " + last + ")";
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, false);
    }
    // Deletions of rows of the merged file: their deleting snapshot (DuckDB 1.4.4, like 1.5.5,
    // reports the inserting one; see COMPATIBILITY.md).
    List<String> deleted = new ArrayList<>();
    try (ResultSet rs = mallard.createStatement().executeQuery("SELECT snapshot_id, change_type, id FROM"
        + " ducklake_table_changes('lake', 'main', 't', " + (last - 1) + ", " + (last - 1) + ") ORDER BY id")) {
      while (rs.next()) {
        deleted.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getInt(3));
      }
    }
    assertThat(deleted).containsExactly((last - 1) + " delete 21", (last - 1) + " delete 41");
  }
}
