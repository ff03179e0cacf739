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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
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

  /** Two writers insert continuously while maintenance runs: no row is lost, no writer fails. */
  @Test
  void maintenanceWhileTwoWritersInsert() throws Exception {
    Lake lake = new Lake(duckdb, dir.resolve("concurrent"));
    lake.duck(10, "CREATE TABLE t (id BIGINT, name VARCHAR)");
    int commitsPerWriter = 40;
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch done = new CountDownLatch(2);
    List<Thread> writers = new ArrayList<>();
    try (DuckLakeCatalog catalog = lake.open()) {
      for (int w = 0; w < 2; w++) {
        int writer = w;
        Thread t = new Thread(() -> {
          try {
            for (int i = 0; i < commitsPerWriter; i++) {
              Transaction txn = new Transaction(catalog);
              TableInfo table = txn.view().table("main", "t").orElseThrow();
              TableAppender appender = new TableAppender(txn, table);
              for (int r = 0; r < 3; r++) {
                long id = writer * 100_000L + i * 10L + r;
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
        m.flushInlinedData().commit();
        m.expireSnapshots().retainLast(5).commit();
        m.cleanupOldFiles().cleanupAll(true).commit();
        rounds++;
      }
      for (Thread t : writers) {
        t.join();
      }
      m.flushInlinedData().commit();
    }
    assertThat(failures).isEmpty();
    List<String> rows = lake.mallardRows(TABLES).entrySet().stream().reduce((a, b) -> b).orElseThrow().getValue()
        .get("t");
    TreeSet<Long> ids = new TreeSet<>();
    for (String row : rows) {
      ids.add(Long.parseLong(row.split("\\|")[1]));
    }
    assertThat(rows).hasSize(2 * commitsPerWriter * 3);
    assertThat(ids).hasSize(2 * commitsPerWriter * 3);
    // Every remaining snapshot reads alike in both engines.
    assertThat(lake.mallardRows(TABLES)).isEqualTo(lake.duckRows(TABLES));
  }
}
