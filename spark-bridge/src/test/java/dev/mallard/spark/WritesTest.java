package dev.mallard.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Writes are not supported yet; every way of asking fails and says so, and the lake is unchanged. */
class WritesTest {
  private static final String NOT_YET = "Writing DuckLake tables from Spark is not supported yet";
  private final DuckDb duckdb = SparkTestSupport.duckdb();
  private final SparkSession spark = SparkTestSupport.spark();

  @Test
  void everyWriteFailsWithAMessageAndChangesNothing() {
    Object before = duckdb.query("SELECT count(*) FROM kinds").scalar();
    assertThatThrownBy(() -> spark.sql("INSERT INTO lake.main.kinds VALUES ('w', 'Double-u')"))
        .hasStackTraceContaining(NOT_YET);
    assertThatThrownBy(() -> spark.sql("INSERT OVERWRITE lake.main.kinds SELECT * FROM lake.main.kinds"))
        .hasStackTraceContaining(NOT_YET);
    assertThatThrownBy(() -> spark.table("lake.main.kinds").writeTo("lake.main.kinds").append())
        .hasStackTraceContaining(NOT_YET);
    assertThatThrownBy(() -> spark.sql("CREATE TABLE lake.main.fresh (a INT)")).hasStackTraceContaining(NOT_YET);
    assertThatThrownBy(() -> spark.sql("DROP TABLE lake.main.kinds")).hasStackTraceContaining(NOT_YET);
    assertThatThrownBy(() -> spark.sql("CREATE NAMESPACE lake.fresh")).hasStackTraceContaining(NOT_YET);
    assertThatThrownBy(() -> spark.table("lake.main.kinds").write().format("ducklake")
        .option("url", SparkTestSupport.url("lake")).option("table", "kinds").mode("append").save())
        .hasStackTraceContaining(NOT_YET);
    assertThatThrownBy(() -> spark.sql("DELETE FROM lake.main.kinds WHERE kind = 'a'"))
        .hasMessageContaining("does not support deletes");
    assertThat(duckdb.query("SELECT count(*) FROM kinds").scalar()).isEqualTo(before);
  }
}
