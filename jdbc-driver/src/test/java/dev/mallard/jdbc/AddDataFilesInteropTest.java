package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain Parquet files (no field ids) that DuckDB 1.5.5 registered with
 * {@code ducklake_add_data_files}, read through their name mapping: columns in another order, a
 * missing column, a renamed column, narrower types, nested values, hive partition directories,
 * deletes on such files and the change feed, compared row for row with DuckDB.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AddDataFilesInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;
  private Connection mallard;
  private long last;
  /** The snapshots that created f and h. */
  private long fCreated;
  private long hCreated;

  @BeforeAll
  void setUp() throws Exception {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    Path files = Files.createDirectories(dir.resolve("external"));
    duckdb.execute("CREATE TABLE lake.t (id INTEGER, name VARCHAR, score DOUBLE, s STRUCT(a INTEGER, b VARCHAR),"
        + " l INTEGER[])");
    // In table order.
    add(files, "inorder", "SELECT i::INTEGER AS id, 'n' || i AS name, (i * 1.5)::DOUBLE AS score,"
        + " {'a': i::INTEGER, 'b': 'b' || i} AS s, [i::INTEGER, NULL, 2] AS l FROM range(0, 300) r(i)", "");
    // Another column order, struct fields in another order too, and a narrower integer type.
    add(files, "reordered", "SELECT [i::INTEGER] AS l, {'b': 'r' || i, 'a': (i * 2)::INTEGER} AS s,"
        + " (i * 0.25)::FLOAT AS score, 'r' || i AS name, i::SMALLINT AS id FROM range(300, 600) r(i)", "");
    // Missing columns.
    add(files, "missing", "SELECT i::INTEGER AS id, 'm' || i AS name FROM range(600, 700) r(i)",
        ", allow_missing => true");
    duckdb.execute("ALTER TABLE lake.t RENAME COLUMN name TO label");
    duckdb.execute("ALTER TABLE lake.t ADD COLUMN extra INTEGER DEFAULT 7");
    // After the rename: the file has the new name.
    add(files, "renamed", "SELECT i::INTEGER AS id, 'after' || i AS label, NULL::DOUBLE AS score,"
        + " NULL::STRUCT(a INTEGER, b VARCHAR) AS s, [] :: INTEGER[] AS l, i::INTEGER AS extra"
        + " FROM range(700, 750) r(i)", "");
    duckdb.execute("INSERT INTO lake.t (id, label) SELECT i, 'written' || i FROM range(750, 760) r(i)");
    duckdb.execute("DELETE FROM lake.t WHERE id % 7 = 0 OR id BETWEEN 640 AND 660");
    duckdb.execute("UPDATE lake.t SET label = 'updated' WHERE id % 50 = 1");

    // A table without nested columns, for the change feed (which does not read nested columns yet).
    duckdb.execute("CREATE TABLE lake.f (id INTEGER, name VARCHAR, score DOUBLE)");
    fCreated = latest();
    addTo("f", files, "f1", "SELECT 'f' || i AS name, i::INTEGER AS id, i / 4 AS score FROM range(0, 50) r(i)", "");
    addTo("f", files, "f2", "SELECT i::SMALLINT AS id FROM range(50, 80) r(i)", ", allow_missing => true");
    duckdb.execute("DELETE FROM lake.f WHERE id % 9 = 0");
    duckdb.execute("ALTER TABLE lake.f RENAME COLUMN name TO label");
    duckdb.execute("UPDATE lake.f SET label = 'u' WHERE id % 10 = 1");

    // Hive partitioned files: the partition column comes from the directory names.
    duckdb.execute("CREATE TABLE lake.h (region VARCHAR, day INTEGER, v BIGINT)");
    hCreated = latest();
    duckdb.execute("COPY (SELECT CASE WHEN i % 3 = 0 THEN 'north' WHEN i % 3 = 1 THEN 'south' ELSE NULL END"
        + " AS region, (i % 4)::INTEGER AS day, i AS v FROM range(0, 400) r(i)) TO '" + files.resolve("hive")
        + "' (FORMAT PARQUET, PARTITION_BY (region, day))");
    duckdb.execute("CALL ducklake_add_data_files('lake', 'h', '" + files.resolve("hive") + "/**/*.parquet',"
        + " hive_partitioning => true)");
    duckdb.execute("DELETE FROM lake.h WHERE v % 10 = 3");
    last = latest();
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  private long latest() {
    return ((BigInteger) duckdb.query("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')").scalar()).longValue();
  }

  private void add(Path files, String name, String query, String options) {
    addTo("t", files, name, query, options);
  }

  private void addTo(String table, Path files, String name, String query, String options) {
    Path file = files.resolve(name + ".parquet");
    duckdb.execute("COPY (" + query + ") TO '" + file + "' (FORMAT PARQUET)");
    duckdb.execute("CALL ducklake_add_data_files('lake', '" + table + "', '" + file + "'" + options + ")");
  }

  @AfterAll
  void tearDown() throws SQLException {
    if (mallard != null) {
      mallard.close();
    }
    duckdb.close();
  }

  private void compare(String mallardSql, String duckdbSql) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(mallardSql)) {
      assertSameRows(duckdb.query(duckdbSql), rs, true);
    }
  }

  private void compare(String sql) throws SQLException {
    compare(sql, sql.replace(" FROM t", " FROM lake.t").replace(" FROM h", " FROM lake.h")
        .replace(" FROM f", " FROM lake.f"));
  }

  @Test
  void theFilesHaveNoFieldIdsAndANameMapping() {
    assertThat(duckdb.query("SELECT count(*) FROM __ducklake_metadata_lake.ducklake_data_file"
        + " WHERE mapping_id IS NOT NULL").scalar()).isEqualTo(BigInteger.valueOf(4 + 2 + 12));
    assertThat(duckdb.query("SELECT count(*) FROM __ducklake_metadata_lake.ducklake_name_mapping"
        + " WHERE is_partition").scalar()).isNotEqualTo(BigInteger.ZERO);
  }

  @Test
  void readsEveryColumnByName() throws SQLException {
    compare("SELECT * FROM t ORDER BY id");
    compare("SELECT id, s.b, l[1] FROM t WHERE s.a > 1000 ORDER BY id",
        "SELECT id, s.b, l[1] FROM lake.t WHERE s.a > 1000 ORDER BY id");
  }

  @Test
  void filtersAndAggregates() throws SQLException {
    compare("SELECT count(*), count(score), count(extra), sum(extra), min(label), max(label) FROM t");
    compare("SELECT id, label FROM t WHERE id BETWEEN 290 AND 310 ORDER BY id");
    compare("SELECT id, label, extra FROM t WHERE label LIKE 'after%' OR label = 'updated' ORDER BY id");
    compare("SELECT count(*) FROM t WHERE score IS NULL");
  }

  @Test
  void hivePartitionColumnsComeFromThePath() throws SQLException {
    compare("SELECT * FROM h ORDER BY v");
    compare("SELECT region, day, count(*), sum(v) FROM h GROUP BY region, day ORDER BY region NULLS FIRST, day");
    compare("SELECT v FROM h WHERE region = 'north' AND day = 2 ORDER BY v");
    compare("SELECT count(*) FROM h WHERE region IS NULL");
  }

  @Test
  void theChangeFeedReadsMappedFiles() throws SQLException {
    compare("SELECT * FROM f ORDER BY id");
    for (String table : new String[] {"f", "h"}) {
      long created = table.equals("f") ? fCreated : hCreated;
      for (long s = created; s <= last; s++) {
        String insertions = "SELECT snapshot_id, rowid, * FROM ducklake_table_insertions('lake', 'main', '" + table
            + "', " + s + ", " + s + ")";
        try (ResultSet rs = mallard.createStatement().executeQuery(insertions)) {
          assertSameRows(duckdb.query(insertions), rs, false);
        }
        String changes = "SELECT * FROM ducklake_table_changes('lake', 'main', '" + table + "', " + created + ", "
            + s + ")";
        try (ResultSet rs = mallard.createStatement().executeQuery(changes)) {
          assertSameRows(duckdb.query(changes), rs, false);
        }
      }
    }
  }
}
