package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.ScanMetrics;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Partitioned tables Mallard writes through SQL, read back and pruned by DuckDB 1.5.5 and by Mallard. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionedWriteInteropTest {
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

  /** A new lake at dir/name, attached in DuckDB as {@code name}; returns its catalog path. */
  private Path lake(String name) throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, name);
    return catalog;
  }

  private void compare(Connection mallard, String lake, String sql) throws SQLException {
    duckdb.execute("USE " + lake);
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, true);
    } finally {
      duckdb.execute("USE memory");
    }
  }

  private long files(String lake, String table) {
    return ((BigInteger) duckdb.query("SELECT count(*) FROM ducklake_list_files('" + lake + "', '" + table + "')")
        .scalar()).longValue();
  }

  @Test
  void bucketPartitionedInsertsAndUpdatesAreReadAndPrunedByDuckDbAndMallard() throws Exception {
    Path catalog = lake("bk");
    duckdb.execute("CREATE TABLE bk.src AS SELECT i::BIGINT AS id, 'n' || i AS name, (i * 1.5)::DECIMAL(12,2) AS amount"
        + " FROM range(1, 2001) r(i)");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGINT, name VARCHAR, amount DECIMAL(12,2))");
      s.execute("ALTER TABLE t SET PARTITIONED BY (bucket(16, id))");
      assertThat(s.executeUpdate("INSERT INTO t SELECT * FROM src")).isEqualTo(2000);
      long written = files("bk", "t");
      assertThat(written).isEqualTo(16);
      // UPDATE re-inserts the new versions into the files of their buckets.
      assertThat(s.executeUpdate("UPDATE t SET name = 'updated' WHERE id % 100 = 7")).isEqualTo(20);
      assertThat(files("bk", "t")).isGreaterThan(written);
      compare(c, "bk", "SELECT * FROM t ORDER BY id");
      for (long id : new long[] {7, 1234, 1999}) {
        // DuckDB folds the constant through its bucket transform: a wrong bucket value hides the row.
        compare(c, "bk", "SELECT * FROM t WHERE id = " + id);
      }
      duckdb.execute("USE bk");
      try {
        assertThat(duckdb.query("SELECT count(*) FROM t WHERE id = 1234").scalar()).isEqualTo(BigInteger.ONE);
      } finally {
        duckdb.execute("USE memory");
      }
      ScanMetrics metrics = Mallard.scanMetrics(c);
      long opened = metrics.dataFilesOpened();
      try (ResultSet rs = s.executeQuery("SELECT name FROM t WHERE id = 1234")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("n1234");
        assertThat(rs.next()).isFalse();
      }
      assertThat(metrics.dataFilesOpened() - opened).isEqualTo(1);
    }
  }

  /**
   * Identity partitions of FLOAT, DOUBLE and BLOB columns and bucket(N) of floats, intervals, TIMETZ
   * and decimals wider than 18 digits: the files land in the directories, with the partition
   * values, that DuckDB writes for the same rows, and DuckDB prunes them to the same answers.
   */
  @Test
  void floatBlobIntervalTimeTzAndWideDecimalPartitionsAreDuckDbs() throws Exception {
    Path catalog = lake("fp");
    duckdb.execute("CALL fp.set_option('data_inlining_row_limit', 0)");
    String columns = "(id INTEGER, f FLOAT, d DOUBLE, b BLOB, iv INTERVAL, tz TIMETZ, w DECIMAL(30,2))";
    duckdb.execute("CREATE TABLE fp.src " + columns);
    duckdb.execute("INSERT INTO fp.src VALUES"
        + " (1, 1.5, 2.25, '\\x01ab'::BLOB, INTERVAL 1 DAY, '10:00:00+00', 1.25),"
        + " (2, -0.0, 'nan', 'a/b'::BLOB, INTERVAL '2 months 3 days 04:05:06.789', '23:59:59.5+00',"
        + " 123456789012345678.25),"
        + " (3, 'inf', 1e300, NULL, NULL, NULL, NULL),"
        + " (4, 1.1, 0.1, 'x y'::BLOB, INTERVAL 1 DAY, '10:00:00+00', -0.05)");
    String[][] keys = {{"f", "f"}, {"d", "d"}, {"b", "b"}, {"bf", "bucket(4, f)"}, {"bd", "bucket(4, d)"},
        {"biv", "bucket(4, iv)"}, {"btz", "bucket(4, tz)"}, {"bw", "bucket(4, w)"}};
    String[] filters = {"f = 1.5", "d = 2.25", "b = '\\x01ab'::BLOB", "f = 1.1::FLOAT", "d = 0.1",
        "iv = INTERVAL 1 DAY", "tz = '10:00:00+00'::TIMETZ", "w = 123456789012345678.25"};
    try (Connection c = Mallard.connect("sqlite:" + catalog + "?data_inlining_row_limit=0");
        Statement s = c.createStatement()) {
      for (int i = 0; i < keys.length; i++) {
        String table = "t_" + keys[i][0];
        String twin = "d_" + keys[i][0];
        // Mallard's grammar has no bare INTERVAL column type: DuckDB creates the table.
        duckdb.execute("CREATE TABLE fp." + table + " " + columns);
        s.execute("ALTER TABLE " + table + " SET PARTITIONED BY (" + keys[i][1] + ")");
        assertThat(s.executeUpdate("INSERT INTO " + table + " SELECT * FROM src")).isEqualTo(4);
        duckdb.execute("CREATE TABLE fp." + twin + " " + columns);
        duckdb.execute("ALTER TABLE fp." + twin + " SET PARTITIONED BY (" + keys[i][1] + ")");
        duckdb.execute("INSERT INTO fp." + twin + " SELECT * FROM fp.src");
        assertThat(partitions(table)).as(keys[i][1]).isNotEmpty().isEqualTo(partitions(twin));
        assertDuckDbReadsAsItsTwin("fp", table, twin, "SELECT * REPLACE (b::VARCHAR AS b) FROM ", 4, filters[i]);
      }
    }
  }

  /**
   * Identity partitions of INTERVAL, TIMETZ and TIMESTAMPTZ columns and bucket(N) of TIMETZ values
   * with any offset, in Parquet files: the partition values and directories DuckDB writes for the
   * same rows (a TIMESTAMPTZ in UTC whatever the session's zone, a TIMETZ with its offset while the
   * file holds its UTC time), pruned by DuckDB to the same answers and read back alike by Mallard.
   */
  @Test
  void intervalTimeTzAndTimestamptzIdentityPartitionsAreDuckDbs() throws Exception {
    Path catalog = lake("zp");
    String columns = "(id INTEGER, iv INTERVAL, tz TIMETZ, ts TIMESTAMPTZ)";
    // Inlined (up to 10 rows), so the TIMETZ offsets are kept in the source.
    duckdb.execute("CREATE TABLE zp.src " + columns);
    duckdb.execute("INSERT INTO zp.src VALUES"
        + " (1, INTERVAL 36 HOUR, '01:02:03.500+05:30', TIMESTAMPTZ '2024-03-10 12:34:56.789+00'),"
        + " (2, INTERVAL '1 year 2 months 3 days 00:00:01.25', '23:59:59-08', TIMESTAMPTZ '1990-01-01 00:00:00+00'),"
        + " (3, NULL, NULL, NULL),"
        + " (4, INTERVAL 3 DAY, '10:00:00+00', 'infinity'),"
        + " (5, INTERVAL 3 DAY, '00:00:00+15:59', TIMESTAMPTZ '2024-07-01 00:00:00.000001+00')");
    duckdb.execute("CALL zp.set_option('data_inlining_row_limit', 0)");
    String[] keys = {"iv", "tz", "ts", "bucket(4, tz)", "iv, tz, ts"};
    String[] filters = {"iv = INTERVAL 3 DAY", "tz = '10:00:00+00'::TIMETZ",
        "ts = TIMESTAMPTZ '2024-03-10 12:34:56.789+00'", "tz = '10:00:00+00'::TIMETZ", "ts > TIMESTAMPTZ '2000-01-01 00:00:00+00'"};
    // The session zone does not change what DuckDB writes for a TIMESTAMPTZ: neither does Mallard's.
    java.util.Properties props = new java.util.Properties();
    props.setProperty("time_zone", "America/New_York");
    props.setProperty("data_inlining_row_limit", "0");
    duckdb.execute("SET TimeZone = 'America/New_York'");
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:ducklake:sqlite:" + catalog, props);
        Statement s = c.createStatement()) {
      for (int i = 0; i < keys.length; i++) {
        String table = "t_" + i;
        String twin = "d_" + i;
        s.execute("CREATE TABLE " + table + " " + columns);
        s.execute("ALTER TABLE " + table + " SET PARTITIONED BY (" + keys[i] + ")");
        assertThat(s.executeUpdate("INSERT INTO " + table + " SELECT * FROM src")).isEqualTo(5);
        duckdb.execute("CREATE TABLE zp." + twin + " " + columns);
        duckdb.execute("ALTER TABLE zp." + twin + " SET PARTITIONED BY (" + keys[i] + ")");
        duckdb.execute("INSERT INTO zp." + twin + " SELECT * FROM zp.src");
        assertThat(partitions("zp", table)).as(keys[i]).isNotEmpty().isEqualTo(partitions("zp", twin));
        assertDuckDbReadsAsItsTwin("zp", table, twin, "SELECT id, iv::VARCHAR, tz::VARCHAR, ts::VARCHAR FROM ", 5,
            filters[i]);
        compare(c, "zp", "SELECT id, iv, tz FROM " + table + " ORDER BY id");
        compare(c, "zp", "SELECT id, iv, tz FROM " + table + " WHERE iv = '3 days' ORDER BY id");
      }
    } finally {
      duckdb.execute("SET TimeZone = 'UTC'");
    }
  }

  private java.util.List<java.util.List<Object>> partitions(String table) {
    return partitions("fp", table);
  }

  /** Each current file's partition value and directory, in order. */
  private java.util.List<java.util.List<Object>> partitions(String lake, String table) {
    return duckdb.query("SELECT p.partition_value, regexp_replace(f.path, '/[^/]*$', '') FROM"
        + " __ducklake_metadata_" + lake + ".ducklake_file_partition_value p JOIN __ducklake_metadata_" + lake
        + ".ducklake_data_file f USING (data_file_id) JOIN __ducklake_metadata_" + lake
        + ".ducklake_table t ON t.table_id = f.table_id"
        + " WHERE t.table_name = '" + table + "' AND f.end_snapshot IS NULL ORDER BY 1, 2").rows();
  }

  @Test
  void hourPartitionsOfTimestamptzFollowTheConnectionsTimeZone() throws Exception {
    Path catalog = lake("tz");
    duckdb.execute("CREATE TABLE tz.src AS SELECT i::BIGINT AS id, TIMESTAMPTZ '2024-03-30 20:10:00+00'"
        + " + INTERVAL (i * 7) MINUTE AS ts FROM range(400) r(i)");
    java.util.Properties props = new java.util.Properties();
    props.setProperty("time_zone", "Asia/Kolkata");
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:ducklake:sqlite:" + catalog, props);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGINT, ts TIMESTAMPTZ)");
      s.execute("ALTER TABLE t SET PARTITIONED BY (day(ts), hour(ts))");
      assertThat(s.executeUpdate("INSERT INTO t SELECT * FROM src")).isEqualTo(400);
      compare(c, "tz", "SELECT * FROM t ORDER BY id");
    }
    // Each file's day and hour are those of its rows in Kolkata, as DuckDB computes them there.
    duckdb.execute("SET TimeZone = 'Asia/Kolkata'");
    try {
      String m = "__ducklake_metadata_tz.";
      assertThat(duckdb.query("SELECT count(*) FROM (SELECT DISTINCT day(ts), hour(ts) FROM tz.t)").scalar())
          .isEqualTo(BigInteger.valueOf(files("tz", "t")));
      assertThat(duckdb.query("SELECT count(*) FROM tz.t, " + m + "ducklake_data_file f WHERE"
          + " f.end_snapshot IS NULL AND t.filename LIKE '%' || f.path AND (day(ts)::VARCHAR, hour(ts)::VARCHAR)"
          + " <> ((SELECT partition_value FROM " + m + "ducklake_file_partition_value v WHERE v.data_file_id ="
          + " f.data_file_id AND partition_key_index = 0), (SELECT partition_value FROM " + m
          + "ducklake_file_partition_value v WHERE v.data_file_id = f.data_file_id AND partition_key_index = 1))")
          .scalar()).isEqualTo(BigInteger.ZERO);
      assertThat(duckdb.query("SELECT count(*) FROM tz.t, " + m + "ducklake_data_file f WHERE"
          + " f.end_snapshot IS NULL AND t.filename LIKE '%' || f.path").scalar()).isEqualTo(BigInteger.valueOf(400));
    } finally {
      duckdb.execute("SET TimeZone = 'UTC'");
    }
  }

  /**
   * DuckDB reads the same rows from Mallard's {@code table} as from its own {@code twin} in lake
   * {@code lake}: all {@code rows} of them through {@code selectAll}, and those {@code filter} keeps
   * (some), which DuckDB prunes by the partition values.
   */
  private void assertDuckDbReadsAsItsTwin(String lake, String table, String twin, String selectAll, int rows,
      String filter) {
    duckdb.execute("USE " + lake);
    try {
      assertThat(duckdb.query(selectAll + table + " ORDER BY id").rows()).hasSize(rows)
          .isEqualTo(duckdb.query(selectAll + twin + " ORDER BY id").rows());
      String where = " WHERE " + filter + " ORDER BY id";
      assertThat(duckdb.query("SELECT id FROM " + table + where).rows()).as(filter).isNotEmpty()
          .isEqualTo(duckdb.query("SELECT id FROM " + twin + where).rows());
    } finally {
      duckdb.execute("USE memory");
    }
  }
}
