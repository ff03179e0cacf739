package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variants made from columns of every type, by Mallard and by DuckDB 1.5.5 from the same table, are
 * the same values of the same variant types (timestamps keep their value and unit, maps become arrays
 * of {key, value} objects), read the same by both; and variants of mixed types that DuckDB shreds
 * (primitives, objects, arrays, NULLs) are read and copied by Mallard as DuckDB reads them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VariantRoundTripInteropTest {
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

  /** Source columns: name and DuckDB type. */
  static final List<List<String>> COLUMNS = List.of(List.of("i8", "TINYINT"), List.of("i16", "SMALLINT"),
      List.of("i32", "INTEGER"), List.of("i64", "BIGINT"), List.of("f", "REAL"), List.of("d", "DOUBLE"),
      List.of("dec", "DECIMAL(10,2)"), List.of("hdec", "DECIMAL(20,2)"), List.of("b", "BOOLEAN"),
      List.of("dt", "DATE"), List.of("tm", "TIME"), List.of("ts", "TIMESTAMP"), List.of("tstz", "TIMESTAMPTZ"),
      List.of("tsns", "TIMESTAMP_NS"), List.of("s", "VARCHAR"), List.of("bl", "BLOB"), List.of("u", "UUID"),
      List.of("u8", "UTINYINT"), List.of("u64", "UBIGINT"), List.of("h", "HUGEINT"),
      List.of("j", "JSON"),
      List.of("st", "STRUCT(a INTEGER, b VARCHAR)"), List.of("l", "INTEGER[]"), List.of("m", "MAP(VARCHAR, INTEGER)"),
      List.of("nest", "STRUCT(x DOUBLE[], y MAP(INTEGER, VARCHAR))"), List.of("tst", "STRUCT(t TIMESTAMP, tm TIME)"));

  static final String ROWS = "(1, -8, -16, -32, -64, 1.5, -2.25, -12.34, 123456789012345678.91, true,"
      + " DATE '1969-12-31', TIME '23:59:59.123456', TIMESTAMP '1969-12-31 23:59:59.123456',"
      + " TIMESTAMPTZ '2024-02-29 12:00:00.5+00', TIMESTAMP_NS '2024-01-02 03:04:05.123456789', 'hello',"
      + " '\\x00ab'::BLOB, '0190a9b4-2c4b-7f2e-8b6e-3c1f9a2d4e5f', 255, 9223372036854775807, -5,"
      + " '{\"b\": 1, \"a\": [true, null, 1.5, \"s\", -3, 12345678901234567890123]}',"
      + " {'a': 1, 'b': 'x'}, [1, NULL, 3],"
      + " MAP {'k': 1, 'a': NULL}, {'x': [1.5, NULL], 'y': MAP {2: 'two', 1: NULL}},"
      + " {'t': TIMESTAMP '2024-01-02 03:04:05.123456', 'tm': TIME '01:02:03.654321'}),"
      + " (2, 127, 32767, 2147483647, 9223372036854775807, -0.0, 1e300, 99999999.99, -0.01, false,"
      + " DATE '2262-04-11', TIME '00:00:00', TIMESTAMP '2024-01-02 03:04:05', TIMESTAMPTZ '1900-01-01 00:00:00+00',"
      + " TIMESTAMP_NS '1970-01-01 00:00:00.000000001', 'a longer string of more than sixty-four bytes, so not a short one',"
      + " ''::BLOB, '00000000-0000-0000-0000-000000000000', 0, 0, 1234567890123,"
      + " '[{\"x\": {}}, 1e2, \"t\", null, {\"a\": -0}, []]',"
      + " {'a': NULL, 'b': NULL}, [], MAP {}, {'x': [], 'y': NULL},"
      + " {'t': NULL, 'tm': TIME '00:00:00.000001'}),"
      + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
      + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)";

  /** Text and type of each variant; a decimal's precision left out (DuckDB's shredded files keep the declared one). */
  private static final String TYPES = "SELECT col, id, v::VARCHAR,"
      + " regexp_replace(variant_typeof(v), 'DECIMAL\\(\\d+, ', 'DECIMAL(') FROM %s ORDER BY col, id";

  @Test
  void variantsOfEveryTypeAreMadeAsDuckDbMakesThem() throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, "rt");
    // DuckDB 1.5.5 cannot read back its own inlined rows of a struct holding a timestamp (a SQLite catalog)
    duckdb.execute("CALL rt.set_option('data_inlining_row_limit', 0)");
    StringBuilder columns = new StringBuilder("id INTEGER");
    for (List<String> c : COLUMNS) {
      columns.append(", ").append(c.get(0)).append(' ').append(c.get(1));
    }
    duckdb.execute("CREATE TABLE rt.src (" + columns + ")");
    duckdb.execute("INSERT INTO rt.src VALUES " + ROWS);
    duckdb.execute("CREATE TABLE rt.theirs (col VARCHAR, id INTEGER, v VARIANT)");
    try (Connection mallard = Mallard.connect("sqlite:" + catalog); Statement s = mallard.createStatement()) {
      s.execute("CREATE TABLE mine (col VARCHAR, id INTEGER, v VARIANT)");
      s.execute("CREATE TABLE casts (col VARCHAR, id INTEGER, v VARIANT)");
      for (List<String> c : COLUMNS) {
        String insert = "INSERT INTO %s SELECT '" + c.get(0) + "', id, " + c.get(0) + " FROM %s";
        duckdb.execute(String.format(insert, "rt.theirs", "rt.src"));
        s.execute(String.format(insert, "mine", "src"));
        s.execute("INSERT INTO casts SELECT '" + c.get(0) + "', id, CAST(" + c.get(0) + " AS VARIANT) FROM src");
      }
      DuckDb.Result theirs = duckdb.query(String.format(TYPES, "rt.theirs"));
      assertThat(theirs.rows()).hasSize(3 * COLUMNS.size());
      for (String table : List.of("mine", "casts")) {
        List<List<Object>> mine = duckdb.query(String.format(TYPES, "rt." + table)).rows();
        for (int i = 0; i < mine.size(); i++) {
          assertThat(mine.get(i)).as(table).isEqualTo(theirs.rows().get(i));
        }
      }
      // the map and the timestamps, spelled out
      assertThat(duckdb.query("SELECT v::VARCHAR, variant_typeof(v) FROM rt.mine WHERE col = 'm' AND id = 1").rows())
          .containsExactly(List.of("[{'key': k, 'value': 1}, {'key': a, 'value': NULL}]", "ARRAY(2)"));
      assertThat(duckdb.query("SELECT col, variant_typeof(v) FROM rt.mine WHERE col IN ('tm', 'ts', 'tstz', 'tsns')"
          + " AND id = 1 ORDER BY col").rows()).containsExactly(List.of("tm", "TIME_MICROS"),
          List.of("ts", "TIMESTAMP_MICROS"), List.of("tsns", "TIMESTAMP_NANOS"), List.of("tstz", "TIMESTAMP_MICROS_TZ"));
      // both read both tables as DuckDB does
      for (String table : List.of("theirs", "mine")) {
        String q = "SELECT col, id, v FROM %s ORDER BY col, id";
        try (ResultSet rs = s.executeQuery(String.format(q, table))) {
          assertSameRows(duckdb.query(String.format(q, "rt." + table)), rs, true);
        } catch (SQLException | AssertionError e) {
          throw new AssertionError(table + ": " + e.getMessage(), e);
        }
      }
    }
  }

  /** Files DuckDB shreds in different ways: most values of one primitive, objects, arrays, all NULL. */
  static final List<String> MIXED = List.of(
      "(1, 1), (2, 'x'), (3, 'y'), (4, NULL), (5, [1::VARIANT, 'a'::VARIANT]), (6, {'k': 'v'})",
      "(1, {'a': 1, 'b': 'x'}), (2, {'a': 'text', 'c': [1, 2]}), (3, {'b': NULL}), (4, 7), (5, NULL), (6, {'a': NULL})",
      "(1, [1, 2, 3]), (2, ['a'::VARIANT, NULL, {'z': 1}::VARIANT]), (3, []), (4, 'not a list'), (5, [[1], [2, 3]])",
      "(1, NULL), (2, NULL)",
      "(1, 12.34::DECIMAL(10,2)), (2, 10.5::DECIMAL(10,2)), (3, 1.5::DECIMAL(5,1))",
      "(1, true), (2, false), (3, 1::TINYINT), (4, 2::SMALLINT), (5, 2.5::FLOAT), (6, 'x'::BLOB)",
      "(1, TIMESTAMPTZ '2024-01-01 00:00:00+00'), (2, TIMESTAMP_NS '2024-01-01 00:00:00.000000001'),"
          + " (3, TIME '12:00:00'), (4, DATE '2024-01-01'), (5, '0190a9b4-2c4b-7f2e-8b6e-3c1f9a2d4e5f'::UUID)");

  @Test
  void mixedVariantsDuckDbShredsAreReadAndCopiedAsTheyAre() throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, "mx");
    try (Connection mallard = Mallard.connect("sqlite:" + catalog); Statement s = mallard.createStatement()) {
      for (int i = 0; i < MIXED.size(); i++) {
        duckdb.execute("CREATE TABLE mx.t" + i + " (id INTEGER, v VARIANT)");
        duckdb.execute("INSERT INTO mx.t" + i + " VALUES " + MIXED.get(i));
        s.execute("CREATE TABLE c" + i + " AS SELECT * FROM t" + i);
        String types = "SELECT id, v::VARCHAR, regexp_replace(variant_typeof(v), 'DECIMAL\\(\\d+, ', 'DECIMAL(')"
            + " FROM %s ORDER BY id";
        assertThat(duckdb.query(String.format(types, "mx.c" + i)).rows()).as(MIXED.get(i))
            .isEqualTo(duckdb.query(String.format(types, "mx.t" + i)).rows());
        for (String q : List.of("SELECT id, v FROM %s ORDER BY id", "SELECT id, v IS NULL FROM %s ORDER BY id")) {
          for (String table : List.of("t" + i, "c" + i)) {
            try (ResultSet rs = s.executeQuery(String.format(q, table))) {
              assertSameRows(duckdb.query(String.format(q, "mx." + table)), rs, true);
            } catch (SQLException | AssertionError e) {
              throw new AssertionError(table + " " + MIXED.get(i) + ": " + e.getMessage(), e);
            }
          }
        }
      }
    }
  }
}
