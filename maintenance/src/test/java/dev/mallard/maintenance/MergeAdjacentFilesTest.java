package dev.mallard.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.testing.DuckDb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MergeAdjacentFilesTest {
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

  /** Small files, one with a delete, an update, a column added halfway. */
  private Lake history(String name) {
    Lake lake = new Lake(duckdb, dir.resolve(name));
    List<String> sql = new ArrayList<>();
    sql.add("CREATE TABLE t (id BIGINT, name VARCHAR)");
    for (int i = 0; i < 12; i++) {
      sql.add("INSERT INTO t SELECT i, 'r' || i FROM range(" + (i * 3) + ", " + (i * 3 + 3) + ") r(i)");
    }
    sql.add("DELETE FROM t WHERE id = 4");
    sql.add("UPDATE t SET name = 'u' WHERE id = 7");
    sql.add("ALTER TABLE t ADD COLUMN score INTEGER DEFAULT 5");
    for (int i = 12; i < 18; i++) {
      sql.add("INSERT INTO t SELECT i, 'r' || i, i * 10 FROM range(" + (i * 3) + ", " + (i * 3 + 3) + ") r(i)");
    }
    lake.duck(sql.toArray(new String[0]));
    return lake;
  }

  private long liveFiles(Lake lake) {
    return ((Number) lake.duckQuery("SELECT COUNT(*) FROM __ducklake_metadata_lake.ducklake_data_file"
        + " WHERE end_snapshot IS NULL").scalar()).longValue();
  }

  private List<List<Object>> changes(Lake lake, long to) {
    return lake.duckQuery("SELECT snapshot_id, rowid, change_type, id, name, score FROM"
        + " ducklake_table_changes('lake', 'main', 't', 0, " + to + ") ORDER BY ALL").rows();
  }

  @Test
  void mergedFilesReadTheSameAtEverySnapshotThroughBothEngines() {
    Lake lake = history("merge");
    Map<Long, Map<String, List<String>>> before = lake.duckRows(TABLES);
    long last = new ArrayList<>(before.keySet()).get(before.size() - 1);
    List<List<Object>> changesBefore = changes(lake, last);
    long filesBefore = liveFiles(lake);
    long processed;
    try (DuckLakeCatalog catalog = lake.open()) {
      Maintenance m = Maintenance.of(catalog);
      List<MergeAdjacentFiles.Result> planned = m.mergeAdjacentFiles().dryRun(true).commit();
      assertThat(planned).isNotEmpty();
      assertThat(liveFiles(lake)).isEqualTo(filesBefore);
      List<ProgressListener.Progress> progress = new ArrayList<>();
      List<MergeAdjacentFiles.Result> merged = m.mergeAdjacentFiles().maxFilesPerCommit(4).progress(progress::add)
          .commit();
      assertThat(merged).hasSizeGreaterThan(planned.size()); // bounded commits, then a second pass
      assertThat(merged).allMatch(r -> r.filesProcessed() <= 4 && r.filesCreated() == 1);
      assertThat(progress).isNotEmpty();
      processed = merged.stream().mapToLong(MergeAdjacentFiles.Result::filesProcessed).sum();
      // Each source once, and the first pass's outputs once more in the second.
      assertThat(processed).isEqualTo(filesBefore - 2 + merged.size() - 1);
    }
    // The two files with deletes (the DELETE's and the UPDATE's) stay; the rest end up in one merged file.
    assertThat(liveFiles(lake)).isEqualTo(3);
    List<Long> compared = lake.assertSnapshotsUnchanged(before, TABLES);
    assertThat(compared).containsExactlyElementsOf(before.keySet());
    assertThat(changes(lake, last)).isEqualTo(changesBefore);
    // Every merged file is scheduled for deletion, and removing them changes nothing.
    try (DuckLakeCatalog catalog = lake.open()) {
      assertThat(Maintenance.of(catalog).cleanupOldFiles().cleanupAll(true).commit()).hasSize((int) processed);
    }
    lake.assertSnapshotsUnchanged(before, TABLES);
    // DuckDB keeps writing on top, and merges Mallard's output with its own new files.
    lake.duck("INSERT INTO t VALUES (100, 'x', 1)", "INSERT INTO t VALUES (101, 'y', 2)",
        "DELETE FROM t WHERE id = 1",
        "CALL ducklake_merge_adjacent_files('lake', 't')");
    assertThat(lake.mallardRows(TABLES)).isEqualTo(lake.duckRows(TABLES));
  }

  @Test
  void duckDbsMergeIsReadByMallardAndMallardMergesOnTopOfIt() {
    Lake lake = history("duckmerge");
    Map<Long, Map<String, List<String>>> before = lake.duckRows(TABLES);
    lake.duck("CALL ducklake_merge_adjacent_files('lake', 't')");
    lake.assertSnapshotsUnchanged(before, TABLES);
    lake.duck("INSERT INTO t VALUES (200, 'p', 1)", "INSERT INTO t VALUES (201, 'q', 2)",
        "INSERT INTO t VALUES (202, 'r', 3)");
    Map<Long, Map<String, List<String>>> before2 = lake.duckRows(TABLES);
    assertThat(lake.mallardRows(TABLES)).isEqualTo(before2);
    try (DuckLakeCatalog catalog = lake.open()) {
      assertThat(Maintenance.of(catalog).mergeAdjacentFiles().commit()).isNotEmpty();
    }
    lake.assertSnapshotsUnchanged(before2, TABLES);
  }

  @Test
  void twoThousandSingleRowInsertsMergeIntoOneFile() {
    Lake lake = new Lake(duckdb, dir.resolve("many"));
    lake.duck("CREATE TABLE t (id BIGINT, name VARCHAR)");
    int rows = 2000;
    List<String> inserts = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      inserts.add("INSERT INTO t VALUES (" + i + ", 'v" + i + "')");
    }
    lake.duck(inserts.toArray(new String[0]));
    assertThat(liveFiles(lake)).isEqualTo(rows);
    // Time travel is checked on a sample: each snapshot read scans up to 2,000 files.
    java.util.function.LongPredicate sample = id -> id % 500 == 3 || id >= rows;
    Map<Long, Map<String, List<String>>> before = lake.duckRows(TABLES, sample);
    try (DuckLakeCatalog catalog = lake.open()) {
      List<MergeAdjacentFiles.Result> merged = Maintenance.of(catalog).mergeAdjacentFiles().maxFilesPerCommit(500)
          .commit();
      assertThat(merged.stream().mapToLong(MergeAdjacentFiles.Result::filesProcessed).sum())
          .isEqualTo(rows + 4); // 4 merges of 500, then one of their 4 outputs
    }
    // ceil(rows / target) with the default 512 MB target: one file.
    assertThat(liveFiles(lake)).isEqualTo(1);
    lake.assertSnapshotsUnchanged(before, TABLES, sample);
    List<String> latest = before.get(before.keySet().stream().mapToLong(Long::longValue).max().getAsLong()).get("t");
    assertThat(latest).hasSize(rows);
    for (int i = 0; i < rows; i++) {
      assertThat(latest.get(i)).isEqualTo(i + "|" + i + "|v" + i); // rowid i is the i-th insert
    }
  }
}
