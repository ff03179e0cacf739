package dev.mallard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 1.1 epoch partition transforms, read and pruned. No DuckDB on PyPI writes them, so DuckDB
 * 1.5.5 writes each table partitioned by calendar parts that give the same files (one per day, month,
 * year or hour), the catalog is migrated to 1.1-dev1 with the reference's statements, and each
 * file's keys are replaced by the one epoch key the reference records for it
 * ({@code date_diff(part, DATE '1970-01-01', value)}). Mallard reads the copy; DuckDB reads the
 * 1.0 original (the same files) as the oracle.
 */
class EpochPartitionPruningInteropTest {
  @TempDir static Path dir;
  private static DuckDb duckdb;
  private static Connection mallard;
  private static PruningCheck pruning;

  @BeforeAll
  static void writeLake() throws Exception {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("CREATE TABLE daily (d DATE, v INTEGER)");
    duckdb.execute("ALTER TABLE daily SET PARTITIONED BY (year(d), month(d), day(d))");
    duckdb.execute("INSERT INTO daily SELECT DATE '2024-01-01' + (i // 3)::INTEGER, i FROM range(365 * 3) r(i)");
    duckdb.execute("CREATE TABLE monthly (ts TIMESTAMP, v INTEGER)");
    duckdb.execute("ALTER TABLE monthly SET PARTITIONED BY (year(ts), month(ts))");
    duckdb.execute("INSERT INTO monthly SELECT TIMESTAMP '1960-01-01' + INTERVAL (i // 3) MONTH"
        + " + INTERVAL (i % 3 * 9) DAY, i FROM range(365 * 3) r(i)");
    duckdb.execute("CREATE TABLE yearly (d DATE, v INTEGER)");
    duckdb.execute("ALTER TABLE yearly SET PARTITIONED BY (year(d))");
    duckdb.execute("INSERT INTO yearly SELECT DATE '1800-01-01' + INTERVAL (i // 2) YEAR + INTERVAL (i % 2 * 100) DAY,"
        + " i FROM range(365 * 2) r(i)");
    duckdb.execute("CREATE TABLE hourly (ts TIMESTAMP, v INTEGER)");
    duckdb.execute("ALTER TABLE hourly SET PARTITIONED BY (year(ts), month(ts), day(ts), hour(ts))");
    duckdb.execute("INSERT INTO hourly SELECT TIMESTAMP '2023-12-30 00:00:00' + INTERVAL (i * 20) MINUTE, i"
        + " FROM range(365 * 3) r(i)");

    Path migrated = Files.createDirectories(dir.resolve("v11")).resolve("lake.sqlite");
    Files.copy(catalog, migrated);
    TestLakes.migrateTo11(migrated);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + migrated); Statement s = c.createStatement()) {
      String date = "printf('%04d-%02d-%02d', y, m, d)";
      toEpochKey(s, "daily", "epoch_day", "CAST(julianday(" + date + ") - julianday('1970-01-01') AS INTEGER)");
      toEpochKey(s, "monthly", "epoch_month", "(y - 1970) * 12 + m - 1");
      toEpochKey(s, "yearly", "epoch_year", "y - 1970");
      toEpochKey(s, "hourly", "epoch_hour",
          "CAST(julianday(" + date + ") - julianday('1970-01-01') AS INTEGER) * 24 + h");
    }
    mallard = Mallard.connect("sqlite:" + migrated);
    pruning = new PruningCheck(duckdb, mallard);
  }

  /**
   * Replaces a table's calendar keys (year, month, day, hour in key order) by one epoch key whose
   * value {@code epochValue} computes from them as {@code y}, {@code m}, {@code d}, {@code h}.
   */
  private static void toEpochKey(Statement s, String table, String transform, String epochValue) throws SQLException {
    String tableId = "(SELECT table_id FROM ducklake_table WHERE table_name = '" + table + "')";
    String part = "(SELECT CAST(partition_value AS INTEGER) FROM ducklake_file_partition_value k"
        + " WHERE k.data_file_id = f.data_file_id AND k.partition_key_index = %d)";
    s.execute("CREATE TEMP TABLE keys AS SELECT data_file_id, y, m, d, h FROM (SELECT f.data_file_id,"
        + String.format(part, 0) + " AS y, COALESCE(" + String.format(part, 1) + ", 1) AS m, COALESCE("
        + String.format(part, 2) + ", 1) AS d, COALESCE(" + String.format(part, 3) + ", 0) AS h"
        + " FROM ducklake_data_file f WHERE f.table_id = " + tableId + ")");
    int files = s.executeUpdate("UPDATE ducklake_file_partition_value SET partition_value = (SELECT CAST("
        + epochValue + " AS TEXT) FROM keys WHERE keys.data_file_id = ducklake_file_partition_value.data_file_id)"
        + " WHERE partition_key_index = 0 AND table_id = " + tableId);
    assertThat(files).as(table + " files").isEqualTo(365);
    s.execute("DELETE FROM ducklake_file_partition_value WHERE partition_key_index > 0 AND table_id = " + tableId);
    s.execute("DELETE FROM ducklake_partition_column WHERE partition_key_index > 0 AND table_id = " + tableId);
    assertThat(s.executeUpdate("UPDATE ducklake_partition_column SET transform = '" + transform + "'"
        + " WHERE table_id = " + tableId)).isEqualTo(1);
    s.execute("DROP TABLE keys");
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

  private static void check(String sql, long opened, long prunedByPartition) throws SQLException {
    pruning.check(sql, sql, opened, prunedByPartition);
  }

  @Test
  void oneDayOfEpochDaysOpensOneFile() throws SQLException {
    check("SELECT * FROM daily WHERE d = DATE '2024-03-05'", 1, 364);
    check("SELECT count(*), sum(v) FROM daily WHERE d >= DATE '2024-12-30'", 1, 364);
    check("SELECT count(*) FROM daily WHERE d = DATE '2025-03-05'", 0, 365);
    check("SELECT count(*), sum(v) FROM daily", 365, 0);
  }

  @Test
  void oneMonthOfEpochMonthsOpensOneFileAlsoBefore1970() throws SQLException {
    check("SELECT * FROM monthly WHERE ts = TIMESTAMP '1969-12-10 00:00:00'", 1, 364);
    check("SELECT * FROM monthly WHERE ts >= TIMESTAMP '1975-03-01 00:00:00' AND ts < TIMESTAMP '1975-04-01 00:00:00'",
        1, 364);
  }

  @Test
  void oneYearOfEpochYearsOpensOneFile() throws SQLException {
    check("SELECT * FROM yearly WHERE d = DATE '1900-04-11'", 1, 364);
    check("SELECT * FROM yearly WHERE d >= DATE '1970-01-01' AND d <= DATE '1970-12-31'", 1, 364);
  }

  @Test
  void oneHourOfEpochHoursOpensOneFile() throws SQLException {
    check("SELECT * FROM hourly WHERE ts >= TIMESTAMP '2023-12-31 23:00:00' AND ts < TIMESTAMP '2024-01-01 00:00:00'",
        1, 364);
    check("SELECT * FROM hourly WHERE ts = TIMESTAMP '2024-01-02 05:40:00'", 1, 364);
  }
}
