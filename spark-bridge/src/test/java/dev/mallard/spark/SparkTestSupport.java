package dev.mallard.spark;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;

/**
 * What the tests of this module share, once per test JVM because each is slow to start: a
 * {@code local[2]} SparkSession (seconds) and one DuckDB 1.5.5 oracle holding three lakes it wrote:
 *
 * <ul>
 *   <li>{@code lake}: {@link TestLakes#interop}, the default catalog in DuckDB, and the Spark
 *       catalog {@code lake};</li>
 *   <li>{@code pruning}: {@code t}, 20 files of 5,000 sorted keys each, and {@code dim}, three
 *       inlined rows, as Spark catalog {@code pruning};</li>
 *   <li>{@code edge}: values Spark cannot hold or holds only just (microseconds, nanoseconds,
 *       infinities), and geometries and variants (text in Spark), as Spark catalog {@code edge}.</li>
 * </ul>
 *
 * Tests must not change these lakes; a test that writes makes its own.
 */
final class SparkTestSupport {
  private static SparkSession spark;
  private static DuckDb duckdb;
  private static Path dir;

  private SparkTestSupport() {}

  static synchronized SparkSession spark() {
    if (spark == null) {
      duckdb();
      spark = SparkSession.builder()
          .master("local[2]")
          .appName("mallard-spark-bridge-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.sql.datetime.java8API.enabled", "true")
          // Plans stay as planned, so that tests can look at the scan in them.
          .config("spark.sql.adaptive.enabled", "false")
          .config("spark.sql.catalog.lake", DuckLakeSparkCatalog.class.getName())
          .config("spark.sql.catalog.lake.url", url("lake"))
          .config("spark.sql.catalog.pruning", DuckLakeSparkCatalog.class.getName())
          .config("spark.sql.catalog.pruning.url", url("pruning"))
          .config("spark.sql.catalog.edge", DuckLakeSparkCatalog.class.getName())
          .config("spark.sql.catalog.edge.url", url("edge"))
          .getOrCreate();
    }
    return spark;
  }

  /** The oracle, with {@code lake} in use. */
  static synchronized DuckDb duckdb() {
    if (duckdb == null) {
      try {
        dir = Files.createTempDirectory("mallard-spark-");
        for (String lake : new String[] {"edge", "pruning", "lake"}) {
          Files.createDirectories(dir.resolve(lake));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      DuckDb db = DuckDb.start(DuckDb.Version.V1_5_5);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        db.close();
        deleteRecursively(dir);
      }, "mallard-test-lakes"));
      db.attachSqliteLake("edge", dir.resolve("edge/lake.sqlite"), dir.resolve("edge/data"));
      writeEdgeLake(db);
      db.attachSqliteLake("pruning", dir.resolve("pruning/lake.sqlite"), dir.resolve("pruning/data"));
      writePruningLake(db);
      TestLakes.attachNew(db, dir.resolve("lake"));
      TestLakes.interop(db);
      duckdb = db;
    }
    return duckdb;
  }

  /** The JDBC URL of one of the lakes. */
  static String url(String lake) {
    duckdb();
    return "jdbc:ducklake:sqlite:" + dir.resolve(lake).resolve("lake.sqlite");
  }

  /**
   * A new, empty lake for a test that writes: attached in DuckDB as {@code name} (then {@code lake}
   * is the default again) and registered as the Spark catalog {@code name}.
   */
  static synchronized String newLake(String name) {
    DuckDb db = duckdb();
    Path lakeDir = dir.resolve(name);
    try {
      Files.createDirectories(lakeDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    db.attachSqliteLake(name, lakeDir.resolve("lake.sqlite"), lakeDir.resolve("data"));
    db.execute("USE lake");
    spark().conf().set("spark.sql.catalog." + name, DuckLakeSparkCatalog.class.getName());
    spark().conf().set("spark.sql.catalog." + name + ".url", url(name));
    return url(name);
  }

  /** A DataFrame reader of the ducklake source on one of the lakes. */
  static DataFrameReader reader(String lake) {
    return spark().read().format("ducklake").option("url", url(lake));
  }

  private static void writePruningLake(DuckDb db) {
    db.execute("CREATE TABLE t (key BIGINT, payload VARCHAR)");
    for (int f = 0; f < 20; f++) {
      db.execute("INSERT INTO t SELECT i, 'p' || i FROM range(" + f * 5_000 + ", " + (f + 1) * 5_000 + ") r(i)");
    }
    db.execute("CREATE TABLE dim (key BIGINT, name VARCHAR)");
    db.execute("INSERT INTO dim VALUES (31000, 'x'), (99999999, 'y'), (5, 'z')");
  }

  private static void writeEdgeLake(DuckDb db) {
    String microsRows = "SELECT i AS id, TIMESTAMP '2024-01-02 03:04:05.123456' + i * INTERVAL 1 MICROSECOND AS ts,"
        + " TIMESTAMPTZ '1960-01-02 03:04:05.000001+00' - i * INTERVAL 1 MICROSECOND AS tz,"
        + " TIME '01:02:03.456789' + i * INTERVAL 1 MICROSECOND AS tm,"
        + " (TIMESTAMP '2262-04-11 23:47:16.854775' - i * INTERVAL 1 SECOND)::TIMESTAMP_NS AS ns FROM range(20) t(i)";
    db.execute("CREATE TABLE micros AS " + microsRows); // more rows than are inlined: a Parquet file
    db.execute("CREATE TABLE micros_inlined AS " + microsRows + " LIMIT 0");
    db.execute("INSERT INTO micros_inlined " + microsRows.replace("range(20)", "range(5)"));
    db.execute("CREATE TABLE nanos (id INTEGER, ns TIMESTAMP_NS)");
    db.execute("INSERT INTO nanos SELECT i, TIMESTAMP_NS '2024-01-02 03:04:05.123456' FROM range(2, 20) t(i)"
        + " UNION ALL SELECT 1, TIMESTAMP_NS '2024-01-02 03:04:05.123456789'");
    db.execute("CREATE TABLE inf (id INTEGER, d DATE, ts TIMESTAMP)");
    db.execute("INSERT INTO inf SELECT i, DATE '2024-01-01' + i::INTEGER, TIMESTAMP '2024-01-01' FROM range(3, 20) t(i)"
        + " UNION ALL VALUES (1, 'infinity'::DATE, 'infinity'::TIMESTAMP), (2, '-infinity'::DATE, '-infinity'::TIMESTAMP)");
    db.execute("CREATE TABLE shapes AS SELECT i AS id, CASE WHEN i % 3 = 0 THEN ('POINT (' || i || ' 2.5)')"
        + " WHEN i % 3 = 1 THEN 'LINESTRING (0 0, ' || i || ' 1e-05)' END::GEOMETRY AS g,"
        + " {'g': ('POINT (' || i || ' 0)')::GEOMETRY, 'n': i} AS s, i::VARIANT AS v FROM range(20) t(i)");
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit
    }
  }
}
