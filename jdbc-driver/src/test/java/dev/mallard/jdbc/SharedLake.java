package dev.mallard.jdbc;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One lake written by DuckDB 1.5.5 for the tests of one JVM: the interop tables of
 * {@link TestLakes#interop}, {@code main.big} with {@link #BIG_ROWS} rows ({@code i} from 0, and a
 * text column), and {@code main.live} for tests that change data. The DuckDB that wrote it stays
 * open (see {@link #duckdb()}) so that tests can add to {@code live}; it and the lake's directory go
 * when the JVM exits. Building it takes seconds, so the classes share it.
 */
final class SharedLake {
  static final long BIG_ROWS = 10_000_000;

  private static SharedLake instance;

  private final Path dir;
  private final Path catalog;
  private final DuckDb duckdb;

  private SharedLake(Path dir, Path catalog, DuckDb duckdb) {
    this.dir = dir;
    this.catalog = catalog;
    this.duckdb = duckdb;
  }

  static synchronized SharedLake get() {
    if (instance == null) {
      instance = create();
    }
    return instance;
  }

  private static SharedLake create() {
    Path dir;
    try {
      dir = Files.createTempDirectory("mallard-shared-lake");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    SharedLake lake = new SharedLake(dir, TestLakes.attachNew(duckdb, dir), duckdb);
    Runtime.getRuntime().addShutdownHook(new Thread(lake::delete, "shared-lake-cleanup"));
    TestLakes.interop(duckdb);
    duckdb.execute("CREATE TABLE big AS SELECT range AS i, 'row ' || (range % 1000) AS s FROM range(" + BIG_ROWS + ")");
    duckdb.execute("CREATE TABLE live (id INTEGER, label VARCHAR)");
    duckdb.execute("INSERT INTO live VALUES (1, 'one'), (2, 'two')");
    return lake;
  }

  Path catalog() {
    return catalog;
  }

  /** The lake's {@code jdbc:ducklake:} URL. */
  String url() {
    return "jdbc:ducklake:sqlite:" + catalog;
  }

  /** The DuckDB that wrote the lake, with it attached and in use; synchronized per call. */
  DuckDb duckdb() {
    return duckdb;
  }

  private void delete() {
    duckdb.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temp directory left behind is no test failure
    }
  }
}
