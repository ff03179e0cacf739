package dev.mallard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What JDBC users expect of statements: parameters, reused plans, row limits, timeouts and cancel. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcFeaturesTest {
  /** A value of a row of main.big that takes long to compute: about 0.8 us, 8 s for the whole table. */
  static final String SLOW_VALUE = "length(upper(" + String.join(" || ", java.util.Collections.nCopies(16, "s"))
      + "))";

  /**
   * A query that reads all of main.big inside its first row, long enough that a 1 s timeout or a
   * cancel stops it halfway (a plain filtered count of the table takes under 1 s once the JIT has
   * warmed up).
   */
  static final String SLOW = "SELECT count(*) FROM big WHERE " + SLOW_VALUE + " = 3";

  private SharedLake lake;
  private Connection c;

  @BeforeAll
  void open() throws SQLException {
    lake = SharedLake.get();
    c = Mallard.connect(lake.url());
  }

  @AfterAll
  void close() throws SQLException {
    c.close();
  }

  @Test
  void parametersInFiltersGiveTheSameRowsAsLiterals() throws SQLException {
    String literal = "SELECT id, kind, amount FROM s1.events WHERE id > 1500 AND kind = 'b' AND amount < 2900 ORDER BY id";
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, kind, amount FROM s1.events WHERE id > ? AND kind = ? AND amount < ? ORDER BY id")) {
      ps.setLong(1, 1500);
      ps.setString(2, "b");
      ps.setBigDecimal(3, new java.math.BigDecimal("2900"));
      List<List<String>> rows;
      try (ResultSet rs = ps.executeQuery()) {
        rows = Rows.read(rs);
      }
      assertThat(rows).isNotEmpty().isEqualTo(Rows.query(c, literal));
      // The same statement with other values: the parameter conjuncts are evaluated per execution.
      ps.setLong(1, 1900);
      ps.setString(2, "big");
      ps.setBigDecimal(3, new java.math.BigDecimal("100000"));
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(Rows.read(rs)).isEqualTo(Rows.query(c,
            "SELECT id, kind, amount FROM s1.events WHERE id > 1900 AND kind = 'big' AND amount < 100000 ORDER BY id"));
      }
    }
  }

  @Test
  void theScanKeepsWhatItCanPushAndLeavesParametersAbove() throws SQLException {
    List<List<String>> plan = Rows.query(c, "EXPLAIN PLAN FOR SELECT id FROM s1.events WHERE id > ? AND kind = 'b'");
    String text = plan.get(0).get(0);
    assertThat(text).contains("filters=[[kind = 'b']]").contains("expr#1=[?0], expr#2=[>($t0, $t1)]");
  }

  @Test
  void aReusedPlanReadsTheDataOfEachExecution() throws SQLException {
    String sql = "SELECT count(*), max(id) FROM live";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      assertThat(single(ps)).isEqualTo(List.of("2", "2"));
      lake.duckdb().execute("INSERT INTO live VALUES (3, 'three')");
      assertThat(single(ps)).as("the prepared statement's next execution").isEqualTo(List.of("3", "3"));
    }
    // A new statement with the same text gets the cached plan, and the newest data too.
    lake.duckdb().execute("INSERT INTO live VALUES (4, 'four')");
    assertThat(Rows.query(c, sql)).containsExactly(List.of("4", "4"));
  }

  @Test
  void aSchemaChangeMakesANewPlan() throws SQLException {
    lake.duckdb().execute("CREATE TABLE widening (a INTEGER)");
    lake.duckdb().execute("INSERT INTO widening VALUES (1)");
    try (Connection fresh = Mallard.connect(lake.url())) {
      assertThat(Rows.query(fresh, "SELECT * FROM widening")).containsExactly(List.of("1"));
      lake.duckdb().execute("ALTER TABLE widening ADD COLUMN b VARCHAR DEFAULT 'x'");
      assertThat(Rows.query(fresh, "SELECT * FROM widening")).containsExactly(List.of("1", "x"));
    }
  }

  @Test
  void repeatedStatementsReuseTheirPlans() throws SQLException {
    try (Connection fresh = Mallard.connect(lake.url())) {
      PlanCache plans = DuckLakeDriver.session(fresh).plans();
      for (int i = 0; i < 5; i++) {
        Rows.query(fresh, "SELECT kind, count(*) FROM s1.events GROUP BY kind");
      }
      assertThat(plans.misses()).isEqualTo(1);
      assertThat(plans.hits()).isEqualTo(4);
    }
  }

  @Test
  void maxRowsLimitsStatementsAndPreparedStatements() throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setMaxRows(7);
      try (ResultSet rs = s.executeQuery("SELECT i FROM big")) {
        assertThat(Rows.read(rs)).hasSize(7);
      }
      s.setMaxRows(0);
      try (ResultSet rs = s.executeQuery("SELECT id FROM s1.events")) {
        assertThat(Rows.read(rs)).hasSizeGreaterThan(1000);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT i FROM big WHERE i >= ?")) {
      ps.setLong(1, 100);
      ps.setMaxRows(3);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(Rows.read(rs)).hasSize(3);
      }
      ps.setLargeMaxRows(5);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(Rows.read(rs)).hasSize(5);
      }
    }
  }

  @Test
  void aQueryTimeoutStopsTheScan() throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      long start = System.nanoTime();
      assertThatThrownBy(() -> s.executeQuery(SLOW).next())
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(causes(e)).anyMatch(t -> t instanceof SQLTimeoutException))
          .hasMessageContaining("query timeout of 1.0 s");
      assertThat(elapsedMillis(start)).isLessThan(5_000);
      // The same statement runs again once the timeout allows it.
      s.setQueryTimeout(0);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM live")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void cancelFromAnotherThreadStopsTheScan() throws Exception {
    assertCancelStops(SLOW, 300);
  }

  /**
   * A batch plan whose scan parts hand nothing up (here: each of main.big's 10 M rows joins 100 rows,
   * and the pairs are counted where they are made, on the scan pool) stops within a batch of a
   * cancel, not at the end of the scan task the pool is reading.
   */
  @Test
  void cancelStopsABatchPipelineThatHandsNothingUp() throws Exception {
    String join = "SELECT count(*) FROM big a JOIN big b ON a.s = b.s WHERE b.i < 100000"; // 10^9 pairs
    assertThat(Rows.query(c, "EXPLAIN PLAN FOR " + join).get(0).get(0))
        .contains("BatchAggregate").contains("BatchHashJoin");
    assertCancelStops(join, 2_000); // past building the hash table: while the probe side is read
  }

  /** Cancels {@code sql} once it has run for {@code runMillis}, and checks it stops soon. */
  private void assertCancelStops(String sql, long runMillis) throws Exception {
    try (Statement s = c.createStatement()) {
      CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
        try (ResultSet rs = s.executeQuery(sql)) {
          rs.next();
          return null;
        } catch (Throwable t) {
          return t;
        }
      });
      Thread.sleep(runMillis);
      long start = System.nanoTime();
      s.cancel();
      Throwable failure = run.get(60, TimeUnit.SECONDS);
      assertThat(elapsedMillis(start)).isLessThan(5_000);
      assertThat(failure).isInstanceOf(SQLException.class);
      assertThat(causes(failure)).anyMatch(t -> t.getMessage() != null && t.getMessage().contains("canceled"));
      // A canceled statement can run again.
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM live")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void aTimeoutWhileRowsAreReadIsAnSqlTimeoutExceptionFromNext() throws SQLException {
    // Past the first row, failures come out of ResultSet.next(), which JDBC callers expect to
    // throw SQLException only.
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      // Plain rows of main.big can all be read in under 1 s.
      ResultSet rs = s.executeQuery("SELECT " + SLOW_VALUE + " FROM big");
      assertThatThrownBy(() -> {
        while (rs.next()) {
          Thread.onSpinWait();
        }
      }).isInstanceOf(SQLTimeoutException.class);
    }
  }

  private static List<String> single(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<List<String>> rows = Rows.read(rs);
      assertThat(rows).hasSize(1);
      return rows.get(0);
    }
  }

  static List<Throwable> causes(Throwable t) {
    List<Throwable> all = new java.util.ArrayList<>();
    for (Throwable x = t; x != null && !all.contains(x); x = x.getCause()) {
      all.add(x);
    }
    return all;
  }

  static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
