package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GEOMETRY and VARIANT columns that DuckDB 1.5.5 wrote, read through Mallard's JDBC driver: both are
 * VARCHAR holding the text DuckDB shows for the value (WKT for geometry), compared with DuckDB's own
 * answers. (Writing them: {@code GeometryVariantWriteInteropTest}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeometryVariantInteropTest {
  /** Every WKT shape DuckDB prints: each dimension, empty parts, and numbers in each of its layouts. */
  static final List<String> SHAPES = List.of(
      "POINT (1 2)", "POINT EMPTY", "POINT Z (1 2 3)", "POINT M (1 2 3)", "POINT ZM (1 2 3 4)", "POINT Z EMPTY",
      "LINESTRING (0 0, 1.5 2.25, 1e20 3)", "LINESTRING EMPTY", "LINESTRING Z (1 2 3, 4 5 6)",
      "POLYGON ((0 0, 1 0, 1 1, 0 0), (0.1 0.1, 0.2 0.1, 0.2 0.2, 0.1 0.1))", "POLYGON EMPTY",
      "MULTIPOINT ((1 2), (3 4))", "MULTIPOINT EMPTY", "MULTIPOINT (1 2, EMPTY)", "MULTIPOINT Z ((1 2 3), (4 5 6))",
      "MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))", "MULTILINESTRING EMPTY",
      "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))",
      "MULTIPOLYGON ZM (((0 0 1 2, 1 0 1 2, 1 1 1 2, 0 0 1 2)))",
      "GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1))", "GEOMETRYCOLLECTION EMPTY",
      "GEOMETRYCOLLECTION (POINT EMPTY, MULTIPOLYGON EMPTY)",
      "GEOMETRYCOLLECTION M (POINT M (1 2 3), LINESTRING M EMPTY)",
      "GEOMETRYCOLLECTION (GEOMETRYCOLLECTION (POINT (1 1)), MULTIPOINT EMPTY)",
      "POINT (0.1 -0.0)", "POINT (123456789012345678 1e-7)", "POINT (1.0000000000000002 3.141592653589793)",
      "POINT (1e15 1e16)", "POINT (0.000001 0.0001)", "POINT (1e-05 12345678.9)", "POINT (5e-324 -1e300)",
      "POINT (-1.5 1.7976931348623157e308)", "POINT (nan 1)");

  @TempDir static Path dir;
  private DuckDb duckdb;
  private Connection mallard;

  @BeforeAll
  void writeLakeWithDuckDb() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("CREATE TABLE shapes (id INTEGER, g GEOMETRY)");
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < SHAPES.size(); i++) {
      values.append(i == 0 ? "" : ", ").append("(").append(i).append(", '").append(SHAPES.get(i)).append("'::GEOMETRY)");
    }
    duckdb.execute("INSERT INTO shapes VALUES " + values + ", (" + SHAPES.size() + ", NULL)");
    duckdb.execute("CREATE TABLE nested_shapes (id INTEGER, s STRUCT(g GEOMETRY, n VARCHAR), l GEOMETRY[])");
    duckdb.execute("INSERT INTO nested_shapes VALUES (1, {'g': 'POINT (1 2)'::GEOMETRY, 'n': 'a'},"
        + " ['LINESTRING (0 0, 1 1)'::GEOMETRY, NULL]), (2, NULL, NULL)");
    // each INSERT is one file, which DuckDB shreds its own way (or not at all)
    duckdb.execute("CREATE TABLE variants (id INTEGER, v VARIANT)");
    for (int i = 0; i < VARIANTS.size(); i++) {
      duckdb.execute("INSERT INTO variants VALUES (" + i + ", (" + VARIANTS.get(i) + ")::VARIANT)");
    }
    duckdb.execute("INSERT INTO variants SELECT 100 + i, i::VARIANT FROM range(5) r(i)");
    duckdb.execute("INSERT INTO variants SELECT 200 + i, {'a': i, 'b': 'x' || i}::VARIANT FROM range(3) r(i)");
    duckdb.execute("INSERT INTO variants VALUES (300, {'a': 1, 'c': 5}::VARIANT), (301, 7::VARIANT),"
        + " (302, {'a': 'str'}::VARIANT), (303, NULL), (304, [1, 2]::VARIANT), (305, 'null'::JSON::VARIANT)");
    duckdb.execute("INSERT INTO variants VALUES (400, 42::VARIANT), (401, 'hello'::VARIANT), (402, NULL),"
        + " (403, [1,2,3]::VARIANT), (404, {'a': 1, 'b': 'x'}::VARIANT), (405, 3.5::VARIANT),"
        + " (406, DATE '2024-01-02'::VARIANT), (407, true::VARIANT), (408, 1.25::DECIMAL(5,2)::VARIANT),"
        + " (409, MAP {'k': 1}::VARIANT), (410, 'blob'::BLOB::VARIANT),"
        + " (411, '{\"x\": [1, null, {\"y\": 2}]}'::JSON::VARIANT)");
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  /** Variant values of every kind DuckDB 1.5.5 can write to Parquet (it refuses INTERVAL). */
  static final List<String> VARIANTS = List.of(
      "42", "'hello'", "NULL", "[1, 2, 3]", "{'b': 1, 'a': 'x, y'}", "'it''s'", "['', NULL, 'NULL', ' a']",
      "1.0::DOUBLE", "1.5::FLOAT", "TIMESTAMPTZ '2024-01-01 01:02:03+00'",
      "UUID '11111111-2222-3333-4444-555555555555'", "TIME '01:02:03.25'", "'\\x00\\xffab'::BLOB",
      "123456789012::BIGINT", "1::TINYINT", "2::SMALLINT", "12345678901234567890.123::DECIMAL(30,3)",
      "1e300::DOUBLE", "{'k': {'z': [1, 2]}, 'e': []}", "TIMESTAMP_NS '2024-01-01 01:02:03.123456789'",
      "12::HUGEINT", "12::UTINYINT", "'{}'::JSON", "'null'::JSON", "'[1, \"a\", {\"q\": null}]'::JSON",
      "{'t': TIMESTAMP '2024-01-01 01:02:03', 'n': 'NULL', 'q': 'it''s', 'e': '', 'b': '\\x00'::BLOB,"
          + " 'd': 1.0::DOUBLE, 'k k': 1, 'x''y': 2, 'u': [' a', 'b,c', 'd''e'], 'w': [{'z': ' '}]}",
      "['x''y', 'a\\b', '{}']", "{'zz': 1, 'Z': 2, 'a': 3, 'é': 4, 'B': 5}", "[[1, 2], [], NULL]", "{'a': NULL}",
      "'{\"b\": 1, \"a\": {\"d\": 1, \"c\": 2}}'::JSON", "'[1, \"a\", 2.5, true, \" x\"]'::JSON",
      "DATE '2024-01-02'", "true", "false", "-7.25::DECIMAL(5,2)", "123456789.123456::DECIMAL(18,6)");

  @AfterAll
  void close() throws SQLException {
    mallard.close();
    duckdb.close();
  }

  static Stream<String> geometryQueries() {
    return Stream.of(
        "SELECT id, g FROM shapes ORDER BY id",
        "SELECT id FROM shapes WHERE g IS NULL",
        "SELECT id, g FROM shapes WHERE g = 'POINT Z (1 2 3)'",
        "SELECT id, s.g, s.n FROM nested_shapes ORDER BY id",
        "SELECT id, l FROM nested_shapes ORDER BY id");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("geometryQueries")
  void readsGeometryAsDuckDbsWkt(String sql) throws SQLException {
    assertSame(sql, sql);
  }

  @Test
  void geometryIsVarcharWhoseStringAndObjectAreTheWkt() throws SQLException {
    try (Statement s = mallard.createStatement();
        ResultSet rs = s.executeQuery("SELECT g FROM shapes WHERE id = 2")) {
      assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.VARCHAR);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("POINT Z (1 2 3)");
      assertThat(rs.getObject(1)).isEqualTo("POINT Z (1 2 3)");
      assertThatThrownBy(() -> rs.getBytes(1)).as("no WKB through JDBC").isInstanceOf(SQLException.class);
    }
  }


  static Stream<String[]> variantQueries() {
    return Stream.of(
        new String[] {"SELECT id, v FROM variants ORDER BY id", null},
        new String[] {"SELECT id FROM variants WHERE v IS NULL ORDER BY id", null},
        new String[] {"SELECT id FROM variants WHERE v IS NOT NULL AND id > 300 ORDER BY id", null},
        new String[] {"SELECT id FROM variants WHERE CAST(v AS VARCHAR) = '42' ORDER BY id", null},
        new String[] {"SELECT count(*), count(v) FROM variants", null});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variantQueries")
  void readsVariantAsDuckDbsText(String duckSql, String mallardSql) throws SQLException {
    assertSame(duckSql, mallardSql == null ? duckSql : mallardSql);
  }

  @Test
  void variantIsVariantWhoseStringAndObjectAreDuckDbsText() throws SQLException {
    try (Statement s = mallard.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM variants WHERE id = 404")) {
      assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.OTHER);
      assertThat(rs.getMetaData().getColumnTypeName(1)).isEqualTo("VARIANT");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("{'a': 1, 'b': x}");
      assertThat(rs.getObject(1)).isEqualTo("{'a': 1, 'b': x}");
    }
  }

  @Test
  void readsVariantsInlinedInADuckDbFileCatalog() throws SQLException {
    Path file = dir.resolve("inlined.ducklake");
    duckdb.execute("ATTACH 'ducklake:" + file + "' AS inl (DATA_PATH '" + dir.resolve("inlined-data")
        + "/', DATA_INLINING_ROW_LIMIT 100)");
    DuckDb.Result expected;
    try {
      duckdb.execute("CREATE TABLE inl.t (id INTEGER, v VARIANT)");
      duckdb.execute("INSERT INTO inl.t VALUES (1, {'a': 'x, y', 'b': 1}::VARIANT), (2, 'hello'::VARIANT),"
          + " (3, NULL), (4, '[1, null, 3]'::JSON::VARIANT), (5, 2.5::DOUBLE::VARIANT),"
          + " (6, {'z': {'y': 1, 'x': 2}, 'b': [true]}::VARIANT)");
      assertThat(duckdb.query("SELECT count(*) FROM __ducklake_metadata_inl.ducklake_data_file").scalar())
          .as("the rows are inlined").isEqualTo(java.math.BigInteger.ZERO);
      expected = duckdb.query("SELECT id, v FROM inl.t WHERE id < 6 ORDER BY id");
    } finally {
      duckdb.execute("DETACH inl");
    }
    try (Connection c = Mallard.connect("duckdb:" + file); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, v FROM t WHERE id < 6 ORDER BY id")) {
      assertSameRows(expected, rs, true);
    }
    // DuckDB 1.5.5 shows an inlined object's keys in the order they were written, and sorted once the
    // same value is in Parquet (whose variant encoding sorts them); Mallard shows them sorted always.
    try (Connection c = Mallard.connect("duckdb:" + file); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM t WHERE id = 6")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("{'b': [true], 'z': {'x': 2, 'y': 1}}");
    }
    // the catalog gives an inlined variant's text only: its type is not known, and is not made up
    try (Connection c = Mallard.connect("duckdb:" + file); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("SELECT variant_typeof(v) FROM t WHERE id = 1").next())
          .isInstanceOf(SQLException.class).hasMessageContaining("inlined rows");
    }
  }


  private void assertSame(String duckSql, String mallardSql) throws SQLException {
    DuckDb.Result expected = duckdb.query(duckSql);
    try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(mallardSql)) {
      assertSameRows(expected, rs, true);
    }
    assertThat(expected.rows()).as("a query that returns nothing proves nothing: " + duckSql).isNotEmpty();
  }
}
