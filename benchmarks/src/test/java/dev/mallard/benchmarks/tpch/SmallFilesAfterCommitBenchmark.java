package dev.mallard.benchmarks.tpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.ScanMetrics;
import dev.mallard.jdbc.Mallard;
import dev.mallard.testing.DuckDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The selective query of {@link SmallFilesBenchmark} in Mallard right after another writer
 * (DuckDB 1.5.5) committed an insert of one new file, against the same query with nothing committed
 * in between: what the catalog reads after a commit cost. The lake (10,000 files, as in
 * {@link SmallFilesBenchmark}) is cached in {@code <cache>/smallfiles-aftercommit-10000} and grows by
 * one file per timed run. Not part of the test suite; run it with
 *
 * <pre>
 * ./mvnw -o -q -B -pl benchmarks -am test -Dtest=SmallFilesAfterCommitBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * and with {@code -Dmallard.fileListCache.maxFiles=0} for the same without the file list cache.
 */
class SmallFilesAfterCommitBenchmark {
  static final String QUERY = "SELECT id, kind, amount FROM events WHERE id = 654321";

  @Test
  void selectiveAfterCommit() throws Exception {
    Path catalog = SmallFilesBenchmark.ensureLake("smallfiles-aftercommit-" + SmallFilesBenchmark.FILES);
    int warmup = SmallFilesBenchmark.WARMUP;
    int repetitions = SmallFilesBenchmark.REPETITIONS;
    long[] steady = new long[repetitions];
    long[] afterCommit = new long[repetitions];
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      duckdb.execute("ATTACH 'ducklake:sqlite:" + catalog.toString().replace("'", "''") + "' AS lake");
      duckdb.execute("USE lake");
      long nextId = Long.parseLong(duckdb.query("SELECT max(id) + 1 FROM events").scalar().toString());
      nextId = Math.max(nextId, 2_000_000);
      try (Connection c = Mallard.connect("jdbc:ducklake:sqlite:" + catalog)) {
        ScanMetrics metrics = Mallard.scanMetrics(c);
        for (int i = 0; i < warmup; i++) {
          time(c);
        }
        for (int i = 0; i < repetitions; i++) {
          steady[i] = time(c);
        }
        long read = metrics.fileListsRead();
        long refreshed = metrics.fileListsRefreshed();
        for (int i = 0; i < repetitions; i++) {
          long bucket = nextId / 100;
          duckdb.execute("INSERT INTO events SELECT i, 'late', 1, " + bucket + " FROM range(" + nextId + ", "
              + (nextId + 100) + ") t(i)");
          nextId += 100;
          afterCommit[i] = time(c);
        }
        String report = String.format(Locale.ROOT, "%d warm-up, %d timed runs (median), %s%n%n"
            + "| Mallard `%s` | ms |%n|---|---:|%n| nothing committed before | %.1f |%n"
            + "| right after DuckDB committed one new file | %.1f |%n%n"
            + "File lists read whole after the commits: %d; brought forward: %d%n", warmup, repetitions,
            "fileListCache.maxFiles=" + System.getProperty("mallard.fileListCache.maxFiles", "default"), QUERY,
            median(steady), median(afterCommit), metrics.fileListsRead() - read,
            metrics.fileListsRefreshed() - refreshed);
        System.out.println(report);
        Files.writeString(Path.of("target", "small-files-after-commit.md"), report);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(
              Long.parseLong(duckdb.query("SELECT count(*) FROM events").scalar().toString()));
        }
      }
    }
  }

  private static long time(Connection c) throws Exception {
    long begin = System.nanoTime();
    int rows = 0;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
      while (rs.next()) {
        rows++;
      }
    }
    long elapsed = System.nanoTime() - begin;
    assertThat(rows).isEqualTo(1);
    return elapsed;
  }

  private static double median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1e6;
  }
}
