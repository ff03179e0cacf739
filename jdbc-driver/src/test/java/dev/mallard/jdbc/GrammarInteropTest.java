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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mallard's own grammar on jdbc:ducklake: connections: DuckDB's column names that are keywords
 * elsewhere, and DDL run against the lake, compared with DuckDB 1.5.5.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrammarInteropTest {
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
  void columnsNamedLikeCalciteKeywordsWork() throws Exception {
    Path catalog = lake("kw");
    duckdb.execute("CREATE TABLE kw.t (day DATE, year INTEGER, value DOUBLE, date VARCHAR, month INTEGER,"
        + " time TIME, hour INTEGER, count BIGINT, result VARCHAR)");
    duckdb.execute("INSERT INTO kw.t VALUES (DATE '2024-01-02', 2024, 1.5, 'a', 1, TIME '10:00:00', 3, 7, 'x'),"
        + " (DATE '2025-03-04', 2025, 2.5, 'b', 3, TIME '11:30:00', 4, 8, 'y')");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      compare(c, "kw", "SELECT day, year, value, date, month, time, hour, count, result FROM t ORDER BY day");
      compare(c, "kw", "SELECT year, sum(value) AS total FROM t WHERE day > DATE '2024-06-01' GROUP BY year");
      compare(c, "kw", "SELECT t.value, t.date FROM t WHERE t.year = 2024");
      assertThat(s.executeUpdate("UPDATE t SET value = value * 2 WHERE year = 2025")).isEqualTo(1);
      assertThat(s.executeUpdate("INSERT INTO t (day, year, value) VALUES (DATE '2026-01-01', 2026, 0.5)"))
          .isEqualTo(1);
      assertThat(s.executeUpdate("DELETE FROM t WHERE date = 'a'")).isEqualTo(1);
      compare(c, "kw", "SELECT * FROM t ORDER BY day");
    }
  }

  @Test
  void ddlThroughMallardIsReadBackByDuckDb() throws Exception {
    Path catalog = lake("ddl");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA sales");
      s.execute("CREATE TABLE sales.orders (id BIGINT NOT NULL, day DATE, amount DECIMAL(10, 2), note VARCHAR,"
          + " small UTINYINT, big HUGEINT)");
      s.execute("CREATE TABLE IF NOT EXISTS sales.orders (other INTEGER)");
      assertThat(s.executeUpdate("INSERT INTO sales.orders (id, day, amount, note) VALUES"
          + " (1, DATE '2024-01-01', 12.50, 'first'), (2, NULL, 3.25, NULL)")).isEqualTo(2);
      s.execute("CREATE TABLE scratch (a INTEGER)");
      s.execute("DROP TABLE scratch");
      s.execute("DROP TABLE IF EXISTS scratch");
      compare(c, "ddl", "SELECT * FROM sales.orders ORDER BY id");
    }
    assertThat(duckdb.query("SELECT column_name || ' ' || data_type FROM duckdb_columns()"
        + " WHERE database_name = 'ddl' AND table_name = 'orders' ORDER BY column_index").rows())
        .extracting(r -> r.get(0)).containsExactly("id BIGINT", "day DATE", "amount DECIMAL(10,2)",
            "note VARCHAR", "small UTINYINT", "big HUGEINT");
    assertThat(duckdb.query("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'ddl'"
        + " AND table_name = 'scratch'").scalar()).isEqualTo(BigInteger.ZERO);
  }

  @Test
  void intervalColumnsAreCreatedAsDuckDbCreatesThem() throws Exception {
    Path catalog = lake("iv");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE spans (id INTEGER, span INTERVAL, spans INTERVAL[])");
      assertThat(s.executeUpdate("INSERT INTO spans VALUES (1, '3 days', NULL), (2, '1 year 2 months 00:00:01', NULL),"
          + " (3, NULL, NULL)")).isEqualTo(3);
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO spans VALUES (4, 'three days', NULL)"))
          .isInstanceOf(SQLException.class).hasMessageContaining("is not a valid interval (column span)");
      compare(c, "iv", "SELECT * FROM spans ORDER BY id");
    }
    assertThat(duckdb.query("SELECT column_name || ' ' || data_type FROM duckdb_columns()"
        + " WHERE database_name = 'iv' AND table_name = 'spans' ORDER BY column_index").rows())
        .extracting(r -> r.get(0)).containsExactly("id INTEGER", "span INTERVAL", "spans INTERVAL[]");
  }

  /**
   * Calcite's interval literals are written as DuckDB stores its own: months, days and microseconds
   * apart ({@code INTERVAL '36' HOUR} is 36 hours, not 1 day 12 hours). DuckDB parses only the
   * single-unit forms; the compound ones are compared with the text DuckDB reads for the same value.
   */
  @Test
  void calciteIntervalLiteralsAreWrittenAsDuckDbStoresThem() throws Exception {
    Path catalog = lake("ivlit");
    String[][] literals = {
        {"INTERVAL '3' DAY", "INTERVAL '3' DAY"},
        {"INTERVAL '-3' DAY", "INTERVAL '-3' DAY"},
        {"INTERVAL '36' HOUR", "INTERVAL '36' HOUR"},
        {"INTERVAL '90' MINUTE", "INTERVAL '90' MINUTE"},
        {"INTERVAL '100' SECOND", "INTERVAL '100' SECOND"},
        {"INTERVAL '1.5' SECOND", "INTERVAL '1.5' SECOND"},
        {"INTERVAL '14' MONTH", "INTERVAL '14' MONTH"},
        {"INTERVAL '2' YEAR", "INTERVAL '2' YEAR"},
        {"INTERVAL '3' DAY * 2", "INTERVAL '3' DAY * 2"},
        {"INTERVAL '1-2' YEAR TO MONTH", "INTERVAL '1 year 2 months'"},
        {"INTERVAL '-1-2' YEAR TO MONTH", "INTERVAL '-1 year -2 months'"},
        {"INTERVAL '4:05' HOUR TO MINUTE", "INTERVAL '04:05:00'"},
        {"INTERVAL '3 04:05:06.5' DAY TO SECOND", "INTERVAL '3 days 04:05:06.5'"},
        {"INTERVAL '2:03' MINUTE TO SECOND", "INTERVAL '00:02:03'"},
    };
    duckdb.execute("CREATE TABLE ivlit.want (id INTEGER, span INTERVAL)");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE got (id INTEGER, span INTERVAL, later INTERVAL DEFAULT INTERVAL '36' HOUR)");
      for (int i = 0; i < literals.length; i++) {
        assertThat(s.executeUpdate("INSERT INTO got (id, span) VALUES (" + i + ", " + literals[i][0] + ")"))
            .isEqualTo(1);
        duckdb.execute("INSERT INTO ivlit.want VALUES (" + i + ", " + literals[i][1] + ")");
      }
      assertThat(s.executeUpdate("INSERT INTO got (id, span) VALUES (100, INTERVAL '1' DAY), (101, NULL)"))
          .isEqualTo(2);
      assertThat(s.executeUpdate("INSERT INTO got (id, span) SELECT 102, INTERVAL '5' MINUTE")).isEqualTo(1);
      duckdb.execute("INSERT INTO ivlit.want VALUES (100, INTERVAL 1 DAY), (101, NULL), (102, INTERVAL 5 MINUTE)");
      assertThat(s.executeUpdate("UPDATE got SET later = INTERVAL '2' HOUR WHERE id = 0")).isEqualTo(1);
      assertThat(s.executeUpdate("MERGE INTO got USING (VALUES (1)) AS src (k) ON got.id = src.k"
          + " WHEN MATCHED THEN UPDATE SET later = INTERVAL '1-6' YEAR TO MONTH")).isEqualTo(1);
      compare(c, "ivlit", "SELECT * FROM got ORDER BY id");
      // Values Calcite finds no common type for are cast to the column's type, as DuckDB does.
      s.execute("CREATE TABLE nums (id INTEGER, x DOUBLE)");
      assertThat(s.executeUpdate("INSERT INTO nums VALUES (1, 'NaN'), (2, 1), (3, '-inf'), (4, NULL)")).isEqualTo(4);
      compare(c, "ivlit", "SELECT * FROM nums ORDER BY id");
    }
    assertThat(duckdb.query("SELECT x::VARCHAR FROM ivlit.nums ORDER BY id").rows()).extracting(r -> r.get(0))
        .containsExactly("nan", "1.0", "-inf", null);
    // The same months, days and microseconds: DuckDB's text of an interval tells them apart.
    assertThat(duckdb.query("SELECT id, g.span::VARCHAR, w.span::VARCHAR FROM ivlit.got g JOIN ivlit.want w"
        + " USING (id) WHERE g.span::VARCHAR IS DISTINCT FROM w.span::VARCHAR").rows()).isEmpty();
    assertThat(duckdb.query("SELECT count(*) FROM ivlit.got g JOIN ivlit.want w USING (id)").scalar())
        .isEqualTo(BigInteger.valueOf(literals.length + 3));
    assertThat(duckdb.query("SELECT later::VARCHAR FROM ivlit.got ORDER BY id LIMIT 2").rows())
        .extracting(r -> r.get(0)).containsExactly("02:00:00", "1 year 6 months");
  }

  @Test
  void nestedColumnsAreCreatedWithTheCatalogRowsDuckDbWrites() throws Exception {
    Path catalog = lake("nest");
    String columns = "(id INTEGER, tags VARCHAR[], point STRUCT(x DOUBLE, y DOUBLE), attrs MAP(VARCHAR, INTEGER),"
        + " deep STRUCT(a INTEGER[], m MAP(INTEGER, STRUCT(v VARCHAR))[]), grid INTEGER[][])";
    duckdb.execute("CREATE TABLE nest.theirs " + columns);
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE mine " + columns);
    }
    String rows = "SELECT c.column_id - (SELECT min(column_id) FROM __ducklake_metadata_nest.ducklake_column"
        + " WHERE table_id = t.table_id), c.column_order, c.column_name, c.column_type, c.nulls_allowed,"
        + " c.parent_column - (SELECT min(column_id) FROM __ducklake_metadata_nest.ducklake_column"
        + " WHERE table_id = t.table_id) FROM __ducklake_metadata_nest.ducklake_column c"
        + " JOIN __ducklake_metadata_nest.ducklake_table t USING (table_id) WHERE t.table_name = '%s'"
        + " ORDER BY c.column_id";
    assertThat(duckdb.query(String.format(rows, "mine")).rows())
        .isEqualTo(duckdb.query(String.format(rows, "theirs")).rows()).hasSize(20);
    String insert = "INSERT INTO nest.%s VALUES (1, ['a', NULL], {'x': 1.5, 'y': 2}, MAP {'k': 7},"
        + " {'a': [1, 2], 'm': [MAP {3: {'v': 'w'}}]}, [[1], [2, 3]])";
    duckdb.execute(String.format(insert, "mine"));
    duckdb.execute(String.format(insert, "theirs"));
    assertThat(duckdb.query("SELECT * FROM nest.mine").rows()).isEqualTo(duckdb.query("SELECT * FROM nest.theirs")
        .rows());
  }

  @Test
  void ddlErrorsNameTheProblem() throws Exception {
    Path catalog = lake("ddlerr");
    duckdb.execute("CREATE TABLE ddlerr.t (a INTEGER)");
    try (Connection c = Mallard.connect("sqlite:" + catalog); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("CREATE TABLE t (a INTEGER)")).isInstanceOf(SQLException.class)
          .hasMessageContaining("t");
      assertThatThrownBy(() -> s.execute("DROP TABLE nope")).isInstanceOf(SQLException.class)
          .hasMessageContaining("nope");
    }
  }
}
