package dev.mallard.spark;

import static dev.mallard.testing.SparkRowAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** {@code VERSION AS OF} and {@code TIMESTAMP AS OF} through the catalog, against DuckDB's {@code AT}. */
class TimeTravelTest {
  private static final String AGGREGATES = "SELECT count(*), sum(amount), min(id), max(id), count(DISTINCT kind) FROM ";
  private final DuckDb duckdb = SparkTestSupport.duckdb();
  private final SparkSession spark = SparkTestSupport.spark();

  @Test
  void versionAsOfReadsEverySnapshotAsDuckDbDoes() {
    List<Long> snapshots = duckdb.query("SELECT snapshot_id FROM lake.snapshots() ORDER BY 1").rows().stream()
        .map(r -> ((BigInteger) r.get(0)).longValue()).toList();
    assertThat(snapshots).hasSizeGreaterThan(10);
    int compared = 0;
    for (long id : snapshots) {
      DuckDb.Result expected;
      try {
        expected = duckdb.query(AGGREGATES + "lake.s1.events AT (VERSION => " + id + ")");
      } catch (DuckDb.DuckDbException e) {
        // The table did not exist yet at this snapshot; Spark must say so too.
        assertThatThrownBy(() -> spark.sql(AGGREGATES + "lake.s1.events VERSION AS OF " + id))
            .hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND");
        continue;
      }
      assertSameRows(expected, spark.sql(AGGREGATES + "lake.s1.events VERSION AS OF " + id), true);
      compared++;
    }
    assertThat(compared).isGreaterThan(5);
  }

  @Test
  void timestampAsOfReadsTheNewestSnapshotAtOrBeforeIt() {
    List<List<Object>> snapshots = duckdb.query(
        "SELECT snapshot_id, snapshot_time FROM lake.snapshots() ORDER BY 1").rows();
    // The snapshot of the first insert into s1.events, and a moment just after it.
    List<Object> firstInsert = snapshots.stream().filter(r -> rowsAt(((BigInteger) r.get(0)).longValue()) == 1000)
        .findFirst().orElseThrow();
    long id = ((BigInteger) firstInsert.get(0)).longValue();
    OffsetDateTime time = (OffsetDateTime) firstInsert.get(1);
    String literal = time.plusNanos(1_000).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
    assertSameRows(duckdb.query(AGGREGATES + "lake.s1.events AT (VERSION => " + id + ")"),
        spark.sql(AGGREGATES + "lake.s1.events TIMESTAMP AS OF '" + literal + "'"), true);
    assertThatThrownBy(() -> spark.sql("SELECT * FROM lake.s1.events TIMESTAMP AS OF '2000-01-01 00:00:00'")
        .collectAsList()).hasMessageContaining("No snapshot found at or before 2000-01-01T00:00:00Z");
  }

  @Test
  void aVersionIsASnapshotId() {
    assertThatThrownBy(() -> spark.sql("SELECT * FROM lake.s1.events VERSION AS OF 'yesterday'").collectAsList())
        .hasMessageContaining("VERSION AS OF takes a DuckLake snapshot id");
    assertThatThrownBy(() -> spark.sql("SELECT * FROM lake.s1.events VERSION AS OF 999999").collectAsList())
        .hasMessageContaining("No snapshot found at version 999999");
  }

  private long rowsAt(long snapshot) {
    try {
      return ((BigInteger) duckdb.query("SELECT count(*) FROM lake.s1.events AT (VERSION => " + snapshot + ")")
          .scalar()).longValue();
    } catch (DuckDb.DuckDbException e) {
      return -1;
    }
  }
}
