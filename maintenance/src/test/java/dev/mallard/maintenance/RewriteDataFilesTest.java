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
class RewriteDataFilesTest {
  private static final List<String> TABLES = List.of("t");
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

  private long liveFiles(Lake lake) {
    return ((Number) lake.duckQuery("SELECT COUNT(*) FROM __ducklake_metadata_lake.ducklake_data_file"
        + " WHERE end_snapshot IS NULL").scalar()).longValue();
  }

  @Test
  void filesWithMostRowsDeletedAreRewrittenKeepingRowIdsAndHistory() {
    Lake lake = new Lake(duckdb, dir.resolve("rewrite"));
    lake.duck(
        "CREATE TABLE t (id BIGINT, name VARCHAR)",
        "INSERT INTO t SELECT i, 'a' || i FROM range(100) r(i)",
        "INSERT INTO t SELECT i, 'b' || i FROM range(100, 120) r(i)",
        "INSERT INTO t SELECT i, 'c' || i FROM range(200, 206) r(i)",
        "DELETE FROM t WHERE id < 97",
        "DELETE FROM t WHERE id BETWEEN 100 AND 102");
    // Deleted inline in the catalog (at most the inlining limit).
    lake.duck(10, "DELETE FROM t WHERE id BETWEEN 200 AND 203");
    Map<Long, Map<String, List<String>>> before = lake.duckRows(TABLES);
    assertThat(lake.mallardRows(TABLES)).isEqualTo(before);
    try (DuckLakeCatalog catalog = lake.open()) {
      Maintenance m = Maintenance.of(catalog);
      assertThat(m.rewriteDataFiles().dryRun(true).commit())
          .containsExactly(new RewriteDataFiles.Result("main", "t", 1, 1));
      assertThat(m.rewriteDataFiles().commit()).containsExactly(new RewriteDataFiles.Result("main", "t", 1, 1));
      // 4 of 6 deleted inline: reached with a lower threshold.
      assertThat(m.rewriteDataFiles().deleteThreshold(0.5).commit())
          .containsExactly(new RewriteDataFiles.Result("main", "t", 1, 1));
    }
    assertThat(liveFiles(lake)).isEqualTo(3);
    assertThat(lake.assertSnapshotsUnchanged(before, TABLES)).containsExactlyElementsOf(before.keySet());
    Map<Long, Map<String, List<String>>> after = lake.duckRows(TABLES);
    long latestBefore = before.keySet().stream().mapToLong(Long::longValue).max().getAsLong();
    long latest = after.keySet().stream().mapToLong(Long::longValue).max().getAsLong();
    assertThat(after.get(latest)).isEqualTo(before.get(latestBefore));
    assertThat(lake.mallardRows(TABLES)).isEqualTo(after);
    // Mallard leaves the table-wide bounds alone (they are bounds over all history).
    assertThat(lake.duckQuery("SELECT min_value FROM __ducklake_metadata_lake.ducklake_table_column_stats"
        + " WHERE column_id = 1").scalar()).isEqualTo("0");
    // DuckDB deletes from and rewrites Mallard's output; both read the result alike. Only the
    // latest snapshot is compared: DuckDB 1.5.5's own rewrite narrows ducklake_table_column_stats
    // to the live rows, and DuckDB then misreads older snapshots through those bounds (a pure
    // DuckDB reproduction: insert 0..99, delete id < 97, rewrite, read AT VERSION 2: ids 256..).
    lake.duck("DELETE FROM t WHERE id = 98", "CALL ducklake_rewrite_data_files('lake', 't', delete_threshold => 0.1)");
    java.util.function.LongPredicate newest = id -> id > latest;
    Map<Long, Map<String, List<String>>> duck = lake.duckRows(TABLES, newest);
    assertThat(duck).hasSize(2);
    assertThat(lake.mallardRows(TABLES, newest)).isEqualTo(duck);
  }

  @Test
  void filesWithNestedColumnsAreRewrittenAsDuckDbReadsThem() {
    List<String> tables = List.of("n");
    Lake lake = new Lake(duckdb, dir.resolve("nested"));
    lake.duck(
        "CREATE TABLE n (id BIGINT, s STRUCT(a INTEGER, b VARCHAR), l INTEGER[], m MAP(VARCHAR, INTEGER),"
            + " ls STRUCT(x INTEGER, y DOUBLE)[], sl STRUCT(k VARCHAR, v INTEGER[]))",
        "INSERT INTO n SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE {'a': i, 'b': 'b' || i} END,"
            + " CASE WHEN i % 5 = 0 THEN [] ELSE [i, NULL, i + 1] END, MAP {'k' || i: i, 'z': NULL},"
            + " [{'x': i, 'y': i / 2}, NULL, {'x': NULL, 'y': NULL}], {'k': NULL, 'v': CASE WHEN i % 3 = 0 THEN NULL"
            + " ELSE [i] END} FROM range(100) r(i)",
        "DELETE FROM n WHERE id < 96");
    Map<Long, Map<String, List<String>>> before = lake.duckRows(tables);
    Map<Long, Map<String, List<String>>> mallardBefore = lake.mallardRows(tables);
    try (DuckLakeCatalog catalog = lake.open()) {
      assertThat(Maintenance.of(catalog).rewriteDataFiles().commit())
          .containsExactly(new RewriteDataFiles.Result("main", "n", 1, 1));
    }
    assertThat(liveFiles(lake)).isEqualTo(1);
    // Every snapshot reads as before the rewrite: through DuckDB, and through Mallard (its own text of nested values).
    Map<Long, Map<String, List<String>>> after = lake.duckRows(tables);
    Map<Long, Map<String, List<String>>> mallardAfter = lake.mallardRows(tables);
    before.forEach((snapshot, rows) -> assertThat(after.get(snapshot)).as("DuckDB at %s", snapshot).isEqualTo(rows));
    mallardBefore.forEach((snapshot, rows) -> assertThat(mallardAfter.get(snapshot)).as("Mallard at %s", snapshot)
        .isEqualTo(rows));
    long latest = after.keySet().stream().mapToLong(Long::longValue).max().getAsLong();
    long latestBefore = before.keySet().stream().mapToLong(Long::longValue).max().getAsLong();
    assertThat(after.get(latest)).isEqualTo(before.get(latestBefore));
    assertThat(mallardAfter.get(latest)).isEqualTo(mallardBefore.get(latestBefore));
    assertThat(after.get(latest).get("n")).hasSize(4);
    // The rewritten file is DuckDB's to delete from and rewrite again.
    lake.duck("DELETE FROM n WHERE id = 98", "CALL ducklake_rewrite_data_files('lake', 'n', delete_threshold => 0.1)");
    assertThat(lake.duckQuery("SELECT list(id ORDER BY id)::VARCHAR FROM lake.n").scalar()).isEqualTo("[96, 97, 99]");
  }
}
