package dev.mallard.spark;

import static dev.mallard.testing.SparkRowAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.scan.ScanTask;
import dev.mallard.testing.DuckDb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigInteger;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.junit.jupiter.api.Test;

/**
 * Input partitions travel to executors by Java serialization and carry all an executor needs:
 * read after a round trip, they give DuckDB's rows, with no listing or planning on the way.
 */
class InputPartitionTest {
  private final DuckDb duckdb = SparkTestSupport.duckdb();

  @Test
  void partitionsSurviveSerializationAndReadTheirTaskAlone() throws Exception {
    DuckLakeSparkTable table = (DuckLakeSparkTable) new DuckLakeDataSource().getTable(null, new Transform[0],
        Map.of("url", SparkTestSupport.url("lake"), "table", "s1.events"));
    DuckLakeScanBuilder builder = (DuckLakeScanBuilder) table.newScanBuilder(CaseInsensitiveStringMap.empty());
    builder.pushPredicates(new Predicate[] {new Predicate(">", new Expression[] {Expressions.column("id"),
        Expressions.literal(100L)})});
    DuckLakeScan scan = (DuckLakeScan) builder.build();
    InputPartition[] partitions = scan.toBatch().planInputPartitions();
    assertThat(partitions).hasSize(scan.tasks().size());
    assertThat(scan.tasks()).anyMatch(t -> t instanceof ScanTask.InlinedRowsTask)
        .anyMatch(t -> t instanceof ScanTask.DataFileTask d && d.file().deleteFile() != null);

    long plannedBefore = OpenLakes.get(table.lake()).catalog().scanMetrics().scansPlanned();
    long rows = 0;
    for (InputPartition p : partitions) {
      DuckLakeInputPartition copy = (DuckLakeInputPartition) roundTrip(p);
      try (DuckLakePartitionReader reader = new DuckLakePartitionReader(copy)) {
        while (reader.next()) {
          rows += reader.get().numRows();
          for (int i = 0; i < reader.get().numRows(); i++) {
            assertThat(reader.get().column(0).getLong(i)).isGreaterThan(100);
          }
        }
      }
    }
    assertThat(rows).isEqualTo(((BigInteger) duckdb.query("SELECT count(*) FROM s1.events WHERE id > 100").scalar())
        .longValue());
    assertThat(OpenLakes.get(table.lake()).catalog().scanMetrics().scansPlanned()).isEqualTo(plannedBefore);
  }

  @Test
  void aLargeFileIsReadAsSeveralRowGroupSplitsEachRowOnce() {
    SparkTestSupport.newLake("splits");
    duckdb.execute("CALL splits.set_option('parquet_row_group_size', 2000)");
    duckdb.execute("CREATE TABLE splits.t AS SELECT i AS id, 'row ' || i AS name FROM range(20000) r(i)");
    SparkSession spark = SparkTestSupport.spark();
    String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
    try {
      long fileSize = ((BigInteger) duckdb.query("SELECT file_size_bytes FROM"
          + " __ducklake_metadata_splits.ducklake_data_file").scalar()).longValue();
      spark.conf().set("spark.sql.files.maxPartitionBytes", String.valueOf((fileSize + 3) / 4));
      // Each split counts its own row groups, not the file's row count from the catalog.
      assertThat(spark.table("splits.main.t").select().rdd().count()).isEqualTo(20000);
      duckdb.execute("DELETE FROM splits.t WHERE id % 7 = 0");
      DuckLakeSparkTable table = (DuckLakeSparkTable) new DuckLakeDataSource().getTable(null, new Transform[0],
          Map.of("url", SparkTestSupport.url("splits"), "table", "main.t"));
      DuckLakeScan scan = (DuckLakeScan) table.newScanBuilder(CaseInsensitiveStringMap.empty()).build();
      assertThat(scan.tasks()).hasSize(1);
      assertThat(scan.toBatch().planInputPartitions()).hasSize(4);
      String sql = "SELECT rowid, id, name FROM splits.main.t ORDER BY rowid";
      assertThat(spark.table("splits.main.t").rdd().getNumPartitions()).isEqualTo(4);
      assertSameRows(duckdb.query(sql.replace("splits.main.t", "splits.t")), spark.sql(sql), true);
    } finally {
      spark.conf().set("spark.sql.files.maxPartitionBytes", before);
    }
  }

  private static Object roundTrip(Object o) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }
}
