package dev.mallard.spark;

import static dev.mallard.testing.SparkRowAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import java.math.BigInteger;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark appends and overwrites of struct, list and map columns (any depth, NULL at every level)
 * into tables DuckDB created, checked by DuckDB 1.5.5 reading back exactly the rows Spark wrote.
 */
class NestedWritesTest {
  private static final DuckDb duckdb = SparkTestSupport.duckdb();
  private static final SparkSession spark = SparkTestSupport.spark();
  private static final String COLUMNS = "id INTEGER, s STRUCT(a INTEGER, b VARCHAR), l INTEGER[],"
      + " m MAP(VARCHAR, DECIMAL(10,2)), ls STRUCT(x BIGINT, d DATE)[],"
      + " deep STRUCT(k MAP(VARCHAR, STRUCT(ts TIMESTAMP, h HUGEINT)[]), f DOUBLE)";

  /**
   * The rows written, as a Spark view {@code src}: every shape of NULL and emptiness, in turn, and
   * 5,000 rows so that one task fills more than one batch of the writer.
   */
  @BeforeAll
  static void source() {
    SparkTestSupport.newLake("nw");
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW src AS SELECT CAST(id AS INT) AS id,"
        + " CASE WHEN id % 5 = 0 THEN NULL"
        + "   WHEN id % 5 = 1 THEN named_struct('a', CAST(NULL AS INT), 'b', CAST(NULL AS STRING))"
        + "   ELSE named_struct('a', CAST(id AS INT), 'b', CASE WHEN id % 7 = 0 THEN NULL ELSE concat('b\"', id) END)"
        + " END AS s,"
        + " CASE WHEN id % 4 = 0 THEN NULL WHEN id % 4 = 1 THEN CAST(array() AS ARRAY<INT>)"
        + "   WHEN id % 4 = 2 THEN array(CAST(id AS INT), NULL, 3) ELSE array(CAST(NULL AS INT)) END AS l,"
        + " CASE WHEN id % 3 = 0 THEN NULL WHEN id % 3 = 1 THEN CAST(map() AS MAP<STRING, DECIMAL(10,2)>)"
        + "   ELSE map('k', CAST(id / 8 AS DECIMAL(10,2)), 'n', CAST(NULL AS DECIMAL(10,2))) END AS m,"
        + " CASE WHEN id % 6 = 0 THEN NULL WHEN id % 6 = 1 THEN CAST(array() AS ARRAY<STRUCT<x: BIGINT, d: DATE>>)"
        + "   WHEN id % 6 = 2 THEN CAST(array(NULL) AS ARRAY<STRUCT<x: BIGINT, d: DATE>>)"
        + "   ELSE array(named_struct('x', id, 'd', date_add(DATE'2024-02-28', CAST(id % 10 AS INT))),"
        + "     named_struct('x', CAST(NULL AS BIGINT), 'd', CAST(NULL AS DATE)), NULL) END AS ls,"
        + " CASE WHEN id % 8 = 0 THEN NULL ELSE named_struct("
        + "   'k', CASE WHEN id % 8 = 1 THEN NULL ELSE map(concat('k', id), array(named_struct("
        + "     'ts', TIMESTAMP_NTZ'2024-01-02 03:04:05.123456' + make_dt_interval(0, 0, 0, id),"
        + "     'h', CAST(id AS DECIMAL(38,0)) * CAST(1000000000000000000000 AS DECIMAL(38,0))), NULL),"
        + "     'e', CAST(array() AS ARRAY<STRUCT<ts: TIMESTAMP_NTZ, h: DECIMAL(38,0)>>)) END,"
        + "   'f', CASE WHEN id % 8 = 2 THEN NULL ELSE CAST(id AS DOUBLE) / 3 END) END AS deep"
        + " FROM range(0, 5000)");
  }

  @Test
  void anAppendOfNestedValuesIsReadBackByDuckDbAsWritten() {
    duckdb.execute("CREATE TABLE nw.main.t (" + COLUMNS + ")");
    spark.sql("INSERT INTO nw.main.t SELECT /*+ COALESCE(1) */ * FROM src");

    assertSameRows(duckdb.query("SELECT * FROM nw.main.t ORDER BY id"), spark.sql("SELECT * FROM src ORDER BY id"),
        true);
    assertSameRows(duckdb.query("SELECT * FROM nw.main.t ORDER BY id"),
        spark.sql("SELECT * FROM nw.main.t ORDER BY id"), true);
    // Every level's NULL and emptiness landed as itself, not as its neighbour.
    assertThat(duckdb.query("SELECT count(*) FILTER (s IS NULL), count(*) FILTER (s.a IS NULL),"
        + " count(*) FILTER (l IS NULL), count(*) FILTER (len(l) = 0), count(*) FILTER (l = [NULL]),"
        + " count(*) FILTER (cardinality(m) = 0), count(*) FILTER (ls = [NULL]) FROM nw.main.t").rows().get(0).toString())
        .isEqualTo("[1000, 2000, 1250, 1250, 1250, 1667, 833]");
  }

  @Test
  void writerV2AppendsNextToDuckDbsInlinedRowsAndAnOverwriteReplacesThem() throws Exception {
    duckdb.execute("CREATE TABLE nw.main.t2 (" + COLUMNS + ")");
    duckdb.execute("INSERT INTO nw.main.t2 VALUES (-1, {'a': 1, 'b': 'duck'}, [1], MAP {'d': 1.5},"
        + " [{'x': 1, 'd': DATE '2024-01-01'}], NULL)"); // inlined
    spark.table("src").where("id < 300").writeTo("nw.main.t2").append();
    assertSameRows(duckdb.query("SELECT * FROM nw.main.t2 WHERE id >= 0 ORDER BY id"),
        spark.sql("SELECT * FROM src WHERE id < 300 ORDER BY id"), true);
    assertThat(duckdb.query("SELECT count(*) FROM nw.main.t2").scalar()).isEqualTo(BigInteger.valueOf(301));

    spark.sql("INSERT OVERWRITE nw.main.t2 SELECT * FROM src WHERE id BETWEEN 100 AND 140");
    assertSameRows(duckdb.query("SELECT * FROM nw.main.t2 ORDER BY id"),
        spark.sql("SELECT * FROM src WHERE id BETWEEN 100 AND 140 ORDER BY id"), true);
  }

  @Test
  void aLeafInsideANestedValueIsCheckedAsAFlatColumnIsAndNamedByItsPath() {
    duckdb.execute("CREATE TABLE nw.main.small (id INTEGER, u STRUCT(l UTINYINT[]), m MAP(VARCHAR, TIME))");
    assertThatThrownBy(() -> spark.sql("INSERT INTO nw.main.small VALUES (1, named_struct('l', array(1, 300)), NULL)"))
        .hasStackTraceContaining("Value 300 is out of range for column u.l.element (uint8)");
    assertThatThrownBy(() -> spark.sql("INSERT INTO nw.main.small VALUES (1, NULL, map('k', 'noon'))"))
        .hasStackTraceContaining("'noon' is not a time (column m.value)");
    assertThat(duckdb.query("SELECT count(*) FROM nw.main.small").scalar()).isEqualTo(BigInteger.ZERO);
    spark.sql("INSERT INTO nw.main.small VALUES (1, named_struct('l', array(1, 255, NULL)), map('k', '12:30:45.5'))");
    assertSameRows(duckdb.query("SELECT id, u, CAST(m AS MAP(VARCHAR, VARCHAR)) FROM nw.main.small"),
        spark.sql("SELECT 1, named_struct('l', array(1, 255, NULL)), map('k', '12:30:45.5')"), true);
  }

  /** CREATE TABLE and CTAS from Spark make the same child columns DuckDB makes for those types. */
  @Test
  void tablesWithNestedColumnsCreatedFromSparkAreDuckDbs() {
    spark.sql("CREATE TABLE nw.main.created (id INT, s STRUCT<a: INT, b: STRING>, l ARRAY<INT>,"
        + " m MAP<STRING, DECIMAL(10,2)>, ls ARRAY<STRUCT<x: BIGINT, d: DATE>>)");
    duckdb.execute("CREATE TABLE nw.main.twin (id INTEGER, s STRUCT(a INTEGER, b VARCHAR), l INTEGER[],"
        + " m MAP(VARCHAR, DECIMAL(10,2)), ls STRUCT(x BIGINT, d DATE)[])");
    String columns = "SELECT c.column_name, c.column_type, c.nulls_allowed, p.column_name"
        + " FROM __ducklake_metadata_nw.ducklake_column c JOIN __ducklake_metadata_nw.ducklake_table t USING (table_id)"
        + " LEFT JOIN __ducklake_metadata_nw.ducklake_column p ON p.column_id = c.parent_column AND p.table_id = c.table_id"
        + " WHERE t.table_name = '%s' ORDER BY c.column_id";
    assertThat(duckdb.query(String.format(columns, "created")).rows())
        .isEqualTo(duckdb.query(String.format(columns, "twin")).rows()).hasSize(13);
    spark.sql("INSERT INTO nw.main.created SELECT id, s, l, m, ls FROM src WHERE id < 50");
    spark.sql("CREATE TABLE nw.main.copied AS SELECT id, s, l, m, ls, deep FROM src WHERE id < 50");
    for (String table : new String[] {"created", "copied"}) {
      assertSameRows(duckdb.query("SELECT id, s, l, m, ls FROM nw.main." + table + " ORDER BY id"),
          spark.sql("SELECT id, s, l, m, ls FROM src WHERE id < 50 ORDER BY id"), true);
    }
    assertSameRows(duckdb.query("SELECT deep FROM nw.main.copied ORDER BY id"),
        spark.sql("SELECT deep FROM src WHERE id < 50 ORDER BY id"), true);
  }
}
