package dev.mallard.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.testing.DuckDb;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlushInlinedDataTest {
  private static final List<String> TABLES = List.of("t", "other");
  @TempDir Path dir;
  private DuckDb duckdb;

  @BeforeAll
  void start() {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
  }

  @AfterAll
  void stop() {
    duckdb.close();
  }

  @Test
  void flushedRowsKeepTheirIdsAndEverySnapshotReadsTheSame() {
    Lake lake = new Lake(duckdb, dir.resolve("flush"));
    lake.duck(10,
        "CREATE TABLE t (id BIGINT, name VARCHAR, price DECIMAL(9,2), day DATE)",
        "CREATE TABLE other (x INTEGER)",
        "INSERT INTO t VALUES (1, 'a', 1.50, DATE '2024-01-01'), (2, 'b', NULL, DATE '2024-01-02')",
        "INSERT INTO t VALUES (3, 'c', 3.25, NULL)",
        "INSERT INTO other VALUES (7), (8)",
        "DELETE FROM t WHERE id = 2",
        "UPDATE t SET name = 'c2' WHERE id = 3",
        "INSERT INTO t VALUES (4, NULL, 4.00, DATE '2024-01-04')");
    Map<Long, Map<String, List<String>>> before = lake.duckRows(TABLES);
    assertThat(lake.mallardRows(TABLES)).isEqualTo(before);

    try (DuckLakeCatalog catalog = lake.open()) {
      Maintenance m = Maintenance.of(catalog);
      assertThat(m.flushInlinedData().dryRun(true).commit()).containsExactlyInAnyOrder(
          new FlushInlinedData.Result("main", "t", 5), new FlushInlinedData.Result("main", "other", 2));
      assertThat(catalog.metadata().snapshots()).hasSize(before.size());
      List<FlushInlinedData.Result> flushed = m.flushInlinedData().table("main", "t").commit();
      assertThat(flushed).containsExactly(new FlushInlinedData.Result("main", "t", 5));
      assertThat(m.flushInlinedData().table("main", "t").dryRun(true).commit()).isEmpty();
    }
    List<Long> compared = lake.assertSnapshotsUnchanged(before, TABLES);
    assertThat(compared).hasSize(before.size());
    // The rows now live in one partial Parquet file with a partial delete file, as DuckDB writes them.
    List<List<Object>> files = lake.duckQuery("SELECT data.partial_max IS NOT NULL, data.row_id_start, del.partial_max"
        + " IS NOT NULL FROM __ducklake_metadata_lake.ducklake_data_file data LEFT JOIN"
        + " __ducklake_metadata_lake.ducklake_delete_file del USING (data_file_id)").rows();
    assertThat(files).hasSize(1);
    assertThat(files.get(0)).containsExactly(true, java.math.BigInteger.ZERO, true);
    assertThat(lake.duckQuery("SELECT changes_made FROM __ducklake_metadata_lake.ducklake_snapshot_changes"
        + " ORDER BY snapshot_id DESC LIMIT 1").scalar()).isEqualTo("inline_flush:1");
    // DuckDB keeps writing on top: deletes of flushed rows and new inserts read back alike.
    lake.duck(10, "DELETE FROM t WHERE id = 1", "INSERT INTO t VALUES (5, 'e', 5.00, NULL)",
        "CALL ducklake_flush_inlined_data('lake')");
    assertThat(lake.mallardRows(TABLES)).isEqualTo(lake.duckRows(TABLES));
  }

  @Test
  void nestedRowsAreFlushedIntoAFileDuckDbReadsAlike() {
    Lake lake = new Lake(duckdb, dir.resolve("nested"));
    List<String> tables = List.of("n");
    lake.duck(10,
        "CREATE TABLE n (id INTEGER, s STRUCT(a INTEGER, b VARCHAR), l INTEGER[], m MAP(VARCHAR, INTEGER),"
            + " ls STRUCT(x INTEGER, y VARCHAR[])[])",
        "INSERT INTO n VALUES (1, {'a': 1, 'b': 'x y'}, [1, NULL], MAP {'k': 1, 'a=b': NULL},"
            + " [{'x': 1, 'y': ['p', NULL]}, NULL]), (2, NULL, NULL, NULL, NULL)",
        "INSERT INTO n VALUES (3, {'a': NULL, 'b': '[q]'}, [], MAP {}, [])",
        "DELETE FROM n WHERE id = 2",
        "UPDATE n SET l = [7, 8] WHERE id = 3");
    Map<Long, Map<String, List<String>>> duckBefore = lake.duckRows(tables);
    Map<Long, Map<String, List<String>>> mallardBefore = lake.mallardRows(tables);
    try (DuckLakeCatalog catalog = lake.open()) {
      assertThat(Maintenance.of(catalog).flushInlinedData().commit())
          .containsExactly(new FlushInlinedData.Result("main", "n", 4));
    }
    assertThat(lake.duckQuery("SELECT count(*) FROM __ducklake_metadata_lake.ducklake_data_file").scalar())
        .isEqualTo(java.math.BigInteger.ONE);
    Map<Long, Map<String, List<String>>> duckAfter = lake.duckRows(tables);
    assertThat(duckAfter).hasSize(duckBefore.size() + 1);
    duckBefore.forEach((snapshot, rows) -> assertThat(duckAfter.get(snapshot)).isEqualTo(rows));
    Map<Long, Map<String, List<String>>> mallardAfter = lake.mallardRows(tables);
    mallardBefore.forEach((snapshot, rows) -> assertThat(mallardAfter.get(snapshot)).isEqualTo(rows));
    // The last snapshot (the flush) reads as the one before it.
    List<Long> ids = new java.util.ArrayList<>(duckAfter.keySet());
    assertThat(duckAfter.get(ids.get(ids.size() - 1))).isEqualTo(duckAfter.get(ids.get(ids.size() - 2)));
    assertThat(duckAfter.get(ids.get(ids.size() - 1)).get("n")).hasSize(2);
  }
}
