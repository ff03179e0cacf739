package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * GEOMETRY and VARIANT values Mallard writes are read back by DuckDB 1.5.5 as DuckDB's own: the
 * same WKB for the same WKT, the same {@code extra_stats} (bounding box and types) in the file and
 * table column statistics, variants of type VARCHAR; and tables DuckDB wrote take Mallard's rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeometryVariantWriteInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;

  @BeforeAll
  void start() {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
  }

  @AfterAll
  void stop() {
    duckdb.close();
  }

  /** WKT as users write it (any case, attached dimensions, SRID prefix, nan, exponents), and as DuckDB prints it. */
  static final List<String> WKT = List.of(
      "POINT(1 2)", "point z (1 2 3)", "POINTM(1 2 3)", "POINT ZM (1 2 3 4)", "POINT EMPTY", "POINT Z EMPTY",
      "LINESTRING(0 0, 1.5 2.25, 1e20 -3)", "LINESTRING EMPTY", "LINESTRING M (0 0 1, 1 1 2)",
      "POLYGON((0 0, 1 0, 1 1, 0 0), (0.1 0.1, 0.2 0.1, 0.2 0.2, 0.1 0.1))", "POLYGON EMPTY",
      "MULTIPOINT((1 2), (3 4))", "MULTIPOINT(1 2, 3 4)", "MULTIPOINT (EMPTY, (1 -2.5))", "MULTIPOINT EMPTY",
      "MULTILINESTRING((0 0, 1 1), EMPTY)", "MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))",
      "MULTIPOLYGON ZM (((0 0 1 2, 1 0 1 2, 1 1 1 2, 0 0 1 2)))",
      "GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 5 5))", "GEOMETRYCOLLECTION EMPTY",
      "GEOMETRYCOLLECTION (POINT EMPTY, GEOMETRYCOLLECTION (MULTIPOINT EMPTY))",
      "GEOMETRYCOLLECTION Z (POINT Z (1 2 3))", "SRID=4326;POINT(7 8)", "  Point ( -0 .5 )  ",
      "POINT(nan 1)", "POINT(-inf 1e-7)", "POINT(1e+2 0.1)", "POINT (123456.123456789 -1e-7)",
      "POINT (5e-324 1.7976931348623157e308)");

  @Test
  void geometryWrittenByMallardIsDuckDbsWkbWithDuckDbsStatistics() throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, "geo");
    duckdb.execute("CREATE TABLE geo.theirs (id INTEGER, g GEOMETRY)");
    try (Connection mallard = Mallard.connect("sqlite:" + catalog); Statement s = mallard.createStatement()) {
      s.execute("CREATE TABLE mine (id INTEGER, g GEOMETRY)");
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < WKT.size(); i++) {
        values.append(i == 0 ? "" : ", ").append("(").append(i).append(", '").append(WKT.get(i)).append("')");
      }
      String rows = values + ", (" + WKT.size() + ", NULL)";
      s.execute("INSERT INTO mine VALUES " + rows);
      duckdb.execute("INSERT INTO geo.theirs VALUES " + rows);
      try (PreparedStatement ps = mallard.prepareStatement("INSERT INTO mine VALUES (?, ?)")) {
        ps.setInt(1, 200);
        ps.setString(2, "POINT (3 4)"); // a parameter too
        ps.executeUpdate();
      }
      duckdb.execute("INSERT INTO geo.theirs VALUES (200, 'POINT (3 4)')");
      // WKB bytes, through DuckDB's st_geomfromwkb: little-endian ISO, big-endian, extended (EWKB with SRID)
      s.execute("INSERT INTO mine VALUES (201, st_geomfromwkb(X'0101000000000000000000F03F0000000000000040')),"
          + " (202, st_geomfromwkb(X'00000003E93FF000000000000040000000000000004008000000000000')),"
          + " (203, st_geomfromwkb(X'0101000020E6100000000000000000F03F0000000000000040'))");
      duckdb.execute("INSERT INTO geo.theirs VALUES (201, 'POINT (1 2)'), (202, 'POINT Z (1 2 3)'), (203, 'POINT (1 2)')");

      // the same WKB for every value, and the same text through DuckDB and Mallard
      assertThat(duckdb.query("SELECT count(*) FROM geo.mine m JOIN geo.theirs t USING (id)"
          + " WHERE st_aswkb(m.g) = st_aswkb(t.g)").scalar()).isEqualTo(BigInteger.valueOf(WKT.size() + 4));
      try (ResultSet rs = s.executeQuery("SELECT st_aswkb(g) FROM mine WHERE id = 202")) {
        assertThat(rs.next()).isTrue();
        assertThat(java.util.HexFormat.of().withUpperCase().formatHex(rs.getBytes(1)))
            .isEqualTo("01E9030000000000000000F03F00000000000000400000000000000840");
      }
      assertThatThrownBy(() -> s.execute("INSERT INTO mine VALUES (300, st_geomfromwkb(X'0101'))"))
          .isInstanceOf(SQLException.class).hasMessageContaining("not valid WKB");
      assertThat(duckdb.query("SELECT count(*) FROM geo.mine WHERE g IS NULL").scalar()).isEqualTo(BigInteger.ONE);
      compare(mallard, "SELECT id, g FROM geo.mine ORDER BY id", "SELECT id, g FROM mine ORDER BY id");
      compare(mallard, "SELECT id, g FROM geo.theirs ORDER BY id", "SELECT id, g FROM mine ORDER BY id");

      // DuckDB does not inline geometry, so neither does Mallard: both wrote one file, with the same statistics
      assertThat(duckdb.query("SELECT count(*) FROM ducklake_list_files('geo', 'mine')").scalar())
          .isEqualTo(BigInteger.valueOf(3));
      assertSameStats("geo", "mine", "theirs");
      // the Parquet column chunk's own geospatial statistics (parquet-java's) agree with DuckDB's for XY and
      // XYZ values; not for M values (parquet-java lists linestring M as linestring_z: see COMPATIBILITY.md),
      // which only the first file has
      assertThat(parquetGeoStats("mine").stream().filter(r -> r.get(0) != null).toList()).hasSize(2)
          .containsExactlyInAnyOrderElementsOf(parquetGeoStats("theirs").stream().filter(r -> r.get(0) != null).toList());

      // a second file widens the table's bounding box and types, as DuckDB widens them
      s.execute("INSERT INTO mine VALUES (100, 'LINESTRING(-10 -10, 0 0)'), (101, 'MULTIPOINT Z (1 2 300)')");
      duckdb.execute("INSERT INTO geo.theirs VALUES (100, 'LINESTRING(-10 -10, 0 0)'), (101, 'MULTIPOINT Z (1 2 300)')");
      assertSameStats("geo", "mine", "theirs");

      // UPDATE and DELETE rewrite the same rows in both
      s.execute("UPDATE mine SET g = 'POINT (9 9)' WHERE id = 0");
      s.execute("UPDATE mine SET id = id + 1000 WHERE id BETWEEN 1 AND 5");
      s.execute("DELETE FROM mine WHERE id = 6");
      duckdb.execute("UPDATE geo.theirs SET g = 'POINT (9 9)' WHERE id = 0");
      duckdb.execute("UPDATE geo.theirs SET id = id + 1000 WHERE id BETWEEN 1 AND 5");
      duckdb.execute("DELETE FROM geo.theirs WHERE id = 6");
      compare(mallard, "SELECT id, g FROM geo.theirs ORDER BY id", "SELECT id, g FROM mine ORDER BY id");
      assertThat(duckdb.query("SELECT count(*) FROM geo.mine m JOIN geo.theirs t USING (id)"
          + " WHERE st_aswkb(m.g) = st_aswkb(t.g)").scalar()).isEqualTo(BigInteger.valueOf(WKT.size() + 5));
      assertSameTableStats("geo", "mine", "theirs");
    }
  }

  @Test
  void mallardAppendsToDuckDbsGeometryTable() throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, "geo2");
    duckdb.execute("CREATE TABLE geo2.t (id INTEGER, g GEOMETRY)");
    duckdb.execute("INSERT INTO geo2.t VALUES (1, 'POINT Z (1 2 3)'), (2, 'POLYGON((0 0, 4 0, 4 4, 0 0))'), (3, NULL)");
    duckdb.execute("CREATE TABLE geo2.u (id INTEGER, g GEOMETRY)");
    duckdb.execute("INSERT INTO geo2.u VALUES (1, 'POINT Z (1 2 3)'), (2, 'POLYGON((0 0, 4 0, 4 4, 0 0))'), (3, NULL)");
    try (Connection mallard = Mallard.connect("sqlite:" + catalog); Statement s = mallard.createStatement()) {
      s.execute("INSERT INTO t VALUES (4, 'LINESTRING(-1 -2, 10 20)'), (5, 'POINT M (0 0 7)')");
      s.execute("INSERT INTO t SELECT id + 10, g FROM t WHERE id < 3");
      duckdb.execute("INSERT INTO geo2.u VALUES (4, 'LINESTRING(-1 -2, 10 20)'), (5, 'POINT M (0 0 7)')");
      duckdb.execute("INSERT INTO geo2.u SELECT id + 10, g FROM geo2.u WHERE id < 3");
      compare(mallard, "SELECT id, g FROM geo2.u ORDER BY id", "SELECT id, g FROM t ORDER BY id");
      compare(mallard, "SELECT id, g FROM geo2.t ORDER BY id", "SELECT id, g FROM t ORDER BY id");
      assertThat(duckdb.query("SELECT count(*) FROM geo2.t a JOIN geo2.u b USING (id)"
          + " WHERE st_aswkb(a.g) = st_aswkb(b.g)").scalar()).isEqualTo(BigInteger.valueOf(6));
      assertSameStats("geo2", "t", "u");
    }
  }

  @Test
  void badGeometryIsRefusedAndNothingIsWritten() throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, "geo3");
    duckdb.execute("CREATE TABLE geo3.t (id INTEGER, g GEOMETRY)");
    try (Connection mallard = Mallard.connect("sqlite:" + catalog); Statement s = mallard.createStatement()) {
      s.execute("INSERT INTO t VALUES (1, 'POINT (1 2)')");
      Object snapshots = duckdb.query("SELECT count(*) FROM ducklake_snapshots('geo3')").scalar();
      for (String bad : List.of("POINT (1 2 3)", "POINT(1)", "TRIANGLE((0 0, 1 0, 1 1, 0 0))", "", "POINT(1 2",
          "LINESTRING(0 0, 1 1 1)", "GEOMETRYCOLLECTION (POINT Z (1 2 3))", "POINT(+1 2)", "POINT(1e 2)",
          "POINT (1 2) extra", "POLYGON((0 0, 1 0, 1 1, 0 0), EMPTY)")) {
        assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (2, '" + bad + "'), (3, 'POINT (5 5)')"))
            .as(bad).isInstanceOf(SQLException.class).hasMessageContaining("Invalid WKT for a GEOMETRY value");
        assertThatThrownBy(() -> s.execute("UPDATE t SET g = '" + bad + "'"))
            .as(bad).isInstanceOf(SQLException.class).hasMessageContaining("Invalid WKT for a GEOMETRY value");
      }
      assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (2, 42)"))
          .isInstanceOf(SQLException.class).hasMessageContaining("GEOMETRY");
      assertThat(duckdb.query("SELECT count(*) FROM ducklake_snapshots('geo3')").scalar()).isEqualTo(snapshots);
      assertThat(duckdb.query("SELECT id, g::VARCHAR FROM geo3.t").rows()).containsExactly(List.of(BigInteger.ONE,
          "POINT (1 2)"));
      try (Stream<Path> files = Files.walk(dir.resolve("geo3"))) {
        assertThat(files.filter(p -> p.toString().endsWith(".parquet")).count()).isEqualTo(1);
      }
    }
  }

  /** Values DuckDB's users insert into VARIANT as text. */
  static final List<String> TEXTS = List.of("hello", "", "42", "it's", "null", "{'a': 1}", "[1, 2]",
      "x".repeat(63), "y".repeat(64), "z".repeat(5000));

  @Test
  void variantTextWrittenByMallardIsDuckDbsVarcharVariant() throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, "var");
    duckdb.execute("CREATE TABLE var.theirs (id INTEGER, v VARIANT)");
    try (Connection mallard = Mallard.connect("sqlite:" + catalog); Statement s = mallard.createStatement()) {
      s.execute("CREATE TABLE mine (id INTEGER, v VARIANT)");
      List<String> values = new ArrayList<>();
      for (int i = 0; i < TEXTS.size(); i++) {
        values.add("(" + i + ", " + sql(TEXTS.get(i)) + ")");
      }
      values.add("(" + TEXTS.size() + ", NULL)");
      values.add("(" + (TEXTS.size() + 1) + ", NULL)");
      s.execute("INSERT INTO mine VALUES " + String.join(", ", values));
      duckdb.execute("INSERT INTO var.theirs VALUES " + String.join(", ", values));
      s.execute("INSERT INTO mine VALUES (100, 'literal'), (101, CAST(NULL AS VARCHAR)), (102, 'a' || 'b')");
      duckdb.execute("INSERT INTO var.theirs VALUES (100, 'literal'), (101, NULL), (102, 'a' || 'b')");
      try (PreparedStatement ps = mallard.prepareStatement("INSERT INTO mine VALUES (?, ?)")) {
        ps.setInt(1, 200);
        ps.setString(2, "é ü 😀"); // a parameter too (Calcite's literals are Latin-1 only)
        ps.executeUpdate();
      }
      duckdb.execute("INSERT INTO var.theirs VALUES (200, 'é ü 😀')");

      compare(mallard, "SELECT id, v FROM var.theirs ORDER BY id", "SELECT id, v FROM mine ORDER BY id");
      compare(mallard, "SELECT id, v FROM var.mine ORDER BY id", "SELECT id, v FROM mine ORDER BY id");
      // the same variants: type, value, and NULLs where DuckDB has them
      String same = "SELECT count(*) FROM var.mine m JOIN var.theirs t USING (id) WHERE variant_typeof(m.v) ="
          + " variant_typeof(t.v) AND m.v IS NOT DISTINCT FROM t.v AND (m.v IS NULL) = (t.v IS NULL)";
      assertThat(duckdb.query(same).scalar()).isEqualTo(BigInteger.valueOf(TEXTS.size() + 6));
      assertThat(duckdb.query("SELECT DISTINCT variant_typeof(v) FROM var.mine WHERE v IS NOT NULL").rows())
          .containsExactly(List.of("VARCHAR"));
      assertThat(duckdb.query("SELECT id FROM var.mine WHERE v = 'hello'::VARIANT").rows())
          .containsExactly(List.of(BigInteger.ZERO));

      // UPDATE setting the variant, DELETE
      s.execute("UPDATE mine SET v = 'changed', id = id + 1000 WHERE id IN (0, 1)");
      s.execute("DELETE FROM mine WHERE id = 2");
      duckdb.execute("UPDATE var.theirs SET v = 'changed', id = id + 1000 WHERE id IN (0, 1)");
      duckdb.execute("DELETE FROM var.theirs WHERE id = 2");
      compare(mallard, "SELECT id, v FROM var.theirs ORDER BY id", "SELECT id, v FROM mine ORDER BY id");
      assertThat(duckdb.query(same).scalar()).isEqualTo(BigInteger.valueOf(TEXTS.size() + 5));
      // the file statistics: one row for the column, its counts, no bounds and no variant statistics
      DuckDb.Result stats = duckdb.query("SELECT value_count, null_count, min_value, max_value, extra_stats"
          + " FROM __ducklake_metadata_var.ducklake_file_column_stats s JOIN __ducklake_metadata_var.ducklake_table t"
          + " USING (table_id) WHERE t.table_name = 'mine' AND column_id = 2 ORDER BY data_file_id");
      assertThat(stats.rows().get(0)).isEqualTo(java.util.Arrays.asList(BigInteger.valueOf(TEXTS.size()),
          BigInteger.TWO, null, null, null));
    }
  }

  @Test
  void mallardAppendsTextToDuckDbsVariantTable() throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, "var2");
    duckdb.execute("CREATE TABLE var2.t (id INTEGER, v VARIANT)");
    duckdb.execute("INSERT INTO var2.t SELECT i, i::VARIANT FROM range(12) r(i)"); // shredded as int64
    duckdb.execute("INSERT INTO var2.t VALUES (20, {'a': 1}::VARIANT), (21, 'x'::VARIANT), (22, [1, 2]::VARIANT)");
    try (Connection mallard = Mallard.connect("sqlite:" + catalog); Statement s = mallard.createStatement()) {
      s.execute("INSERT INTO t VALUES (30, 'mallard'), (31, NULL), (32, '7')");
      DuckDb.Result expected = duckdb.query("SELECT id, v, variant_typeof(v) FROM var2.t ORDER BY id");
      assertThat(expected.rows()).hasSize(18);
      try (ResultSet rs = s.executeQuery("SELECT id, v FROM t ORDER BY id")) {
        assertSameRows(duckdb.query("SELECT id, v FROM var2.t ORDER BY id"), rs, true);
      }
      assertThat(duckdb.query("SELECT variant_typeof(v) FROM var2.t WHERE id = 32").scalar()).isEqualTo("VARCHAR");
      // the shredded file's statistics no longer describe the table: the table's are dropped, not kept wrong
      assertThat(duckdb.query("SELECT count(*) FROM var2.t WHERE v::VARCHAR = '7'").scalar())
          .isEqualTo(BigInteger.TWO);
      assertThat(duckdb.query("SELECT extra_stats FROM __ducklake_metadata_var2.ducklake_table_column_stats"
          + " WHERE column_id = 2").scalar()).isNull();
    }
  }

  @Test
  void variantRefusesWhatItCannotWriteAndKeepsTypesThroughUpdates() throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, "var3");
    duckdb.execute("CREATE TABLE var3.t (id INTEGER, v VARIANT)");
    duckdb.execute("INSERT INTO var3.t VALUES (1, 42::VARIANT), (2, {'a': 1}::VARIANT)");
    try (Connection mallard = Mallard.connect("sqlite:" + catalog); Statement s = mallard.createStatement()) {
      Object snapshots = duckdb.query("SELECT count(*) FROM ducklake_snapshots('var3')").scalar();
      assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (3, CAST(TIMESTAMP '2024-01-01 00:00:00'"
          + " AS TIMESTAMP(0) WITH LOCAL TIME ZONE))"))
          .isInstanceOf(SQLException.class).hasMessageContaining("Mallard cannot make a VARIANT");
      assertThat(duckdb.query("SELECT count(*) FROM ducklake_snapshots('var3')").scalar()).isEqualTo(snapshots);
      s.execute("INSERT INTO t VALUES (4, MAP['a', 1])"); // a map is an array of {key, value} objects, as in DuckDB
      // an UPDATE rewrites its rows: the variants it keeps keep their type
      s.execute("UPDATE t SET id = 5 WHERE id = 1");
      s.execute("UPDATE t SET v = 'u', id = 3 WHERE id = 2");
      assertThat(duckdb.query("SELECT id, v::VARCHAR, variant_typeof(v) FROM var3.t ORDER BY id").rows())
          .containsExactly(List.of(BigInteger.valueOf(3), "u", "VARCHAR"),
              List.of(BigInteger.valueOf(4), "[{'key': a, 'value': 1}]", "ARRAY(1)"),
              List.of(BigInteger.valueOf(5), "42", "INT32"));
    }
  }

  /** The geospatial statistics of the geometry column chunks of a table's files in lake geo. */
  private List<List<Object>> parquetGeoStats(String table) {
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> file : duckdb.query("SELECT data_file FROM ducklake_list_files('geo', '" + table + "')").rows()) {
      out.addAll(duckdb.query("SELECT geo_bbox::VARCHAR, geo_types::VARCHAR FROM parquet_metadata('" + file.get(0)
          + "') WHERE path_in_schema = 'g'").rows());
    }
    return out;
  }

  private static String sql(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private void compare(Connection mallard, String duckSql, String mallardSql) throws SQLException {
    DuckDb.Result expected = duckdb.query(duckSql);
    assertThat(expected.rows()).isNotEmpty();
    try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(mallardSql)) {
      assertSameRows(expected, rs, true);
    }
  }

  /** The geometry column's file and table statistics of two tables of one lake are the same. */
  private void assertSameStats(String lake, String a, String b) {
    String meta = "__ducklake_metadata_" + lake + ".";
    String files = "SELECT list(value_count ORDER BY data_file_id), list(null_count ORDER BY data_file_id),"
        + " list(coalesce(min_value, '-') ORDER BY data_file_id), list(extra_stats ORDER BY data_file_id) FROM "
        + meta + "ducklake_file_column_stats s JOIN " + meta + "ducklake_table t USING (table_id)"
        + " WHERE t.table_name = '%s' AND t.end_snapshot IS NULL AND s.column_id = 2";
    assertThat(duckdb.query(String.format(files, a)).rows()).isEqualTo(duckdb.query(String.format(files, b)).rows());
    assertSameTableStats(lake, a, b);
  }

  /** The geometry column's table statistics of two tables of one lake are the same. */
  private void assertSameTableStats(String lake, String a, String b) {
    String meta = "__ducklake_metadata_" + lake + ".";
    String table = "SELECT contains_null, contains_nan, min_value, max_value, extra_stats FROM "
        + meta + "ducklake_table_column_stats s JOIN " + meta + "ducklake_table t USING (table_id)"
        + " WHERE t.table_name = '%s' AND t.end_snapshot IS NULL AND s.column_id = 2";
    assertThat(duckdb.query(String.format(table, a)).rows()).isEqualTo(duckdb.query(String.format(table, b)).rows());
    assertThat(duckdb.query(String.format(table, a)).rows()).hasSize(1);
  }
}
