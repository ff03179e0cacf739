package dev.mallard.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.testing.DuckDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpireAndCleanupTest {
  private static final List<String> TABLES = List.of("t", "gone");
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

  /** Snapshots with inserts, a delete file, an update, a dropped table and an overwritten delete file. */
  private Lake history(String name) {
    Lake lake = new Lake(duckdb, dir.resolve(name));
    lake.duck(
        "CREATE TABLE t (id BIGINT, name VARCHAR)",
        "INSERT INTO t SELECT i, 'n' || i FROM range(100) r(i)",
        "INSERT INTO t SELECT i, 'm' || i FROM range(100, 150) r(i)",
        "CREATE TABLE gone (x BIGINT)",
        "INSERT INTO gone SELECT i FROM range(20) r(i)",
        "DELETE FROM t WHERE id % 10 = 0",
        "UPDATE t SET name = 'updated' WHERE id BETWEEN 20 AND 29",
        "DELETE FROM t WHERE id % 10 = 1",
        "DROP TABLE gone",
        "INSERT INTO t VALUES (1000, 'last')");
    return lake;
  }

  private static List<Path> parquetFiles(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  @Test
  void expiringSnapshotsKeepsEveryOtherSnapshotAndCleanupDeletesOnlyUnneededFiles() throws Exception {
    Lake lake = history("expire");
    Map<Long, Map<String, List<String>>> before = lake.duckRows(TABLES);
    assertThat(lake.mallardRows(TABLES)).isEqualTo(before);
    List<Long> ids = new ArrayList<>(before.keySet());
    List<Path> filesBefore = parquetFiles(lake.data);

    try (DuckLakeCatalog catalog = lake.open()) {
      Maintenance m = Maintenance.of(catalog);
      // A dry run lists the snapshots and changes nothing.
      List<Snapshot> planned = m.expireSnapshots().versions(ids.subList(0, 9)).dryRun(true).commit();
      assertThat(planned).extracting(Snapshot::id).isEqualTo(ids.subList(0, 9));
      assertThat(catalog.metadata().snapshots()).hasSize(ids.size());

      List<ProgressListener.Progress> progress = new ArrayList<>();
      List<Snapshot> expired = m.expireSnapshots().versions(ids.subList(0, 9)).batchSize(3)
          .progress(progress::add).commit();
      assertThat(expired).extracting(Snapshot::id).isEqualTo(ids.subList(0, 9));
      assertThat(progress).hasSize(3);
      assertThat(progress.get(2).done()).isEqualTo(9);
    }
    List<Long> compared = lake.assertSnapshotsUnchanged(before, TABLES);
    assertThat(compared).isEqualTo(ids.subList(9, ids.size()));
    // Expiry only schedules: every file is still on disk.
    assertThat(parquetFiles(lake.data)).isEqualTo(filesBefore);

    List<String> deleted;
    try (DuckLakeCatalog catalog = lake.open()) {
      Maintenance m = Maintenance.of(catalog);
      assertThat(m.cleanupOldFiles().commit()).as("scheduled just now: younger than 2 days").isEmpty();
      List<String> dry = m.cleanupOldFiles().cleanupAll(true).dryRun(true).commit();
      assertThat(dry).isNotEmpty();
      deleted = m.cleanupOldFiles().cleanupAll(true).batchSize(2).commit();
      assertThat(deleted).containsExactlyInAnyOrderElementsOf(dry);
      assertThat(m.cleanupOldFiles().cleanupAll(true).dryRun(true).commit()).isEmpty();
    }
    // The dropped table's files went (no remaining snapshot sees it), and so did replaced delete files.
    assertThat(deleted).anyMatch(p -> p.contains("/gone/"));
    for (String p : deleted) {
      assertThat(Path.of(p)).doesNotExist();
    }
    assertThat(parquetFiles(lake.data)).hasSize(filesBefore.size() - deleted.size());
    lake.assertSnapshotsUnchanged(before, TABLES);
    // What DuckDB expires and cleans up afterwards agrees with what Mallard left.
    lake.duck("CALL ducklake_expire_snapshots('lake', older_than => now())",
        "CALL ducklake_cleanup_old_files('lake', cleanup_all => true)");
    lake.assertSnapshotsUnchanged(before, TABLES);
  }

  @Test
  void retainLastAndOlderThanPickTheOldestSnapshotsAndNeverTheLatest() {
    Lake lake = history("retain");
    Map<Long, Map<String, List<String>>> before = lake.duckRows(TABLES);
    List<Long> ids = new ArrayList<>(before.keySet());
    try (DuckLakeCatalog catalog = lake.open()) {
      Maintenance m = Maintenance.of(catalog);
      assertThat(m.expireSnapshots().retainLast(3).dryRun(true).commit()).extracting(Snapshot::id)
          .isEqualTo(ids.subList(0, ids.size() - 3));
      assertThat(m.expireSnapshots().olderThan(Instant.now().plus(Duration.ofDays(1))).dryRun(true).commit())
          .extracting(Snapshot::id).isEqualTo(ids.subList(0, ids.size() - 1));
      assertThat(m.expireSnapshots().commit()).as("no argument and no expire_older_than option").isEmpty();
      m.expireSnapshots().olderThan(Instant.now().plus(Duration.ofDays(1))).commit();
      assertThat(catalog.metadata().snapshots()).extracting(Snapshot::id).containsExactly(ids.get(ids.size() - 1));
    }
    lake.assertSnapshotsUnchanged(before, TABLES);
  }

  @Test
  void orphansAreDeletedButNeitherReferencedNorYoungFiles() throws Exception {
    Lake lake = history("orphans");
    Map<Long, Map<String, List<String>>> before = lake.duckRows(TABLES);
    List<Path> referenced = parquetFiles(lake.data);
    Path tableDir = referenced.get(0).getParent();
    Path oldOrphan = Files.copy(referenced.get(0), tableDir.resolve("ducklake-crashed-writer.parquet"));
    Files.setLastModifiedTime(oldOrphan, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
    Path inFlight = Files.copy(referenced.get(0), tableDir.resolve("ducklake-in-flight.parquet"));
    Path notParquet = Files.writeString(tableDir.resolve("notes.txt"), "keep me");
    Files.setLastModifiedTime(notParquet, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
    // Referenced files, however old, are never orphans.
    for (Path p : referenced) {
      Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
    }
    try (DuckLakeCatalog catalog = lake.open()) {
      Maintenance m = Maintenance.of(catalog);
      assertThat(m.deleteOrphanedFiles().dryRun(true).commit()).containsExactly(oldOrphan.toString());
      assertThat(m.deleteOrphanedFiles().cleanupAll(true).dryRun(true).commit())
          .containsExactlyInAnyOrder(oldOrphan.toString(), inFlight.toString());
      assertThat(m.deleteOrphanedFiles().commit()).containsExactly(oldOrphan.toString());
    }
    assertThat(oldOrphan).doesNotExist();
    assertThat(inFlight).exists();
    assertThat(notParquet).exists();
    assertThat(parquetFiles(lake.data)).containsExactlyInAnyOrderElementsOf(
        Stream.concat(referenced.stream(), Stream.of(inFlight)).toList());
    lake.assertSnapshotsUnchanged(before, TABLES);
    // DuckDB agrees that nothing else is orphaned.
    assertThat(lake.duckQuery("SELECT * FROM ducklake_delete_orphaned_files('lake', cleanup_all => true,"
        + " dry_run => true)").rows()).extracting(r -> r.get(0).toString()).containsExactly(inFlight.toString());
  }
}
