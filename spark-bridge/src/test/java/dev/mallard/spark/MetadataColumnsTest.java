package dev.mallard.spark;

import static dev.mallard.testing.SparkRowAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** DuckDB's virtual columns rowid, snapshot_id and filename, as Spark metadata columns. */
class MetadataColumnsTest {
  private final DuckDb duckdb = SparkTestSupport.duckdb();
  private final SparkSession spark = SparkTestSupport.spark();

  @Test
  void metadataColumnsMatchDuckDbsVirtualColumns() {
    // s1.events: two files with delete files and inline deletions, updated rows, inlined rows.
    String sql = "SELECT id, rowid, snapshot_id, filename FROM %s.s1.events";
    assertSameRows(duckdb.query(String.format(sql, "lake")), spark.sql(String.format(sql, "lake")), false);
    String inlined = "SELECT rowid, snapshot_id, filename, id FROM %s.main.all_types_inlined WHERE id > 2";
    assertSameRows(duckdb.query(String.format(inlined, "lake")), spark.sql(String.format(inlined, "lake")), false);
  }

  @Test
  void aFilterOnAMetadataColumnAndTheDataFrameApiWork() {
    Dataset<Row> df = spark.table("lake.s1.events").select("id", "rowid")
        .where("rowid BETWEEN 100 AND 110");
    assertSameRows(duckdb.query("SELECT id, rowid FROM lake.s1.events WHERE rowid BETWEEN 100 AND 110"), df, false);
    assertThat(spark.sql("SELECT * FROM lake.s1.events").columns()).doesNotContain("rowid", "filename");
    long first = ((Number) duckdb.query("SELECT min(snapshot_id) FROM lake.s1.events").scalar()).longValue();
    String atFirst = "SELECT id, rowid, snapshot_id, filename FROM lake.s1.events";
    assertSameRows(duckdb.query(atFirst + " AT (VERSION => " + first + ")"),
        spark.sql(atFirst + " VERSION AS OF " + first), false);
  }

  @Test
  void snapshotIdOfRowsInAMergedFileIsEachRowsOwn() {
    SparkTestSupport.newLake("merged");
    duckdb.execute("CREATE TABLE merged.m (id INTEGER)");
    for (int i = 0; i < 3; i++) {
      duckdb.execute("INSERT INTO merged.m SELECT i FROM range(" + (100 * i) + ", " + (100 * i + 50) + ") r(i)");
    }
    duckdb.execute("CALL ducklake_merge_adjacent_files('merged')"); // one partial file
    duckdb.execute("DELETE FROM merged.m WHERE id BETWEEN 100 AND 120");
    assertThat(duckdb.query("SELECT count(*) FROM __ducklake_metadata_merged.ducklake_data_file"
        + " WHERE partial_max IS NOT NULL").scalar().toString()).isEqualTo("1");
    String sql = "SELECT id, rowid, snapshot_id FROM merged.main.m";
    assertSameRows(duckdb.query(sql.replace("main.", "")), spark.sql(sql), false);
    long last = ((Number) duckdb.query("SELECT max(snapshot_id) FROM ducklake_snapshots('merged')").scalar())
        .longValue();
    for (long s = last - 2; s <= last; s++) {
      assertSameRows(duckdb.query(sql.replace("main.", "") + " AT (VERSION => " + s + ")"),
          spark.sql(sql + " VERSION AS OF " + s), false);
    }
  }

  @Test
  void snapshotIdOfRowsInAFlushedFileIsEachRowsOwn() {
    SparkTestSupport.newLake("flushed");
    duckdb.execute("CREATE TABLE flushed.f (id INTEGER)");
    for (int i = 0; i < 3; i++) {
      duckdb.execute("INSERT INTO flushed.f VALUES (" + i + "), (" + (i + 10) + ")"); // inlined
    }
    duckdb.execute("CALL ducklake_flush_inlined_data('flushed')"); // one file of three snapshots' rows
    assertThat(duckdb.query("SELECT count(*) FROM __ducklake_metadata_flushed.ducklake_data_file").scalar()
        .toString()).isEqualTo("1");
    String sql = "SELECT id, rowid, snapshot_id FROM flushed.main.f";
    assertSameRows(duckdb.query(sql.replace("main.", "")), spark.sql(sql), false);
    assertThat(spark.sql("SELECT DISTINCT snapshot_id FROM flushed.main.f").count()).isEqualTo(3);
  }
}
