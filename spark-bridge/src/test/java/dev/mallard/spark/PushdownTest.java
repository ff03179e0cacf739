package dev.mallard.spark;

import static dev.mallard.testing.SparkRowAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.ScanMetrics;
import dev.mallard.testing.DuckDb;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.colstats.ColumnStatistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.junit.jupiter.api.Test;

/**
 * What Spark pushes into the scan and what that saves, on {@code pruning.main.t}: 20 files of
 * 5,000 sorted keys each, so a key range selects files by their catalog statistics.
 */
class PushdownTest {
  private final DuckDb duckdb = SparkTestSupport.duckdb();
  private final SparkSession spark = SparkTestSupport.spark();
  private final ScanMetrics metrics = OpenLakes.get(LakeRef.fromOptions(Map.of("url", SparkTestSupport.url("pruning"))))
      .catalog().scanMetrics();

  @Test
  void aSelectiveFilterIsPushedAndTheScanHasOnePartitionPerMatchingFile() {
    Dataset<Row> oneFile = spark.sql("SELECT key, payload FROM pruning.main.t WHERE key BETWEEN 31000 AND 34999");
    String plan = oneFile.queryExecution().executedPlan().toString();
    assertThat(plan).contains("DuckLakeScan(main.t, snapshot=").contains("key >= 31000").contains("key <= 34999");
    assertThat(plan).as("the engine filters exactly, so Spark does not filter again").doesNotContain(" Filter ");
    assertThat(oneFile.rdd().getNumPartitions()).isEqualTo(1);
    long opened = metrics.dataFilesOpened();
    assertSameRows(duckdb.query("SELECT key, payload FROM pruning.main.t WHERE key BETWEEN 31000 AND 34999"), oneFile,
        false);
    assertThat(metrics.dataFilesOpened() - opened).isEqualTo(1);

    Dataset<Row> twoFiles = spark.sql("SELECT key FROM pruning.main.t WHERE key >= 9000 AND key < 12000");
    assertThat(twoFiles.rdd().getNumPartitions()).isEqualTo(2);
    assertThat(twoFiles.count()).isEqualTo(3000);

    assertThat(spark.sql("SELECT key FROM pruning.main.t WHERE key > 999999").rdd().getNumPartitions()).isZero();
  }

  @Test
  void aFilterTheEngineCannotTakeStaysInSpark() {
    Dataset<Row> df = spark.sql("SELECT key FROM pruning.main.t WHERE payload LIKE '%99' AND key < 10000");
    String plan = df.queryExecution().executedPlan().toString();
    assertThat(plan).contains(" Filter EndsWith(payload").contains("key < 10000]");
    assertThat(df.rdd().getNumPartitions()).isEqualTo(2);
    assertSameRows(duckdb.query("SELECT key FROM pruning.main.t WHERE payload LIKE '%99' AND key < 10000"), df, false);
  }

  @Test
  void pushPredicatesReturnsWhatTheEngineDoesNotAnswerExactly() {
    DuckLakeScanBuilder builder = (DuckLakeScanBuilder) table("t").newScanBuilder(CaseInsensitiveStringMap.empty());
    Predicate exact = new Predicate(">", new Expression[] {Expressions.column("key"), Expressions.literal(5L)});
    Predicate function = new Predicate("STARTS_WITH",
        new Expression[] {Expressions.column("payload"), Expressions.literal("p1")});
    Predicate castFraction = new Predicate("=", new Expression[] {Expressions.column("key"),
        Expressions.literal(org.apache.spark.sql.types.Decimal.apply("1.5"))});
    assertThat(builder.pushPredicates(new Predicate[] {exact, function, castFraction}))
        .containsExactly(function, castFraction);
    assertThat(builder.pushedPredicates()).containsExactly(exact);
  }

  @Test
  void aLimitStopsPlanningOnceEnoughRowsAreListed() {
    Dataset<Row> df = spark.sql("SELECT * FROM pruning.main.t LIMIT 7");
    assertThat(df.queryExecution().executedPlan().toString()).contains("limit=7");
    assertThat(df.rdd().getNumPartitions()).isEqualTo(1);
    assertThat(df.collectAsList()).hasSize(7);
  }

  @Test
  void countMinAndMaxComeFromTheCatalogWhenItsNumbersAreExact() {
    String sql = "SELECT count(*), count(key), min(key), max(key) FROM pruning.main.t";
    Dataset<Row> df = spark.sql(sql);
    assertThat(df.queryExecution().executedPlan().toString()).contains("LocalTableScan")
        .doesNotContain("DuckLakeScan");
    long opened = metrics.dataFilesOpened();
    assertSameRows(duckdb.query(sql.replace("pruning.main.t", "pruning.t")), df, true);
    assertThat(metrics.dataFilesOpened()).as("no file is read").isEqualTo(opened);

    // Inlined rows count, but their extremes are not in the catalog: Spark reads them.
    String inlined = "SELECT count(*) FROM pruning.main.dim";
    assertThat(spark.sql(inlined).queryExecution().executedPlan().toString()).contains("LocalTableScan");
    assertSameRows(duckdb.query("SELECT count(*) FROM pruning.dim"), spark.sql(inlined), true);
    String minOfInlined = "SELECT min(key) FROM pruning.main.dim";
    assertThat(spark.sql(minOfInlined).queryExecution().executedPlan().toString()).contains("DuckLakeScan");
    assertSameRows(duckdb.query("SELECT min(key) FROM pruning.dim"), spark.sql(minOfInlined), true);

    // Strings, filters, deletions and groups are read.
    for (String read : new String[] {"SELECT max(payload) FROM pruning.main.t",
        "SELECT count(*) FROM pruning.main.t WHERE key < 7", "SELECT key % 2, count(*) FROM pruning.main.t GROUP BY 1",
        "SELECT count(*), max(id) FROM lake.s1.events"}) {
      Dataset<Row> d = spark.sql(read);
      assertThat(d.queryExecution().executedPlan().toString()).as(read).contains("DuckLakeScan");
      assertSameRows(duckdb.query(read.replace("pruning.main.", "pruning.").replace("lake.s1.", "lake.s1.")), d,
          false);
    }
  }

