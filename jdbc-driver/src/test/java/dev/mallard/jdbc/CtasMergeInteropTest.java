package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigInteger;
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

/** CREATE TABLE ... AS and MERGE INTO through Mallard's SQL: DuckDB 1.5.5 reads the same tables as it would have made. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CtasMergeInteropTest {
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

  /** A lake at dir/name attached in DuckDB as {@code name}, with a source table; returns its catalog path. */
  private Path lake(String name, int rows) throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, name);
    duckdb.execute("CREATE TABLE " + name + ".src (id INTEGER, big BIGINT, name VARCHAR, price DECIMAL(10,2),"
        + " day DATE, ok BOOLEAN, score DOUBLE, ts TIMESTAMP)");
    duckdb.execute("INSERT INTO " + name + ".src SELECT i, i * 1000000000, 'name ' || i, (i * 1.25)::DECIMAL(10,2),"
        + " DATE '2024-01-01' + (i % 400)::INTEGER, i % 3 = 0, CASE WHEN i % 7 = 0 THEN NULL ELSE i / 3.0 END,"
        + " TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE FROM range(" + rows + ") r(i)");
    return catalog;
  }

  private <T> T inLake(String lake, java.util.function.Supplier<T> query) {
    duckdb.execute("USE " + lake);
    try {
      return query.get();
    } finally {
      duckdb.execute("USE memory");
    }
  }

  private void compare(Connection mallard, String lake, String sql) throws SQLException {
    duckdb.execute("USE " + lake);
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, true);
    } finally {
      duckdb.execute("USE memory");
    }
  }

  /** Column names and types of a table as DuckDB describes it. */
  private List<List<Object>> columns(String lake, String table) {
    return inLake(lake, () -> duckdb.query("SELECT column_name, column_type FROM (DESCRIBE " + table + ")").rows());
  }

  private long snapshots(String lake) {
    return ((BigInteger) duckdb.query("SELECT count(*) FROM " + lake + ".snapshots()").scalar()).longValue();
  }

  private String lastChanges(String lake) {
    return duckdb.query("SELECT changes FROM " + lake + ".snapshots() ORDER BY snapshot_id DESC LIMIT 1").scalar()
        .toString();
  }

  private static final String QUERY = "SELECT id, big, name, price, day, ok, score, ts, id * 2 AS twice,"
      + " 'lit' AS lit, 1.5 AS dec, CAST(NULL AS VARCHAR) AS nothing FROM src WHERE id < 10";

  @Test
  void aSmallCtasIsOneSnapshotWithInlinedRowsAndDuckDbsTypes() throws Exception {
    Path catalog = lake("small", 20);
    duckdb.execute("USE small");
    duckdb.execute("CREATE TABLE by_duckdb AS " + QUERY);
    duckdb.execute("USE memory");
    String duckDbChanges = lastChanges("small");
    long before = snapshots("small");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE by_mallard AS " + QUERY);
      compare(c, "small", "SELECT * FROM by_mallard ORDER BY id");
    }
    assertThat(snapshots("small")).isEqualTo(before + 1);
    assertThat(columns("small", "by_mallard")).isEqualTo(columns("small", "by_duckdb"));
    assertThat(inLake("small", () -> duckdb.query("SELECT * FROM by_mallard ORDER BY id").rows()))
        .isEqualTo(inLake("small", () -> duckdb.query("SELECT * FROM by_duckdb ORDER BY id").rows()));
    assertThat(lastChanges("small")).isEqualTo(duckDbChanges.replace("by_duckdb", "by_mallard")
        .replaceAll("inlined_insert=\\[\\d+\\]", "inlined_insert=[" + tableId("small", "by_mallard") + "]"));
  }

  private long tableId(String lake, String table) {
    return ((Number) duckdb.query("SELECT table_id FROM __ducklake_metadata_" + lake + ".ducklake_table"
        + " WHERE table_name = '" + table + "' AND end_snapshot IS NULL").scalar()).longValue();
  }

  @Test
  void aLargeCtasWritesParquetInTheSameSnapshot() throws Exception {
    Path catalog = lake("large", 5000);
    duckdb.execute("CREATE TABLE large.by_duckdb AS SELECT * FROM large.src");
    String duckDbChanges = lastChanges("large");
    long before = snapshots("large");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE by_mallard AS SELECT * FROM src");
      compare(c, "large", "SELECT * FROM by_mallard ORDER BY id");
    }
    assertThat(snapshots("large")).isEqualTo(before + 1);
    assertThat(columns("large", "by_mallard")).isEqualTo(columns("large", "src"));
    assertThat(lastChanges("large")).isEqualTo(duckDbChanges.replace("by_duckdb", "by_mallard")
        .replaceAll("tables_inserted_into=\\[\\d+\\]", "tables_inserted_into=[" + tableId("large", "by_mallard") + "]"));
    assertThat(lastChanges("large")).contains("tables_inserted_into");
    assertThat(duckdb.query("SELECT count(*) FROM __ducklake_metadata_large.ducklake_data_file WHERE table_id = "
        + tableId("large", "by_mallard")).scalar()).isEqualTo(BigInteger.ONE);
    assertThat(inLake("large", () -> duckdb.query("SELECT rowid, * FROM by_mallard ORDER BY rowid").rows()))
        .isEqualTo(inLake("large", () -> duckdb.query("SELECT rowid, * FROM by_duckdb ORDER BY rowid").rows()));
  }

  @Test
  void columnNamesIfNotExistsAndOrReplace() throws Exception {
    Path catalog = lake("named", 5);
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE t (a, b) AS SELECT id, name FROM src");
      long after = snapshots("named");
      s.executeUpdate("CREATE TABLE IF NOT EXISTS t AS SELECT 1 AS other");
      assertThat(snapshots("named")).isEqualTo(after);
      assertThatThrownBy(() -> s.executeUpdate("CREATE TABLE t AS SELECT 1 AS other"))
          .isInstanceOf(SQLException.class).hasMessageContaining("already exists");
      assertThatThrownBy(() -> s.executeUpdate("CREATE TABLE u (a, b, c) AS SELECT id, name FROM src"))
          .isInstanceOf(SQLException.class).hasMessageContaining("names 3 columns but its query returns 2");
      compare(c, "named", "SELECT a, b FROM t ORDER BY a");
      s.executeUpdate("CREATE OR REPLACE TABLE t AS SELECT name AS n FROM src WHERE id = 3");
      compare(c, "named", "SELECT * FROM t");
    }
    assertThat(columns("named", "t")).isEqualTo(List.of(List.of("n", "VARCHAR")));
  }

  @Test
  void aCtasInATransactionIsSeenByItsLaterStatementsAndRollsBackCleanly() throws Exception {
    Path catalog = lake("txn", 5);
    long before = snapshots("txn");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("CREATE TABLE t AS SELECT id, name FROM src");
      s.executeUpdate("INSERT INTO t VALUES (100, 'new')");
      s.executeUpdate("DELETE FROM t WHERE id = 0");
      assertThat(Rows.query(c, "SELECT count(*), max(id) FROM t")).containsExactly(List.of("5", "100"));
      c.rollback();
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM t")).isInstanceOf(SQLException.class);
      assertThat(snapshots("txn")).isEqualTo(before);

      s.executeUpdate("CREATE TABLE t AS SELECT id, name FROM src");
      s.executeUpdate("INSERT INTO t VALUES (100, 'new')");
      c.commit();
      compare(c, "txn", "SELECT * FROM t ORDER BY id");
    }
    assertThat(snapshots("txn")).isEqualTo(before + 1);
  }

  @Test
  void aFailingCtasLeavesNoTable() throws Exception {
    Path catalog = lake("bad", 5);
    long before = snapshots("bad");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("CREATE TABLE t AS SELECT nope FROM src"))
          .isInstanceOf(SQLException.class).hasMessageContaining("nope");
      // Fails while its rows are written, after the table was made.
      assertThatThrownBy(() -> s.executeUpdate("CREATE TABLE t AS SELECT CAST(name AS INTEGER) AS n FROM src"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM t")).isInstanceOf(SQLException.class);
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO src (id) VALUES (99)");
      assertThatThrownBy(() -> s.executeUpdate("CREATE TABLE t AS SELECT CAST(name AS INTEGER) AS n FROM src"))
          .isInstanceOf(SQLException.class);
      // A CTAS refused because its table exists leaves that table alone.
      assertThatThrownBy(() -> s.executeUpdate("CREATE TABLE src AS SELECT 1 AS one"))
          .isInstanceOf(SQLException.class).hasMessageContaining("already exists");
      assertThat(Rows.query(c, "SELECT count(*) FROM src")).containsExactly(List.of("6"));
      c.commit();
    }
    assertThat(snapshots("bad")).isEqualTo(before + 1);
    assertThat(lastChanges("bad")).isEqualTo("{inlined_insert=[" + tableId("bad", "src") + "]}");
    assertThat(duckdb.query("SELECT count(*) FROM __ducklake_metadata_bad.ducklake_table WHERE table_name = 't'")
        .scalar()).isEqualTo(BigInteger.ZERO);
  }

  @Test
  void mergeUpdatesMatchedRowsAndInsertsTheOthersAsDuckDbDoes() throws Exception {
    Path catalog = lake("merge", 400);
    for (String table : List.of("by_duckdb", "by_mallard")) {
      // A Parquet file and inlined rows.
      duckdb.execute("CREATE TABLE merge." + table + " AS SELECT id, name FROM merge.src WHERE id < 50 OR id >= 250");
      duckdb.execute("INSERT INTO merge." + table + " VALUES (100, 'inline'), (200, 'kept')");
    }
    duckdb.execute("CREATE TABLE merge.upd AS SELECT i::INTEGER AS id, 'new ' || i AS name FROM range(0, 400, 2) r(i)"
        + " UNION ALL SELECT 1001, 'new 1001'");
    String merge = " t USING upd u ON t.id = u.id WHEN MATCHED THEN UPDATE SET name = u.name"
        + " WHEN NOT MATCHED THEN INSERT VALUES (u.id, u.name)";
    duckdb.execute("USE merge");
    duckdb.execute("MERGE INTO by_duckdb" + merge);
    duckdb.execute("USE memory");
    long duckDbMerge = lastSnapshot("merge");
    long before = snapshots("merge");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      // Matched, updated: 0..48 and 250..398 even (Parquet rows), 100 (inlined); inserted: the other 100.
      // Both more than the inlining limit: new Parquet files.
      assertThat(s.executeUpdate("MERGE INTO by_mallard" + merge)).isEqualTo(201);
      compare(c, "merge", "SELECT * FROM by_mallard ORDER BY id");
    }
    assertThat(snapshots("merge")).isEqualTo(before + 1);
    assertThat(inLake("merge", () -> duckdb.query("SELECT * FROM by_mallard ORDER BY id").rows()))
        .isEqualTo(inLake("merge", () -> duckdb.query("SELECT * FROM by_duckdb ORDER BY id").rows()));
    // Updated rows keep their row ids, so the change feed shows them as DuckDB's MERGE does.
    long mallardMerge = lastSnapshot("merge");
    assertThat((Number) duckdb.query("SELECT count(*) FROM __ducklake_metadata_merge.ducklake_data_file"
        + " WHERE table_id = " + tableId("merge", "by_mallard") + " AND begin_snapshot = " + mallardMerge).scalar())
        .isEqualTo(BigInteger.TWO);
    String feed = "SELECT change_type, id, name FROM table_changes('%s', %d, %d) ORDER BY id, change_type";
    assertThat(inLake("merge", () -> duckdb.query(feed.formatted("by_mallard", mallardMerge, mallardMerge)).rows()))
        .isEqualTo(inLake("merge", () -> duckdb.query(feed.formatted("by_duckdb", duckDbMerge, duckDbMerge)).rows()));
  }

  private long lastSnapshot(String lake) {
    return ((Number) duckdb.query("SELECT max(snapshot_id) FROM " + lake + ".snapshots()").scalar()).longValue();
  }

  @Test
  void mergeWithOnlyUpdateOrOnlyInsertAndATargetRowMatchedTwice() throws Exception {
    Path catalog = lake("merge2", 10);
    for (String table : List.of("by_duckdb", "by_mallard")) {
      duckdb.execute("CREATE TABLE merge2." + table + " AS SELECT id, name FROM merge2.src WHERE id < 5");
    }
    String update = " t USING src ON t.id = src.id WHEN MATCHED THEN UPDATE SET name = src.name || '!'";
    String insert = " t USING src ON t.id = src.id WHEN NOT MATCHED THEN INSERT VALUES (src.id + 100, src.name)";
    duckdb.execute("USE merge2");
    duckdb.execute("MERGE INTO by_duckdb" + update);
    duckdb.execute("MERGE INTO by_duckdb" + insert);
    duckdb.execute("USE memory");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("MERGE INTO by_mallard" + update)).isEqualTo(5);
      assertThat(s.executeUpdate("MERGE INTO by_mallard" + insert)).isEqualTo(5);
      compare(c, "merge2", "SELECT * FROM by_mallard ORDER BY id");
      long before = snapshots("merge2");
      String twice = " t USING (SELECT id FROM src UNION ALL SELECT id FROM src) u ON t.id = u.id"
          + " WHEN MATCHED THEN UPDATE SET name = 'twice'";
      assertThatThrownBy(() -> s.executeUpdate("MERGE INTO by_mallard" + twice))
          .isInstanceOf(SQLException.class).hasMessageContaining("matches more than one source row");
      // (DuckDB 1.5.5 accepts it, the last match winning.)
      c.setAutoCommit(false);
      assertThat(s.executeUpdate("MERGE INTO by_mallard" + update.replace("src.name || '!'", "t.name || '?'")))
          .isEqualTo(5);
      assertThat(Rows.query(c, "SELECT name FROM by_mallard WHERE id = 0")).containsExactly(List.of("name 0!?"));
      c.rollback();
      assertThat(snapshots("merge2")).isEqualTo(before);
    }
    assertThat(inLake("merge2", () -> duckdb.query("SELECT * FROM by_mallard ORDER BY id").rows()))
        .isEqualTo(inLake("merge2", () -> duckdb.query("SELECT * FROM by_duckdb ORDER BY id").rows()));
  }
}
