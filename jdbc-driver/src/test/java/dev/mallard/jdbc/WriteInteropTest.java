package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** What Mallard writes through SQL, DuckDB 1.5.5 reads back identically. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteInteropTest {
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

  /** A lake at dir/name attached in DuckDB as {@code name}; returns its catalog path. */
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

  @Test
  void insertedRowsAreReadBackByDuckDbInOneSnapshotPerStatement() throws Exception {
    Path catalog = lake("ins");
    duckdb.execute("CREATE TABLE ins.t (id BIGINT NOT NULL, name VARCHAR, price DECIMAL(10,2), day DATE,"
        + " ok BOOLEAN, score DOUBLE, u UUID)");
    long before = (long) ((BigInteger) duckdb.query("SELECT max(snapshot_id) FROM ins.snapshots()").scalar())
        .longValue();
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("INSERT INTO t VALUES (1, 'one', 1.5, DATE '2025-01-02', true, 0.5,"
          + " '11111111-2222-3333-4444-555555555555')")).isEqualTo(1);
      assertThat(s.executeUpdate("INSERT INTO t (id, name) VALUES (2, 'two'), (3, NULL)")).isEqualTo(2);
      compare(c, "ins", "SELECT * FROM t ORDER BY id");
    }
    assertThat(duckdb.query("SELECT count(*) FROM ins.snapshots() WHERE snapshot_id > " + before).scalar())
        .isEqualTo(BigInteger.TWO);
    assertThat(duckdb.query("SELECT changes FROM ins.snapshots() ORDER BY snapshot_id DESC LIMIT 1").scalar()
        .toString()).isEqualTo("{inlined_insert=[1]}");
  }

  /** Text literals beyond Latin-1 (Calcite's default character set refused them) are written and compared as UTF-8. */
  @Test
  void unicodeLiteralsAreWrittenAndFilteredAsDuckDbDoes() throws Exception {
    Path catalog = lake("uni");
    duckdb.execute("CREATE TABLE uni.t (id INTEGER, s VARCHAR)");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("INSERT INTO t VALUES (1, 'é ü ß'), (2, '日本語 😀'), (3, 'plain')")).isEqualTo(3);
      assertThat(s.executeUpdate("UPDATE t SET s = s || ' ñ' WHERE s = '日本語 😀'")).isEqualTo(1);
      compare(c, "uni", "SELECT * FROM t ORDER BY id");
      compare(c, "uni", "SELECT id, upper(s) FROM t WHERE id > 1 AND s IN ('é ü ß', '日本語 😀 ñ') OR s LIKE 'pl%' ORDER BY id");
    }
  }

  /**
   * Defaults DuckDB keeps as expressions: the transaction's time (one value, to the microsecond, for
   * every row of every statement of a transaction, as DuckDB's {@code get_current_timestamp()}),
   * arithmetic of constants, in INSERTs and in MERGE's INSERT; per-row functions are refused clearly.
   */
  @Test
  void expressionDefaultsAreEvaluatedOncePerTransactionAsDuckDbDoes() throws Exception {
    Path catalog = lake("exprdef");
    String columns = "(id INTEGER, a TIMESTAMPTZ DEFAULT now(), b TIMESTAMP DEFAULT current_timestamp,"
        + " c DATE DEFAULT current_date, d INTEGER DEFAULT 1 + 2, e VARCHAR DEFAULT 'x' || 'y',"
        + " f DOUBLE DEFAULT -(2.5 * 2))";
    duckdb.execute("CREATE TABLE exprdef.mallard " + columns);
    duckdb.execute("CREATE TABLE exprdef.duck " + columns);
    duckdb.execute("CREATE TABLE exprdef.per_row (id INTEGER, r DOUBLE DEFAULT random())");
    java.time.Instant start = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    try (Connection c = Mallard.connect("sqlite:" + catalog + "?time_zone=UTC"); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("INSERT INTO mallard (id) VALUES (1), (2)")).isEqualTo(2);
      // One JDBC transaction: three statements, one time.
      c.setAutoCommit(false);
      assertThat(s.executeUpdate("INSERT INTO mallard (id) VALUES (10)")).isEqualTo(1);
      assertThat(s.executeUpdate("INSERT INTO mallard (id, d) VALUES (11, DEFAULT)")).isEqualTo(1);
      assertThat(s.executeUpdate("MERGE INTO mallard USING (VALUES (12), (1)) AS src (k) ON mallard.id = src.k"
          + " WHEN NOT MATCHED THEN INSERT (id) VALUES (src.k)")).isEqualTo(1);
      c.commit();
      assertThat(s.executeUpdate("MERGE INTO mallard USING (VALUES (20)) AS src (k) ON mallard.id = src.k"
          + " WHEN NOT MATCHED THEN INSERT VALUES (src.k, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)"))
          .isEqualTo(1);
      c.commit();
      c.setAutoCommit(true);
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO per_row (id) VALUES (1)"))
          .hasMessageContaining("has the default random(), an expression Mallard cannot evaluate yet");
    }
    java.time.Instant end = java.time.Instant.now();
    duckdb.execute("INSERT INTO exprdef.duck (id) VALUES (1), (2), (10), (11), (12), (20)");
    duckdb.execute("USE exprdef");
    try {
      String constants = "SELECT id, d, e, f, c = current_date FROM %s ORDER BY id";
      assertThat(duckdb.query(String.format(constants, "mallard")).rows())
          .isEqualTo(duckdb.query(String.format(constants, "duck")).rows()).hasSize(6);
      // One time per transaction, later transactions later; the TIMESTAMP is the same time in UTC.
      assertThat(duckdb.query("SELECT id // 10, count(DISTINCT a), count(DISTINCT b), bool_and(b = a::TIMESTAMP)"
          + " FROM mallard GROUP BY ALL ORDER BY 1").rows()).as(duckdb.query("SELECT * FROM mallard").rows()
          .toString()).containsExactly(List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, true),
              List.of(BigInteger.ONE, BigInteger.ONE, BigInteger.ONE, true),
              List.of(BigInteger.TWO, BigInteger.ONE, BigInteger.ONE, true));
      List<Object> times = duckdb.query("SELECT min(epoch_us(a)), max(epoch_us(a)),"
          + " (SELECT a FROM mallard WHERE id = 1) < (SELECT a FROM mallard WHERE id = 10)"
          + " AND (SELECT a FROM mallard WHERE id = 10) < (SELECT a FROM mallard WHERE id = 20),"
          + " bool_or(epoch_us(a) % 1000 <> 0) FROM mallard").rows().get(0);
      long micros = start.getEpochSecond() * 1_000_000L + start.getNano() / 1000;
      long endMicros = end.getEpochSecond() * 1_000_000L + end.getNano() / 1000;
      assertThat(((Number) times.get(0)).longValue()).isGreaterThanOrEqualTo(micros);
      assertThat(((Number) times.get(1)).longValue()).isLessThanOrEqualTo(endMicros);
      assertThat(times.get(2)).isEqualTo(true);
      // Microseconds, not milliseconds: three transactions all on a whole millisecond would be a one in
      // a billion chance.
      assertThat(times.get(3)).isEqualTo(true);
      assertThat(duckdb.query("SELECT count(*) FROM per_row").scalar()).isEqualTo(BigInteger.ZERO);
    } finally {
      duckdb.execute("USE memory");
    }
  }

  /**
   * A writing statement that fails after part of its changes were recorded, inside a JDBC
   * transaction, aborts it as DuckDB does: statements fail until ROLLBACK, COMMIT fails and commits
   * nothing (it used to commit the half: an UPDATE's deletions without its new rows), and the files
   * written are removed. One that fails before changing anything leaves the transaction going on.
   */
  @Test
  void aStatementFailingHalfwayAbortsTheTransactionAsInDuckDb() throws Exception {
    Path catalog = lake("aborted");
    duckdb.execute("CREATE TABLE aborted.t (a INTEGER NOT NULL, c INTEGER)");
    duckdb.execute("ALTER TABLE aborted.t SET PARTITIONED BY (c)");
    duckdb.execute("INSERT INTO aborted.t SELECT i, 1 FROM range(100) r(i)");
    Path table = catalog.resolveSibling("data").resolve("main").resolve("t");
    // The UPDATE's new rows go to c=5/, which cannot be made: a file has the name. By then the
    // rows it replaces are deleted in the transaction.
    java.nio.file.Files.writeString(table.resolve("c=5"), "not a directory");
    String failing = "UPDATE t SET c = 5 WHERE a < 50";
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO t SELECT a + 100, 2 FROM t WHERE a < 20");
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t VALUES (NULL, 1)")).hasMessageContaining("NULL");
      assertThat(single(s, "SELECT count(*) FROM t")).isEqualTo("120"); // nothing changed: it goes on
      assertThatThrownBy(() -> s.executeUpdate(failing)).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.executeQuery("SELECT count(*) FROM t"))
          .hasMessageContaining("Current transaction is aborted (please ROLLBACK)");
      assertThatThrownBy(c::commit).isInstanceOf(SQLException.class)
          .hasMessageContaining("rolled back, not committed");
      assertThat(single(s, "SELECT count(*), sum(a) FROM t")).isEqualTo("100 4950"); // the commit ended it
      s.executeUpdate("INSERT INTO t SELECT a + 100, 2 FROM t WHERE a < 20");
      assertThatThrownBy(() -> s.executeUpdate(failing)).isInstanceOf(SQLException.class);
      c.rollback();
      s.executeUpdate("INSERT INTO t VALUES (1000, 3)");
      c.commit();
      assertThat(single(s, "SELECT count(*), sum(a) FROM t")).isEqualTo("101 5950");
    }
    assertThat(duckdb.query("SELECT count(*) || ' ' || sum(a) FROM aborted.t").scalar()).isEqualTo("101 5950");
    // The aborted statements' files are gone: only DuckDB's c=1 file and the committed row (inline).
    try (var files = java.nio.file.Files.walk(table)) {
      assertThat(files.filter(f -> f.toString().endsWith(".parquet")).map(f -> table.relativize(f).getName(0)
          .toString()).toList()).containsExactly("c=1");
    }
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      StringBuilder row = new StringBuilder();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.append(i > 1 ? " " : "").append(rs.getString(i));
      }
      return row.toString();
    }
  }

  /** DuckDB's INSERT ... BY NAME and BY POSITION write what DuckDB writes for the same statements. */
  @Test
  void insertsByNameAndByPositionAreDuckDbs() throws Exception {
    Path catalog = lake("byname");
    String columns = "(id INTEGER, name VARCHAR DEFAULT 'anon', score DOUBLE)";
    duckdb.execute("CREATE TABLE byname.mallard " + columns);
    duckdb.execute("CREATE TABLE byname.duck " + columns);
    List<String> inserts = List.of("INSERT INTO %s BY NAME SELECT 2.5 AS score, 1 AS id",
        "INSERT INTO %s BY NAME SELECT 'x' AS NAME, 2 AS ID, 1.0 AS score",
        "INSERT INTO %s BY POSITION VALUES (3, 'c', 0.5)",
        "INSERT INTO %s BY POSITION (id, score) VALUES (4, 1.5)",
        "INSERT INTO %s BY NAME SELECT id + 10 AS id FROM %<s WHERE id <= 2");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      for (String insert : inserts) {
        s.executeUpdate(String.format(insert, "mallard"));
        duckdb.execute(String.format(insert, "byname.duck"));
      }
      Map<String, String> bad = Map.of(
          "INSERT INTO mallard BY NAME SELECT 1 AS nope", "does not have a column named \"nope\"",
          "INSERT INTO mallard BY NAME (id) SELECT 1 AS id", "it has no column list",
          "INSERT INTO mallard BY NAME SELECT 1 AS id, 2 AS ID", "Column 'id' is ambiguous");
      bad.forEach((sql, message) -> assertThatThrownBy(() -> s.executeUpdate(sql)).as(sql).hasMessageContaining(message));
    }
    duckdb.execute("USE byname");
    try {
      assertThat(duckdb.query("SELECT * FROM mallard ORDER BY id").rows())
          .isEqualTo(duckdb.query("SELECT * FROM duck ORDER BY id").rows()).hasSize(6);
    } finally {
      duckdb.execute("USE memory");
    }
  }

  /** Columns an INSERT leaves out, or names with DEFAULT, get their defaults, inline and in Parquet. */
  @Test
  void insertsFillTheColumnsTheyLeaveOutWithTheirDefaultsAsDuckDbDoes() throws Exception {
    Path catalog = lake("defaults");
    String columns = "(id INTEGER NOT NULL, qty INTEGER DEFAULT 5, label VARCHAR DEFAULT 'none',"
        + " price DECIMAL(10,2) DEFAULT 1.5, stamp TIMESTAMP DEFAULT TIMESTAMP '2024-01-01 10:00:00.123456',"
        + " ok BOOLEAN DEFAULT true, note VARCHAR, quote VARCHAR DEFAULT 'it''s')";
    duckdb.execute("CREATE TABLE defaults.mallard " + columns);
    duckdb.execute("CREATE TABLE defaults.duck " + columns);
    List<String> inserts = List.of("INSERT INTO %s (id) VALUES (1)",
        "INSERT INTO %s (id, label, note) VALUES (2, 'two', 'n')",
        "INSERT INTO %s VALUES (3, DEFAULT, DEFAULT, 2.25, DEFAULT, false, DEFAULT, DEFAULT)",
        "INSERT INTO %s (note, id) SELECT 'big', i FROM (VALUES (10), (11), (12), (13), (14), (15), (16), (17),"
            + " (18), (19), (20), (21)) v(i)");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      for (String insert : inserts) {
        s.executeUpdate(String.format(insert, "mallard"));
        duckdb.execute(String.format(insert, "defaults.duck"));
      }
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO mallard (qty) VALUES (1)"))
          .hasMessageContaining("Column 'id' has no default value and does not allow NULLs");
    }
    duckdb.execute("USE defaults");
    try {
      assertThat(duckdb.query("SELECT * FROM mallard ORDER BY id").rows())
          .isEqualTo(duckdb.query("SELECT * FROM duck ORDER BY id").rows()).hasSize(15);
    } finally {
      duckdb.execute("USE memory");
    }
  }

  @Test
  void aJdbcTransactionCommitsOnceAndRollbackLeavesNothing() throws Exception {
    Path catalog = lake("tx");
    duckdb.execute("CREATE TABLE tx.t (id INTEGER, v VARCHAR)");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      assertThat(c.getAutoCommit()).isTrue();
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO t VALUES (1, 'a')");
      s.executeUpdate("INSERT INTO t VALUES (2, 'b')");
      c.commit();
      s.executeUpdate("INSERT INTO t VALUES (3, 'c')");
      c.rollback();
      compare(c, "tx", "SELECT * FROM t ORDER BY id");
    }
    assertThat(duckdb.query("SELECT count(*) FROM tx.t").scalar()).isEqualTo(BigInteger.TWO);
    assertThat(duckdb.query("SELECT changes FROM tx.snapshots() ORDER BY snapshot_id DESC LIMIT 1").scalar()
        .toString()).isEqualTo("{inlined_insert=[1]}");
  }

  /** A batch with auto-commit on is one transaction: one snapshot for all of it, nothing if a row fails. */
  @Test
  void aBatchCommitsOnceAndAFailingBatchLeavesNothing() throws Exception {
    Path catalog = lake("batch");
    duckdb.execute("CREATE TABLE batch.t (id INTEGER NOT NULL, v VARCHAR)");
    long before = ((BigInteger) duckdb.query("SELECT max(snapshot_id) FROM batch.snapshots()").scalar()).longValue();
    try (Connection c = Mallard.connect("sqlite:" + catalog);
        PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?)");
        Statement s = c.createStatement()) {
      for (int i = 0; i < 200; i++) {
        insert.setInt(1, i);
        insert.setString(2, "v" + i);
        insert.addBatch();
      }
      assertThat(insert.executeBatch()).hasSize(200).containsOnly(1);
      s.addBatch("INSERT INTO t VALUES (1000, 'a')");
      s.addBatch("UPDATE t SET v = 'b' WHERE id = 1000");
      s.addBatch("DELETE FROM t WHERE id < 10");
      assertThat(s.executeBatch()).containsExactly(1, 1, 10);

      insert.setInt(1, 2000);
      insert.setString(2, "kept?");
      insert.addBatch();
      insert.setNull(1, java.sql.Types.INTEGER);
      insert.setString(2, "null id");
      insert.addBatch();
      assertThatThrownBy(insert::executeBatch).isInstanceOf(SQLException.class)
          .hasMessageContaining("NOT NULL");
      assertThat(c.getAutoCommit()).isTrue();
      compare(c, "batch", "SELECT * FROM t ORDER BY id");
    }
    assertThat(duckdb.query("SELECT count(*) FROM batch.snapshots() WHERE snapshot_id > " + before).scalar())
        .isEqualTo(BigInteger.TWO);
    assertThat(duckdb.query("SELECT count(*) || ' ' || max(id) FROM batch.t").scalar()).isEqualTo("191 1000");
  }

  @Test
  void badValuesAreRefusedAndChangeNothing() throws Exception {
    Path catalog = lake("bad");
    duckdb.execute("CREATE TABLE bad.t (id INTEGER NOT NULL, small TINYINT, u UUID)");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t VALUES (NULL, 1, NULL)"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t (id, small) SELECT 1, 1000"))
          .isInstanceOf(SQLException.class).hasMessageContaining("out of range");
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t (id, u) VALUES (1, 'not-a-uuid')"))
          .isInstanceOf(SQLException.class).hasMessageContaining("not a UUID");
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t (id, small) VALUES (1, 'x')"))
          .isInstanceOf(SQLException.class);
    }
    assertThat(duckdb.query("SELECT count(*) FROM bad.t").scalar()).isEqualTo(BigInteger.ZERO);
    assertThat(duckdb.query("SELECT count(*) FROM bad.snapshots()").scalar()).isEqualTo(BigInteger.TWO);
  }

  @Test
  void deletesAndUpdatesAreReadBackByDuckDbWithRowIdsKept() throws Exception {
    Path catalog = lake("upd");
    duckdb.execute("CREATE TABLE upd.t (a INTEGER, b VARCHAR)");
    duckdb.execute("INSERT INTO upd.t VALUES (1, 'one'), (2, 'two')"); // inline
    duckdb.execute("INSERT INTO upd.t SELECT i, 'v' || i FROM range(3, 40) r(i)"); // a Parquet file
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("DELETE FROM t WHERE a = 1 OR a = 5")).isEqualTo(2); // inline row, file row
      assertThat(s.executeUpdate("UPDATE t SET b = 'upd' WHERE a = 2 OR a = 7")).isEqualTo(2);
      assertThat(s.executeUpdate("DELETE FROM t WHERE a > 100")).isZero();
      compare(c, "upd", "SELECT * FROM t ORDER BY a");
    }
    duckdb.execute("USE upd");
    try {
      assertThat(duckdb.query("SELECT a, b FROM t WHERE a IN (2, 7) ORDER BY a").rows())
          .containsExactly(java.util.List.of(BigInteger.TWO, "upd"), java.util.List.of(BigInteger.valueOf(7), "upd"));
      // An update keeps the row's id, so DuckDB's change feed sees update pre/post images.
      assertThat(duckdb.query("SELECT change_type, a, b FROM table_changes('t', 5, 5) ORDER BY a, change_type")
          .rows()).extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).containsExactly(
              "update_postimage 2 upd", "update_preimage 2 two", "update_postimage 7 upd", "update_preimage 7 v7");
    } finally {
      duckdb.execute("USE memory");
    }
  }

  @Test
  void aTransactionSeesItsOwnWritesAndCommitsThemAsOneSnapshot() throws Exception {
    Path catalog = lake("own");
    duckdb.execute("CREATE TABLE own.t (a INTEGER, b VARCHAR)");
    duckdb.execute("INSERT INTO own.t VALUES (1, 'one'), (2, 'two')");
    duckdb.execute("INSERT INTO own.t SELECT i, 'v' || i FROM range(3, 40) r(i)");
    long before = ((BigInteger) duckdb.query("SELECT max(snapshot_id) FROM own.snapshots()").scalar()).longValue();
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO t VALUES (100, 'new'), (101, 'gone')");
      s.executeUpdate("DELETE FROM t WHERE a IN (2, 3, 101)");
      s.executeUpdate("UPDATE t SET b = 'changed' WHERE a IN (1, 4, 100)");
      s.executeUpdate("UPDATE t SET b = b || '!' WHERE a = 1");
      try (ResultSet rs = s.executeQuery("SELECT count(*), sum(a) FROM t WHERE b LIKE 'changed%'")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(3);
        assertThat(rs.getLong(2)).isEqualTo(105);
      }
      try (ResultSet rs = s.executeQuery("SELECT b FROM t WHERE a = 1")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("changed!");
      }
      // Another connection does not see any of it yet.
      try (Connection other = Mallard.connect("sqlite:" + catalog);
          ResultSet rs = other.createStatement().executeQuery("SELECT count(*) FROM t")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(39);
      }
      c.commit();
      compare(c, "own", "SELECT * FROM t ORDER BY a");
    }
    assertThat(duckdb.query("SELECT count(*) FROM own.snapshots() WHERE snapshot_id > " + before).scalar())
        .isEqualTo(BigInteger.ONE);
    assertThat(duckdb.query("SELECT a, b FROM own.t WHERE a IN (1, 4, 100, 101, 2) ORDER BY a").rows())
        .extracting(r -> r.get(0) + " " + r.get(1))
        .containsExactly("1 changed!", "4 changed", "100 changed");
  }

  @Test
  void aTransactionReadsTheParquetFilesItWroteBeforeCommitting() throws Exception {
    Path catalog = lake("ownfiles");
    duckdb.execute("CREATE TABLE ownfiles.t (a INTEGER, b VARCHAR)");
    duckdb.execute("INSERT INTO ownfiles.t SELECT i, 'old' FROM range(50) r(i)");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO t SELECT a + 1000, 'new' FROM t"); // 50 rows: past the inlining limit
      s.executeUpdate("DELETE FROM t WHERE a < 10");
      try (ResultSet rs = s.executeQuery("SELECT b, count(*), sum(a), count(DISTINCT rowid) FROM t GROUP BY b"
          + " ORDER BY b")) {
        assertThat(Rows.read(rs)).containsExactly(List.of("new", "50", "51225", "50"), List.of("old", "40", "1180", "40"));
      }
      // The new rows are uncommitted: they have no snapshot and no catalog file yet.
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t WHERE snapshot_id IS NULL")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(50);
      }
      c.commit();
      compare(c, "ownfiles", "SELECT rowid, a, b FROM t ORDER BY a");
      s.executeUpdate("DELETE FROM t WHERE a = 1001");
      c.commit();
      compare(c, "ownfiles", "SELECT count(*), sum(a) FROM t");
    }
  }

  /**
   * Runs the statements as one transaction in Mallard (on {@code mallard}, auto-commit off) and in
   * DuckDB on its twin lake, comparing what each transaction reads with {@code read} after every
   * statement, and commits both.
   */
  private void inBothTransactions(Connection mallard, String twin, List<String> statements, String read)
      throws SQLException {
    duckdb.execute("USE " + twin);
    duckdb.execute("BEGIN");
    try (Statement s = mallard.createStatement()) {
      for (String sql : statements) {
        s.executeUpdate(sql);
        duckdb.execute(sql);
        try (ResultSet rs = s.executeQuery(read)) {
          assertSameRows(duckdb.query(read), rs, true);
        }
      }
      mallard.commit();
      duckdb.execute("COMMIT");
    } finally {
      try {
        duckdb.execute("ROLLBACK"); // only when the test failed inside the transaction
      } catch (DuckDb.DuckDbException noTransaction) {
        // committed
      }
      duckdb.execute("USE memory");
    }
  }

  /**
   * INSERT ... SELECT and CREATE TABLE AS ... ORDER BY an expression not selected: rows get their
   * ids in that order, as in DuckDB.
   */
  @Test
  void insertSelectOrderedByAnUnselectedExpressionNumbersRowsInThatOrder() throws Exception {
    Path catalog = lake("ordered");
    lake("orderedtwin");
    for (String l : List.of("ordered", "orderedtwin")) {
      duckdb.execute("CREATE TABLE " + l + ".t (a INTEGER, b VARCHAR)");
      duckdb.execute("INSERT INTO " + l + ".t SELECT i, 'old' FROM range(30) r(i)");
    }
    List<String> inserts = List.of("INSERT INTO t SELECT a + 100, b FROM t ORDER BY -a",
        "INSERT INTO t SELECT a + 200, 'few' FROM t WHERE a < 30 ORDER BY a % 7, a DESC LIMIT 12",
        "INSERT INTO t (b, a) SELECT 'inline', a + 300 FROM t WHERE a < 5 ORDER BY -a",
        "CREATE TABLE u AS SELECT a + 1 AS a, b FROM t ORDER BY -a");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      for (String sql : inserts) {
        s.executeUpdate(sql);
        duckdb.execute("USE orderedtwin");
        try {
          duckdb.execute(sql);
        } finally {
          duckdb.execute("USE memory");
        }
      }
    }
    for (String table : List.of("t", "u")) {
      String read = "SELECT rowid, a, b FROM %s." + table + " ORDER BY rowid";
      assertThat(duckdb.query(String.format(read, "ordered")).rows()).as(table)
          .isEqualTo(duckdb.query(String.format(read, "orderedtwin")).rows());
    }
  }

  /**
   * ALTER TABLE and SET PARTITIONED BY after the transaction wrote to the table, in Parquet files
   * and inline, before and after: the transaction sees what DuckDB's sees; rows written before an
   * ADD COLUMN hold its default, files keep the columns they were written with, and the commit is
   * the one snapshot DuckDB commits for the same statements on a twin lake.
   */
  @Test
  void aTransactionAltersATableAfterWritingToItAsDuckDbDoes() throws Exception {
    Path catalog = lake("altered");
    lake("alteredtwin");
    for (String l : List.of("altered", "alteredtwin")) {
      duckdb.execute("CREATE TABLE " + l + ".t (a INTEGER, b VARCHAR)");
      duckdb.execute("INSERT INTO " + l + ".t SELECT i, 'old' FROM range(50) r(i)");
    }
    // Inserts are ordered: DuckDB numbers the rows of an unordered INSERT ... SELECT in whatever
    // order its scan gives them.
    List<List<String>> transactions = List.of(
        List.of("INSERT INTO t VALUES (1000, 'x')", "UPDATE t SET b = 'u' WHERE a = 3",
            "INSERT INTO t SELECT a + 100, 'f' FROM t WHERE a < 50 ORDER BY 1",
            "ALTER TABLE t ADD COLUMN c INTEGER DEFAULT 7", "INSERT INTO t VALUES (1001, 'w', 40)",
            "INSERT INTO t SELECT a + 300, 'g', 1 FROM t WHERE a < 50 ORDER BY 1"),
        List.of("INSERT INTO t SELECT a + 500, 'p', 2 FROM t WHERE a < 30 ORDER BY 1",
            "ALTER TABLE t SET PARTITIONED BY (c)",
            "INSERT INTO t SELECT a + 600, 'q', a % 3 FROM t WHERE a < 30 ORDER BY 1",
            "ALTER TABLE t RENAME COLUMN b TO bb",
            "UPDATE t SET bb = 'u' WHERE a IN (1000, 501)", "DELETE FROM t WHERE a = 601"));
    String all = "SELECT * FROM t ORDER BY a";
    try (Connection c = Mallard.connect("sqlite:" + catalog)) {
      c.setAutoCommit(false);
      for (List<String> statements : transactions) {
        inBothTransactions(c, "alteredtwin", statements, all);
        String snapshots = "SELECT snapshot_id, schema_version, changes FROM %s.snapshots() ORDER BY snapshot_id";
        assertThat(duckdb.query(String.format(snapshots, "altered")).rows()).as("snapshots after %s", statements)
            .isEqualTo(duckdb.query(String.format(snapshots, "alteredtwin")).rows());
        String read = "SELECT rowid, * FROM %s.t ORDER BY a";
        assertThat(duckdb.query(String.format(read, "altered")).rows()).as("rows after %s", statements)
            .isEqualTo(duckdb.query(String.format(read, "alteredtwin")).rows());
        compare(c, "altered", "SELECT rowid, * FROM t ORDER BY a");
      }
      // Rows of files written before ADD COLUMN hold the default, which no file statistics cover.
      compare(c, "altered", "SELECT count(*), min(a), max(a) FROM t WHERE c = 7");
      assertThat(duckdb.query("SELECT count(*) FROM altered.t WHERE c = 7").rows())
          .isEqualTo(duckdb.query("SELECT count(*) FROM alteredtwin.t WHERE c = 7").rows());
    }
  }

  /**
   * What DuckDB 1.5.5 gets wrong in one transaction, Mallard commits: a type widened after files
   * were written (DuckDB's own lake then reads those values wrongly), and a spec replaced after
   * files were written under it (DuckDB leaves the files naming a spec it never commits, and
   * crashes on an insert after RESET PARTITIONED BY). The oracle is a DuckDB table running the
   * same statements; DuckDB reads what Mallard committed.
   */
  @Test
  void aTransactionWidensATypeAndReplacesAPartitioningAfterWritingFiles() throws Exception {
    Path catalog = lake("rekeyed");
    duckdb.execute("CREATE TABLE rekeyed.t (a INTEGER, b VARCHAR, c INTEGER)");
    duckdb.execute("INSERT INTO rekeyed.t SELECT i, 'old', i % 3 FROM range(50) r(i)");
    duckdb.execute("CREATE TABLE memory.rekeyed_oracle AS SELECT * FROM rekeyed.t");
    List<String> statements = List.of("ALTER TABLE t SET PARTITIONED BY (b)",
        "INSERT INTO t SELECT a + 100, 'r', 1 FROM t WHERE a < 20", "ALTER TABLE t SET PARTITIONED BY (c)",
        "INSERT INTO t SELECT a + 200, 's', a % 2 FROM t WHERE a < 20", "ALTER TABLE t ALTER COLUMN a TYPE BIGINT",
        "INSERT INTO t SELECT a + 5000000000, 'big', 2 FROM t WHERE a < 5", "ALTER TABLE t DROP COLUMN b",
        "RESET", "INSERT INTO t SELECT a + 300, 0 FROM t WHERE a < 20", "DELETE FROM t WHERE a = 301");
    String all = "SELECT * FROM %s ORDER BY a";
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      for (String sql : statements) {
        s.executeUpdate(sql.equals("RESET") ? "ALTER TABLE t RESET PARTITIONED BY" : sql);
        if (!sql.contains("PARTITIONED") && !sql.equals("RESET")) {
          duckdb.execute(sql.replace(" t ", " memory.rekeyed_oracle "));
        }
        try (ResultSet rs = s.executeQuery(String.format(all, "t"))) {
          assertSameRows(duckdb.query(String.format(all, "memory.rekeyed_oracle")), rs, true);
        }
      }
      c.commit();
      assertThat(duckdb.query(String.format(all, "rekeyed.t")).rows())
          .isEqualTo(duckdb.query(String.format(all, "memory.rekeyed_oracle")).rows());
      assertThat(duckdb.query("SELECT changes FROM rekeyed.snapshots() ORDER BY snapshot_id DESC LIMIT 1").scalar()
          .toString()).isEqualTo("{tables_altered=[1], tables_inserted_into=[1], inlined_insert=[1]}");
      compare(c, "rekeyed", "SELECT rowid, * FROM t ORDER BY a");
      compare(c, "rekeyed", "SELECT a FROM t WHERE c = 1 ORDER BY a");
      compare(c, "rekeyed", "SELECT count(*) FROM t AT (VERSION => 2)");
    }
    // Every file names a committed spec; the replaced ones begin and end at the commit.
    String metadata = "__ducklake_metadata_rekeyed.";
    assertThat(duckdb.query("SELECT count(*) FROM " + metadata + "ducklake_data_file WHERE partition_id NOT IN"
        + " (SELECT partition_id FROM " + metadata + "ducklake_partition_info)").scalar().toString()).isEqualTo("0");
    assertThat(duckdb.query("SELECT count(*) FROM " + metadata + "ducklake_partition_info"
        + " WHERE begin_snapshot = 3 AND end_snapshot = 3").scalar().toString()).isEqualTo("2");
  }

  /**
   * Deleting, updating and merging rows of the Parquet files a transaction wrote, before it
   * commits: the transaction sees what DuckDB's sees in the same transaction; the commit writes a
   * delete file beside the new file (no deletion in the snapshot's changes), a file that lost every
   * row is never committed (and a transaction left with nothing makes no snapshot), all as DuckDB
   * commits the same statements on a twin lake.
   */
  @Test
  void aTransactionDeletesAndUpdatesRowsOfTheFilesItWroteAsDuckDbDoes() throws Exception {
    Path catalog = lake("localdel");
    lake("localtwin");
    for (String l : List.of("localdel", "localtwin")) {
      duckdb.execute("CREATE TABLE " + l + ".t (a INTEGER, b VARCHAR)");
      duckdb.execute("INSERT INTO " + l + ".t SELECT i, 'old' FROM range(50) r(i)");
    }
    // Inserts are ordered: DuckDB numbers the rows of an unordered INSERT ... SELECT in whatever
    // order its scan gives them.
    List<List<String>> transactions = List.of(
        List.of("INSERT INTO t SELECT a + 100, 'new' || a FROM t WHERE a < 50 ORDER BY 1",
            "DELETE FROM t WHERE a % 10 = 3",
            "UPDATE t SET b = 'upd' WHERE a IN (5, 105, 106)", "DELETE FROM t WHERE a = 140"),
        List.of("INSERT INTO t SELECT a + 200, 'gone' FROM t WHERE a < 50 ORDER BY 1", "DELETE FROM t WHERE a >= 200"),
        List.of("INSERT INTO t SELECT a + 300, 'm' FROM t WHERE a < 40 ORDER BY 1",
            "MERGE INTO t USING (SELECT 310 AS k UNION ALL SELECT 20 AS k) AS s ON t.a = s.k"
                + " WHEN MATCHED THEN UPDATE SET b = 'merged'",
            "DELETE FROM t WHERE a = 311", "UPDATE t SET b = b || '!' WHERE a BETWEEN 320 AND 335"),
        List.of("INSERT INTO t SELECT a + 400, 'all' FROM t WHERE a < 20 ORDER BY 1", "DELETE FROM t WHERE a >= 400",
            "DELETE FROM t WHERE a = 1"));
    String all = "SELECT a, b FROM t ORDER BY a";
    try (Connection c = Mallard.connect("sqlite:" + catalog)) {
      c.setAutoCommit(false);
      for (List<String> statements : transactions) {
        inBothTransactions(c, "localtwin", statements, all);
        String snapshots = "SELECT snapshot_id, changes FROM %s.snapshots() ORDER BY snapshot_id";
        assertThat(duckdb.query(String.format(snapshots, "localdel")).rows()).as("snapshots after %s", statements)
            .isEqualTo(duckdb.query(String.format(snapshots, "localtwin")).rows());
        String read = "SELECT rowid, a, b FROM %s.t ORDER BY a";
        List<List<Object>> mallardWrote = duckdb.query(String.format(read, "localdel")).rows();
        List<List<Object>> duckdbWrote = duckdb.query(String.format(read, "localtwin")).rows();
        assertThat(mallardWrote).as("rows after %s", statements).hasSameSizeAs(duckdbWrote);
        for (int i = 0; i < duckdbWrote.size(); i++) {
          List<Object> expected = duckdbWrote.get(i);
          // DuckDB 1.5.5 commits the new versions of more than ten rows updated in the transaction
          // that inserted them with its transaction-local row ids (from 10^18); Mallard gives them
          // the table's next row ids.
          if (new BigInteger(expected.get(0).toString()).compareTo(BigInteger.TEN.pow(18)) >= 0) {
            assertThat(new BigInteger(mallardWrote.get(i).get(0).toString())).isLessThan(BigInteger.TEN.pow(18));
            assertThat(mallardWrote.get(i).subList(1, 3)).isEqualTo(expected.subList(1, 3));
          } else {
            assertThat(mallardWrote.get(i)).as("row %s after %s", i, statements).isEqualTo(expected);
          }
        }
        assertThat(mallardWrote.stream().map(r -> r.get(0)).distinct().count()).isEqualTo(mallardWrote.size());
        compare(c, "localdel", "SELECT rowid, a, b FROM t ORDER BY a");
      }
    }
  }

  @Test
  void largeInsertsGoToParquetFilesThatDuckDbReadsWithTheSameStatsAndRowIds() throws Exception {
    Path catalog = lake("big");
    duckdb.execute("CREATE TABLE big.src AS SELECT i AS id, 'name ' || i AS name, (i * 1.25)::DECIMAL(12,2) AS price,"
        + " DATE '2024-01-01' + (i % 400)::INTEGER AS day, i % 3 = 0 AS flag, CASE WHEN i % 7 = 0 THEN NULL"
        + " ELSE i / 3.0 END AS score, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE AS ts"
        + " FROM range(5000) r(i)");
    duckdb.execute("CREATE TABLE big.by_mallard AS SELECT * FROM big.src LIMIT 0");
    duckdb.execute("CREATE TABLE big.by_duckdb AS SELECT * FROM big.src LIMIT 0");
    duckdb.execute("INSERT INTO big.by_duckdb VALUES (-1, 'first', 0, DATE '2020-01-01', false, 0, NULL)");
    duckdb.execute("INSERT INTO big.by_duckdb SELECT * FROM big.src WHERE id % 2 = 0");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO by_mallard VALUES (-1, 'first', 0, DATE '2020-01-01', false, 0, NULL)");
      assertThat(s.executeUpdate("INSERT INTO by_mallard SELECT * FROM src WHERE MOD(id, 2) = 0")).isEqualTo(2500);
      compare(c, "big", "SELECT * FROM by_mallard ORDER BY id");
      compare(c, "big", "SELECT count(*), sum(price), min(day), max(ts) FROM by_mallard WHERE score > 100");
    }
    duckdb.execute("USE big");
    try {
      // DuckDB reads the rows with the row ids it would have given them itself.
      assertThat(duckdb.query("SELECT rowid, * FROM by_mallard ORDER BY rowid").rows())
          .isEqualTo(duckdb.query("SELECT rowid, * FROM by_duckdb ORDER BY rowid").rows());
      // Files, table statistics and column statistics as DuckDB records them for the same insert.
      String fileStats = "SELECT c.column_name, s.value_count, s.null_count, s.min_value, s.max_value,"
          + " s.contains_nan, f.record_count, f.row_id_start FROM __ducklake_metadata_big.ducklake_file_column_stats s"
          + " JOIN __ducklake_metadata_big.ducklake_data_file f USING (data_file_id)"
          + " JOIN __ducklake_metadata_big.ducklake_table t ON t.table_id = f.table_id AND t.end_snapshot IS NULL"
          + " JOIN __ducklake_metadata_big.ducklake_column c ON c.table_id = f.table_id AND c.column_id = s.column_id"
          + " WHERE t.table_name = '%s' ORDER BY c.column_id";
      assertThat(duckdb.query(String.format(fileStats, "by_mallard")).rows())
          .isEqualTo(duckdb.query(String.format(fileStats, "by_duckdb")).rows());
      String tableStats = "SELECT s.record_count, s.next_row_id, c.column_id, c.contains_null, c.contains_nan,"
          + " c.min_value, c.max_value FROM __ducklake_metadata_big.ducklake_table_stats s"
          + " JOIN __ducklake_metadata_big.ducklake_table t USING (table_id)"
          + " JOIN __ducklake_metadata_big.ducklake_table_column_stats c USING (table_id)"
          + " WHERE t.table_name = '%s' AND t.end_snapshot IS NULL ORDER BY c.column_id";
      assertThat(duckdb.query(String.format(tableStats, "by_mallard")).rows())
          .isEqualTo(duckdb.query(String.format(tableStats, "by_duckdb")).rows());
      assertThat(duckdb.query("SELECT changes FROM snapshots() ORDER BY snapshot_id DESC LIMIT 1").scalar()
          .toString()).isEqualTo("{tables_inserted_into=[" + duckdb.query("SELECT table_id FROM"
              + " __ducklake_metadata_big.ducklake_table WHERE table_name = 'by_mallard'").scalar() + "]}");
    } finally {
      duckdb.execute("USE memory");
    }
  }

  @Test
  void anInsertLargerThanTheTargetFileSizeIsSplitIntoSeveralFiles() throws Exception {
    Path catalog = lake("split");
    duckdb.execute("CREATE TABLE split.t (id BIGINT, pad VARCHAR)");
    duckdb.execute("CALL split.set_option('target_file_size', '64KB')");
    duckdb.execute("CALL split.set_option('parquet_row_group_size', '2048')");
    duckdb.execute("CREATE TABLE split.src AS SELECT i AS id, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS pad"
        + " FROM range(20000) r(i)");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("INSERT INTO t SELECT * FROM src")).isEqualTo(20000);
      compare(c, "split", "SELECT count(*), sum(id), min(pad), max(pad) FROM t");
    }
    assertThat(((BigInteger) duckdb.query("SELECT count(*) FROM ducklake_list_files('split', 't')").scalar())
        .longValue()).isGreaterThan(1);
    assertThat(duckdb.query("SELECT count(*), sum(id) FROM split.t").rows().get(0))
        .containsExactly(BigInteger.valueOf(20000), BigInteger.valueOf(199990000L));
  }

  @Test
  void largeDeletesWriteDeleteFilesThatReplaceEachOtherAsInDuckDb() throws Exception {
    Path catalog = lake("del");
    duckdb.execute("CREATE TABLE del.t (a INTEGER, b VARCHAR)");
    duckdb.execute("INSERT INTO del.t SELECT i, 'v' || i FROM range(100) r(i)");
    duckdb.execute("CREATE TABLE del.gone (a INTEGER)");
    duckdb.execute("INSERT INTO del.gone SELECT i FROM range(50) r(i)");
    long start = ((BigInteger) duckdb.query("SELECT max(snapshot_id) FROM del.snapshots()").scalar()).longValue();
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("DELETE FROM t WHERE a < 3")).isEqualTo(3); // inline
      assertThat(s.executeUpdate("DELETE FROM t WHERE a >= 50 AND a < 70")).isEqualTo(20); // first delete file
      assertThat(s.executeUpdate("DELETE FROM t WHERE a >= 80 AND a < 95")).isEqualTo(15); // replaces it
      assertThat(s.executeUpdate("DELETE FROM gone WHERE a >= 0")).isEqualTo(50); // retires the file
      compare(c, "del", "SELECT * FROM t ORDER BY a");
      compare(c, "del", "SELECT count(*) FROM gone");
    }
    duckdb.execute("USE del");
    try {
      // Each snapshot still reads as it was: the replacing file keeps when each position was deleted.
      List<Long> counts = new ArrayList<>();
      for (long snapshot = start; snapshot <= start + 4; snapshot++) {
        counts.add(((BigInteger) duckdb.query("SELECT count(*) FROM t AT (VERSION => " + snapshot + ")").scalar())
            .longValue());
      }
      assertThat(counts).containsExactly(100L, 97L, 77L, 62L, 62L);
      assertThat(duckdb.query("SELECT count(*) FROM gone AT (VERSION => " + (start + 3) + ")").scalar())
          .isEqualTo(BigInteger.valueOf(50));
      String m = "__ducklake_metadata_del.";
      assertThat(duckdb.query("SELECT begin_snapshot, end_snapshot, delete_count FROM " + m + "ducklake_delete_file")
          .rows()).containsExactly(java.util.Arrays.asList(BigInteger.valueOf(start + 2), null, BigInteger.valueOf(35)));
      assertThat(duckdb.query("SELECT count(*) FROM " + m + "ducklake_files_scheduled_for_deletion").scalar())
          .isEqualTo(BigInteger.ONE);
      assertThat(duckdb.query("SELECT count(*) FROM " + m + "ducklake_data_file WHERE end_snapshot IS NOT NULL")
          .scalar()).isEqualTo(BigInteger.ONE);
      assertThat(duckdb.query("SELECT changes FROM snapshots() WHERE snapshot_id > " + start
          + " ORDER BY snapshot_id").rows()).extracting(r -> r.get(0).toString()).containsExactly(
              "{inlined_delete=[1]}", "{tables_deleted_from=[1]}", "{tables_deleted_from=[1]}",
              "{tables_deleted_from=[2]}");
    } finally {
      duckdb.execute("USE memory");
    }
  }

  @Test
  void largeUpdatesWriteFilesWithTheRowIdsKeptAsDuckDbDoes() throws Exception {
    Path catalog = lake("bigupd");
    for (String t : List.of("by_mallard", "by_duckdb")) {
      duckdb.execute("CREATE TABLE bigupd." + t + " (a INTEGER, b VARCHAR)");
      duckdb.execute("INSERT INTO bigupd." + t + " SELECT i, 'v' || i FROM range(100) r(i)");
    }
    duckdb.execute("UPDATE bigupd.by_duckdb SET b = 'u' || a WHERE a < 30");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("UPDATE by_mallard SET b = 'u' || CAST(a AS VARCHAR) WHERE a < 30")).isEqualTo(30);
      compare(c, "bigupd", "SELECT * FROM by_mallard ORDER BY a");
    }
    duckdb.execute("USE bigupd");
    try {
      assertThat(duckdb.query("SELECT rowid, * FROM by_mallard ORDER BY rowid").rows())
          .isEqualTo(duckdb.query("SELECT rowid, * FROM by_duckdb ORDER BY rowid").rows());
      String m = "__ducklake_metadata_bigupd.";
      String files = "SELECT f.record_count, f.row_id_start, s.column_id, s.min_value, s.max_value, s.null_count"
          + " FROM " + m + "ducklake_data_file f JOIN " + m + "ducklake_table t USING (table_id) LEFT JOIN " + m
          + "ducklake_file_column_stats s USING (data_file_id) WHERE t.table_name = '%s'"
          + " ORDER BY f.row_id_start, s.column_id";
      assertThat(duckdb.query(String.format(files, "by_mallard")).rows())
          .isEqualTo(duckdb.query(String.format(files, "by_duckdb")).rows());
      String stats = "SELECT s.record_count, s.next_row_id FROM " + m + "ducklake_table_stats s JOIN " + m
          + "ducklake_table t USING (table_id) WHERE t.table_name = '%s'";
      assertThat(duckdb.query(String.format(stats, "by_mallard")).rows())
          .isEqualTo(duckdb.query(String.format(stats, "by_duckdb")).rows());
      long last = ((BigInteger) duckdb.query("SELECT max(snapshot_id) FROM snapshots()").scalar()).longValue();
      assertThat(duckdb.query("SELECT change_type, a, b FROM table_changes('by_mallard', " + last + ", " + last
          + ") WHERE a IN (0, 29) ORDER BY a, change_type").rows()).extracting(r -> r.get(0) + " " + r.get(1) + " "
              + r.get(2)).containsExactly("update_postimage 0 u0", "update_preimage 0 v0", "update_postimage 29 u29",
                  "update_preimage 29 v29");
    } finally {
      duckdb.execute("USE memory");
    }
  }

  @Test
  void duckDbAndMallardWritingTheSameTableInTurnsAgreeAfterEveryStep() throws Exception {
    Path catalog = lake("turns");
    duckdb.execute("CREATE TABLE turns.t (id INTEGER, v VARCHAR, ts TIMESTAMP)");
    List<String> steps = List.of(
        "INSERT INTO t SELECT i, 'd' || i, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) HOUR FROM range(0, 50) r(i)",
        "INSERT INTO t VALUES (1000, 'm', TIMESTAMP '2025-01-01 00:00:00')",
        "DELETE FROM t WHERE id % 7 = 0",
        "UPDATE t SET v = 'u' || v WHERE id % 5 = 1",
        "DELETE FROM t WHERE id BETWEEN 20 AND 35",
        "UPDATE t SET v = 'w' WHERE id < 12",
        "INSERT INTO t VALUES (2000, 'x', NULL), (2001, NULL, TIMESTAMP '2026-06-01 12:00:00')",
        "DELETE FROM t WHERE v LIKE 'u%'");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      for (int i = 0; i < steps.size(); i++) {
        String step = steps.get(i);
        // Each step runs once by each engine, alternating which goes first; both read the same after each.
        for (boolean mallardWrites : new boolean[] {i % 2 == 1, i % 2 == 0}) {
          if (mallardWrites) {
            s.executeUpdate(mallardSql(step));
          } else {
            duckdb.execute("USE turns");
            try {
              duckdb.execute(step);
            } finally {
              duckdb.execute("USE memory");
            }
          }
          compare(c, "turns", "SELECT * FROM t ORDER BY id, v");
        }
      }
    }
  }

  /** The step as Mallard's SQL takes it: DuckDB's range() and % become Calcite forms. */
  private static String mallardSql(String duckDbSql) {
    return duckDbSql.replace("SELECT i, 'd' || i, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) HOUR FROM range(0, 50) r(i)",
        "SELECT id + 100, 'm' || CAST(id AS VARCHAR), ts FROM t WHERE id < 50")
        .replaceAll("id % (\\d+) = (\\d+)", "MOD(id, $1) = $2");
  }

  @Test
  void ddlThroughSqlIsReadBackByDuckDb() throws Exception {
    Path catalog = lake("ddl");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS sales");
      s.execute("CREATE TABLE sales.orders (id BIGINT NOT NULL, region VARCHAR, day DATE, amount DECIMAL(12,2)"
          + " DEFAULT 0, note VARCHAR)");
      s.executeUpdate("INSERT INTO sales.orders (id, region, day, amount) VALUES (1, 'eu', DATE '2024-03-01', 5.5),"
          + " (2, 'us', DATE '2025-07-04', 7), (4, NULL, DATE '2025-07-04', 1)");
      s.execute("ALTER TABLE sales.orders ADD COLUMN qty INTEGER DEFAULT 1");
      s.execute("ALTER TABLE sales.orders RENAME COLUMN note TO remark");
      s.execute("ALTER TABLE sales.orders DROP COLUMN remark");
      s.execute("ALTER TABLE sales.orders ALTER COLUMN qty SET DATA TYPE BIGINT");
      s.execute("ALTER TABLE sales.orders ALTER COLUMN qty SET NOT NULL");
      assertThatThrownBy(() -> s.execute("ALTER TABLE sales.orders ALTER COLUMN region SET NOT NULL"))
          .hasMessageContaining("Cannot SET NOT NULL on column \"region\"");
      s.executeUpdate("UPDATE sales.orders SET region = 'eu' WHERE region IS NULL");
      s.execute("ALTER TABLE sales.orders ALTER COLUMN region SET NOT NULL");
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO sales.orders (id, day) VALUES (3, DATE '2024-01-01')"))
          .hasMessageContaining("region");
      s.execute("ALTER TABLE sales.orders ALTER COLUMN region DROP NOT NULL");
      s.execute("COMMENT ON TABLE sales.orders IS 'all orders'");
      s.execute("ALTER TABLE sales.orders SET PARTITIONED BY (year(day), region)");
      s.executeUpdate("INSERT INTO sales.orders (id, region, day, amount, qty) SELECT id + 10, region, day, amount, qty"
          + " FROM sales.orders");
      s.execute("CREATE VIEW sales.eu AS SELECT id, amount FROM sales.orders WHERE region = 'eu'");
      s.execute("ALTER TABLE sales.orders RENAME TO orders2");
      compare(c, "ddl", "SELECT * FROM sales.orders2 ORDER BY id");
      s.execute("TRUNCATE TABLE sales.orders2");
      compare(c, "ddl", "SELECT count(*) FROM sales.orders2");
      s.execute("DROP VIEW sales.eu");
      s.execute("DROP TABLE sales.orders2");
      s.execute("DROP SCHEMA sales");
    }
    duckdb.execute("USE ddl");
    try {
      assertThat(duckdb.query("SELECT changes FROM snapshots() ORDER BY snapshot_id").rows())
          .extracting(r -> r.get(0).toString()).contains("{tables_altered=[2]}", "{views_created=[sales.eu]}",
              "{tables_created=[sales.orders2]}");
      assertThat(duckdb.query("SELECT count(*) FROM duckdb_schemas() WHERE database_name = 'ddl'"
          + " AND schema_name = 'sales'").scalar()).isEqualTo(BigInteger.ZERO);
    } finally {
      duckdb.execute("USE memory");
    }
  }

  @Test
  void commentsOnATableCreatedInTheSameTransactionAreCommittedAsDuckDbCommitsThem() throws Exception {
    Path catalog = lake("newcomments");
    lake("newcommentstwin");
    List<String> statements = List.of("CREATE TABLE t (i INTEGER, v VARCHAR)", "COMMENT ON TABLE t IS 'the table'",
        "COMMENT ON COLUMN t.v IS 'first'", "COMMENT ON COLUMN t.v IS 'second'", "INSERT INTO t VALUES (1, 'a')");
    duckdb.execute("USE newcommentstwin");
    duckdb.execute("BEGIN");
    statements.forEach(duckdb::execute);
    duckdb.execute("COMMIT");
    duckdb.execute("USE memory");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      for (String sql : statements) {
        s.execute(sql);
      }
      c.commit();
    }
    for (String sql : List.of("SELECT snapshot_id, changes FROM %s.snapshots() ORDER BY snapshot_id",
        "SELECT object_id, begin_snapshot, end_snapshot, key, value FROM __ducklake_metadata_%s.ducklake_tag",
        "SELECT * FROM __ducklake_metadata_%s.ducklake_column_tag ORDER BY begin_snapshot, value",
        "SELECT comment FROM duckdb_tables() WHERE database_name = '%s'",
        "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = '%s' ORDER BY column_index")) {
      assertThat(duckdb.query(String.format(sql, "newcomments")).rows()).as(sql)
          .isEqualTo(duckdb.query(String.format(sql, "newcommentstwin")).rows());
    }
  }
}
