package dev.mallard.spark;

import static dev.mallard.testing.SparkRowAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Values at the edges of Spark's types: read exactly to the microsecond, or refused with a message
 * naming the column, never rounded. The same values pass when a pushed filter leaves them out.
 */
class TypesTest {
  private final DuckDb duckdb = SparkTestSupport.duckdb();
  private final SparkSession spark = SparkTestSupport.spark();

  @Test
  void microsecondsAreExactInFilesAndInlinedRows() {
    for (String table : new String[] {"micros", "micros_inlined"}) {
      String sql = "SELECT * FROM edge.main." + table + " ORDER BY id";
      assertSameRows(duckdb.query(sql), spark.sql(sql), true);
    }
    assertSameRows(duckdb.query("SELECT id FROM edge.main.micros WHERE ts > TIMESTAMP '2024-01-02 03:04:05.123460'"),
        spark.sql("SELECT id FROM edge.main.micros WHERE ts > TIMESTAMP_NTZ '2024-01-02 03:04:05.123460'"), false);
  }

  @Test
  void nanosecondsBelowAMicrosecondAreRefused() {
    assertThatThrownBy(() -> spark.sql("SELECT * FROM edge.main.nanos").collectAsList())
        .hasStackTraceContaining("Column ns (timestamp_ns) holds 2024-01-02 03:04:05.123456789")
        .hasStackTraceContaining("does not round");
    String sql = "SELECT * FROM edge.main.nanos WHERE id > 1 ORDER BY id";
    assertSameRows(duckdb.query(sql), spark.sql(sql), true);
  }

  @Test
  void infiniteDatesAndTimestampsAreRefused() {
    assertThatThrownBy(() -> spark.sql("SELECT d FROM edge.main.inf").collectAsList())
        .hasStackTraceContaining("Column d (date) holds infinity");
    assertThatThrownBy(() -> spark.sql("SELECT ts FROM edge.main.inf").collectAsList())
        .hasStackTraceContaining("Column ts (timestamp) holds");
    String sql = "SELECT * FROM edge.main.inf WHERE id > 2 ORDER BY id";
    assertSameRows(duckdb.query(sql), spark.sql(sql), true);
    assertSameRows(duckdb.query("SELECT id FROM edge.main.inf WHERE ts > TIMESTAMP '2000-01-01' ORDER BY id"),
        spark.sql("SELECT id FROM edge.main.inf WHERE ts > TIMESTAMP_NTZ '2000-01-01 00:00:00' ORDER BY id"), true);
  }

  @Test
  void geometriesAreWktAndVariantsTextAsDuckDbShowsThem() {
    assertSameRows(duckdb.query("SELECT id, g::VARCHAR, s.g::VARCHAR, v::VARCHAR FROM edge.main.shapes ORDER BY id"),
        spark.sql("SELECT id, g, s.g, v FROM edge.main.shapes ORDER BY id"), true);
    assertSameRows(duckdb.query("SELECT id FROM edge.main.shapes WHERE g::VARCHAR = 'POINT (3 2.5)'"),
        spark.sql("SELECT id FROM edge.main.shapes WHERE g = 'POINT (3 2.5)'"), true);
  }

  @Test
  void a128BitIntegerBeyondDecimal38IsRefused() {
    assertThatThrownBy(() -> spark.sql("SELECT u128 FROM lake.main.all_types").collectAsList())
        .hasStackTraceContaining("Column u128 (uint128) holds 170141183460469231731687303715884105728")
        .hasStackTraceContaining("DECIMAL(38,0)");
    assertThatThrownBy(() -> spark.sql("SELECT u128 FROM lake.main.all_types_inlined").collectAsList())
        .hasStackTraceContaining("DECIMAL(38,0)");
  }
}
