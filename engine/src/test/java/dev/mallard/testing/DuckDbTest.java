package dev.mallard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.types.Interval;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The oracle itself: every DuckLake primitive type comes back from the real DuckDB exactly, in the
 * documented normalized form; errors carry DuckDB's message; each pinned release starts and writes
 * its own catalog version. Nothing here is skipped: a machine without Python fails these tests.
 */
class DuckDbTest {
  private static DuckDb db;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    db = DuckDb.start(DuckDb.Version.V1_5_5);
  }

  @AfterAll
  static void stop() {
    if (db != null) {
      db.close();
    }
  }

  private static final String ALL_TYPES = "id INTEGER, b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INTEGER,"
      + " i64 BIGINT, i128 HUGEINT, u8 UTINYINT, u16 USMALLINT, u32 UINTEGER, u64 UBIGINT, u128 UHUGEINT,"
      + " f32 FLOAT, f64 DOUBLE, d4 DECIMAL(4,1), d9 DECIMAL(9,3), d18 DECIMAL(18,6), d38 DECIMAL(38,10),"
      + " v VARCHAR, bl BLOB, u UUID, j JSON, dt DATE, tm TIME, tm_ns TIME_NS, ts TIMESTAMP, ts_s TIMESTAMP_S,"
      + " ts_ms TIMESTAMP_MS, ts_ns TIMESTAMP_NS, tz TIMESTAMPTZ, iv INTERVAL, ttz TIMETZ";

  private static final List<String> ALL_TYPE_NAMES = List.of("INTEGER", "BOOLEAN", "TINYINT", "SMALLINT",
      "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT",
      "DOUBLE", "DECIMAL(4,1)", "DECIMAL(9,3)", "DECIMAL(18,6)", "DECIMAL(38,10)", "VARCHAR", "BLOB", "UUID",
      "JSON", "DATE", "TIME", "TIME_NS", "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS",
      "TIMESTAMP WITH TIME ZONE", "INTERVAL", "TIME WITH TIME ZONE");

  @Test
  void otherConnectionsHaveTheirOwnTransactionsOnTheSameDatabase() {
    db.execute("CREATE TABLE shared_between_connections(i INTEGER)");
    try {
      db.execute("con1", "BEGIN");
      db.execute("con1", "INSERT INTO shared_between_connections VALUES (1)");
      assertThat(db.query("con1", "SELECT count(*) FROM shared_between_connections").scalar()).isEqualTo(BigInteger.ONE);
      assertThat(db.query("SELECT count(*) FROM shared_between_connections").scalar()).isEqualTo(BigInteger.ZERO);
      db.execute("con1", "COMMIT");
      assertThat(db.query("con2", "SELECT count(*) FROM shared_between_connections").scalar()).isEqualTo(BigInteger.ONE);
      db.execute("con1", "BEGIN");
      db.execute("con1", "INSERT INTO shared_between_connections VALUES (2)");
      db.closeOtherConnections(); // rolls back what they left open
      assertThat(db.query("SELECT count(*) FROM shared_between_connections").scalar()).isEqualTo(BigInteger.ONE);
    } finally {
      db.execute("DROP TABLE shared_between_connections");
    }
  }

  @Test
  void everyPrimitiveTypeRoundTripsExactlyThroughDuckLake() {
    db.execute("ATTACH " + DuckDbValues.sqlString("ducklake:sqlite:" + dir.resolve("cat.sqlite")) + " AS types_lake"
        + " (DATA_PATH " + DuckDbValues.sqlString(dir.resolve("data") + "/") + ")");
    try {
      db.execute("CREATE TABLE types_lake.t (" + ALL_TYPES + ")");
      db.execute("INSERT INTO types_lake.t VALUES"
          // minimums
          + " (1, false, -128, -32768, -2147483648, -9223372036854775808, -170141183460469231731687303715884105728,"
          + "  0, 0, 0, 0, 0, -3.4028235e38, -1.7976931348623157e308, -999.9, -999999.999, -999999999999.999999,"
          + "  -9999999999999999999999999999.9999999999, '', ''::BLOB, '00000000-0000-0000-0000-000000000000', '[]',"
          + "  '-infinity', '00:00:00', '00:00:00', '-infinity', '-infinity', '-infinity', '-infinity', '-infinity',"
          + "  INTERVAL '-1 year -2 months -3 days -04:05:06.789012', '00:00:00+15:59:59'),"
          // maximums
          + " (2, true, 127, 32767, 2147483647, 9223372036854775807, 170141183460469231731687303715884105727,"
          + "  255, 65535, 4294967295, 18446744073709551615, 340282366920938463463374607431768211455,"
          + "  3.4028235e38, 1.7976931348623157e308, 999.9, 999999.999, 999999999999.999999,"
          + "  9999999999999999999999999999.9999999999, 'duck ' || chr(0) || ' 🦆 naïve \"q\" ''s',"
          + "  '\\x00\\xFF\\x5C\\x27abc'::BLOB, 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '{\"a\": [1, 2, {\"b\": null}]}',"
          + "  'infinity', '24:00:00', '23:59:59.999999999', 'infinity', 'infinity', 'infinity', 'infinity',"
          + "  'infinity', INTERVAL '178956970 years 7 months 2147483647 days 1000000:00:00.000001',"
          + "  '23:59:59.999999-15:59:59'),"
          // NULLs
          + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
          + "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
          // the far ends of the calendar, and full fractional precision
          + " (4, true, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 'nan', 'nan', -0.1, -0.001, -0.000001, -0.0000000001, 'a',"
          + "  'a'::BLOB, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'null', '5877642-06-25 (BC)', '23:59:59.999999',"
          + "  '00:00:00.000000001', '290309-12-22 (BC) 00:00:00', '0001-01-01 (BC) 00:00:00',"
          + "  '290309-12-22 (BC) 00:00:00.001', '1677-09-22 00:00:00.000000001', '0044-03-15 (BC) 12:00:00+00',"
          + "  INTERVAL '1 month -1 day 00:00:00.000001', '12:00:00.000001+00'),"
          + " (5, false, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 'inf', '-inf', 0.1, 0.001, 0.000001, 0.0000000001, 'z',"
          + "  'z'::BLOB, '01234567-89ab-cdef-0123-456789abcdef', '\"s\"', '5881580-07-10', '12:34:56.789012',"
          + "  '12:34:56.789012345', '294247-01-10 04:00:54.775806', '2024-02-29 12:34:56',"
          + "  '2024-02-29 12:34:56.789', '2262-04-11 23:47:16.854775806', '2024-02-29 12:34:56.789012+05:30',"
          + "  INTERVAL '36 hours', '01:02:03-05'),"
          + " (6, true, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, '-0.0', 5e-324, 0, 0, 0, 0, '😀😀', '\\x80'::BLOB,"
          + "  NULL, '{}', '2024-02-29', '12:00:00', '12:00:00', '1969-12-31 23:59:59.999999', '1969-12-31 23:59:59',"
          + "  '1969-12-31 23:59:59.999', '1969-12-31 23:59:59.999999999', '1970-01-01 00:00:00+00',"
          + "  INTERVAL '0 seconds', '00:00:00-00'),"
          + " (7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0.1, 0.1, NULL, NULL, NULL, NULL,"
          + "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");

      DuckDb.Result result = db.query("SELECT * FROM types_lake.t ORDER BY id");

      assertThat(result.types()).containsExactlyElementsOf(ALL_TYPE_NAMES);
      assertThat(result.columns()).startsWith("id", "b", "i8").endsWith("iv", "ttz").hasSize(32);
      List<List<Object>> rows = result.rows();
      assertThat(rows).hasSize(7);
      assertRow(rows.get(0), 1, false, -128, -32768, -2147483648, Long.MIN_VALUE,
          big("-170141183460469231731687303715884105728"), 0, 0, 0, 0, 0, (double) -3.4028235e38f,
          -Double.MAX_VALUE, new BigDecimal("-999.9"), new BigDecimal("-999999.999"),
          new BigDecimal("-999999999999.999999"), new BigDecimal("-9999999999999999999999999999.9999999999"), "",
          new byte[0], "00000000-0000-0000-0000-000000000000", "[]", "-infinity", LocalTime.MIDNIGHT,
          LocalTime.MIDNIGHT, "-infinity", "-infinity", "-infinity", "-infinity", "-infinity",
          new Interval(-14, -3, -(4 * 3600 + 5 * 60 + 6) * 1_000_000L - 789_012),
          OffsetTime.of(LocalTime.MIDNIGHT, ZoneOffset.ofHoursMinutesSeconds(15, 59, 59)));
      assertRow(rows.get(1), 2, true, 127, 32767, 2147483647, Long.MAX_VALUE,
          big("170141183460469231731687303715884105727"), 255, 65535, 4294967295L, big("18446744073709551615"),
          big("340282366920938463463374607431768211455"), (double) 3.4028235e38f, Double.MAX_VALUE,
          new BigDecimal("999.9"), new BigDecimal("999999.999"), new BigDecimal("999999999999.999999"),
          new BigDecimal("9999999999999999999999999999.9999999999"), "duck \0 🦆 naïve \"q\" 's",
          new byte[] {0, (byte) 0xFF, '\\', '\'', 'a', 'b', 'c'}, "ffffffff-ffff-ffff-ffff-ffffffffffff",
          "{\"a\": [1, 2, {\"b\": null}]}", "infinity", "24:00:00", LocalTime.of(23, 59, 59, 999_999_999),
          "infinity", "infinity", "infinity", "infinity", "infinity",
          new Interval(Integer.MAX_VALUE, Integer.MAX_VALUE, 3_600_000_000_000_001L),
          OffsetTime.of(23, 59, 59, 999_999_000, ZoneOffset.ofHoursMinutesSeconds(-15, -59, -59)));
      assertThat(rows.get(2).get(0)).isEqualTo(BigInteger.valueOf(3));
      assertThat(rows.get(2).subList(1, 32)).containsOnlyNulls().hasSize(31);
      assertRow(rows.get(3), 4, true, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, Double.NaN, Double.NaN,
          new BigDecimal("-0.1"), new BigDecimal("-0.001"), new BigDecimal("-0.000001"),
          new BigDecimal("-0.0000000001"), "a", new byte[] {'a'}, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "null",
          LocalDate.of(-5877641, 6, 25), LocalTime.of(23, 59, 59, 999_999_000), LocalTime.of(0, 0, 0, 1),
          LocalDateTime.of(-290308, 12, 22, 0, 0), LocalDateTime.of(0, 1, 1, 0, 0),
          LocalDateTime.of(-290308, 12, 22, 0, 0, 0, 1_000_000), LocalDateTime.of(1677, 9, 22, 0, 0, 0, 1),
          OffsetDateTime.of(-43, 3, 15, 12, 0, 0, 0, ZoneOffset.UTC), new Interval(1, -1, 1),
          OffsetTime.of(12, 0, 0, 1000, ZoneOffset.UTC));
      assertRow(rows.get(4), 5, false, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY, new BigDecimal("0.1"), new BigDecimal("0.001"), new BigDecimal("0.000001"),
          new BigDecimal("0.0000000001"), "z", new byte[] {'z'}, "01234567-89ab-cdef-0123-456789abcdef", "\"s\"",
          LocalDate.of(5881580, 7, 10), LocalTime.of(12, 34, 56, 789_012_000), LocalTime.of(12, 34, 56, 789_012_345),
          LocalDateTime.of(294247, 1, 10, 4, 0, 54, 775_806_000), LocalDateTime.of(2024, 2, 29, 12, 34, 56),
          LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_000_000), LocalDateTime.of(2262, 4, 11, 23, 47, 16, 854_775_806),
          OffsetDateTime.of(2024, 2, 29, 7, 4, 56, 789_012_000, ZoneOffset.UTC), new Interval(0, 0, 36 * 3_600_000_000L),
          OffsetTime.of(1, 2, 3, 0, ZoneOffset.ofHours(-5)));
      assertRow(rows.get(5), 6, true, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, -0.0d, Double.MIN_VALUE,
          new BigDecimal("0.0"), new BigDecimal("0.000"), new BigDecimal("0.000000"), new BigDecimal("0E-10"),
          "😀😀", new byte[] {(byte) 0x80}, null, "{}", LocalDate.of(2024, 2, 29), LocalTime.NOON, LocalTime.NOON,
          LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000), LocalDateTime.of(1969, 12, 31, 23, 59, 59),
          LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_999),
          OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), new Interval(0, 0, 0),
          OffsetTime.of(LocalTime.MIDNIGHT, ZoneOffset.UTC));
      // A FLOAT is the float's exact value widened, never the double nearest its decimal text.
      assertThat(rows.get(6).get(12)).isEqualTo((double) 0.1f).isNotEqualTo(0.1d);
      assertThat(rows.get(6).get(13)).isEqualTo(0.1d);
      // Every value arrives as exactly the documented class.
      assertThat(rows.get(1).get(6)).isExactlyInstanceOf(BigInteger.class);
      assertThat(rows.get(1).get(1)).isExactlyInstanceOf(Boolean.class);
      assertThat(((BigDecimal) rows.get(0).get(17)).scale()).isEqualTo(10);
      assertThat(((BigDecimal) rows.get(5).get(14)).scale()).isEqualTo(1);
    } finally {
      db.execute("DETACH types_lake");
    }
  }

  @Test
  void nestedValuesAreNormalizedRecursively() {
    DuckDb.Result result = db.query("SELECT [DATE '2024-01-02', NULL, 'infinity'] AS l,"
        + " {'a b': INTERVAL '1 day', 'c': [TIMESTAMP_NS '2024-01-02 03:04:05.123456789'], 'd': NULL::BLOB} AS s,"
        + " NULL::STRUCT(x INTEGER) AS null_struct, {'x': NULL::INTEGER} AS struct_of_null,"
        + " MAP {DATE '2024-01-01': [1.5::DOUBLE, 'nan'], DATE '2023-01-01': NULL} AS m,"
        + " ['\\x01'::BLOB]::BLOB[1] AS arr, [[1, 2], [], NULL]::HUGEINT[][] AS ll, MAP {} :: MAP(INT, INT) AS empty");

    assertThat(result.types()).containsExactly("DATE[]",
        "STRUCT(\"a b\" INTERVAL, c TIMESTAMP_NS[], d BLOB)", "STRUCT(x INTEGER)", "STRUCT(x INTEGER)",
        "MAP(DATE, DOUBLE[])", "BLOB[1]", "HUGEINT[][]", "MAP(INTEGER, INTEGER)");
    List<Object> row = result.rows().get(0);
    assertThat(row.get(0)).isEqualTo(Arrays.asList(LocalDate.of(2024, 1, 2), null, "infinity"));
    Map<String, Object> struct = new LinkedHashMap<>();
    struct.put("a b", new Interval(0, 1, 0));
    struct.put("c", List.of(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_789)));
    struct.put("d", null);
    assertThat(row.get(1)).isEqualTo(struct);
    assertThat(new ArrayList<Object>(((Map<?, ?>) row.get(1)).keySet())).containsExactly("a b", "c", "d");
    assertThat(row.get(2)).isNull();
    Map<String, Object> structOfNull = new LinkedHashMap<>();
    structOfNull.put("x", null);
    assertThat(row.get(3)).isEqualTo(structOfNull);
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(LocalDate.of(2024, 1, 1), List.of(1.5, Double.NaN));
    map.put(LocalDate.of(2023, 1, 1), null);
    assertThat(row.get(4)).isEqualTo(map);
    assertThat(new ArrayList<Object>(((Map<?, ?>) row.get(4)).keySet()))
        .containsExactly(LocalDate.of(2024, 1, 1), LocalDate.of(2023, 1, 1));
    assertThat((List<?>) row.get(5)).hasSize(1).first().isEqualTo(new byte[] {1});
    assertThat(row.get(6)).isEqualTo(Arrays.asList(List.of(big("1"), big("2")), List.of(), null));
    assertThat(row.get(7)).isEqualTo(Map.of());
  }

  @Test
  void ducklakeStoresNestedTypes() {
    db.execute("ATTACH " + DuckDbValues.sqlString("ducklake:sqlite:" + dir.resolve("nested.sqlite"))
        + " AS nested_lake (DATA_PATH " + DuckDbValues.sqlString(dir.resolve("nested") + "/") + ")");
    try {
      db.execute("CREATE TABLE nested_lake.t (l TIMESTAMP[], s STRUCT(i HUGEINT, d DECIMAL(9,3)), m MAP(VARCHAR, DATE))");
      db.execute("INSERT INTO nested_lake.t VALUES (['2024-01-01 00:00:00.000001', NULL], {'i': 1, 'd': 2.5},"
          + " MAP {'k': DATE '2024-01-01'})");
      List<Object> row = db.query("SELECT * FROM nested_lake.t").rows().get(0);
      assertThat(row.get(0)).isEqualTo(Arrays.asList(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1000), null));
      assertThat(row.get(1)).isEqualTo(new LinkedHashMap<>(Map.of("i", big("1"), "d", new BigDecimal("2.500"))));
      assertThat(row.get(2)).isEqualTo(Map.of("k", LocalDate.of(2024, 1, 1)));
    } finally {
      db.execute("DETACH nested_lake");
    }
  }

  @Test
  void timestampsWithTimeZoneAreUtcWhateverTheSessionZone() {
    try {
      db.execute("SET TimeZone = 'Asia/Kolkata'");
      Object value = db.query("SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00'").scalar();
      assertThat(value).isEqualTo(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    } finally {
      db.execute("SET TimeZone = 'UTC'");
    }
  }

  @Test
  void sqlTextSurvivesTheTrip() {
    String text = "it's \"quoted\" \\ back\tslash\nline 🦆 é ☃";
    assertThat(db.query("SELECT " + DuckDbValues.sqlString(text) + " AS v").scalar()).isEqualTo(text);
  }

  @Test
  void statementsWithoutResultsAndSeveralStatements() {
    assertThat(db.query("CREATE TEMP TABLE several (i INTEGER)").columns()).isEmpty();
    db.execute("INSERT INTO several VALUES (1); INSERT INTO several VALUES (2)");
    DuckDb.Result result = db.query("INSERT INTO several VALUES (3); SELECT sum(i) AS total, 'x' AS total FROM several");
    assertThat(result.columns()).containsExactly("total", "total");
    assertThat(result.types()).containsExactly("HUGEINT", "VARCHAR");
    assertThat(result.rows()).containsExactly(List.of(big("6"), "x"));
    db.execute("DROP TABLE several");
  }

  @Test
  void duckDbErrorsBecomeExceptionsWithDuckDbsMessage() {
    assertThatThrownBy(() -> db.query("SELEC 1"))
        .isInstanceOf(DuckDb.DuckDbException.class)
        .hasMessageStartingWith("Parser Error: syntax error at or near \"SELEC\"")
        .satisfies(e -> assertThat(((DuckDb.DuckDbException) e).kind()).isEqualTo("ParserException"));
    assertThatThrownBy(() -> db.execute("SELECT * FROM no_such_table"))
        .isInstanceOf(DuckDb.DuckDbException.class)
        .hasMessageContaining("Catalog Error: Table with name no_such_table does not exist");
    assertThatThrownBy(() -> db.query("SELECT 'x'::INTEGER"))
        .isInstanceOf(DuckDb.DuckDbException.class)
        .hasMessageContaining("Conversion Error");
    assertThat(db.query("SELECT 42").scalar()).isEqualTo(big("42")); // the session goes on
  }

  @ParameterizedTest
  @EnumSource(DuckDb.Version.class)
  void eachReleaseStartsAndWritesItsCatalogVersion(DuckDb.Version version) {
    try (DuckDb other = DuckDb.start(version)) {
      assertThat(other.query("SELECT version()").scalar()).isEqualTo("v" + version.duckdbVersion());
      other.attachSqliteLake("lake", dir.resolve("catalog.sqlite"), dir.resolve("data"));
      other.execute("CREATE TABLE t AS SELECT 1 AS i, TIMESTAMP '2024-01-01 00:00:00.123456' AS ts");
      assertThat(other.query("SELECT value FROM __ducklake_metadata_lake.ducklake_metadata WHERE key = 'version'")
          .scalar()).isEqualTo(version.catalogVersion());
      assertThat(other.query("SELECT * FROM t").rows())
          .containsExactly(List.of(big("1"), LocalDateTime.of(2024, 1, 1, 0, 0, 0, 123_456_000)));
    }
  }

  @Test
  void closedOracleRefusesWork() {
    DuckDb other = DuckDb.start(DuckDb.Version.V1_5_5);
    other.close();
    other.close();
    assertThatThrownBy(() -> other.query("SELECT 1")).isInstanceOf(IllegalStateException.class);
  }

  /** Checks a row value by value; ints given as Java ints or longs stand for the BigInteger DuckDb returns. */
  private static void assertRow(List<Object> actual, Object... expected) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      Object want = expected[i] instanceof Integer || expected[i] instanceof Long
          ? BigInteger.valueOf(((Number) expected[i]).longValue()) : expected[i];
      assertThat(actual.get(i)).as("column %d (%s) of row %s", i, ALL_TYPE_NAMES.get(i), actual.get(0))
          .isEqualTo(want);
    }
  }

  private static BigInteger big(String digits) {
    return new BigInteger(digits);
  }
}
