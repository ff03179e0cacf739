package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values at the edges of their types, in a lake DuckDB 1.5.5 wrote, read through Mallard's JDBC
 * driver and compared with DuckDB's answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypesInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;
  private Connection mallard;

  @BeforeAll
  void writeLakeWithDuckDb() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    // Near Long.MAX_VALUE: every sum of two of these overflows a BIGINT. One Parquet file and one
    // inlined copy.
    duckdb.execute("CREATE TABLE big (g INTEGER, i64 BIGINT, i32 INTEGER, i16 SMALLINT, d DECIMAL(18,2))");
    duckdb.execute("INSERT INTO big SELECT i % 2, 9223372036854775807 - i, 2147483647 - i, 32767,"
        + " 9999999999999999.99 FROM range(100) t(i)");
    duckdb.execute("INSERT INTO big VALUES (1, -9223372036854775808, -2147483648, -32768, NULL),"
        + " (2, NULL, NULL, NULL, NULL)");
    // Timestamps with digits below the millisecond, 1 µs / 1 ns apart, before 1970, and NULLs.
    duckdb.execute("CREATE TEMP TABLE time_rows (id INTEGER, ts TIMESTAMP, ts_ns TIMESTAMP_NS, tz TIMESTAMPTZ,"
        + " ts_ms TIMESTAMP_MS)");
    duckdb.execute("INSERT INTO time_rows VALUES"
        + " (1, '2025-01-02 03:04:05.123456', '2025-01-02 03:04:05.123456789', '2025-01-02 03:04:05.123456+00',"
        + "  '2025-01-02 03:04:05.123'),"
        + " (2, '2025-01-02 03:04:05.123457', '2025-01-02 03:04:05.123456788', '2025-01-02 03:04:05.123457+00',"
        + "  '2025-01-02 03:04:05.124'),"
        + " (3, '1969-12-31 23:59:59.999999', '1969-12-31 23:59:59.999999999', '1969-12-31 23:59:59.999999+00',"
        + "  '1969-12-31 23:59:59.999'),"
        + " (4, '1900-01-01 00:00:00.000001', '1900-01-01 00:00:00.000000001', '1900-01-01 00:00:00.000001+00',"
        + "  '1900-01-01 00:00:00'),"
        + " (5, '2025-01-02 03:04:05.123', '2025-01-02 03:04:05.123', '2025-01-02 03:04:05.123+00',"
        + "  '2025-01-02 03:04:05.123'),"
        + " (6, NULL, NULL, NULL, NULL)");
    duckdb.execute("INSERT INTO time_rows SELECT 100 + i, TIMESTAMP '2024-06-01 00:00:00' + i * INTERVAL 1 MICROSECOND,"
        + " NULL, NULL, NULL FROM range(20) t(i)");
    // NaN, infinities and signed zeros: DuckDB orders NaN above every number and NaN = NaN.
    duckdb.execute("CREATE TABLE floats (id INTEGER, f FLOAT, d DOUBLE)");
    duckdb.execute("INSERT INTO floats SELECT i, i / 4, i / 4 FROM range(20) t(i)");
    duckdb.execute("INSERT INTO floats VALUES (100, 'NaN', 'NaN'), (101, '-inf', 'inf'), (102, -0.0, 0.0),"
        + " (103, NULL, NULL)");
    duckdb.execute("CREATE TABLE times AS SELECT * FROM time_rows"); // more than the inlining limit: Parquet
    duckdb.execute("CREATE TABLE times_inlined AS SELECT * FROM time_rows WHERE id < 100"); // kept in the catalog
    // Timestamps inside structs, lists and maps, in Parquet and inlined.
    String nested = "SELECT id, {'t': ts, 'n': ts_ns, 'z': tz, 'm': ts_ms} AS s, [tz, NULL] AS l,"
        + " CASE WHEN ts IS NOT NULL THEN MAP([ts], [ts_ns]) END AS m, [{'n': ts_ns}] AS ls FROM time_rows";
    duckdb.execute("CREATE TABLE nested_times AS " + nested);
    duckdb.execute("CREATE TABLE nested_times_inlined AS " + nested + " WHERE id < 100");
    // Times of the day with digits below the millisecond (TIME is in microseconds, TIME_NS in nanoseconds).
    duckdb.execute("CREATE TEMP TABLE clock_rows (id INTEGER, t TIME, t_ns TIME_NS, ttz TIMETZ)");
    duckdb.execute("INSERT INTO clock_rows VALUES"
        + " (1, '12:34:56.123456', '12:34:56.123456789', '12:34:56.123456+02'),"
        + " (2, '12:34:56.123457', '12:34:56.123456788', '12:34:56.123457-05:30'),"
        + " (3, '23:59:59.999999', '23:59:59.999999999', '23:59:59.999999+00'),"
        + " (4, '00:00:00', '00:00:00.000000001', '00:00:00+00'),"
        + " (5, '12:34:56.123', '12:34:56.123', '12:34:56.123+01'),"
        + " (6, NULL, NULL, NULL)");
    duckdb.execute("INSERT INTO clock_rows SELECT 100 + i, TIME '10:00:00' + i * INTERVAL 1 MICROSECOND, NULL, NULL"
        + " FROM range(20) t(i)");
    // Parquet (DuckDB 1.5.5 cannot write TIME_NS to Parquet: "Unsupported type", so only inlined)
    duckdb.execute("CREATE TABLE clocks AS SELECT id, t, ttz FROM clock_rows");
    duckdb.execute("CREATE TABLE clocks_inlined AS SELECT * FROM clock_rows WHERE id < 100"); // in the catalog
    duckdb.execute("CREATE TABLE clocks_nested AS SELECT id, [t, NULL] AS l, {'t': t} AS s FROM clock_rows");
    duckdb.execute("CREATE TABLE clocks_nested_inlined AS SELECT id, [t, NULL] AS l, {'t': t} AS s"
        + " FROM clock_rows WHERE id < 100");
    // Infinite dates and timestamps among finite ones: inlined (4 rows) and in Parquet (more than 10).
    duckdb.execute("CREATE TABLE infinities (id INTEGER, ts TIMESTAMP, d DATE)");
    duckdb.execute("INSERT INTO infinities VALUES (1, 'infinity', 'infinity'), (2, '-infinity', '-infinity'),"
        + " (3, '2025-01-02 03:04:05.123456', '2025-01-02'), (4, NULL, NULL)");
    duckdb.execute("CREATE TABLE infinities_file AS SELECT id, ts, d, ts::TIMESTAMP_NS AS ns, ts::TIMESTAMPTZ AS tz,"
        + " ts::TIMESTAMP_MS AS ms, {'d': d, 't': ts} AS s, [d] AS l FROM (SELECT * FROM infinities UNION ALL"
        + " SELECT 10 + i, TIMESTAMP '2020-01-01 00:00:00.000001' + i * INTERVAL 1 DAY, DATE '2020-01-01' + i::INTEGER"
        + " FROM range(12) t(i))");
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  @AfterAll
  void close() throws SQLException {
    mallard.close();
    duckdb.close();
  }

  private void same(String sql) throws SQLException {
    try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, sql.contains("ORDER BY"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT sum(i64), sum(i32), sum(i16), sum(d), count(*) FROM big",
      "SELECT g, sum(i64), sum(i32), avg(i64), min(i64), max(i64) FROM big GROUP BY g ORDER BY g",
      "SELECT sum(i64) FILTER (WHERE g = 0), sum(DISTINCT i16) FROM big",
      "SELECT avg(i64), avg(i32), avg(d) FROM big",
      "SELECT sum(i64 - 9223372036854775000) FROM big WHERE i64 > 0",
      "SELECT g, sum(i64) FROM big WHERE g = 2 GROUP BY g"})
  void sumsOfIntegersDoNotOverflow(String sql) throws SQLException {
    same(sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM times ORDER BY id",
      "SELECT * FROM times_inlined ORDER BY id",
      "SELECT id FROM times WHERE ts = TIMESTAMP '2025-01-02 03:04:05.123456'",
      "SELECT id FROM times WHERE ts > TIMESTAMP '2025-01-02 03:04:05.123456' ORDER BY id",
      "SELECT id FROM times_inlined WHERE ts >= TIMESTAMP '2025-01-02 03:04:05.123457' ORDER BY id",
      "SELECT id FROM times WHERE ts < TIMESTAMP '1970-01-01 00:00:00' ORDER BY id",
      "SELECT id FROM times WHERE ts BETWEEN TIMESTAMP '2024-06-01 00:00:00.000005' AND"
          + " TIMESTAMP '2024-06-01 00:00:00.000007' ORDER BY id",
      "SELECT id FROM times WHERE ts IN (TIMESTAMP '2024-06-01 00:00:00.000003', TIMESTAMP '2025-01-02 03:04:05.123')"
          + " ORDER BY id",
      "SELECT a.id, b.id FROM times a JOIN times b ON a.ts_ns < b.ts_ns AND a.id IN (1, 2) AND b.id IN (1, 2)",
      "SELECT id FROM times WHERE tz > TIMESTAMP '2025-01-02 03:04:05.123456' ORDER BY id",
      "SELECT id FROM times WHERE ts = '2025-01-02 03:04:05.123457'",
      "SELECT id FROM times WHERE ts > CAST('2025-01-02 03:04:05.123456' AS TIMESTAMP(6)) ORDER BY id",
      "SELECT id FROM times WHERE ts > ts_ms ORDER BY id",
      "SELECT id FROM times WHERE ts = ts_ms ORDER BY id",
      "SELECT id FROM times WHERE ts_ns > ts ORDER BY id",
      "SELECT ts, count(*) FROM times GROUP BY ts ORDER BY ts NULLS FIRST",
      "SELECT min(ts), max(ts), min(ts_ns), max(ts_ns), max(tz), count(DISTINCT ts) FROM times",
      "SELECT min(ts), max(ts), min(tz), max(tz), count(*) FROM times",
      "SELECT min(ts), max(tz) FROM times_inlined",
      "SELECT id, ts FROM times ORDER BY ts DESC NULLS LAST, id LIMIT 6",
      "SELECT a.id, b.id FROM times a JOIN times_inlined b ON a.ts = b.ts ORDER BY 1, 2",
      "SELECT id, CASE WHEN id < 3 THEN ts END, COALESCE(ts, TIMESTAMP '2000-01-01 00:00:00.5') FROM times ORDER BY id",
      "SELECT ts FROM times UNION SELECT ts FROM times_inlined ORDER BY 1 NULLS LAST",
      "SELECT id, TIMESTAMP '2025-01-02 03:04:05.000001' AS lit FROM times WHERE id = 1",
      "SELECT id, EXTRACT(YEAR FROM ts), CAST(ts AS DATE) FROM times WHERE id = 5"})
  void exactTimestamps(String sql) throws SQLException {
    same(sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT id FROM floats WHERE f = 'NaN' ORDER BY id",
      "SELECT id FROM floats WHERE d = 'NaN' ORDER BY id",
      "SELECT id FROM floats WHERE d > 4 ORDER BY id",
      "SELECT id FROM floats WHERE f < 'NaN' ORDER BY id",
      "SELECT id FROM floats WHERE d >= 'NaN' ORDER BY id",
      "SELECT id FROM floats WHERE d <> 'NaN' ORDER BY id",
      "SELECT id FROM floats WHERE d = 'inf' OR f = '-Infinity' ORDER BY id",
      "SELECT id FROM floats WHERE f > 'inf' ORDER BY id",
      "SELECT id FROM floats WHERE d >= 'INF' ORDER BY id",
      "SELECT id FROM floats WHERE f < '-inf' OR d <= '-infinity' ORDER BY id",
      "SELECT id FROM floats WHERE d + 0 < CAST('INF' AS DOUBLE) ORDER BY id",
      "SELECT id, CAST('-inf' AS DOUBLE), CAST(' nan ' AS FLOAT), CAST('+Infinity' AS DOUBLE) FROM floats WHERE id = 1",
      "SELECT id, CAST(CAST(d AS VARCHAR) AS DOUBLE) FROM floats ORDER BY id"})
  void floatFiltersTreatNaNAsDuckDbDoes(String sql) throws SQLException {
    same(sql);
  }

  @Test
  void textThatIsNoNumberFailsToCastToAFloatClearly() {
    assertThatThrownBy(() -> Rows.query(mallard, "SELECT CAST('infinite' AS DOUBLE)")).isInstanceOf(SQLException.class)
        .hasMessageContaining("Could not convert string 'infinite' to a floating-point number");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM clocks ORDER BY id",
      "SELECT * FROM clocks_inlined ORDER BY id",
      "SELECT id FROM clocks WHERE t = TIME '12:34:56.123456'",
      "SELECT id FROM clocks WHERE t > TIME '12:34:56.123456' ORDER BY id",
      "SELECT id FROM clocks_inlined WHERE t >= '12:34:56.123457' ORDER BY id",
      "SELECT id FROM clocks_inlined WHERE t_ns < '12:34:56.123456789' ORDER BY id",
      "SELECT id FROM clocks WHERE t BETWEEN TIME '10:00:00.000005' AND TIME '10:00:00.000007' ORDER BY id",
      "SELECT id FROM clocks WHERE t IN (TIME '10:00:00.000003', TIME '12:34:56.123') ORDER BY id",
      "SELECT id FROM clocks WHERE t > CAST('12:34:56.123456' AS TIME) ORDER BY id",
      "SELECT id FROM clocks WHERE t > TIME '12:34:56.123456' OR id = 3 ORDER BY id",
      "SELECT id, t FROM clocks WHERE t < TIME '12:34:56.123457' AND id + 0 > 1 ORDER BY id",
      "SELECT t, count(*) FROM clocks GROUP BY t ORDER BY t NULLS FIRST",
      "SELECT min(t), max(t), count(DISTINCT t), count(*) FROM clocks",
      "SELECT min(t), max(t_ns), min(t_ns) FROM clocks_inlined",
      "SELECT id, t FROM clocks ORDER BY t DESC NULLS LAST, id LIMIT 6",
      "SELECT id, t_ns FROM clocks_inlined ORDER BY t_ns NULLS FIRST, id",
      "SELECT a.id, b.id FROM clocks a JOIN clocks_inlined b ON a.t = b.t ORDER BY 1, 2",
      "SELECT id, CASE WHEN id < 3 THEN t END, COALESCE(t, TIME '00:00:00.5') FROM clocks ORDER BY id",
      "SELECT t FROM clocks UNION SELECT t FROM clocks_inlined ORDER BY 1 NULLS LAST",
      "SELECT id, TIME '01:02:03.000001' AS lit FROM clocks WHERE id = 1",
      "SELECT id, EXTRACT(HOUR FROM t), EXTRACT(MINUTE FROM t) FROM clocks WHERE id IN (4, 5) ORDER BY id"})
  void exactTimes(String sql) throws SQLException {
    same(sql);
  }

  @Test
  void timesReachJdbcClientsExactly() throws SQLException {
    try (Statement s = mallard.createStatement();
        ResultSet rs = s.executeQuery("SELECT t, t_ns FROM clocks_inlined WHERE id IN (1, 5, 6) ORDER BY id")) {
      assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.TIME);
      assertThat(rs.getMetaData().getPrecision(1)).isEqualTo(6);
      assertThat(rs.getMetaData().getPrecision(2)).isEqualTo(9);
      rs.next();
      assertThat(rs.getObject(1, LocalTime.class)).isEqualTo(LocalTime.parse("12:34:56.123456"));
      assertThat(rs.getObject(2, LocalTime.class)).isEqualTo(LocalTime.parse("12:34:56.123456789"));
      assertThat(rs.getString(1)).isEqualTo("12:34:56.123456");
      assertThat(rs.getString(2)).isEqualTo("12:34:56.123456789");
      assertThat(rs.getTimestamp(2).getNanos()).isEqualTo(123_456_789);
      // java.sql.Time holds milliseconds: finer values fail there rather than lose digits.
      assertThatThrownBy(() -> rs.getTime(1)).isInstanceOf(SQLException.class).hasMessageContaining("LocalTime");
      rs.next();
      assertThat(rs.getTime(1)).isEqualTo(new Time(rs.getTime(1).getTime()));
      assertThat(rs.getTime(1).toLocalTime()).isEqualTo(LocalTime.parse("12:34:56"));
      assertThat(rs.getObject(1)).isEqualTo(LocalTime.parse("12:34:56.123"));
      assertThat(rs.getMetaData().getColumnClassName(1)).isEqualTo(LocalTime.class.getName());
      assertThat(rs.getString(1)).isEqualTo("12:34:56.123");
      rs.next();
      assertThat(rs.getTime(1)).isNull();
      assertThat(rs.wasNull()).isTrue();
      assertThat(rs.getObject(2, LocalTime.class)).isNull();
      assertThat(rs.getString(2)).isNull();
    }
  }

  @Test
  void exactTimesAreWrittenExactly() throws SQLException {
    try (Statement s = mallard.createStatement()) {
      s.execute("CREATE TABLE clocks_copy AS SELECT id, t FROM clocks WHERE id < 100");
      s.execute("INSERT INTO clocks_copy VALUES (50, TIME '01:02:03.000123')");
      s.execute("INSERT INTO clocks_copy (id, t) VALUES (51, '23:59:59.999999')");
      s.execute("INSERT INTO clocks_copy SELECT id + 1000, t FROM clocks WHERE id >= 100");
      s.execute("UPDATE clocks_copy SET t = TIME '00:00:00.000001' WHERE id = 2");
    }
    String sql = "SELECT id, t FROM clocks_copy ORDER BY id";
    try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertSameRows(duckdb.query(sql.replace("clocks_copy", "lake.clocks_copy")), rs, true);
    }
    assertThat(duckdb.query("SELECT t::VARCHAR FROM lake.clocks_copy WHERE id IN (2, 50) ORDER BY id").rows())
        .containsExactly(List.of("00:00:00.000001"), List.of("01:02:03.000123"));
  }

  @Test
  void timeParametersAreMilliseconds() throws SQLException {
    try (PreparedStatement p = mallard.prepareStatement("SELECT id FROM clocks WHERE t = ? ORDER BY id")) {
      p.setTime(1, Time.valueOf("00:00:00"));
      assertThat(Rows.read(p.executeQuery())).containsExactly(List.of("4"));
    }
  }

  @Test
  void whatCalciteComputesOnTimesInMillisecondsFailsForFinerValues() {
    assertThatThrownBy(() -> Rows.query(mallard, "SELECT CAST(t AS VARCHAR) FROM clocks WHERE id = 2"))
        .hasMessageContaining("12:34:56.123457").hasMessageContaining("below the millisecond");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM infinities ORDER BY id",
      "SELECT * FROM infinities_file ORDER BY id",
      "SELECT id, ts, d FROM infinities WHERE ts < TIMESTAMP '9999-01-01 00:00:00'"
          + " AND ts > TIMESTAMP '0001-01-01 00:00:00' ORDER BY id",
      "SELECT id FROM infinities WHERE d > DATE '2025-01-01' ORDER BY id",
      "SELECT id FROM infinities_file WHERE d > DATE '2020-01-05' ORDER BY id",
      "SELECT id FROM infinities_file WHERE d <= DATE '2020-01-05' ORDER BY id",
      "SELECT id FROM infinities_file WHERE ts < TIMESTAMP '2020-01-03 00:00:00' ORDER BY id",
      "SELECT id FROM infinities_file WHERE ns >= TIMESTAMP '2020-01-03 00:00:00' ORDER BY id",
      "SELECT id FROM infinities_file WHERE ms > TIMESTAMP '2020-01-03 00:00:00' ORDER BY id",
      "SELECT id FROM infinities_file WHERE tz > TIMESTAMP '2020-01-03 00:00:00' ORDER BY id",
      "SELECT id FROM infinities_file WHERE ns = ts ORDER BY id",
      "SELECT id FROM infinities_file WHERE d BETWEEN DATE '2020-01-03' AND DATE '2020-01-05' ORDER BY id",
      "SELECT id, d FROM infinities_file ORDER BY d NULLS FIRST, id",
      "SELECT id, ts, ns FROM infinities_file ORDER BY ts DESC NULLS LAST, id LIMIT 5",
      "SELECT min(d), max(d), min(ts), max(ts), min(ns), max(ns), min(tz), max(tz), min(ms), max(ms)"
          + " FROM infinities_file",
      "SELECT min(d), max(d), min(ts), max(ts) FROM infinities_file WHERE id >= 0",
      "SELECT min(d), max(d), min(ts), max(ts), count(ts), count(DISTINCT d) FROM infinities",
      "SELECT d, count(*) FROM infinities_file GROUP BY d ORDER BY d NULLS LAST",
      "SELECT a.id, b.id FROM infinities a JOIN infinities_file b ON a.d = b.d ORDER BY 1, 2",
      "SELECT id, CASE WHEN id = 1 THEN d END, COALESCE(ts, TIMESTAMP '2000-01-01 00:00:00') FROM infinities"
          + " ORDER BY id",
      "SELECT id, s, l FROM infinities_file ORDER BY id",
      "SELECT id, s.d, s.t, l[1] FROM infinities_file ORDER BY id",
      "SELECT id, EXTRACT(YEAR FROM d), EXTRACT(DAY FROM d) FROM infinities_file WHERE id >= 3 ORDER BY id"})
  void infiniteDatesAndTimestampsAnswerLikeDuckDb(String sql) throws SQLException {
    same(sql);
  }

  @Test
  void infinitiesReachJdbcClientsAsPgjdbcHandsThemOut() throws SQLException {
    try (Statement s = mallard.createStatement();
        ResultSet rs = s.executeQuery("SELECT d, ts, tz, ms, s, l FROM infinities_file WHERE id IN (1, 2) ORDER BY id")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("infinity");
      assertThat(rs.getString(2)).isEqualTo("infinity");
      assertThat(rs.getString(4)).isEqualTo("infinity");
      assertThat(rs.getObject(1, LocalDate.class)).isEqualTo(LocalDate.MAX);
      assertThat(rs.getObject(2, LocalDateTime.class)).isEqualTo(LocalDateTime.MAX);
      assertThat(rs.getObject(3, OffsetDateTime.class)).isEqualTo(OffsetDateTime.MAX);
      assertThat(rs.getObject(4, LocalDateTime.class)).isEqualTo(LocalDateTime.MAX);
      assertThat(rs.getDate(1).getTime()).isEqualTo(9223372036825200000L); // pgjdbc's DATE_POSITIVE_INFINITY
      assertThat(rs.getTimestamp(2).getTime()).isEqualTo(9223372036825200000L);
      assertThat(rs.getObject(1)).isEqualTo(new java.sql.Date(9223372036825200000L));
      assertThat(rs.wasNull()).isFalse();
      assertThat(((java.sql.Struct) rs.getObject(5)).getAttributes())
          .containsExactly(LocalDate.MAX, LocalDateTime.MAX);
      assertThat((Object[]) rs.getArray(6).getArray()).containsExactly(LocalDate.MAX);
      assertThat(rs.getString(5)).isEqualTo("{'d': infinity, 't': infinity}");
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("-infinity");
      assertThat(rs.getString(3)).isEqualTo("-infinity");
      assertThat(rs.getObject(1, LocalDate.class)).isEqualTo(LocalDate.MIN);
      assertThat(rs.getObject(2, LocalDateTime.class)).isEqualTo(LocalDateTime.MIN);
      assertThat(rs.getObject(3, OffsetDateTime.class)).isEqualTo(OffsetDateTime.MIN);
      assertThat(rs.getDate(1).getTime()).isEqualTo(-9223372036832400000L); // pgjdbc's DATE_NEGATIVE_INFINITY
      assertThat(rs.getTimestamp(3).getTime()).isEqualTo(-9223372036832400000L);
      assertThat(rs.getString(6)).isEqualTo("[-infinity]");
    }
  }

  @Test
  void whatCalciteComputesOnInfinitiesFailsClearly() throws SQLException {
    for (String sql : List.of("SELECT EXTRACT(YEAR FROM d) FROM infinities WHERE id = 1",
        "SELECT CAST(d AS VARCHAR) FROM infinities WHERE id = 2",
        "SELECT ts + INTERVAL '1' DAY FROM infinities WHERE id = 1",
        "SELECT CAST(ns AS DATE) FROM infinities_file WHERE id = 2")) {
      assertThatThrownBy(() -> Rows.query(mallard, sql)).as(sql).hasMessageContaining("infinity").hasMessageContaining("finite values only");
    }
    // Rows with finite values compute as in DuckDB.
    same("SELECT id, EXTRACT(YEAR FROM d), EXTRACT(DAY FROM d) FROM infinities WHERE id > 2 ORDER BY id");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM nested_times ORDER BY id",
      "SELECT * FROM nested_times_inlined ORDER BY id",
      "SELECT id, s.t, s.n, s.z, s.m, l[1], ls[1].n FROM nested_times ORDER BY id",
      "SELECT id, s.n FROM nested_times_inlined ORDER BY s.n NULLS FIRST, id",
      "SELECT id FROM nested_times WHERE s.t > TIMESTAMP '2025-01-02 03:04:05.123456' ORDER BY id",
      "SELECT id FROM nested_times WHERE s.n > s.t ORDER BY id",
      "SELECT id FROM nested_times_inlined WHERE l[1] < TIMESTAMP '2000-01-01 00:00:00' ORDER BY id",
      "SELECT n.id FROM nested_times n JOIN times t ON n.id = t.id WHERE n.s.t = t.ts ORDER BY n.id",
      "SELECT min(s.n), max(s.t), max(l[1]) FROM nested_times",
      "SELECT id, m FROM nested_times_inlined WHERE m IS NOT NULL ORDER BY id",
      "SELECT * FROM clocks_nested ORDER BY id",
      "SELECT * FROM clocks_nested_inlined ORDER BY id",
      "SELECT id, s.t, l[1] FROM clocks_nested WHERE s.t > TIME '12:34:56.123456' ORDER BY id",
      "SELECT id, s.t FROM clocks_nested_inlined WHERE l[1] <= TIME '12:34:56.123456' ORDER BY id"})
  void timestampsInsideNestedValuesAreExact(String sql) throws SQLException {
    // DuckDB 1.5.5 cannot read back its own inlined nested times ("invalid timestamp field format:
    // CAST('2025-01-02 03:04:05.123456' AS TIMESTAMP)"): its Parquet copy of the same rows is the oracle.
    String oracle = sql.replace("nested_times_inlined", "(SELECT * FROM nested_times WHERE id < 100)")
        .replace("clocks_nested_inlined", "(SELECT * FROM clocks_nested WHERE id < 100)");
    try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertSameRows(duckdb.query(oracle), rs, sql.contains("ORDER BY"));
    }
  }

  @Test
  void timestampsInsideNestedValuesReachJdbcClientsExactly() throws SQLException {
    String sql = "SELECT s, l, m, ls FROM nested_times WHERE id IN (1, 3) ORDER BY id";
    List<List<Object>> texts = duckdb.query(
        "SELECT s::VARCHAR, l::VARCHAR, m::VARCHAR, ls::VARCHAR FROM nested_times WHERE id IN (1, 3) ORDER BY id").rows();
    try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      java.sql.Struct struct = (java.sql.Struct) rs.getObject(1);
      assertThat(struct.getAttributes()).containsExactly(LocalDateTime.parse("2025-01-02T03:04:05.123456"),
          LocalDateTime.parse("2025-01-02T03:04:05.123456789"),
          OffsetDateTime.parse("2025-01-02T03:04:05.123456Z"), LocalDateTime.parse("2025-01-02T03:04:05.123"));
      assertThat((Object[]) rs.getArray(2).getArray())
          .containsExactly(OffsetDateTime.parse("2025-01-02T03:04:05.123456Z"), null);
      assertThat(rs.getArray(2).getBaseType()).isEqualTo(Types.TIMESTAMP); // as for a TIMESTAMPTZ column
      assertThat(rs.getObject(3)).isEqualTo(java.util.Map.of(LocalDateTime.parse("2025-01-02T03:04:05.123456"),
          LocalDateTime.parse("2025-01-02T03:04:05.123456789")));
      for (int row = 0; row < 2; row++) {
        for (int c = 1; c <= 4; c++) {
          assertThat(rs.getString(c)).as("row %d column %d", row, c).isEqualTo(texts.get(row).get(c - 1));
        }
        rs.next();
      }
    }
  }

  @Test
  void timestampsInsideNestedValuesAreWrittenExactly() throws SQLException {
    try (Statement s = mallard.createStatement()) {
      s.execute("CREATE TABLE nested_times_copy AS SELECT id, s, l, m, ls FROM nested_times");
      s.execute("INSERT INTO nested_times_copy SELECT id + 1000, s, l, m, ls FROM nested_times_inlined WHERE id = 2");
    }
    String sql = "SELECT id, s, l, m, ls FROM nested_times_copy ORDER BY id";
    try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertSameRows(duckdb.query(sql.replace("nested_times_copy", "lake.nested_times_copy")), rs, true);
    }
    assertThat(duckdb.query("SELECT s.t::VARCHAR, ls::VARCHAR FROM lake.nested_times_copy WHERE id = 1002").rows())
        .containsExactly(List.of("2025-01-02 03:04:05.123457", "[{'n': '2025-01-02 03:04:05.123456788'}]"));
  }

  @Test
  void timestampsReachJdbcClientsExactly() throws SQLException {
    try (Statement s = mallard.createStatement();
        ResultSet rs = s.executeQuery("SELECT ts, ts_ns, tz FROM times WHERE id IN (1, 3, 6) ORDER BY id")) {
      assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.TIMESTAMP);
      assertThat(rs.getMetaData().getPrecision(1)).isEqualTo(6);
      assertThat(rs.getMetaData().getPrecision(2)).isEqualTo(9);
      rs.next();
      assertThat(rs.getObject(1, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2025-01-02T03:04:05.123456"));
      assertThat(rs.getObject(2, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2025-01-02T03:04:05.123456789"));
      assertThat(rs.getString(1)).isEqualTo("2025-01-02 03:04:05.123456");
      assertThat(rs.getString(2)).isEqualTo("2025-01-02 03:04:05.123456789");
      Timestamp ts = rs.getTimestamp(1);
      assertThat(ts.getNanos()).isEqualTo(123_456_000);
      assertThat(ts).isEqualTo(rs.getObject(1));
      assertThat(ts.toLocalDateTime()).isEqualTo(LocalDateTime.parse("2025-01-02T03:04:05.123456")
          .atZone(ZoneOffset.UTC).withZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime());
      assertThat(rs.getTimestamp(2).getNanos()).isEqualTo(123_456_789);
      assertThat(rs.getObject(3, Instant.class)).isEqualTo(Instant.parse("2025-01-02T03:04:05.123456Z"));
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("1969-12-31 23:59:59.999999");
      assertThat(rs.getObject(1, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("1969-12-31T23:59:59.999999"));
      assertThat(rs.getTimestamp(2).getNanos()).isEqualTo(999_999_999);
      rs.next();
      assertThat(rs.getTimestamp(1)).isNull();
      assertThat(rs.wasNull()).isTrue();
      assertThat(rs.getObject(2, LocalDateTime.class)).isNull();
      assertThat(rs.getString(3)).isNull();
    }
  }

  @Test
  void whatCalciteComputesInMillisecondsFailsForFinerValues() {
    assertThatThrownBy(() -> Rows.query(mallard, "SELECT EXTRACT(YEAR FROM ts) FROM times WHERE id = 1"))
        .hasMessageContaining("2025-01-02 03:04:05.123456").hasMessageContaining("below the millisecond");
    assertThatThrownBy(() -> Rows.query(mallard, "SELECT sum(ts) FROM times")).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> Rows.query(mallard, "SELECT count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' SECOND"
        + " PRECEDING AND CURRENT ROW) FROM times")).hasMessageContaining("RANGE");
    assertThatThrownBy(() -> Rows.query(mallard, "SELECT CAST(ts AS VARCHAR) FROM times WHERE id = 2"))
        .hasMessageContaining("2025-01-02 03:04:05.123457");
    assertThatThrownBy(() -> Rows.query(mallard, "SELECT CAST(ts_ns AS TIMESTAMP(6)) FROM times WHERE id = 1"))
        .hasMessageContaining("2025-01-02 03:04:05.123456789").hasMessageContaining("below the microsecond");
  }

  @Test
  void exactTimestampsAreWrittenExactly() throws SQLException {
    try (Statement s = mallard.createStatement()) {
      s.execute("CREATE TABLE times_copy AS SELECT id, ts, ts_ns, tz FROM times");
      s.execute("INSERT INTO times_copy (id, ts, ts_ns, tz) VALUES (50, TIMESTAMP '1960-05-06 07:08:09.000123',"
          + " TIMESTAMP '2030-01-01 00:00:00.000000007', NULL)");
      s.execute("INSERT INTO times_copy (id, ts) VALUES (51, '2025-01-02 03:04:05.654321')");
      s.execute("UPDATE times_copy SET ts = TIMESTAMP '2025-01-02 03:04:05.999999' WHERE id = 2");
    }
    String sql = "SELECT id, ts, ts_ns, tz FROM times_copy ORDER BY id";
    try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertSameRows(duckdb.query(sql.replace("times_copy", "lake.times_copy")), rs, true);
    }
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      rs.next();
      assertThat(rs.getString(2)).isEqualTo("2025-01-02 03:04:05.123456");
    }
    assertThat(duckdb.query("SELECT ts::VARCHAR, ts_ns::VARCHAR FROM lake.times_copy WHERE id = 50").rows())
        .containsExactly(List.of("1960-05-06 07:08:09.000123", "2030-01-01 00:00:00.000000007"));
  }

  @Test
  void parametersFinerThanMillisecondsAreRefusedAndTextIsExact() throws SQLException {
    try (PreparedStatement p = mallard.prepareStatement("SELECT id FROM times WHERE ts = ?")) {
      assertThatThrownBy(() -> p.setTimestamp(1, Timestamp.valueOf("2025-01-02 03:04:05.123456")))
          .hasMessageContaining("below the millisecond");
      p.setTimestamp(1, Timestamp.valueOf("2025-01-02 03:04:05.123"));
      assertThat(Rows.read(p.executeQuery())).containsExactly(List.of("5"));
    }
    try (PreparedStatement p = mallard.prepareStatement(
        "SELECT id FROM times WHERE ts = CAST(CAST(? AS VARCHAR) AS TIMESTAMP(6))")) {
      p.setString(1, "2025-01-02 03:04:05.123457");
      assertThat(Rows.read(p.executeQuery())).containsExactly(List.of("2"));
    }
  }

  @Test
  void sumsOfIntegersAreDecimalsOfDuckDbsPrecision() throws SQLException {
    try (Statement s = mallard.createStatement();
        ResultSet rs = s.executeQuery("SELECT sum(i64), sum(i16), sum(d), avg(i64) FROM big")) {
      assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.DECIMAL);
      assertThat(rs.getMetaData().getPrecision(1)).isEqualTo(38);
      assertThat(rs.getMetaData().getScale(1)).isZero();
      assertThat(rs.getMetaData().getColumnType(2)).isEqualTo(Types.DECIMAL);
      assertThat(rs.getMetaData().getPrecision(3)).isEqualTo(38);
      assertThat(rs.getMetaData().getScale(3)).isEqualTo(2);
      assertThat(rs.getMetaData().getColumnType(4)).isEqualTo(Types.DOUBLE);
      rs.next();
      BigDecimal expected = BigDecimal.valueOf(Long.MAX_VALUE).multiply(BigDecimal.valueOf(100))
          .subtract(BigDecimal.valueOf(4950)).add(BigDecimal.valueOf(Long.MIN_VALUE));
      assertThat(rs.getBigDecimal(1)).isEqualByComparingTo(expected);
      assertThat(rs.getObject(1)).isInstanceOf(BigDecimal.class);
    }
  }
}
