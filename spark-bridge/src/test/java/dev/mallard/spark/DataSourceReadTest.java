package dev.mallard.spark;

import static dev.mallard.testing.SparkRowAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** {@code spark.read.format("ducklake")}: the DataFrame API over the interop lake DuckDB wrote. */
class DataSourceReadTest {
  private final DuckDb duckdb = SparkTestSupport.duckdb();

  @Test
  void readsATableWithDeletesUpdatesAndInlinedRowsAsDuckDbDoes() {
    Dataset<Row> events = SparkTestSupport.reader("lake").option("table", "s1.events").load();
    assertSameRows(duckdb.query("SELECT * FROM s1.events"), events, false);
  }

  @Test
  void aTableWithoutSchemaIsInMainAndLoadTakesTheTableAsPath() {
    Dataset<Row> kinds = SparkTestSupport.reader("lake").load("kinds");
    assertSameRows(duckdb.query("SELECT * FROM kinds"), kinds, false);
  }

  @Test
  void quotedNamesWithSpaces() {
    Dataset<Row> weird = SparkTestSupport.reader("lake").option("table", "`we ird`.`T 1`").load();
    assertThat(weird.columns()).containsExactly("col \"q\"", "Mixed");
    assertSameRows(duckdb.query("SELECT * FROM \"we ird\".\"T 1\""), weird, false);
  }

  @Test
  void theSnapshotOptionPinsTheRead() {
    // The snapshot of the first insert into s1.events: 1,000 rows, none deleted yet.
    long first = duckdb.query("SELECT snapshot_id FROM lake.snapshots() ORDER BY 1").rows().stream()
        .map(r -> ((java.math.BigInteger) r.get(0)).longValue())
        .filter(id -> countAt(id) == 1000).findFirst().orElseThrow();
    Dataset<Row> events = SparkTestSupport.reader("lake").option("table", "s1.events")
        .option("snapshot", Long.toString(first)).load();
    assertSameRows(duckdb.query("SELECT * FROM s1.events AT (VERSION => " + first + ")"), events, false);
  }

  private long countAt(long snapshot) {
    try {
      return ((java.math.BigInteger) duckdb.query("SELECT count(*) FROM s1.events AT (VERSION => " + snapshot + ")")
          .scalar()).longValue();
    } catch (DuckDb.DuckDbException e) {
      return -1; // the table did not exist yet
    }
  }

  @Test
  void anUnknownOptionOrTableIsAnError() {
    assertThatThrownBy(() -> SparkTestSupport.reader("lake").option("table", "kinds").option("snapshto", "1").load())
        .hasMessageContaining("Unknown option 'snapshto'");
    assertThatThrownBy(() -> SparkTestSupport.reader("lake").option("table", "main.nope").load())
        .hasMessageContaining("main.nope does not exist");
    assertThatThrownBy(() -> SparkTestSupport.spark().read().format("ducklake").option("table", "kinds").load())
        .hasMessageContaining("option url");
  }
}
