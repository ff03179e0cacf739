package dev.mallard.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.txn.NewColumn;
import dev.mallard.engine.txn.TableAppender;
import dev.mallard.engine.txn.Transaction;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.testing.DuckDb;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointAndConcurrencyTest {
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

  @Test
  void checkpointRunsEveryStepAndKeepsTheLatestRows() {
    Lake lake = new Lake(duckdb, dir.resolve("checkpoint"));
    List<String> sql = new ArrayList<>(List.of("CREATE TABLE t (id BIGINT, name VARCHAR)"));
    for (int i = 0; i < 6; i++) {
      sql.add("INSERT INTO t SELECT i, 'r' || i FROM range(" + (i * 10) + ", " + (i * 10 + 10) + ") r(i)");
    }
    sql.add("DELETE FROM t WHERE id < 19");
    sql.add("CALL ducklake_set_option('lake', 'expire_older_than', '1 second')");
    sql.add("CALL ducklake_set_option('delete_older_than', '1 second')".replace("('", "('lake', '"));
    lake.duck(sql.toArray(new String[0]));
    lake.duck(10, "INSERT INTO t VALUES (100, 'inline'), (101, 'inline')");
    Map<Long, Map<String, List<String>>> before = lake.duckRows(TABLES);
    long latest = before.keySet().stream().mapToLong(Long::longValue).max().getAsLong();
    try {
      Thread.sleep(1500); // older than the 1 second options: every snapshot but the latest expires
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    List<Checkpoint.Step> steps;
    try (DuckLakeCatalog catalog = lake.open()) {
      List<Checkpoint.Step> planned = Maintenance.of(catalog).checkpoint().dryRun(true).commit();
      assertThat(planned).extracting(Checkpoint.Step::operation).containsExactly("flush_inlined_data",
          "expire_snapshots", "merge_adjacent_files", "rewrite_data_files", "cleanup_old_files",
          "delete_orphaned_files");
      assertThat(catalog.metadata().snapshots()).hasSize(before.size());
      steps = Maintenance.of(catalog).checkpoint().commit();
    }
    assertThat(steps.get(0).items()).isEqualTo(2); // rows flushed
    // Snapshots expired: all of before's, since the flush committed a newer one.
    assertThat(steps.get(1).items()).isEqualTo(before.size());
    assertThat(steps.get(2).items()).isGreaterThan(1); // files merged
    Map<Long, Map<String, List<String>>> after = lake.duckRows(TABLES);
    long newest = after.keySet().stream().mapToLong(Long::longValue).max().getAsLong();
    assertThat(after.get(newest)).isEqualTo(before.get(latest));
    assertThat(lake.mallardRows(TABLES)).isEqualTo(after);
  }

  /**
   * Two writers insert continuously (one small inserts that are inlined, one inserts that become
   * Parquet files) while every maintenance operation runs in a loop: no row is lost, no row is
   * duplicated, no writer commit fails (their conflicts are retried inside the commit), and the
   * merges really ran while the writers wrote.
   */
  @Test
  void maintenanceWhileTwoWritersInsert() throws Exception {
    Lake lake = new Lake(duckdb, dir.resolve("concurrent"));
    lake.duck(10, "CREATE TABLE t (id BIGINT, name VARCHAR)",
        "INSERT INTO t SELECT i, 'seed' FROM range(-100, 0) r(i)", "DELETE FROM t WHERE id < -5");
    int commitsPerWriter = 40;
    int[] rowsPerCommit = {3, 20};
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch done = new CountDownLatch(2);
    // Halfway through, the writers wait until a merge has run while they write: without it a fast
    // machine could finish writing before the first maintenance round merged anything.
    CountDownLatch mergedMidway = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    long mergedWhileWriting = 0;
    long rewritten = 0;
    List<String> orphansDeleted = new ArrayList<>();
    try (DuckLakeCatalog catalog = lake.open()) {
      for (int w = 0; w < 2; w++) {
        int writer = w;
        Thread t = new Thread(() -> {
          try {
            for (int i = 0; i < commitsPerWriter; i++) {
              if (i == commitsPerWriter / 2) {
                mergedMidway.await(2, TimeUnit.MINUTES);
              }
              Transaction txn = new Transaction(catalog);
              TableInfo table = txn.view().table("main", "t").orElseThrow();
              TableAppender appender = new TableAppender(txn, table);
              for (int r = 0; r < rowsPerCommit[writer]; r++) {
                long id = writer * 100_000L + i * 100L + r;
                appender.add(new Object[] {id, "w" + writer});
              }
              appender.finish();
              txn.commit();
            }
          } catch (Throwable e) {
            failures.add(e);
          } finally {
            done.countDown();
          }
        });
        writers.add(t);
        t.start();
      }
      Maintenance m = Maintenance.of(catalog);
      int rounds = 0;
      while (done.getCount() > 0 || rounds < 2) {
        boolean writing = done.getCount() > 0;
        m.flushInlinedData().commit();
        m.expireSnapshots().retainLast(5).commit();
        long merged = m.mergeAdjacentFiles().maxFilesPerCommit(8).commit().stream()
            .mapToLong(MergeAdjacentFiles.Result::filesProcessed).sum();
        if (writing) {
          mergedWhileWriting += merged;
          if (merged > 0) {
            mergedMidway.countDown();
          }
        }
        rewritten += m.rewriteDataFiles().deleteThreshold(0.5).commit().size();
        m.cleanupOldFiles().cleanupAll(true).commit();
        // A writer's file exists before its commit: older_than keeps such files out of reach.
        orphansDeleted.addAll(m.deleteOrphanedFiles().olderThan(Instant.now().minusSeconds(600)).commit());
        rounds++;
      }
      for (Thread t : writers) {
        t.join();
      }
      m.flushInlinedData().commit();
    }
    assertThat(failures).isEmpty();
    assertThat(mergedWhileWriting).isPositive();
    assertThat(rewritten).isPositive();
    assertThat(orphansDeleted).isEmpty();
    List<String> rows = lake.mallardRows(TABLES).entrySet().stream().reduce((a, b) -> b).orElseThrow().getValue()
        .get("t");
    TreeSet<Long> ids = new TreeSet<>();
    for (String row : rows) {
      ids.add(Long.parseLong(row.split("\\|")[1]));
    }
    int expected = commitsPerWriter * (rowsPerCommit[0] + rowsPerCommit[1]) + 5;
    assertThat(rows).hasSize(expected);
    assertThat(ids).hasSize(expected);
    for (int w = 0; w < 2; w++) {
      for (int i = 0; i < commitsPerWriter; i++) {
        for (int r = 0; r < rowsPerCommit[w]; r++) {
          assertThat(ids).contains(w * 100_000L + i * 100L + r);
        }
      }
    }
    // Every remaining snapshot reads alike in both engines.
    assertThat(lake.mallardRows(TABLES)).isEqualTo(lake.duckRows(TABLES));
  }
}
