package dev.mallard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code now()}, {@code current_timestamp}, {@code localtimestamp} and {@code current_date} in
 * queries give the transaction's start, as DuckDB's do: the same value in every statement of a JDBC
 * transaction, and the value a {@code DEFAULT now()} column gets in it (cut to the millisecond); a new
 * transaction, a later one; with auto-commit on, the statement's time, the same in every row.
 */
class TransactionTimeInteropTest {
  @TempDir static Path dir;
  private static DuckDb duckdb;
  private static Path catalog;

  @BeforeAll
  static void writeLake() {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("CREATE TABLE events (id INTEGER, happened TIMESTAMPTZ DEFAULT now())");
  }

  @AfterAll
  static void close() {
    if (duckdb != null) {
      duckdb.close();
    }
  }

  /** The property under test, as DuckDB has it: inside BEGIN ... COMMIT, now() does not move. */
  @Test
  void duckDbGivesTheTransactionStartInEveryStatement() throws InterruptedException {
    duckdb.execute("BEGIN TRANSACTION");
    Object first = duckdb.query("SELECT now()").scalar();
    Thread.sleep(20);
    Object second = duckdb.query("SELECT now()").scalar();
    duckdb.execute("COMMIT");
    assertThat(second).isEqualTo(first);
    Thread.sleep(20);
    assertThat(duckdb.query("SELECT now() > '" + first + "'::TIMESTAMPTZ").scalar()).isEqualTo(true);
  }

  @Test
  void mallardGivesTheTransactionStartInEveryStatement() throws SQLException, InterruptedException {
    try (Connection c = Mallard.connect("sqlite:" + catalog + "?time_zone=UTC"); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      List<Object> first = times(s);
      Thread.sleep(20);
      s.executeUpdate("INSERT INTO events (id) VALUES (1)");
      Thread.sleep(20);
      List<Object> second = times(s);
      assertThat(second).isEqualTo(first);
      // A statement's time is the transaction's cut to the millisecond; a default keeps the microseconds.
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM events WHERE id = 1 AND happened >= now()"
          + " AND happened < now() + INTERVAL '0.001' SECOND AND now() - INTERVAL '1' DAY < happened")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).as("the default took the transaction's time").isEqualTo(1);
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (VALUES (1), (2), (3)) t(x)"
          + " WHERE CAST(now() AS TIMESTAMP(6)) = current_timestamp AND current_timestamp = localtimestamp"
          + " AND current_date = CAST(localtimestamp AS DATE)")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(3);
      }
      c.commit();
      Thread.sleep(20);
      List<Object> third = times(s);
      assertThat(((OffsetDateTime) third.get(0)).isAfter((OffsetDateTime) first.get(0))).isTrue();
      c.rollback();
    }
    // DuckDB reads the row Mallard wrote with the time Mallard's query saw.
    assertThat(duckdb.query("SELECT count(*) FROM events WHERE id = 1 AND happened IS NOT NULL").scalar())
        .isEqualTo(java.math.BigInteger.ONE);
  }

  /** now() (an instant), current_timestamp and localtimestamp (wall-clock times in UTC here). */
  private static List<Object> times(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT now(), current_timestamp, localtimestamp, current_date")) {
      assertThat(rs.next()).isTrue();
      return List.of(rs.getObject(1, OffsetDateTime.class), rs.getTimestamp(2), rs.getTimestamp(3), rs.getDate(4));
    }
  }
}
