package dev.mallard.calcite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lake handed to plain Calcite through a model, as an embedding application would. */
class DuckLakeSchemaFactoryTest {
  @TempDir Path dir;

  private static Properties calcite(String model) {
    Properties p = new Properties();
    p.setProperty("model", "inline:" + model);
    p.setProperty("lex", "JAVA");
    p.setProperty("typeSystem", MallardTypeSystem.class.getName() + "#INSTANCE");
    return p;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void oneDuckLakeSchemaFromAModel() throws Exception {
    Path catalog;
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      catalog = TestLakes.attachNew(duckdb, dir);
      duckdb.execute("CREATE TABLE t AS SELECT i, i * 2.5 AS d FROM range(100) r(i)");
      duckdb.execute("CREATE SCHEMA s1");
      duckdb.execute("CREATE TABLE s1.u AS SELECT 'x' || i AS v FROM range(7) r(i)");
    }
    String model = "{version: '1.0', defaultSchema: 'main', schemas: [{name: 'main', type: 'custom', cache: false,"
        + " factory: '" + DuckLakeSchemaFactory.class.getName() + "',"
        + " operand: {url: 'jdbc:ducklake:sqlite:" + catalog + "', schema: 'main'}}]}";
    try (Connection c = DriverManager.getConnection("jdbc:calcite:", calcite(model))) {
      assertThat(count(c, "SELECT count(*) FROM t WHERE i >= 50")).isEqualTo(50);
      try (ResultSet rs = c.createStatement().executeQuery("SELECT sum(d) FROM t")) {
        rs.next();
        assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("12375.0");
      }
    }
  }

  @Test
  void aWholeLakeWithItsSchemasAsSubSchemas() throws Exception {
    Path catalog;
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      catalog = TestLakes.attachNew(duckdb, dir);
      duckdb.execute("CREATE SCHEMA s1");
      duckdb.execute("CREATE TABLE s1.u AS SELECT 'x' || i AS v FROM range(7) r(i)");
    }
    String model = "{version: '1.0', schemas: [{name: 'lake', type: 'custom', cache: false,"
        + " factory: '" + DuckLakeSchemaFactory.class.getName() + "', operand: {url: 'sqlite:" + catalog + "'}}]}";
    try (Connection c = DriverManager.getConnection("jdbc:calcite:", calcite(model))) {
      assertThat(count(c, "SELECT count(*) FROM lake.s1.u")).isEqualTo(7);
    }
  }
}
