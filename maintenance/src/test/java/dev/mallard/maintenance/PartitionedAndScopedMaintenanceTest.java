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

/**
 * Merge and rewrite of partitioned tables (per partition, with the partition's catalog rows, as
 * DuckDB's own merge writes them), and the options set per table or schema with
 * {@code ducklake_set_option}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionedAndScopedMaintenanceTest {
  private static final List<String> TABLES = List.of("t");
  /** Each live file's partition: "partition_id|key0=value0,key1=value1", sorted; files without one are "none". */
  private static final String LIVE_PARTITIONS = "SELECT COALESCE(CAST(f.partition_id AS VARCHAR), 'none') || '|' ||"
      + " COALESCE((SELECT string_agg(v.partition_key_index || '=' || COALESCE(v.partition_value, 'NULL'), ','"
      + " ORDER BY v.partition_key_index) FROM __ducklake_metadata_lake.ducklake_file_partition_value v"
      + " WHERE v.data_file_id = f.data_file_id), '') AS p FROM __ducklake_metadata_lake.ducklake_data_file f"
      + " WHERE f.end_snapshot IS NULL ORDER BY p";
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

  /** Rows before partitioning, then single-row inserts into two regions and two years (one NULL region). */
  private Lake partitioned(String name) {
    Lake lake = new Lake(duckdb, dir.resolve(name));
    List<String> sql = new ArrayList<>();
    sql.add("CREATE TABLE t (id BIGINT, region VARCHAR, d DATE)");
    sql.add("INSERT INTO t VALUES (0, 'eu', DATE '2023-01-01')");
    sql.add("INSERT INTO t VALUES (1, 'us', DATE '2024-01-01')");
    sql.add("ALTER TABLE t SET PARTITIONED BY (region, year(d))");
    for (int i = 2; i < 26; i++) {
      String region = i % 7 == 0 ? "NULL" : i % 2 == 0 ? "'eu'" : "'us'";
      String date = i % 3 == 0 ? "DATE '2023-05-06'" : "DATE '2024-07-08'";
      sql.add("INSERT INTO t VALUES (" + i + ", " + region + ", " + date + ")");
    }
    lake.duck(sql.toArray(new String[0]));
    return lake;
  }

  private List<String> livePartitions(Lake lake) {
    List<String> out = new ArrayList<>();
    for (List<Object> row : lake.duckQuery(LIVE_PARTITIONS).rows()) {
      out.add(String.valueOf(row.get(0)));
    }
    return out;
  }

  @Test
  void mergeWorksPerPartitionAndWritesWhatDuckDbWrites() {
    Lake mallard = partitioned("merge-mallard");
    Lake duck = partitioned("merge-duck");
    Map<Long, Map<String, List<String>>> before = mallard.duckRows(TABLES);
    assertThat(duck.duckRows(TABLES)).isEqualTo(before);
    List<String> partitionsBefore = livePartitions(mallard);
    assertThat(partitionsBefore).hasSize(26);
    try (DuckLakeCatalog catalog = mallard.open()) {
      List<ProgressListener.Progress> progress = new ArrayList<>();
      List<MergeAdjacentFiles.Result> merged = Maintenance.of(catalog).mergeAdjacentFiles().progress(progress::add)
          .commit();
      assertThat(merged).isNotEmpty();
      assertThat(progress).noneMatch(p -> p.unit().equals("skipped"));
    }
    duck.duck("CALL ducklake_merge_adjacent_files('lake', 't')");
    // One file per partition (and one for the rows written before partitioning), with the same
    // partition id and values as DuckDB's merge gives them.
    List<String> partitionsAfter = livePartitions(mallard);
    assertThat(partitionsAfter).isEqualTo(livePartitions(duck));
    assertThat(partitionsAfter).doesNotHaveDuplicates().hasSize((int) partitionsBefore.stream().distinct().count());
    assertThat(partitionsAfter).contains("none|", "2|0=eu,1=2023", "2|0=NULL,1=2024");
    mallard.assertSnapshotsUnchanged(before, TABLES);
    // Partition pruning (which reads the partition values) still finds exactly the rows.
    String filtered = "SELECT id FROM t WHERE region = 'eu' AND year(d) = 2024 ORDER BY id";
    assertThat(mallard.duckQuery(filtered).rows()).isEqualTo(duck.duckQuery(filtered).rows()).isNotEmpty();
    // Merged files live in their partition's directory, as DuckDB writes them.
    List<List<Object>> paths = mallard.duckQuery("SELECT path FROM __ducklake_metadata_lake.ducklake_data_file"
        + " WHERE end_snapshot IS NULL AND partition_id IS NOT NULL").rows();
    assertThat(paths).allMatch(p -> String.valueOf(p.get(0)).contains("region="));
    // DuckDB keeps writing to and merging Mallard's output.
    mallard.duck("INSERT INTO t VALUES (100, 'eu', DATE '2024-01-02')", "INSERT INTO t VALUES (101, 'eu', DATE '2024-03-02')",
        "CALL ducklake_merge_adjacent_files('lake', 't')");
    assertThat(mallard.mallardRows(TABLES)).isEqualTo(mallard.duckRows(TABLES));
  }

  /** Inlined rows of a partitioned table: inserts over three partitions and NULL, a delete, an update across partitions. */
  private Lake inlinedPartitioned(String name) {
    Lake lake = new Lake(duckdb, dir.resolve(name));
    lake.duck(10, "CREATE TABLE t (id BIGINT, region VARCHAR, d DATE)",
        "ALTER TABLE t SET PARTITIONED BY (region, year(d))",
        "INSERT INTO t VALUES (1, 'eu', DATE '2023-01-01'), (2, 'us', DATE '2024-01-01'), (3, 'eu', DATE '2024-02-02')",
        "INSERT INTO t VALUES (4, NULL, DATE '2023-01-01'), (5, 'eu', DATE '2023-03-01'), (6, 'a/b', NULL)",
        "DELETE FROM t WHERE id = 1",
        "UPDATE t SET d = DATE '2024-05-05' WHERE id = 5",
        "INSERT INTO t VALUES (7, 'us', DATE '2024-12-31')");
    return lake;
  }

  @Test
  void flushWritesOnePartialFilePerPartitionAsDuckDbDoes() {
    Lake mallard = inlinedPartitioned("flush-mallard");
    Lake duck = inlinedPartitioned("flush-duck");
    Map<Long, Map<String, List<String>>> before = mallard.duckRows(TABLES);
    try (DuckLakeCatalog catalog = mallard.open()) {
      assertThat(Maintenance.of(catalog).flushInlinedData().commit())
          .containsExactly(new FlushInlinedData.Result("main", "t", 8));
    }
    duck.duck("CALL ducklake_flush_inlined_data('lake')");
    // Per file, in file id order: its directory, rows, row id and snapshot span, partition and deletions.
    String files = "SELECT regexp_replace(f.path, '[^/]*$', ''), f.record_count, f.row_id_start, f.begin_snapshot,"
        + " f.partial_max, f.partition_id, (SELECT list(v.partition_value ORDER BY v.partition_key_index) FROM"
        + " __ducklake_metadata_lake.ducklake_file_partition_value v WHERE v.data_file_id = f.data_file_id),"
        + " (SELECT sum(delete_count) FROM __ducklake_metadata_lake.ducklake_delete_file x"
        + " WHERE x.data_file_id = f.data_file_id) FROM __ducklake_metadata_lake.ducklake_data_file f ORDER BY"
        + " f.data_file_id";
    List<List<Object>> theirs = duck.duckQuery(files).rows();
    assertThat(theirs).hasSize(5);
    assertThat(mallard.duckQuery(files).rows()).isEqualTo(theirs);
    mallard.assertSnapshotsUnchanged(before, TABLES);
    assertThat(mallard.duckQuery("SELECT count(*) FROM lake.t").scalar())
        .isEqualTo(java.math.BigInteger.valueOf(6));
    Object last = mallard.duckQuery("SELECT max(snapshot_id) FROM lake.snapshots()").scalar();
    assertThat(duck.duckQuery("SELECT max(snapshot_id) FROM lake.snapshots()").scalar()).isEqualTo(last);
    String changes = "SELECT snapshot_id, rowid, change_type, id, region, d FROM ducklake_table_changes('lake', 'main',"
        + " 't', 0, " + last + ") ORDER BY ALL";
    assertThat(mallard.duckQuery(changes).rows()).isEqualTo(duck.duckQuery(changes).rows());
    // DuckDB keeps writing to and flushing Mallard's output.
    mallard.duck(10, "DELETE FROM t WHERE id = 3", "INSERT INTO t VALUES (8, 'eu', DATE '2024-01-09')",
        "CALL ducklake_flush_inlined_data('lake')");
    assertThat(mallard.mallardRows(TABLES)).isEqualTo(mallard.duckRows(TABLES));
  }

  @Test
  void rewriteKeepsEachFileInItsPartition() {
    Lake lake = new Lake(duckdb, dir.resolve("rewrite"));
    lake.duck("CREATE TABLE t (id BIGINT, region VARCHAR)", "ALTER TABLE t SET PARTITIONED BY (region)",
        "INSERT INTO t SELECT i, CASE WHEN i % 2 = 0 THEN 'eu' ELSE 'us' END FROM range(100) r(i)",
        "DELETE FROM t WHERE id % 10 NOT IN (0, 1)");
    Map<Long, Map<String, List<String>>> before = lake.duckRows(TABLES);
    List<String> partitionsBefore = livePartitions(lake);
    try (DuckLakeCatalog catalog = lake.open()) {
      List<RewriteDataFiles.Result> rewritten = Maintenance.of(catalog).rewriteDataFiles().deleteThreshold(0.5)
          .commit();
      assertThat(rewritten).hasSize(2).allMatch(r -> r.filesProcessed() == 1 && r.filesCreated() == 1);
    }
    assertThat(livePartitions(lake)).isEqualTo(partitionsBefore);
    assertThat(((Number) lake.duckQuery("SELECT COUNT(*) FROM __ducklake_metadata_lake.ducklake_delete_file"
        + " WHERE end_snapshot IS NULL").scalar()).longValue()).isZero();
    lake.assertSnapshotsUnchanged(before, TABLES);
    assertThat(((Number) lake.duckQuery("SELECT count(*) FROM t WHERE region = 'us'").scalar()).longValue()).isEqualTo(10);
    assertThat(((Number) lake.duckQuery("SELECT count(*) FROM t WHERE region = 'eu'").scalar()).longValue()).isEqualTo(10);
  }

  @Test
  void tableAndSchemaOptionsOverrideTheLakesAsInTheReference() {
    Lake lake = new Lake(duckdb, dir.resolve("options"));
    List<String> sql = new ArrayList<>(List.of("CREATE TABLE t (id BIGINT, name VARCHAR)",
        "CREATE TABLE keep (id BIGINT)", "CREATE TABLE other (id BIGINT)", "CREATE SCHEMA s",
        "CREATE TABLE s.u (id BIGINT)"));
    for (int i = 0; i < 40; i++) {
      // Rows of about 250 bytes that compress little, so a merged file is about as big as its sources.
      sql.add("INSERT INTO t SELECT " + i + ", string_agg(md5(CAST(" + i + " * 100 + k AS VARCHAR)), '') FROM range(8)"
          + " r(k)");
    }
    for (String table : List.of("keep", "other", "s.u")) {
      for (int i = 0; i < 3; i++) {
        sql.add("INSERT INTO " + table + " VALUES (" + i + ")");
      }
    }
    sql.add("CALL ducklake_set_option('lake', 'target_file_size', '100B')"); // lake-wide: nothing merges
    sql.add("CALL ducklake_set_option('lake', 'auto_compact', false, table_name => 'keep')");
    sql.add("CALL ducklake_set_option('lake', 'target_file_size', '512MB', schema => 's')");
    lake.duck(sql.toArray(new String[0]));
    // t: a table-level target of 4KB (a one-row file is about 1.6KB, the 40 rows about 11KB); it
    // wins over the lake's 100B.
    long targetKb = 4;
    lake.duck("CALL ducklake_set_option('lake', 'target_file_size', '" + targetKb + "KB', table_name => 't')");
    List<List<Object>> scoped = lake.duckQuery("SELECT scope, scope_id FROM __ducklake_metadata_lake.ducklake_metadata"
        + " WHERE key = 'target_file_size' AND scope = 'table'").rows();
    assertThat(scoped).hasSize(1);
    Map<Long, Map<String, List<String>>> before = lake.duckRows(List.of("t", "keep", "other"));
    try (DuckLakeCatalog catalog = lake.open()) {
      List<ProgressListener.Progress> progress = new ArrayList<>();
      List<MergeAdjacentFiles.Result> merged = Maintenance.of(catalog).mergeAdjacentFiles().progress(progress::add)
          .commit();
      assertThat(merged).extracting(MergeAdjacentFiles.Result::tableName).containsOnly("t", "u");
      assertThat(progress).anyMatch(p -> p.unit().equals("skipped") && p.detail().startsWith("main.keep: its"
          + " auto_compact option is false"));
    }
    Map<String, Long> files = new java.util.TreeMap<>();
    for (List<Object> row : lake.duckQuery("SELECT t.table_name, COUNT(*) FROM"
        + " __ducklake_metadata_lake.ducklake_data_file f JOIN __ducklake_metadata_lake.ducklake_table t USING"
        + " (table_id) WHERE f.end_snapshot IS NULL AND t.end_snapshot IS NULL GROUP BY 1").rows()) {
      files.put((String) row.get(0), ((Number) row.get(1)).longValue());
    }
    assertThat(files.get("keep")).isEqualTo(3); // auto_compact false at table scope
    assertThat(files.get("other")).isEqualTo(3); // lake-wide 100B target: every file is big enough already
    assertThat(files.get("u")).isEqualTo(1); // the schema's 512MB target
    // t: merged towards its own target, not the 512MB default. As in the reference, two neighbouring
    // files under the target stay apart only when together they overshoot it by more than the first
    // falls short, so any two neighbours hold more than the target: at most 2 * bytes / target + 1 files.
    long bytes = ((Number) lake.duckQuery("SELECT SUM(file_size_bytes) FROM __ducklake_metadata_lake.ducklake_data_file"
        + " WHERE end_snapshot IS NULL AND table_id = (SELECT table_id FROM __ducklake_metadata_lake.ducklake_table"
        + " WHERE table_name = 't')").scalar()).longValue();
    long target = targetKb * 1000;
    assertThat(files.get("t")).isGreaterThan(1).isLessThanOrEqualTo(2 * bytes / target + 1);
    lake.assertSnapshotsUnchanged(before, List.of("t", "keep", "other"));
  }

  @Test
  void tablesWithNestedColumnsAreFlushedAndMergedLikeTheOthers() {
    Lake lake = new Lake(duckdb, dir.resolve("nested"));
    lake.duck("CREATE TABLE t (id BIGINT)", "CREATE TABLE n (id BIGINT, s STRUCT(a INTEGER, b VARCHAR), l INTEGER[])",
        "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)", "INSERT INTO n VALUES (1, {'a': 1, 'b': 'x'}, [1])",
        "INSERT INTO n VALUES (2, {'a': 2, 'b': 'y'}, NULL), (4, NULL, [NULL, 2])");
    lake.duck(10, "INSERT INTO n VALUES (3, {'a': 3, 'b': 'z'}, [])");
    Map<Long, Map<String, List<String>>> before = lake.duckRows(List.of("t", "n"));
    Map<Long, Map<String, List<String>>> mallardBefore = lake.mallardRows(List.of("n"));
    List<ProgressListener.Progress> progress = new ArrayList<>();
    List<Checkpoint.Step> steps;
    try (DuckLakeCatalog catalog = lake.open()) {
      steps = Maintenance.of(catalog).checkpoint().progress(progress::add).commit();
    }
    assertThat(steps).extracting(Checkpoint.Step::operation).contains("merge_adjacent_files");
    assertThat(steps.get(2).items()).isEqualTo(5); // t's two files, n's two and the one its inlined rows were flushed to
    assertThat(progress.stream().filter(p -> p.unit().equals(MaintenanceOperation.SKIPPED))
        .map(ProgressListener.Progress::detail).toList()).isEmpty();
    assertThat(lake.duckQuery("SELECT count(*) FROM __ducklake_metadata_lake.ducklake_data_file d JOIN"
        + " __ducklake_metadata_lake.ducklake_table t USING (table_id) WHERE t.table_name = 'n'"
        + " AND d.end_snapshot IS NULL").scalar()).isEqualTo(java.math.BigInteger.ONE);
    // Every snapshot reads as before: through DuckDB (both tables) and Mallard (its own text of n).
    assertThat(lake.duckRows(List.of("t", "n"), before::containsKey)).isEqualTo(before);
    Map<Long, Map<String, List<String>>> mallardAfter = lake.mallardRows(List.of("n"));
    mallardBefore.forEach((snapshot, rows) -> assertThat(mallardAfter.get(snapshot)).isEqualTo(rows));
    assertThat(lake.mallardRows(List.of("t"))).isEqualTo(lake.duckRows(List.of("t")));
  }
}
