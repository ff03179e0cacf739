package dev.mallard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity partitions of INTERVAL, TIMETZ and TIMESTAMPTZ columns written by DuckDB 1.5.5 prune
 * files, and the answers are DuckDB's: intervals compare as DuckDB compares them ({@code 1 month}
 * equals {@code 30 days}) and are read back cut to the millisecond; a TIMETZ partition value keeps
 * its offset ({@code 01:02:03+05}) while its file holds the UTC time ({@code 20:02:03+00});
 * TIMESTAMPTZ partition values are UTC whatever the writer's session zone. Also the temporal and
 * bucket transforms of a TIMESTAMP_NS column.
 */
class ZonedPartitionPruningInteropTest {
  @TempDir static Path dir;
  private static DuckDb duckdb;
  private static Connection mallard;
  private static PruningCheck pruning;

  @BeforeAll
  static void writeLake() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("CALL lake.set_option('data_inlining_row_limit', 0)");
    duckdb.execute("CREATE TABLE intervals (iv INTERVAL, v INTEGER)");
    duckdb.execute("ALTER TABLE intervals SET PARTITIONED BY (iv)");
    duckdb.execute("INSERT INTO intervals SELECT iv, i FROM (VALUES (INTERVAL '36 hours'), (INTERVAL '1 day'),"
        + " (INTERVAL '30 days'), (INTERVAL '1 month'), (INTERVAL '1 year 2 months 3 days 00:00:01.25'),"
        + " (INTERVAL '00:00:00.5'), (INTERVAL '2 days'), (INTERVAL '00:00:00.001999')) t(iv), range(3) r(i)");
    duckdb.execute("CREATE TABLE times (tz TIMETZ, v INTEGER)");
    duckdb.execute("ALTER TABLE times SET PARTITIONED BY (tz)");
    duckdb.execute("INSERT INTO times SELECT tz, i FROM (VALUES (TIMETZ '01:02:03+05'), (TIMETZ '20:02:03+00'),"
        + " (TIMETZ '10:00:00-09:30'), (TIMETZ '23:59:59.5+00'), (TIMETZ '00:00:00+00'), (NULL)) t(tz), range(2) r(i)");
    // Written in New York, across its DST change.
    duckdb.execute("SET TimeZone = 'America/New_York'");
    duckdb.execute("CREATE TABLE instants (ts TIMESTAMPTZ, v INTEGER)");
    duckdb.execute("ALTER TABLE instants SET PARTITIONED BY (ts)");
    duckdb.execute("INSERT INTO instants SELECT TIMESTAMPTZ '2024-03-10 00:30:00-05' + INTERVAL (i * 30) MINUTE, i"
        + " FROM range(10) r(i)");
    duckdb.execute("INSERT INTO instants VALUES ('infinity', 100), (TIMESTAMPTZ '2024-03-10 12:34:56.789+00', 101)");
    duckdb.execute("SET TimeZone = 'UTC'");
    duckdb.execute("CREATE TABLE nanos (ts TIMESTAMP_NS, v INTEGER)");
    duckdb.execute("INSERT INTO nanos SELECT TIMESTAMP_NS '2023-12-30 00:00:00.000000001' + INTERVAL (i * 20) MINUTE, i"
        + " FROM range(365 * 3) r(i)");
    duckdb.execute("CREATE TABLE nanos_hourly (ts TIMESTAMP_NS, v INTEGER)");
    duckdb.execute("ALTER TABLE nanos_hourly SET PARTITIONED BY (year(ts), month(ts), day(ts), hour(ts))");
    duckdb.execute("INSERT INTO nanos_hourly SELECT * FROM nanos");
    duckdb.execute("CREATE TABLE nanos_bucketed (ts TIMESTAMP_NS, v INTEGER)");
    duckdb.execute("ALTER TABLE nanos_bucketed SET PARTITIONED BY (bucket(16, ts))");
    duckdb.execute("INSERT INTO nanos_bucketed SELECT * FROM nanos");
    mallard = Mallard.connect("sqlite:" + catalog + "?time_zone=UTC");
    pruning = new PruningCheck(duckdb, mallard);
  }

  @AfterAll
  static void close() throws SQLException {
    if (mallard != null) {
      mallard.close();
    }
    if (duckdb != null) {
      duckdb.close();
    }
  }

  private static long files(String table) {
    return pruning.files(table);
  }

  /** Mallard answers {@code sql} as DuckDB answers {@code oracleSql}, opening {@code opened} files. */
  private static void check(String sql, String oracleSql, long opened) throws SQLException {
    String table = sql.replaceAll("(?s).* FROM (\\w+).*", "$1");
    pruning.check(sql, oracleSql, opened, files(table) - opened);
  }

  @Test
  void intervalsCompareAsDuckDbComparesThem() throws SQLException {
    // DuckDB puts equal intervals in one partition: 30 days and 1 month share a file (labelled 30 days).
    assertThat(files("intervals")).isEqualTo(7);
    String oracle = "SELECT iv::VARCHAR, v FROM intervals WHERE ";
    String sql = "SELECT iv, v FROM intervals WHERE ";
    check(sql + "iv = '1 day'", oracle + "iv = INTERVAL '1 day'", 1);
    check(sql + "iv = '24:00:00'", oracle + "iv = INTERVAL '24:00:00'", 1);
    check(sql + "iv = '30 days'", oracle + "iv = INTERVAL '30 days'", 1);
    check(sql + "iv > '1 month'", oracle + "iv > INTERVAL '1 month'", 1);
    check(sql + "iv < '1 day' AND v > 0", oracle + "iv < INTERVAL '1 day' AND v > 0", 2);
    check(sql + "iv IN ('48:00:00', '36:00:00')", oracle + "iv IN (INTERVAL '48:00:00', INTERVAL '36:00:00')", 2);
    // Parquet keeps milliseconds: the file of 00:00:00.001999 holds 00:00:00.001.
    check(sql + "iv = '00:00:00.001'", oracle + "iv = INTERVAL '00:00:00.001'", 1);
    check(sql + "iv = '00:00:00.001999'", oracle + "iv = INTERVAL '00:00:00.001999'", 0);
    check(sql + "iv <> '1 day'", oracle + "iv <> INTERVAL '1 day'", 6);
  }

  @Test
  void timesWithTimeZoneCompareByTheirUtcTimeInTheFile() throws SQLException {
    assertThat(files("times")).isEqualTo(6);
    String oracle = "SELECT tz::VARCHAR, v FROM times WHERE ";
    String sql = "SELECT tz, v FROM times WHERE ";
    // 01:02:03+05's file holds 20:02:03+00.
    check(sql + "tz = '20:02:03+00'", oracle + "tz = TIMETZ '20:02:03+00'", 2);
    check(sql + "tz = '01:02:03+05'", oracle + "tz = TIMETZ '01:02:03+05'", 0);
    check(sql + "tz > '19:00:00+00'", oracle + "tz > TIMETZ '19:00:00+00'", 4);
    check(sql + "tz >= '00:00:00+01' AND tz < '00:00:00.5+00'", oracle
        + "tz >= TIMETZ '00:00:00+01' AND tz < TIMETZ '00:00:00.5+00'", 1);
    check(sql + "tz IS NULL", oracle + "tz IS NULL", 1);
  }

  @Test
  void timestampsWithTimeZoneArePrunedByTheirUtcPartitionValues() throws SQLException {
    assertThat(files("instants")).isEqualTo(12);
    String oracle = "SELECT ts, v FROM instants WHERE ";
    String sql = "SELECT ts, v FROM instants WHERE ";
    check(sql + "ts = TIMESTAMP WITH LOCAL TIME ZONE '2024-03-10 12:34:56.789'",
        oracle + "ts = TIMESTAMPTZ '2024-03-10 12:34:56.789+00'", 1);
    // 01:30 EST is 06:30 UTC; an hour later the clocks show 03:30 EDT, 07:30 UTC.
    check(sql + "ts >= TIMESTAMP WITH LOCAL TIME ZONE '2024-03-10 06:30:00'"
            + " AND ts < TIMESTAMP WITH LOCAL TIME ZONE '2024-03-10 07:30:00'",
        oracle + "ts >= TIMESTAMPTZ '2024-03-10 06:30:00+00' AND ts < TIMESTAMPTZ '2024-03-10 07:30:00+00'", 2);
    check(sql + "ts > TIMESTAMP WITH LOCAL TIME ZONE '2030-01-01 00:00:00'",
        oracle + "ts > TIMESTAMPTZ '2030-01-01 00:00:00+00'", 1); // infinity
  }

  @Test
  void temporalAndBucketTransformsOfNanosecondTimestampsPrune() throws SQLException {
    assertThat(files("nanos_hourly")).isEqualTo(365);
    String oracle = "SELECT ts::VARCHAR, v FROM nanos_hourly WHERE ";
    check("SELECT CAST(ts AS VARCHAR), v FROM nanos_hourly WHERE ts >= TIMESTAMP '2023-12-31 23:00:00'"
            + " AND ts < TIMESTAMP '2024-01-01 00:00:00'",
        oracle + "ts >= TIMESTAMP '2023-12-31 23:00:00' AND ts < TIMESTAMP '2024-01-01 00:00:00'", 1);
    assertThat(files("nanos_bucketed")).isEqualTo(16);
    check("SELECT CAST(ts AS VARCHAR), v FROM nanos_bucketed WHERE ts = TIMESTAMP '2024-01-02 05:40:00.000000001'",
        "SELECT ts::VARCHAR, v FROM nanos_bucketed WHERE ts = TIMESTAMP_NS '2024-01-02 05:40:00.000000001'", 1);
  }
}
