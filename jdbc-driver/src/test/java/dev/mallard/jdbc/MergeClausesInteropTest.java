package dev.mallard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB's MERGE INTO clauses (conditions, several clauses of a kind, DELETE, NOT MATCHED BY SOURCE,
 * DO NOTHING, ERROR, UPDATE / INSERT shorthands): each MERGE runs in Mallard on one table and in
 * DuckDB 1.5.5 on an identical table of the same lake; DuckDB then reads both tables, their change
 * feeds and their snapshots' changes, which must be the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MergeClausesInteropTest {
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

  /**
   * A lake with tables by_duckdb and by_mallard, made alike by DuckDB: ids 0..39 in a Parquet file
   * and 100, 101 inlined; n is NOT NULL with a default. And a source table src: ids 0..59 even,
   * 100, and 200, 201; its name is NULL for ids divisible by 4.
   */
  private Path lake(String name) {
    Path catalog = TestLakes.attachNamed(duckdb, dir, name);
    duckdb.execute("USE " + name);
    for (String table : List.of("by_duckdb", "by_mallard")) {
      duckdb.execute("CREATE TABLE " + table + " (id INTEGER, name VARCHAR, n INTEGER NOT NULL DEFAULT 7)");
      duckdb.execute("INSERT INTO " + table + " SELECT i, 'row ' || i, i FROM range(40) r(i)");
      duckdb.execute("INSERT INTO " + table + " VALUES (100, 'inline', 1), (101, 'inline too', 2)");
    }
    duckdb.execute("CREATE TABLE src AS SELECT i::INTEGER AS id, CASE WHEN i % 4 = 0 THEN NULL ELSE 'new ' || i END"
        + " AS name, (i * 10)::INTEGER AS n FROM range(0, 60, 2) r(i)"
        + " UNION ALL SELECT * FROM (VALUES (100, 'new 100', 1000), (200, 'new 200', 2000), (201, NULL, 2010))");
    duckdb.execute("USE memory");
    return catalog;
  }

  /**
   * Runs {@code merge} (with %s for the target table) in DuckDB on by_duckdb and in Mallard on
   * by_mallard, and compares counts, contents with row ids, change feeds and snapshot changes.
   */
  private void sameAsDuckDb(String lake, Connection mallard, String merge) throws SQLException {
    sameAsDuckDb(lake, mallard, merge, -1);
  }

  /**
   * @param count the statement's row count, or -1 for DuckDB's: its inserted, deleted and updated
   *     rows (the fixture does not return DuckDB's own count of a MERGE)
   */
  private void sameAsDuckDb(String lake, Connection mallard, String merge, long count) throws SQLException {
    // Rows a MERGE inserts get new row ids in the order its join produced them, which differs
    // (DuckDB's hash join is parallel): the rows made alike by lake() are compared with their row
    // ids, the others without.
    long oldRows = ((Number) rows(lake, "SELECT max(rowid) + 1 FROM by_duckdb").get(0).get(0)).longValue();
    duckdb.execute("USE " + lake);
    try {
      duckdb.execute(merge.formatted("by_duckdb"));
    } finally {
      duckdb.execute("USE memory");
    }
    long duckDbSnapshot = lastSnapshot(lake);
    long duckDbCount = count >= 0 ? count : ((Number) rows(lake, ("SELECT count(*) FROM table_changes('by_duckdb', %d, %d)"
        + " WHERE change_type <> 'update_preimage'").formatted(duckDbSnapshot, duckDbSnapshot)).get(0).get(0)).longValue();
    String duckDbChanges = lastChanges(lake);
    long mallardCount;
    try (Statement s = mallard.createStatement()) {
      mallardCount = s.executeUpdate(merge.formatted("by_mallard"));
    }
    long mallardSnapshot = lastSnapshot(lake);
    assertThat(mallardSnapshot).isEqualTo(duckDbSnapshot + 1);
    assertThat(mallardCount).isEqualTo(duckDbCount);
    for (String query : List.of("SELECT rowid, * FROM %s WHERE rowid < " + ROWS_MADE_ALIKE + " ORDER BY rowid",
        "SELECT * FROM %s ORDER BY ALL",
        "SELECT count(DISTINCT rowid), min(rowid) FROM %s WHERE rowid >= " + oldRows)) {
      assertThat(rows(lake, query.formatted("by_mallard"))).isEqualTo(rows(lake, query.formatted("by_duckdb")));
    }
    String feed = "SELECT change_type, CASE WHEN rowid < " + ROWS_MADE_ALIKE + " THEN rowid END, id, name, n"
        + " FROM table_changes('%s', %d, %d) ORDER BY ALL";
    assertThat(rows(lake, feed.formatted("by_mallard", mallardSnapshot, mallardSnapshot)))
        .isEqualTo(rows(lake, feed.formatted("by_duckdb", duckDbSnapshot, duckDbSnapshot)));
    assertThat(lastChanges(lake)).isEqualTo(duckDbChanges.replaceAll("\\b" + tableId(lake, "by_duckdb") + "\\b",
        Long.toString(tableId(lake, "by_mallard"))));
  }

  /** lake()'s tables' rows: row ids 0 to 41. */
  private static final int ROWS_MADE_ALIKE = 42;

  private List<List<Object>> rows(String lake, String sql) {
    duckdb.execute("USE " + lake);
    try {
      return duckdb.query(sql).rows();
    } finally {
      duckdb.execute("USE memory");
    }
  }

  private long lastSnapshot(String lake) {
    return ((Number) duckdb.query("SELECT max(snapshot_id) FROM " + lake + ".snapshots()").scalar()).longValue();
  }

  private long snapshots(String lake) {
    return ((BigInteger) duckdb.query("SELECT count(*) FROM " + lake + ".snapshots()").scalar()).longValue();
  }

  private String lastChanges(String lake) {
    return duckdb.query("SELECT changes FROM " + lake + ".snapshots() ORDER BY snapshot_id DESC LIMIT 1").scalar()
        .toString();
  }

  private long tableId(String lake, String table) {
    return ((Number) duckdb.query("SELECT table_id FROM __ducklake_metadata_" + lake + ".ducklake_table"
        + " WHERE table_name = '" + table + "' AND end_snapshot IS NULL").scalar()).longValue();
  }

  @Test
  void deleteMatchedRowsInParquetAndInline() throws Exception {
    Path catalog = lake("del");
    try (Connection c = Mallard.connect("sqlite:" + catalog)) {
      sameAsDuckDb("del", c, "MERGE INTO %s t USING src s ON t.id = s.id WHEN MATCHED THEN DELETE");
      // A target row two source rows match is deleted once, each match counted, as DuckDB does.
      sameAsDuckDb("del", c, "MERGE INTO %s t USING (SELECT id + 1 AS id FROM src UNION ALL SELECT id + 1 FROM src)"
          + " s ON t.id = s.id WHEN MATCHED AND t.id < 20 THEN DELETE", 20);
    }
  }

  @Test
  void conditionalClausesActInOrder() throws Exception {
    Path catalog = lake("cond");
    try (Connection c = Mallard.connect("sqlite:" + catalog)) {
      sameAsDuckDb("cond", c, "MERGE INTO %s AS t USING src AS s ON t.id = s.id"
          + " WHEN MATCHED AND s.name IS NULL THEN DO NOTHING"
          + " WHEN MATCHED AND t.id < 30 THEN UPDATE SET name = s.name || ' from ' || t.name, n = t.n + s.n"
          + " WHEN NOT MATCHED AND s.name IS NULL THEN INSERT (id) VALUES (s.id)"
          + " WHEN NOT MATCHED BY TARGET AND s.id > 200 THEN DO NOTHING"
          + " WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.name, DEFAULT)");
      sameAsDuckDb("cond", c, "MERGE INTO %s t USING src s ON t.id = s.id"
          + " WHEN MATCHED AND s.id %% 3 = 0 THEN DELETE WHEN MATCHED THEN DO NOTHING"
          + " WHEN NOT MATCHED AND s.id = 200 THEN INSERT DEFAULT VALUES");
    }
  }

  @Test
  void notMatchedBySource() throws Exception {
    Path catalog = lake("bysource");
    try (Connection c = Mallard.connect("sqlite:" + catalog)) {
      sameAsDuckDb("bysource", c, "MERGE INTO %s t USING src s ON t.id = s.id"
          + " WHEN NOT MATCHED BY SOURCE AND t.id %% 3 = 0 THEN DELETE WHEN NOT MATCHED THEN INSERT *");
      sameAsDuckDb("bysource", c, "MERGE INTO %s t USING (SELECT * FROM src WHERE id < 20) s ON t.id = s.id"
          + " WHEN NOT MATCHED BY SOURCE THEN UPDATE SET name = 'orphan ' || t.id, n = 0");
    }
  }

  @Test
  void updateAndInsertShorthands() throws Exception {
    Path catalog = lake("star");
    try (Connection c = Mallard.connect("sqlite:" + catalog)) {
      sameAsDuckDb("star", c, "MERGE INTO %s t USING (SELECT id, coalesce(name, '?') AS name, n FROM src) s"
          + " ON t.id = s.id WHEN MATCHED THEN UPDATE WHEN NOT MATCHED THEN INSERT");
      sameAsDuckDb("star", c, "MERGE INTO %s t USING (SELECT id + 1 AS id, 'x' AS name, 5 AS n FROM src) s"
          + " ON t.id = s.id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
    }
  }

  @Test
  void errorClausesAndFailuresChangeNothing() throws Exception {
    Path catalog = lake("fail");
    long before = snapshots("fail");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("MERGE INTO by_mallard t USING src ON t.id = src.id"
          + " WHEN MATCHED AND src.id = 100 THEN ERROR 'id ' || src.id || ' is taken'"
          + " WHEN NOT MATCHED THEN INSERT *")).isInstanceOf(SQLException.class)
          .hasMessageContaining("error condition WHEN MATCHED: id 100 is taken");
      // Deletes and inserts come before the NULL that n refuses.
      assertThatThrownBy(() -> s.executeUpdate("MERGE INTO by_mallard t USING src ON t.id = src.id"
          + " WHEN MATCHED AND src.id < 10 THEN DELETE WHEN NOT MATCHED THEN INSERT (id, n) VALUES (src.id,"
          + " CASE WHEN src.id = 201 THEN NULL ELSE 1 END)")).isInstanceOf(SQLException.class)
          .hasMessageContaining("NULL is not allowed in column n");
      assertThat(snapshots("fail")).isEqualTo(before);

      c.setAutoCommit(false);
      s.executeUpdate("DELETE FROM by_mallard WHERE id = 1");
      assertThatThrownBy(() -> s.executeUpdate("MERGE INTO by_mallard t USING src ON t.id = src.id"
          + " WHEN MATCHED THEN UPDATE SET n = CASE WHEN src.id = 100 THEN NULL ELSE 0 END"
          + " WHEN NOT MATCHED THEN INSERT *")).isInstanceOf(SQLException.class)
          .hasMessageContaining("NULL is not allowed in column n");
      // The transaction goes on, without the failed MERGE.
      assertThat(Rows.query(c, "SELECT count(*), sum(n) FROM by_mallard")).containsExactly(List.of("41", "782"));
      assertThat(s.executeUpdate("MERGE INTO by_mallard t USING src ON t.id = src.id WHEN MATCHED THEN DELETE"))
          .isEqualTo(21);
      assertThat(Rows.query(c, "SELECT count(*) FROM by_mallard")).containsExactly(List.of("20"));
      c.rollback();
      assertThat(Rows.query(c, "SELECT count(*) FROM by_mallard")).containsExactly(List.of("42"));
    }
    assertThat(snapshots("fail")).isEqualTo(before);
    assertThat(rows("fail", "SELECT rowid, * FROM by_mallard ORDER BY rowid"))
        .isEqualTo(rows("fail", "SELECT rowid, * FROM by_duckdb ORDER BY rowid"));
  }

  @Test
  void mergeInATransactionIsOneSnapshotWithTheOtherStatements() throws Exception {
    Path catalog = lake("txn");
    long before = snapshots("txn");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO by_mallard VALUES (300, 'txn', 3)");
      assertThat(s.executeUpdate("MERGE INTO by_mallard t USING (SELECT 300 AS id UNION ALL SELECT 2) s"
          + " ON t.id = s.id WHEN MATCHED THEN UPDATE SET name = 'merged'")).isEqualTo(2);
      assertThat(Rows.query(c, "SELECT id, name FROM by_mallard WHERE name = 'merged' ORDER BY id"))
          .containsExactly(List.of("2", "merged"), List.of("300", "merged"));
      c.commit();
    }
    assertThat(snapshots("txn")).isEqualTo(before + 1);
    assertThat(rows("txn", "SELECT id, name FROM by_mallard WHERE name = 'merged' ORDER BY id").toString())
        .isEqualTo("[[2, merged], [300, merged]]");
  }

  /**
   * DuckDB 1.5.5 allows one UPDATE or DELETE clause in a MERGE into a DuckLake table; Mallard allows
   * more. The answer is compared with DuckDB's MERGE into a DuckDB table of the same rows.
   */
  @Test
  void severalUpdateAndDeleteClausesAsDuckDbDoesOnItsOwnTables() throws Exception {
    Path catalog = lake("many");
    String merge = "MERGE INTO %s t USING src s ON t.id = s.id"
        + " WHEN MATCHED AND s.id < 10 THEN DELETE"
        + " WHEN MATCHED AND s.name IS NULL THEN UPDATE SET name = 'was null'"
        + " WHEN MATCHED THEN UPDATE SET n = s.n"
        + " WHEN NOT MATCHED BY SOURCE AND t.id > 30 THEN DELETE"
        + " WHEN NOT MATCHED BY SOURCE THEN UPDATE SET name = 'alone'"
        + " WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.name, s.n)";
    duckdb.execute("USE many");
    duckdb.execute("DETACH DATABASE IF EXISTS native");
    duckdb.execute("ATTACH ':memory:' AS native");
    duckdb.execute("CREATE TABLE native.t AS SELECT * FROM by_duckdb");
    duckdb.execute("CREATE TABLE native.src AS SELECT * FROM src");
    duckdb.execute("USE native");
    duckdb.execute(merge.formatted("t"));
    List<List<Object>> expected = duckdb.query("SELECT * FROM t ORDER BY id").rows();
    duckdb.execute("USE memory");
    duckdb.execute("DETACH native");
    assertThatThrownBy(() -> duckdb.execute(merge.formatted("many.by_duckdb").replace("src", "many.src")))
        .hasMessageContaining("only supports a single UPDATE/DELETE action");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      // Deleted: 0..8 even (5); updated: 10..38 even, 100 (16); alone: 1..39 odd, 101 (21); inserted: 40..58, 200, 201 (12).
      assertThat(s.executeUpdate(merge.formatted("by_mallard"))).isEqualTo(54);
    }
    assertThat(rows("many", "SELECT * FROM by_mallard ORDER BY id")).isEqualTo(expected);
  }

  @Test
  void aTargetRowUpdatedByTwoSourceRowsIsAnError() throws Exception {
    Path catalog = lake("twice");
    long before = snapshots("twice");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      // DuckDB 1.5.5 updates the row with one of the two; which one is not defined.
      assertThatThrownBy(() -> s.executeUpdate("MERGE INTO by_mallard t USING (SELECT id FROM src UNION ALL"
          + " SELECT id FROM src) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET name = 'twice'"))
          .isInstanceOf(SQLException.class).hasMessageContaining("matches more than one source row");
      assertThatThrownBy(() -> s.executeUpdate("MERGE INTO by_mallard t USING src s ON t.id = s.id"
          + " WHEN NOT MATCHED THEN DELETE")).isInstanceOf(SQLException.class)
          .hasMessageContaining("WHEN NOT MATCHED cannot DELETE");
      assertThatThrownBy(() -> s.executeUpdate("MERGE INTO by_mallard t USING (SELECT id, name FROM src) s"
          + " ON t.id = s.id WHEN NOT MATCHED THEN INSERT *")).isInstanceOf(SQLException.class)
          .hasMessageContaining("the table has 3 columns but the source has 2");
    }
    assertThat(snapshots("twice")).isEqualTo(before);
  }
}
