package dev.mallard.spark;

import static dev.mallard.testing.SparkRowAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SQL through the catalog plugin ({@code spark.sql.catalog.lake}) on the interop lake, compared
 * with DuckDB's answers row for row. DuckDB names the lake {@code lake} too, so most queries are the
 * same text in both; where the dialects differ a query is given twice.
 */
class CatalogReadTest {
  /** Every column of all_types but u128, whose 2^127 does not fit Spark's DECIMAL(38,0) (see TypesTest). */
  static final String ALL_BUT_U128 = "id, b, i8, i16, i32, i64, i128, u8, u16, u32, u64, f32, f64, d4, d9, d18, d38,"
      + " v, bl, u, j, dt, tm, ts, ts_s, ts_ms, ts_ns, tz, iv, ttz";

  private final DuckDb duckdb = SparkTestSupport.duckdb();
  private final SparkSession spark = SparkTestSupport.spark();

  record Query(String spark, String duckdb) {
    static Query same(String sql) {
      return new Query(sql, sql);
    }

    @Override
    public String toString() {
      return spark;
    }
  }

  static Stream<Query> queries() {
    Stream<Query> general = Stream.of(
        Query.same("SELECT " + ALL_BUT_U128 + " FROM lake.main.all_types ORDER BY id"),
        Query.same("SELECT " + ALL_BUT_U128 + " FROM lake.main.all_types_inlined ORDER BY id"),
        Query.same("SELECT id, u128 FROM lake.main.all_types WHERE id <> 2 ORDER BY id"),
        Query.same("SELECT id, u128 FROM lake.main.all_types_inlined WHERE id <> 2 ORDER BY id"),
        Query.same("SELECT id, v, i32 FROM lake.main.all_types ORDER BY v NULLS LAST, id LIMIT 5"),
        Query.same("SELECT count(*), count(v), count(DISTINCT v), min(i32), max(i64), sum(i32), sum(d18),"
            + " min(d38), max(u64), min(dt), max(ts), max(tz) FROM lake.main.all_types"),
        Query.same("SELECT avg(i32), sum(f32), sum(i64), count(*) FROM lake.main.all_types WHERE id > 3 AND id < 100"),
        Query.same("SELECT * FROM lake.s1.events ORDER BY id"),
        Query.same("SELECT kind, count(*), sum(amount), min(day), max(day) FROM lake.s1.events GROUP BY kind ORDER BY kind"),
        Query.same("SELECT e.kind, k.label, count(*) FROM lake.s1.events e JOIN lake.main.kinds k ON e.kind = k.kind"
            + " GROUP BY e.kind, k.label ORDER BY e.kind"),
        Query.same("SELECT k.kind, count(e.id) FROM lake.main.kinds k LEFT JOIN lake.s1.events e ON e.kind = k.kind"
            + " GROUP BY k.kind ORDER BY 1"),
        Query.same("SELECT a.id, b.id FROM lake.main.all_types a JOIN lake.main.all_types_inlined b ON a.v = b.v"
            + " ORDER BY 1, 2"),
        new Query("SELECT * FROM lake.`we ird`.`T 1` WHERE `col \"q\"` > 10 ORDER BY 1",
            "SELECT * FROM lake.\"we ird\".\"T 1\" WHERE \"col \"\"q\"\"\" > 10 ORDER BY 1"),
        Query.same("SELECT id, amount FROM lake.s1.events WHERE amount > 2990 ORDER BY amount DESC LIMIT 3"),
        Query.same("SELECT * FROM lake.main.partitioned ORDER BY x"),
        Query.same("SELECT region, count(*), sum(x) FROM lake.main.partitioned WHERE day >= DATE '2022-01-01'"
            + " GROUP BY region ORDER BY 1"),
        Query.same("SELECT id FROM lake.s1.events WHERE day BETWEEN DATE '2025-03-01' AND DATE '2025-03-10' ORDER BY id"),
        Query.same("SELECT count(*) FROM lake.s1.events"),
        Query.same("SELECT * FROM lake.s1.events ORDER BY id LIMIT 4"));
    // A filter on every type, against the Parquet and the inlined copy of the same rows: pushed to
    // the engine where it translates, evaluated by Spark where it does not; the answer is the same.
    Stream<Query> filters = Stream.of(
        "b", "NOT b", "b = false", "i8 < 0", "i16 >= 2", "i32 = 42", "i32 <> 3", "i64 > 0", "i128 < 0",
        "i128 = 1267650600228229401496703205376", "u8 >= 6", "u16 = 65535", "u32 > 3", "u64 > 100",
        "u64 = 18446744073709551615", "u128 > 5", "f32 > 1", "f32 < 0", "f64 > 2", "f64 <= 0", "f64 = 0",
        "d4 > 1.05", "d9 = 2.222", "d18 < 0", "d38 >= 4.4444444444", "v = 'apple'", "v > 'apple'", "v < 'b'",
        "v IN ('apple', 'cherry pie', 'nope')", "v LIKE 'a%'", "v IS NULL", "v IS NOT NULL",
        "u = '11111111-2222-3333-4444-555555555555'", "u > '50000000-0000-0000-0000-000000000000'", "j = '[1, 2]'",
        "dt = DATE '2024-02-29'", "dt < DATE '1970-01-01'", "dt BETWEEN DATE '1999-01-01' AND DATE '2024-12-31'",
        "iv IS NULL", "ttz IS NOT NULL", "bl IS NULL", "tm IS NULL", "i32 > 0 AND v LIKE '%a%'",
        "i32 < 0 OR f64 > 1e300", "NOT (i32 > 0)", "id = 3 OR i64 IS NULL", "i32 IN (42, 3)")
        .map(Query::same);
    Stream<Query> dialects = Stream.of(
        new Query("tm > '12:00:00'", "tm > TIME '12:00:00'"),
        new Query("ts >= TIMESTAMP_NTZ '2024-02-29 00:00:00'", "ts >= TIMESTAMP '2024-02-29 00:00:00'"),
        new Query("ts < TIMESTAMP_NTZ '1970-01-01 00:00:00'", "ts < TIMESTAMP '1970-01-01 00:00:00'"),
        new Query("ts_s = TIMESTAMP_NTZ '2024-02-29 12:30:45'", "ts_s = TIMESTAMP '2024-02-29 12:30:45'"),
        new Query("ts_ms > TIMESTAMP_NTZ '2000-01-01 00:00:00'", "ts_ms > TIMESTAMP '2000-01-01 00:00:00'"),
        new Query("ts_ns < TIMESTAMP_NTZ '2000-01-01 00:00:00'", "ts_ns < TIMESTAMP '2000-01-01 00:00:00'"),
        new Query("tz > TIMESTAMP '2000-01-01 00:00:00'", "tz > TIMESTAMPTZ '2000-01-01 00:00:00+00'"),
        new Query("tz = TIMESTAMP '2024-02-29 10:30:45.123'", "tz = TIMESTAMPTZ '2024-02-29 10:30:45.123+00'"),
        new Query("f64 = double('NaN')", "f64 = 'nan'::DOUBLE"),
        new Query("f32 > float('-inf')", "f32 > '-inf'::FLOAT"),
        new Query("i32 <=> 42", "i32 IS NOT DISTINCT FROM 42"),
        new Query("NOT (i32 <=> 42)", "NOT (i32 IS NOT DISTINCT FROM 42)"));
    return Stream.of(general, Stream.concat(filters, dialects).flatMap(f -> Stream.of("all_types", "all_types_inlined")
        .map(t -> new Query("SELECT id FROM lake.main." + t + " WHERE " + f.spark() + " ORDER BY id",
            "SELECT id FROM lake.main." + t + " WHERE " + f.duckdb() + " ORDER BY id"))))
        .flatMap(s -> s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void answersLikeDuckDb(Query query) {
    assertSameRows(duckdb.query(query.duckdb()), spark.sql(query.spark()), query.spark().contains("ORDER BY"));
  }

  @Test
  void showNamespacesAndTables() {
    assertThat(strings(spark.sql("SHOW NAMESPACES IN lake").collectAsList(), 0))
        .containsExactlyInAnyOrder("main", "s1", "`we ird`");
    assertThat(strings(spark.sql("SHOW TABLES IN lake.main").collectAsList(), 1))
        .containsExactlyInAnyOrder("all_types", "all_types_inlined", "partitioned", "kinds");
    assertThat(strings(spark.sql("SHOW TABLES IN lake.s1").collectAsList(), 1)).containsExactly("events");
  }

  @Test
  void describeShowsSparkTypesAndTheDuckLakeTypes() {
    List<Row> rows = spark.sql("DESCRIBE lake.s1.events").collectAsList();
    assertThat(rows.subList(0, 4)).extracting(r -> r.getString(0) + " " + r.getString(1) + " " + r.getString(2))
        .containsExactly("id bigint ducklake int64", "kind string ducklake varchar",
            "amount decimal(10,2) ducklake decimal(10,2)", "day date ducklake date");
    List<Row> types = spark.sql("DESCRIBE lake.main.all_types").collectAsList();
    assertThat(types).extracting(r -> r.getString(0) + " " + r.getString(1)).contains("u8 smallint",
        "u64 decimal(20,0)", "u128 decimal(38,0)", "tm string", "ts timestamp_ntz", "ts_ns timestamp_ntz",
        "tz timestamp", "iv interval", "ttz string", "bl binary", "u string");
  }

  @Test
  void namesMatchIgnoringCaseAndUnknownTablesAreNotFound() {
    assertThat(spark.sql("SELECT count(*) FROM lake.S1.EVENTS").first().getLong(0))
        .isEqualTo(((java.math.BigInteger) duckdb.query("SELECT count(*) FROM s1.events").scalar()).longValue());
    assertThatThrownBy(() -> spark.sql("SELECT * FROM lake.main.nope")).hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND");
    assertThatThrownBy(() -> spark.sql("SHOW TABLES IN lake.nope")).hasMessageContaining("SCHEMA_NOT_FOUND");
  }

  private static List<String> strings(List<Row> rows, int column) {
    return rows.stream().map(r -> r.getString(column)).toList();
  }
}
