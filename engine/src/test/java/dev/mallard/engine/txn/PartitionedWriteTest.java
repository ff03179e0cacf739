package dev.mallard.engine.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.testing.DuckDb;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitioned Parquet writes compared with the same rows written by DuckDB 1.5.5 into a twin
 * table: the same files (partition values, record counts, directories) and DuckDB answers, with its
 * own partition pruning, the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionedWriteTest {
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

  private void attach(Path d) {
    duckdb.execute("ATTACH 'ducklake:sqlite:" + d.resolve("lake.sqlite") + "' AS parts (DATA_PATH '"
        + d.resolve("data") + "/')");
  }

  /**
   * DuckDB creates tables {@code theirs} and {@code mine} from {@code source}, partitions both by
   * {@code spec} and fills {@code theirs}; Mallard writes the rows DuckDB reads with
   * {@code engineRow} (its columns as engine values) into {@code mine}. Then the files of both are
   * compared and each WHERE clause answered by DuckDB from both tables.
   */
  private void writeBoth(String name, String source, String spec, String engineRows,
      Function<List<Object>, Object[]> engineRow, List<String> wheres) {
    writeBoth(name, source, spec, engineRows, engineRow, wheres, Map.of());
  }

  private void writeBoth(String name, String source, String spec, String engineRows,
      Function<List<Object>, Object[]> engineRow, List<String> wheres, Map<String, String> mallardOptions) {
    Path d;
    try {
      d = Files.createDirectories(dir.resolve(name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    attach(d);
    duckdb.execute("CREATE TABLE parts.theirs AS " + source + " LIMIT 0");
    duckdb.execute("CREATE TABLE parts.mine AS " + source + " LIMIT 0");
    duckdb.execute("ALTER TABLE parts.theirs SET PARTITIONED BY (" + spec + ")");
    duckdb.execute("ALTER TABLE parts.mine SET PARTITIONED BY (" + spec + ")");
    duckdb.execute("INSERT INTO parts.theirs " + source);
    List<List<Object>> rows = duckdb.query(engineRows).rows();
    duckdb.execute("DETACH parts");
    try (DuckLakeCatalog lake = DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + d.resolve("lake.sqlite"),
        mallardOptions))) {
      Transaction insert = new Transaction(lake);
      TableAppender appender = new TableAppender(insert, insert.view().table("main", "mine").orElseThrow());
      for (List<Object> r : rows) {
        appender.add(engineRow.apply(r));
      }
      appender.finish();
      insert.commit();
    }
    attach(d);
    try {
      String m = "__ducklake_metadata_parts.";
      // Per file: its partition values, rows, and directory under the table's (the file name is random).
      String files = "SELECT list(v.partition_value ORDER BY v.partition_key_index), f.record_count,"
          + " regexp_replace(f.path, '[^/]*$', '') FROM " + m + "ducklake_data_file f JOIN " + m
          + "ducklake_table t USING (table_id) JOIN " + m + "ducklake_file_partition_value v USING (data_file_id)"
          + " WHERE t.table_name = '%s' GROUP BY f.data_file_id, f.record_count, f.path ORDER BY 1::VARCHAR";
      List<List<Object>> theirs = duckdb.query(String.format(files, "theirs")).rows();
      assertThat(theirs.size()).isGreaterThan(1);
      assertThat(duckdb.query(String.format(files, "mine")).rows()).containsExactlyInAnyOrderElementsOf(theirs);
      assertThat(duckdb.query("SELECT count(*) FROM " + m + "ducklake_data_file f JOIN " + m
          + "ducklake_table t USING (table_id) WHERE t.table_name = 'mine' AND f.path NOT LIKE '%/ducklake-%.parquet'")
          .scalar()).isEqualTo(BigInteger.ZERO);
      for (String where : wheres) {
        assertThat(duckdb.query("SELECT * FROM parts.mine" + where + " ORDER BY ALL").rows()).as(where)
            .isEqualTo(duckdb.query("SELECT * FROM parts.theirs" + where + " ORDER BY ALL").rows())
            .isNotEmpty();
      }
    } finally {
      duckdb.execute("DETACH parts");
    }
  }

  @Test
  void bucketPartitionsAreDuckDbsBucketsSoItsPruningFindsEveryRow() {
    String source = "SELECT i::INTEGER AS id, 'name ' || (i % 13) AS name, DATE '2024-01-01' + (i % 40)::INTEGER AS d,"
        + " (i / 4)::DECIMAL(10,2) AS price, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1000000007 END AS big"
        + " FROM range(300) r(i)";
    writeBoth("bucket", source, "bucket(5, id), bucket(3, name), bucket(2, d), bucket(3, price), bucket(4, big)",
        "SELECT id, name, d - DATE '1970-01-01', price, big FROM parts.theirs",
        r -> new Object[] {((BigInteger) r.get(0)).longValue(), r.get(1), ((BigInteger) r.get(2)).intValue(),
            r.get(3), r.get(4) == null ? null : ((BigInteger) r.get(4)).longValue()},
        List.of("", " WHERE id = 17", " WHERE id IN (3, 250)", " WHERE name = 'name 5'",
            " WHERE d = DATE '2024-01-09'", " WHERE price = 12.25", " WHERE big = 5000000035", " WHERE big IS NULL",
            " WHERE id = 42 AND name = 'name 3'"));
  }

  @Test
  void directoriesEscapeValuesAndNamesAsDuckDbDoes() {
    String source = "SELECT i::INTEGER AS id, CASE WHEN i % 9 = 0 THEN NULL ELSE ['us/x', 'a=b', '50% ü', '..',"
        + " 'NULL', '-_.~'][i % 6 + 1] END AS \"Region Name\", DATE '2022-11-01' + (i * 20)::INTEGER AS d,"
        + " TIMESTAMP '2023-12-01 00:00:00' + INTERVAL (i * 11) DAY AS ts FROM range(60) r(i)";
    writeBoth("dirs", source, "\"Region Name\", year(d), year(ts), month(d)",
        "SELECT id, \"Region Name\", d - DATE '1970-01-01', epoch_us(ts) FROM parts.theirs",
        r -> new Object[] {((BigInteger) r.get(0)).longValue(), r.get(1), ((BigInteger) r.get(2)).intValue(),
            ((BigInteger) r.get(3)).longValue()},
        List.of("", " WHERE \"Region Name\" = 'a=b'", " WHERE \"Region Name\" IS NULL", " WHERE year(ts) = 2024"));
  }

  @Test
  void calendarPartsOfTimestamptzAreTakenInTheSessionTimeZoneAsDuckDbTakesThem() {
    // Hours around New York's DST changes of 2024 and the year's end, an infinity and a NULL.
    String source = "SELECT i::INTEGER AS id, CASE WHEN i = 0 THEN 'infinity'::TIMESTAMPTZ WHEN i = 1 THEN NULL"
        + " ELSE TIMESTAMPTZ '2024-03-10 05:30:00+00' + INTERVAL ((i - 2) * 40) MINUTE"
        + " + INTERVAL (CASE WHEN i >= 40 THEN 238 ELSE 0 END) DAY END AS ts,"
        + " CASE WHEN i = 3 THEN 'infinity'::TIMESTAMP ELSE TIMESTAMP '2024-12-31 23:00:00' END AS local_ts"
        + " FROM range(80) r(i)";
    duckdb.execute("SET TimeZone = 'America/New_York'");
    try {
      writeBoth("tz", source, "year(ts), month(ts), day(ts), hour(ts), year(local_ts)",
          "SELECT id, " + MICROS.replace("x", "ts") + ", " + MICROS.replace("x", "local_ts") + " FROM parts.theirs",
          r -> new Object[] {((BigInteger) r.get(0)).longValue(), r.get(1) == null ? null
              : ((BigInteger) r.get(1)).longValue(), ((BigInteger) r.get(2)).longValue()},
          List.of("", " WHERE ts = TIMESTAMPTZ '2024-03-10 07:30:00+00'", " WHERE ts IS NULL",
              " WHERE hour(ts) = 1", " WHERE isinf(ts)"),
          Map.of("time_zone", "America/New_York"));
    } finally {
      duckdb.execute("SET TimeZone = 'UTC'");
    }
  }

  /** A timestamp x as the engine keeps it: microseconds, infinity as the largest long. */
  private static final String MICROS = "CASE WHEN isinf(x) THEN 9223372036854775807 ELSE epoch_us(x) END";

  @Test
  void bucketsOfStringsUuidsAndSmallIntegersMatchDuckDbs() {
    String source = "SELECT i::SMALLINT AS s, (i * 3 % 250)::UTINYINT AS v,"
        + " ('00000000-0000-0000-0000-' || lpad(i::VARCHAR, 12, '0'))::UUID AS u, i % 2 = 0 AS b"
        + " FROM range(100) r(i)";
    writeBoth("bucket2", source, "bucket(7, s), bucket(2, v), bucket(3, u), bucket(2, b)",
        "SELECT s, v, u, b FROM parts.theirs",
        r -> new Object[] {((BigInteger) r.get(0)).longValue(), ((BigInteger) r.get(1)).longValue(), r.get(2),
            r.get(3)},
        List.of("", " WHERE s = 17", " WHERE u = '00000000-0000-0000-0000-000000000042'", " WHERE b", " WHERE v = 30"));
  }
}
