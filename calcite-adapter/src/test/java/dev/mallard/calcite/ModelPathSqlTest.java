package dev.mallard.calcite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.calcite.parser.MallardParserFactory;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mallard's SQL in a plain Calcite connection over a model, as an embedding application sets it up:
 * the parser factory property gives DuckDB's column names, time travel, views, the introspection
 * functions and DDL.
 */
class ModelPathSqlTest {
  @TempDir Path dir;

  private static long scalar(Connection c, String sql) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void mallardsGrammarThroughAModel() throws Exception {
    Path catalog;
    long first;
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      catalog = TestLakes.attachNew(duckdb, dir);
      duckdb.execute("CREATE TABLE t (day DATE, value INTEGER)");
      duckdb.execute("INSERT INTO t VALUES (DATE '2025-01-01', 1), (DATE '2025-01-02', 2)");
      first = ((BigInteger) duckdb.query("SELECT max(snapshot_id) FROM lake.snapshots()").scalar()).longValue();
      duckdb.execute("INSERT INTO t VALUES (DATE '2025-01-03', 3)");
      duckdb.execute("CREATE VIEW big AS SELECT day, value FROM t WHERE value >= 2");
    }
    String model = "{version: '1.0', defaultSchema: 'main', schemas: [{name: 'main', type: 'custom', cache: false,"
        + " factory: '" + DuckLakeSchemaFactory.class.getName() + "',"
        + " operand: {url: 'sqlite:" + catalog + "', schema: 'main'}}]}";
    Properties p = new Properties();
    p.setProperty("model", "inline:" + model);
    p.setProperty("caseSensitive", "false");
    p.setProperty("unquotedCasing", "UNCHANGED");
    p.setProperty("typeSystem", MallardTypeSystem.class.getName() + "#INSTANCE");
    p.setProperty("parserFactory", MallardParserFactory.class.getName() + "#INSTANCE");
    try (Connection c = DriverManager.getConnection("jdbc:calcite:", p)) {
      assertThat(scalar(c, "SELECT sum(value) FROM t WHERE day > DATE '2025-01-01'")).isEqualTo(5);
      assertThat(scalar(c, "SELECT count(*) FROM t AT (VERSION => " + first + ")")).isEqualTo(2);
      assertThat(scalar(c, "SELECT sum(value) FROM t FOR SYSTEM_TIME AS OF SNAPSHOT " + first)).isEqualTo(3);
      assertThat(scalar(c, "SELECT count(*) FROM big")).isEqualTo(2);
      assertThat(scalar(c, "SELECT max(snapshot_id) FROM ducklake_snapshots('main')")).isEqualTo(first + 2);
      c.createStatement().execute("CREATE TABLE made (a INTEGER)");
      assertThat(scalar(c, "SELECT count(*) FROM made")).isZero();
    }
  }
}