  @Test
  void statisticsComeFromTheCatalog() {
    Scan scan = table("t").newScanBuilder(CaseInsensitiveStringMap.empty()).build();
    Statistics stats = ((SupportsReportStatistics) scan).estimateStatistics();
    assertThat(stats.numRows()).hasValue(100_000);
    assertThat(stats.sizeInBytes().getAsLong()).isPositive();
    assertThat(spark.sql("SELECT * FROM pruning.main.t").queryExecution().optimizedPlan().stats().rowCount().get()
        .toLong()).isEqualTo(100_000);
    Scan inlined = table("dim").newScanBuilder(CaseInsensitiveStringMap.empty()).build();
    assertThat(((SupportsReportStatistics) inlined).estimateStatistics().numRows()).hasValue(3);
  }

  @Test
  void columnStatisticsComeFromTheCatalogWhereExact() {
    Scan scan = table("t").newScanBuilder(CaseInsensitiveStringMap.empty()).build();
    Map<String, ColumnStatistics> columns = new java.util.HashMap<>();
    ((SupportsReportStatistics) scan).estimateStatistics().columnStats()
        .forEach((ref, stats) -> columns.put(String.join(".", ref.fieldNames()), stats));
    assertThat(columns).containsOnlyKeys("key", "payload");
    assertThat(columns.get("key").nullCount()).hasValue(0);
    assertThat(columns.get("key").min()).hasValue(0L);
    assertThat(columns.get("key").max()).hasValue(99_999L);
    assertThat(columns.get("key").distinctCount()).isEmpty();
    // DuckDB truncates string bounds: no min or max, but the NULL count is exact.
    assertThat(columns.get("payload").nullCount()).hasValue(0);
    assertThat(columns.get("payload").min()).isEmpty();

    // Spark's plan statistics carry them.
    var attributes = spark.sql("SELECT * FROM pruning.main.t").queryExecution().optimizedPlan().stats()
        .attributeStats();
    Map<String, org.apache.spark.sql.catalyst.plans.logical.ColumnStat> byName = new java.util.HashMap<>();
    for (var it = attributes.iterator(); it.hasNext();) {
      var e = it.next();
      byName.put(e._1().name(), e._2());
    }
    assertThat(byName.get("key").min().get()).isEqualTo(0L);
    assertThat(byName.get("key").max().get()).isEqualTo(99_999L);
    assertThat(byName.get("key").nullCount().get().longValue()).isZero();

    // Inlined rows have no column statistics, nor does a filtered scan, whose rows the catalog cannot count.
    Scan inlined = table("dim").newScanBuilder(CaseInsensitiveStringMap.empty()).build();
    assertThat(((SupportsReportStatistics) inlined).estimateStatistics().columnStats()).isEmpty();
    assertThat(spark.sql("SELECT * FROM pruning.main.t WHERE key < 10").queryExecution().optimizedPlan().stats()
        .attributeStats().isEmpty()).isTrue();
  }

  @Test
  void runtimeFiltersDropFilesByTheirStatistics() {
    DuckLakeScan scan = (DuckLakeScan) table("t").newScanBuilder(CaseInsensitiveStringMap.empty()).build();
    assertThat(scan.filterAttributes()).extracting(r -> r.fieldNames()[0]).containsExactly("key", "payload");
    assertThat(scan.toBatch().planInputPartitions()).hasSize(20);
    scan.filter(new Predicate[] {new Predicate("IN", new Expression[] {Expressions.column("key"),
        Expressions.literal(31000L), Expressions.literal(99_999_999L)})});
    assertThat(scan.toBatch().planInputPartitions()).hasSize(1);
  }

  /**
   * Spark prunes dynamically only when the other side of the join keeps a selective Filter; one
   * the engine takes completely (d.name = 'x') leaves none, so this joins on a LIKE, which stays.
   */
  @Test
  void dynamicPartitionPruningReadsOnlyTheFilesAJoinCanMatch() {
    String sql = "SELECT t.key, t.payload FROM pruning.main.t t JOIN pruning.main.dim d ON t.key = d.key"
        + " WHERE d.name LIKE 'x%'";
    Dataset<Row> df = spark.sql(sql);
    assertThat(df.queryExecution().executedPlan().toString()).contains("dynamicpruningexpression(key")
        .contains("ReusedExchange");
    long opened = metrics.dataFilesOpened();
    assertSameRows(duckdb.query(sql), df, false);
    assertThat(metrics.dataFilesOpened() - opened).isEqualTo(1);
  }

  private static DuckLakeSparkTable table(String name) {
    return (DuckLakeSparkTable) new DuckLakeDataSource().getTable(null, new Transform[0],
        Map.of("url", SparkTestSupport.url("pruning"), "table", name));
  }
}
