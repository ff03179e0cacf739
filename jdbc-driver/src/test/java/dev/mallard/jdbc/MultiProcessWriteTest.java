package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.txn.NewColumn;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.testing.DuckDb;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4's acceptance: 8 JVM processes, each with its own connection pool, make single-row
 * commits at once through one catalog (PostgreSQL, MySQL on MariaDB, SQLite) into one table with
 * shared local storage: no row is lost, none is doubled, every commit is its own snapshot, row ids
 * are handed out once each, and DuckDB 1.5.5 reads the same rows.
 *
 * <p>The default run is the acceptance's 8 processes x 500 commits on each catalog database (about
 * 160 s for the three on an idle 2-core machine); {@code mallard.multiprocess.commits} and
 * {@code mallard.multiprocess.workers} change the numbers.
 */
class MultiProcessWriteTest {
  private static final int WORKERS = Integer.getInteger("mallard.multiprocess.workers", 8);
  private static final int COMMITS_PER_WORKER = Integer.getInteger("mallard.multiprocess.commits", 500);

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql", "mysql"})
  void eightWriterProcessesLoseNothingAndDuplicateNothing(String backend) throws Exception {
    CatalogTarget target = CatalogTarget.create(backend, dir);
    target.createLakeWithTable(List.of(NewColumn.of("worker", DuckLakeType.parse("int32"), true, null),
        NewColumn.of("n", DuckLakeType.parse("int32"), true, null),
        NewColumn.of("label", DuckLakeType.parse("varchar"), true, null)));

    long start = System.nanoTime();
    List<Process> processes = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      ProcessBuilder pb = target.childJvm(InsertWorker.class, target.url(), Integer.toString(w),
          Integer.toString(COMMITS_PER_WORKER));
      pb.redirectErrorStream(true);
      processes.add(pb.start());
    }
    for (Process p : processes) {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as(output).isZero();
      assertThat(output.lines().filter(l -> l.matches("\\d+")).count()).as(output).isEqualTo(COMMITS_PER_WORKER);
    }
    System.out.printf("MultiProcessWriteTest %s: %d processes x %d commits in %.1f s%n", backend, WORKERS,
        COMMITS_PER_WORKER, (System.nanoTime() - start) / 1e9);

    int total = WORKERS * COMMITS_PER_WORKER;
    String url = target.urlWithPassword();
    try (Connection c = Mallard.connect(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT worker * 100000 + n) FROM t")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(total);
      assertThat(rs.getLong(2)).isEqualTo(total);
    }
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
        Connection c = Mallard.connect(url)) {
      duckdb.execute(target.duckDbAttach());
      duckdb.execute("USE lake");
      String sql = "SELECT worker, n, label FROM t ORDER BY worker, n";
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        assertSameRows(duckdb.query(sql), rs, true);
      }
      // Every worker's commits, each row once.
      assertThat(duckdb.query("SELECT count(*), count(DISTINCT (worker, n)), min(n), max(n) FROM t").rows().get(0))
          .containsExactly(BigInteger.valueOf(total), BigInteger.valueOf(total), BigInteger.ZERO,
              BigInteger.valueOf(COMMITS_PER_WORKER - 1));
      // Creation, the table, then one snapshot per insert, numbered without gaps.
      assertThat(duckdb.query("SELECT count(*), max(snapshot_id) FROM snapshots()").rows().get(0))
          .containsExactly(BigInteger.valueOf(total + 2), BigInteger.valueOf(total + 1));
      // Row ids were handed out once each across the processes.
      assertThat(duckdb.query("SELECT count(DISTINCT rowid), min(rowid), max(rowid) FROM t").rows().get(0))
          .containsExactly(BigInteger.valueOf(total), BigInteger.ZERO, BigInteger.valueOf(total - 1));
    }
  }
}
