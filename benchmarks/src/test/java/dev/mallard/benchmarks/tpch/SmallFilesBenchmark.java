package dev.mallard.benchmarks.tpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.jdbc.Mallard;
import dev.mallard.testing.DuckDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake of 10,000 small Parquet files (one table, 100 rows per file, written by DuckDB 1.5.5 into
 * a table partitioned by {@code id / 100}, so each file's id range is disjoint): a selective query that one file answers, and
 * a {@code count(*)}, through DuckDB (threads=2) and Mallard's embedded JDBC driver in one run,
 * checking both give the same answer. The lake is cached under {@code <cache>/smallfiles-10000}.
 * Not part of the test suite; run it with
 *
 * <pre>
 * ./mvnw -o -q -B -pl benchmarks -am test -Dtest=SmallFilesBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * {@code -Dsmallfiles.warmup=N} and {@code -Dsmallfiles.repetitions=N} change the runs (default 3
 * and 10).
 */
class SmallFilesBenchmark {
  static final int FILES = 10_000;
  static final int ROWS_PER_FILE = 100;
  static final int WARMUP = Integer.getInteger("smallfiles.warmup", 3);
  static final int REPETITIONS = Integer.getInteger("smallfiles.repetitions", 10);
  static final Map<String, String> QUERIES = new LinkedHashMap<>();

  static {
    QUERIES.put("selective", "SELECT id, kind, amount FROM events WHERE id = 654321");
    QUERIES.put("count", "SELECT count(*) FROM events");
  }

  @TempDir Path work;

  @Test
  void smallFiles() throws Exception {
    Path catalog = ensureLake("smallfiles-" + FILES);
    Map<String, Timings> duckdb = DuckDbTimer.time(catalog, 2, WARMUP, REPETITIONS, QUERIES, work);
    Map<String, Timings> mallard = new LinkedHashMap<>();
    Map<String, String> answers = new LinkedHashMap<>();
    try (DuckDb oracle = DuckDb.start(DuckDb.Version.V1_5_5)) {
      oracle.execute("ATTACH 'ducklake:sqlite:" + catalog.toString().replace("'", "''") + "' AS lake (READ_ONLY)");
      oracle.execute("USE lake");
      try (Connection c = Mallard.connect("jdbc:ducklake:sqlite:" + catalog)) {
        for (Map.Entry<String, String> q : QUERIES.entrySet()) {
          DuckDb.Result expected = oracle.query(q.getValue());
          long[] nanos = new long[REPETITIONS];
          List<List<Object>> first = null;
          for (int i = 0; i < WARMUP + REPETITIONS; i++) {
            long begin = System.nanoTime();
            List<List<Object>> rows;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q.getValue())) {
              rows = ResultCheck.read(rs, expected.types());
            }
            long elapsed = System.nanoTime() - begin;
            if (first == null) {
              first = rows;
            }
            if (i >= WARMUP) {
              nanos[i - WARMUP] = elapsed;
            }
          }
          mallard.put(q.getKey(), Timings.of(nanos, first.size()));
          String difference = ResultCheck.difference(expected, first);
          answers.put(q.getKey(), difference == null ? "ok, " + expected.rows() : "WRONG: " + difference);
        }
      }
    }
    StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
        "%d files of %d rows, %d warm-up + %d timed runs (median shown), Java %s, %d processors%n%n"
        + "| query | DuckDB (ms) | Mallard (ms) | Mallard / DuckDB | Mallard's answer |%n|---|---:|---:|---:|---|%n",
        FILES, ROWS_PER_FILE, WARMUP, REPETITIONS, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors()));
    for (Map.Entry<String, String> q : QUERIES.entrySet()) {
      Timings d = duckdb.get(q.getKey());
      Timings m = mallard.get(q.getKey());
      report.append(String.format(Locale.ROOT, "| `%s` | %.1f | %.1f | %s | %s |%n", q.getValue(),
          d.medianSeconds() * 1000, m.medianSeconds() * 1000, Timings.ratio(m.medianSeconds() / d.medianSeconds()),
          answers.get(q.getKey())));
    }
    System.out.println(report);
    Files.writeString(Path.of("target", "small-files.md"), report.toString());
  }

  /** The cached lake {@code <cache>/<name>}, written by DuckDB on first use: one file per 100 ids. */
  static Path ensureLake(String name) throws Exception {
    Path dir = DuckDbTimer.cacheRoot().resolve(name);
    Path catalog = dir.resolve("lake.sqlite");
    if (Files.exists(dir.resolve("complete"))) {
      return catalog;
    }
    if (Files.exists(catalog)) {
      throw new IllegalStateException(dir + " holds an unfinished lake: delete it and run again");
    }
    Files.createDirectories(dir);
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      duckdb.attachSqliteLake("lake", catalog, dir.resolve("data"));
      // One INSERT into a table partitioned by id / 100 writes one file per 100 ids (10,000
      // INSERTs of their own would take many minutes of catalog commits on a busy machine).
      duckdb.execute("CREATE TABLE events (id BIGINT, kind VARCHAR, amount DECIMAL(12,2), bucket INTEGER)");
      duckdb.execute("ALTER TABLE events SET PARTITIONED BY (bucket)");
      duckdb.execute("INSERT INTO events SELECT i, 'kind ' || (i % 7), i * 0.01, (i // " + ROWS_PER_FILE
          + ")::INTEGER FROM range(" + (long) FILES * ROWS_PER_FILE + ") t(i) ORDER BY i");
      Object files = duckdb.query("SELECT count(*) FROM __ducklake_metadata_lake.ducklake_data_file").scalar();
      assertThat(Long.parseLong(files.toString())).as("data files").isGreaterThanOrEqualTo(FILES); // a partition may span 2 files
      duckdb.execute("USE memory");
      duckdb.execute("DETACH lake");
    }
    Files.writeString(dir.resolve("complete"), FILES + " files\n");
    return catalog;
  }
}
