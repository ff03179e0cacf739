package dev.mallard.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The runtime jar, {@code target/mallard-spark.jar}, as a cluster would get it with
 * {@code --jars}: failsafe puts it on the class path instead of this module's classes and of the
 * engine, Parquet, HikariCP and SQLite, so Spark's own libraries are the only others. Uses only
 * Spark's API and class names, as a user would.
 */
class ShadedJarIT {
  private static final Path JAR = Path.of("target", "mallard-spark.jar");
  private static final Path SAMPLE_LAKE = Path.of(System.getProperty("mallard.sample.lake"));

  @Test
  void theJarHoldsTheBridgeTheEngineAndRelocatedLibrariesOnly() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      Set<String> entries = jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class"))
          .collect(Collectors.toSet());
      assertThat(entries).contains("dev/mallard/spark/DuckLakeDataSource.class",
          "dev/mallard/spark/DuckLakeSparkCatalog.class", "dev/mallard/engine/scan/ScanPlanner.class",
          "dev/mallard/shaded/org/apache/parquet/hadoop/ParquetFileReader.class",
          "dev/mallard/shaded/com/zaxxer/hikari/HikariDataSource.class", "org/sqlite/JDBC.class");
      assertThat(entries).as("everything but SQLite is ours or relocated; Spark provides Arrow, Jackson, Hadoop")
          .allMatch(n -> n.startsWith("dev/mallard/") || n.startsWith("org/sqlite/")
              || n.startsWith("META-INF/versions/9/org/sqlite/"));
      String services = new String(jar.getInputStream(
          jar.getEntry("META-INF/services/org.apache.spark.sql.sources.DataSourceRegister")).readAllBytes());
      assertThat(services.trim()).isEqualTo("dev.mallard.spark.DuckLakeDataSource");
    }
  }

  @Test
  void sparkReadsTheSampleLakeThroughTheJar() throws IOException {
    assertThat(System.getProperty("java.class.path")).contains("mallard-spark.jar").doesNotContain("parquet-hadoop")
        .doesNotContain("mallard-engine-");
    String url = "jdbc:ducklake:sqlite:" + SAMPLE_LAKE.resolve("lake.sqlite");
    String data = SAMPLE_LAKE.resolve("data") + "/";
    assertThat(Files.isDirectory(Path.of(data))).isTrue();
    SparkSession spark = SparkSession.builder().master("local[2]").appName("mallard-shaded-jar")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.catalog.sample", "dev.mallard.spark.DuckLakeSparkCatalog")
        .config("spark.sql.catalog.sample.url", url)
        .config("spark.sql.catalog.sample.data_path", data)
        .getOrCreate();
    try {
      // The sample lake: 6 monthly files of 500 sales, 30 deleted inline, 2 inserted inline.
      assertThat(spark.sql("SELECT count(*) FROM sample.main.sales").first().getLong(0)).isEqualTo(2972);
      Dataset<Row> june = spark.sql("SELECT id, amount FROM sample.main.sales WHERE day >= DATE '2025-06-01'");
      assertThat(june.rdd().getNumPartitions()).as("June's file and the inlined rows").isEqualTo(2);
      assertThat(june.count()).isEqualTo(497);
      assertThat(spark.sql("SELECT count(*) FROM sample.main.sales VERSION AS OF 4").first().getLong(0))
          .isEqualTo(500);
      // What examples/spark/write_lake.py does, on a copy of the lake: writes go through the jar's engine.
      Path copy = Files.createTempDirectory("mallard-shaded-write-");
      try (var paths = Files.walk(SAMPLE_LAKE)) {
        for (Path p : (Iterable<Path>) paths::iterator) {
          Path to = copy.resolve(SAMPLE_LAKE.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
      spark.conf().set("spark.sql.catalog.copy", "dev.mallard.spark.DuckLakeSparkCatalog");
      spark.conf().set("spark.sql.catalog.copy.url", "jdbc:ducklake:sqlite:" + copy.resolve("lake.sqlite"));
      spark.conf().set("spark.sql.catalog.copy.data_path", copy.resolve("data") + "/");
      spark.sql("CREATE TABLE copy.main.region_totals AS SELECT region, count(*) AS orders, sum(amount) AS total"
          + " FROM copy.main.sales GROUP BY region");
      spark.sql("INSERT INTO copy.main.region_totals VALUES ('nowhere', 0, 0)");
      spark.sql("INSERT OVERWRITE copy.main.region_totals SELECT region, 1, 1 FROM copy.main.regions");
      assertThat(spark.sql("SELECT count(*), sum(orders) FROM copy.main.region_totals").first().toString())
          .isEqualTo("[4,4]");
      List<Row> regions = spark.read().format("ducklake").option("url", url).option("data_path", data)
          .load("regions").orderBy("region").collectAsList();
      assertThat(regions).extracting(r -> r.getString(0)).containsExactly("east", "north", "south", "west");
    } finally {
      spark.stop();
    }
  }
}
