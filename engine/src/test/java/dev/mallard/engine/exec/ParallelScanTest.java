package dev.mallard.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException;
import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanPlanner;
import dev.mallard.engine.scan.ScanRequest;
import dev.mallard.engine.scan.ScanTask;
import dev.mallard.engine.types.Values;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scans read ahead on the pool ({@link ScanReader} with several threads, files split into byte
 * ranges) give exactly the batches of a sequential read, in the same order; a missing file fails
 * with its path; closing a scan midway frees every buffer (the catalog's allocator checks).
 */
class ParallelScanTest {
  private static DuckDb db;
  @TempDir static Path dir;
  private static Path lakeCatalog;

  @BeforeAll
  static void writeLake() {
    db = DuckDb.start(DuckDb.Version.V1_5_5);
    lakeCatalog = TestLakes.attachNamed(db, dir, "lake");
    db.execute("CALL lake.set_option('parquet_row_group_size', '2048')");
    db.execute("CREATE TABLE lake.t (id BIGINT, s VARCHAR, d DECIMAL(15,2))");
    for (int f = 0; f < 3; f++) {
      db.execute("INSERT INTO lake.t SELECT i, CASE WHEN i % 5 = 0 THEN NULL ELSE 'v' || (i % 100) END,"
          + " i * 0.25 FROM range(" + (f * 20000) + ", " + (f * 20000 + 20000) + ") t(i)");
    }
    db.execute("DELETE FROM lake.t WHERE id % 1000 = 7");
    db.execute("INSERT INTO lake.t VALUES (-1, 'inlined', 1.5)");
    db.execute("DETACH lake");
  }

  @AfterAll
  static void stopDuckDb() {
    db.close();
  }

  private static DuckLakeCatalog open() {
    return DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + lakeCatalog, Map.of()));
  }

  private static ScanPlan plan(DuckLakeCatalog catalog) {
    TableInfo t = catalog.view(catalog.currentSnapshot()).table("main", "t").orElseThrow();
    return new ScanPlanner(catalog).plan(new ScanRequest(t, catalog.currentSnapshot(), t.columns(), List.of(), null));
  }

  /** Each batch as its first row position and its selected rows' values, and the tasks it came from. */
  private record Read(List<String> batches, Set<ScanTask> tasks) {}

  private static Read read(ScanReader reader, ScanPlan plan) {
    List<String> batches = new ArrayList<>();
    Set<ScanTask> tasks = new HashSet<>();
    try (reader) {
      for (Batch next = reader.next(); next != null; next = reader.next()) {
        try (Batch b = next) {
          tasks.add(reader.currentTask());
          StringBuilder text = new StringBuilder().append(b.firstRowPosition()).append(':');
          for (int i = 0; i < b.selectedCount(); i++) {
            int row = b.selectedRow(i);
            for (int c = 0; c < plan.readColumns().size(); c++) {
              Object v = VectorValues.get(b.vector(c), row, plan.readColumns().get(c));
              text.append(v == null ? "null" : Values.format(plan.readColumns().get(c).type(), v)).append(',');
            }
            text.append(';');
          }
          batches.add(text.toString());
        }
      }
    }
    return new Read(batches, tasks);
  }

  @Test
  void parallelReadGivesTheSequentialBatchesInOrder() {
    try (DuckLakeCatalog catalog = open()) {
      ScanPlan plan = plan(catalog);
      Read sequential = read(new ScanReader(plan, catalog, 1, Long.MAX_VALUE), plan);
      Read parallel = read(new ScanReader(plan, catalog, 3, 24 * 1024), plan);
      assertThat(parallel.batches()).isEqualTo(sequential.batches());
      assertThat(parallel.tasks()).hasSizeGreaterThan(sequential.tasks().size()); // files were split
      long rows = sequential.batches().stream().mapToLong(b -> b.chars().filter(ch -> ch == ';').count()).sum();
      assertThat(rows).isEqualTo(60_000 - 60 + 1);
    }
  }

  @Test
  void closingMidwayFreesEverything() {
    for (int stopAfter : new int[] {0, 1, 5}) {
      try (DuckLakeCatalog catalog = open()) { // closing the catalog fails on a leaked buffer
        ScanPlan plan = plan(catalog);
        try (ScanReader reader = new ScanReader(plan, catalog, 3, 24 * 1024)) {
          for (int i = 0; i < stopAfter; i++) {
            reader.next().close();
          }
        }
      }
    }
  }

  /**
   * A stage that hands out nothing (an aggregate's first half, a selective filter) reads whole tasks
   * on the pool without the caller taking an item; a stop must still end them within a batch, not
   * at the end of each task.
   */
  @Test
  void aStopEndsPartsThatMakeNoItemsWithinABatch() {
    try (DuckLakeCatalog catalog = open()) { // closing the catalog fails on a leaked buffer
      ScanPlan plan = plan(catalog);
      assertThat(stagedBatches(catalog, plan)).as("batches of the whole scan").isGreaterThan(25);
      int stopAt = 2;
      AtomicInteger staged = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      StagedScan.Stage<Object> nothing = batch -> {
        batch.close();
        if (staged.incrementAndGet() == stopAt) {
          stop.set(true);
        }
        return null;
      };
      // Whole files as tasks (ten row groups each), all three read at once.
      try (StagedScan<Object> scan = new StagedScan<>(plan, catalog, 3, Long.MAX_VALUE, () -> nothing, o -> {},
          () -> {
            if (stop.get()) {
              throw new CancellationException("stopped");
            }
          })) {
        assertThatThrownBy(scan::next).isInstanceOf(CancellationException.class);
      }
      // Past the stop, each thread reading (the pool's and the caller's) finishes at most its batch.
      assertThat(staged.get()).isLessThanOrEqualTo(stopAt + ScanPool.threads() + 1);
    }
  }

  /** How many batches a scan that makes nothing of them reads. */
  private static int stagedBatches(DuckLakeCatalog catalog, ScanPlan plan) {
    AtomicInteger staged = new AtomicInteger();
    try (StagedScan<Object> scan = new StagedScan<>(plan, catalog, 3, Long.MAX_VALUE, () -> batch -> {
      batch.close();
      staged.incrementAndGet();
      return null;
    }, o -> {}, () -> {})) {
      assertThat(scan.next()).isNull();
    }
    return staged.get();
  }

  @Test
  void aMissingFileFailsWithItsPath() throws Exception {
    Path catalogFile = TestLakes.attachNamed(db, dir, "broken");
    db.execute("CREATE TABLE broken.t (id BIGINT, s VARCHAR, d DECIMAL(15,2))");
    for (int f = 0; f < 3; f++) {
      db.execute("INSERT INTO broken.t SELECT i, 'x', 1 FROM range(5000) t(i)");
    }
    db.execute("DETACH broken");
    try (DuckLakeCatalog catalog = DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + catalogFile, Map.of()))) {
      ScanPlan plan = plan(catalog);
      DataFile second = plan.tasks().stream().filter(t -> t instanceof ScanTask.DataFileTask)
          .map(t -> ((ScanTask.DataFileTask) t).file()).skip(1).findFirst().orElseThrow();
      Path file = Path.of(second.path());
      assertThat(file).exists();
      Files.delete(file);
      try (ScanReader reader = new ScanReader(plan, catalog, 3, 24 * 1024)) {
        assertThatThrownBy(() -> {
          for (Batch b = reader.next(); b != null; b = reader.next()) {
            b.close();
          }
        }).isInstanceOf(MallardException.class).hasMessageContaining(file.getFileName().toString());
      }
    }
  }
}
