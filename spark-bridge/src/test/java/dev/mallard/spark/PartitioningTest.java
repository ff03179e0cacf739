package dev.mallard.spark;

import static dev.mallard.testing.SparkRowAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.partitioning.KeyGroupedPartitioning;
import org.apache.spark.sql.connector.read.partitioning.UnknownPartitioning;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Key-grouped partitioning from DuckDB-written identity and bucket partitions, in lake {@code parts}. */
class PartitioningTest {
  private static String url;
  private final DuckDb duckdb = SparkTestSupport.duckdb();
  private final SparkSession spark = SparkTestSupport.spark();

  @BeforeAll
  static void lake() {
    url = SparkTestSupport.newLake("parts");
    DuckDb db = SparkTestSupport.duckdb();
    db.execute("CREATE TABLE parts.main.byregion (a INTEGER, r VARCHAR)");
    db.execute("ALTER TABLE parts.main.byregion SET PARTITIONED BY (r)");
    for (int i = 0; i < 3; i++) { // three inserts of 3 regions: 9 files, 3 keys
      db.execute("INSERT INTO parts.main.byregion SELECT x, ['x', 'y', 'z'][1 + (x % 3)::INTEGER] FROM range("
          + i * 100 + ", " + (i + 1) * 100 + ") t(x)");
    }
    db.execute("CREATE TABLE parts.main.bucketed (a INTEGER, v VARCHAR)");
    db.execute("ALTER TABLE parts.main.bucketed SET PARTITIONED BY (bucket(4, a))");
    db.execute("INSERT INTO parts.main.bucketed SELECT x, 'v' || x FROM range(200) t(x)");
  }

  @Test
  void identityPartitionsGroupWithoutAShuffle() {
    DuckLakeScan scan = scan("byregion");
    assertThat(scan.outputPartitioning()).isInstanceOf(KeyGroupedPartitioning.class);
    KeyGroupedPartitioning p = (KeyGroupedPartitioning) scan.outputPartitioning();
    assertThat(Arrays.stream(p.keys()).map(Object::toString)).containsExactly("identity(r)");
    assertThat(p.numPartitions()).isEqualTo(3);
    assertThat(scan.toBatch().planInputPartitions()).hasSize(9);

    String sql = "SELECT r, count(*), sum(a) FROM %s.main.byregion GROUP BY r";
    Dataset<Row> df = spark.sql(String.format(sql, "parts"));
    assertThat(df.queryExecution().executedPlan().toString()).doesNotContain("Exchange");
    assertSameRows(duckdb.query(String.format(sql, "parts")), df, false);
  }

  @Test
  void bucketPartitionsAreReportedAndOtherTransformsAreNot() {
    KeyGroupedPartitioning p = (KeyGroupedPartitioning) scan("bucketed").outputPartitioning();
    assertThat(Arrays.stream(p.keys()).map(Object::toString)).containsExactly("bucket(4, a)");
    assertSameRows(duckdb.query("SELECT * FROM parts.main.bucketed"), spark.sql("SELECT * FROM parts.main.bucketed"),
        false);
    // lake.main.partitioned is partitioned by year(day): Spark's years() means something else.
    DuckLakeSparkTable yearly = (DuckLakeSparkTable) new DuckLakeDataSource().getTable(null, new Transform[0],
        Map.of("url", SparkTestSupport.url("lake"), "table", "partitioned"));
    assertThat(((DuckLakeScan) yearly.newScanBuilder(CaseInsensitiveStringMap.empty()).build()).outputPartitioning())
        .isInstanceOf(UnknownPartitioning.class);
  }

  @Test
  void inlinedRowsHaveNoKeySoTheScanReportsNone() {
    duckdb.execute("CREATE TABLE parts.main.mixed AS SELECT * FROM parts.main.byregion");
    duckdb.execute("ALTER TABLE parts.main.mixed SET PARTITIONED BY (r)");
    duckdb.execute("INSERT INTO parts.main.mixed SELECT * FROM parts.main.byregion");
    duckdb.execute("INSERT INTO parts.main.mixed VALUES (1000, 'x')"); // inlined
    assertThat(scan("mixed").outputPartitioning()).isInstanceOf(UnknownPartitioning.class);
    String sql = "SELECT r, count(*), sum(a) FROM parts.main.mixed GROUP BY r";
    assertSameRows(duckdb.query(sql), spark.sql(sql), false);
  }

  private static DuckLakeScan scan(String table) {
    DuckLakeSparkTable t = (DuckLakeSparkTable) new DuckLakeDataSource().getTable(null, new Transform[0],
        Map.of("url", url, "table", table));
    return (DuckLakeScan) t.newScanBuilder(CaseInsensitiveStringMap.empty()).build();
  }
}
