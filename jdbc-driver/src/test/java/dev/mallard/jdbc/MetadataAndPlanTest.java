package dev.mallard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.ResultAssert;
import dev.mallard.testing.TestLakes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** What JDBC tools browse (DatabaseMetaData) and what EXPLAIN shows of pushdown. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetadataAndPlanTest {
  @TempDir static Path dir;
  private Connection mallard;

  @BeforeAll
  void lake() throws SQLException {
    Path catalog;
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      catalog = TestLakes.attachNew(duckdb, dir);
      TestLakes.interop(duckdb);
      duckdb.execute("CREATE TABLE facts AS SELECT i AS id, i % 10 AS k FROM range(20000) t(i)");
      duckdb.execute("CREATE TABLE dims AS SELECT i AS k, 'k' || i AS name FROM range(10) t(i)");
      // A small star, as TPC-H's Q08: line items of parts from suppliers in nations of regions.
      duckdb.execute("CREATE TABLE part AS SELECT i AS p_partkey, 'type ' || (i % 150) AS p_type FROM range(2000) t(i)");
      duckdb.execute("CREATE TABLE supplier AS SELECT i AS s_suppkey, i % 25 AS s_nationkey FROM range(100) t(i)");
      duckdb.execute("CREATE TABLE nation AS SELECT i AS n_nationkey, i % 5 AS n_regionkey FROM range(25) t(i)");
      duckdb.execute("CREATE TABLE region AS SELECT i AS r_regionkey, 'region ' || i AS r_name FROM range(5) t(i)");
      duckdb.execute("CREATE TABLE lineitem AS SELECT i % 2000 AS l_partkey, i % 100 AS l_suppkey, i AS l_quantity"
          + " FROM range(60000) t(i)");
    }
    mallard = Mallard.connect("jdbc:ducklake:sqlite:" + catalog);
  }

  @AfterAll
  void close() throws SQLException {
    mallard.close();
  }

  private static List<String> column(ResultSet rs, String name) throws SQLException {
    List<String> out = new ArrayList<>();
    while (rs.next()) {
      out.add(rs.getString(name));
    }
    return out;
  }

  @Test
  void listsTheLakesSchemasAndTables() throws SQLException {
    DatabaseMetaData md = mallard.getMetaData();
    assertThat(md.getDriverName()).contains("Mallard");
    assertThat(md.getURL()).startsWith("jdbc:ducklake:");
    assertThat(column(md.getSchemas(), "TABLE_SCHEM")).contains("main", "s1", "we ird");
    assertThat(column(md.getTables(null, "main", "%", null), "TABLE_NAME"))
        .contains("all_types", "all_types_inlined", "kinds");
    assertThat(column(md.getTables(null, "we ird", "%", null), "TABLE_NAME")).containsExactly("T 1");
    assertThat(mallard.getSchema()).isEqualTo("main");
  }

  @Test
  void describesColumnsWithTheirSqlTypes() throws SQLException {
    Map<String, Integer> types = new LinkedHashMap<>();
    try (ResultSet rs = mallard.getMetaData().getColumns(null, "main", "all_types", "%")) {
      while (rs.next()) {
        types.put(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"));
      }
    }
    assertThat(types).containsEntry("b", Types.BOOLEAN).containsEntry("i8", Types.TINYINT)
        .containsEntry("i32", Types.INTEGER).containsEntry("i64", Types.BIGINT).containsEntry("u8", Types.SMALLINT)
        .containsEntry("u32", Types.BIGINT).containsEntry("u64", Types.DECIMAL).containsEntry("i128", Types.DECIMAL)
        .containsEntry("f32", Types.REAL).containsEntry("f64", Types.DOUBLE).containsEntry("d38", Types.DECIMAL)
        .containsEntry("v", Types.VARCHAR).containsEntry("bl", Types.VARBINARY).containsEntry("u", Types.VARCHAR)
        .containsEntry("dt", Types.DATE).containsEntry("tm", Types.TIME).containsEntry("ts", Types.TIMESTAMP)
        .containsEntry("iv", Types.VARCHAR);
    assertThat(types.keySet()).startsWith("id", "b", "i8");
    try (ResultSet rs = mallard.getMetaData().getColumns(null, "main", "all_types", "d38")) {
      rs.next();
      assertThat(rs.getInt("COLUMN_SIZE")).isEqualTo(38);
      assertThat(rs.getInt("DECIMAL_DIGITS")).isEqualTo(10);
    }
  }

  @Test
  void hasNoPrimaryKeys() throws SQLException {
    try (ResultSet rs = mallard.getMetaData().getPrimaryKeys(null, "main", "kinds")) {
      assertThat(rs.next()).isFalse();
    }
  }

  /**
   * What DBeaver and DataGrip call when they open a connection and browse it: every call answers
   * (none throws "not supported"), and the answers describe the lake.
   */
  @Test
  void answersWhatGuiToolsAskWhileBrowsing() throws SQLException {
    DatabaseMetaData md = mallard.getMetaData();
    assertThat(md.getDatabaseProductName()).isNotBlank();
    assertThat(md.getDatabaseProductVersion()).isNotBlank();
    assertThat(md.getDriverVersion()).isNotBlank();
    assertThat(md.getIdentifierQuoteString()).isEqualTo("\"");
    assertThat(md.getSQLKeywords()).isNotNull();
    assertThat(md.getSchemaTerm()).isNotNull();
    assertThat(md.supportsSchemasInTableDefinitions()).isTrue();
    assertThat(column(md.getCatalogs(), "TABLE_CAT")).isNotNull();
    assertThat(column(md.getTableTypes(), "TABLE_TYPE")).contains("TABLE");
    assertThat(column(md.getSchemas(null, "s%"), "TABLE_SCHEM")).containsExactly("s1");
    assertThat(column(md.getTables(null, null, "eve%", new String[] {"TABLE"}), "TABLE_NAME"))
        .containsExactly("events");
    List<String> columns = column(md.getColumns(null, "s1", "events", "%"), "COLUMN_NAME");
    assertThat(columns).containsExactly("id", "kind", "amount", "day");
    try (ResultSet rs = md.getColumns(null, "s1", "events", "amount")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("TYPE_NAME")).startsWith("DECIMAL");
      assertThat(rs.getInt("ORDINAL_POSITION")).isEqualTo(3);
      assertThat(rs.getString("IS_NULLABLE")).isEqualTo("YES");
    }
    List<String> typeNames = column(md.getTypeInfo(), "TYPE_NAME");
    assertThat(typeNames).contains("BOOLEAN", "INTEGER", "BIGINT", "DECIMAL", "DOUBLE", "VARCHAR", "DATE",
        "TIMESTAMP");
    // Lakes have no keys, indexes, procedures or user-defined types: empty answers, not errors.
    assertThat(md.getPrimaryKeys(null, "s1", "events").next()).isFalse();
    assertThat(md.getImportedKeys(null, "s1", "events").next()).isFalse();
    assertThat(md.getExportedKeys(null, "s1", "events").next()).isFalse();
    assertThat(md.getIndexInfo(null, "s1", "events", false, true).next()).isFalse();
    assertThat(md.getProcedures(null, "s1", "%").next()).isFalse();
    assertThat(md.getUDTs(null, "s1", "%", null).next()).isFalse();
    assertThat(md.getSuperTables(null, "s1", "%").next()).isFalse();
    assertThat(md.getTablePrivileges(null, "s1", "%").next()).isFalse();
    assertThat(md.getColumnPrivileges(null, "s1", "events", "%").next()).isFalse();
    assertThat(md.getVersionColumns(null, "s1", "events").next()).isFalse();
    assertThat(md.getBestRowIdentifier(null, "s1", "events", DatabaseMetaData.bestRowSession, true).next()).isFalse();
    md.getFunctions(null, null, "%").close();
    md.getClientInfoProperties().close();
    // A query's result describes itself the same way.
    try (ResultSet rs = mallard.createStatement().executeQuery("SELECT id, amount FROM s1.events WHERE id = 4")) {
      assertThat(rs.getMetaData().getColumnType(2)).isEqualTo(Types.DECIMAL);
      assertThat(rs.getMetaData().getScale(2)).isEqualTo(2);
      assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("id");
    }
  }

  private String explain(String sql) throws SQLException {
    return Rows.plan(mallard, sql);
  }

  @Test
  void explainShowsThePushedColumnsAndFilters() throws SQLException {
    String plan = explain("SELECT id, amount FROM s1.events WHERE kind = 'a' AND amount > 10");
    assertThat(plan).contains("DuckLakeTableScan").contains("columns=[[id, amount]]")
        .contains("kind = 'a'").contains("amount > 10");
    assertThat(plan).doesNotContain("EnumerableFilter").doesNotContain("EnumerableCalc(");
  }

  @Test
  void aJoinKeyRepeatedInEveryBranchOfAnOrBecomesAnEquiJoin() throws SQLException {
    String sql = "SELECT count(*) FROM s1.events e, kinds k WHERE (e.kind = k.kind AND e.amount > 10)"
        + " OR (e.kind = k.kind AND k.label = 'Zed')";
    assertThat(explain(sql)).containsPattern("(Enumerable|Batch)(Hash|Merge)Join").doesNotContain("NestedLoopJoin");
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
        ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      duckdb.execute("ATTACH 'ducklake:sqlite:" + dir.resolve("lake.sqlite") + "' AS lake (READ_ONLY)");
      duckdb.execute("USE lake");
      ResultAssert.assertSameRows(duckdb.query(sql), rs, false);
    }
  }

  /** Calcite's hash join hashes its right input: the small table must be there, whichever is written first. */
  @Test
  void aHashJoinHashesTheSmallerTableByTheCatalogsRowCounts() throws SQLException {
    for (String sql : List.of("SELECT f.id, d.name FROM facts f JOIN dims d ON f.k = d.k",
        "SELECT f.id, d.name FROM dims d JOIN facts f ON f.k = d.k")) {
      String plan = explain(sql);
      // Batch operators (on by default) hash the same side as Calcite's EnumerableHashJoin.
      assertThat(plan).containsPattern("(Enumerable|Batch)HashJoin").doesNotContain("MergeJoin")
          .doesNotContain("EnumerableSort").doesNotContain("BatchSort");
      assertThat(plan.indexOf("table=[[main, facts]]")).as(plan).isLessThan(plan.indexOf("table=[[main, dims]]"));
    }
  }

  /**
   * Written with the filtered part first and no condition between it and supplier (as Q08), the join
   * order must still join the line items with the few parts of one type (selective by the catalog's
   * statistics) instead of multiplying parts by suppliers (TPC-H's Q08 was planned with that cross join).
   */
  @Test
  void joinsAreOrderedByTheFiltersSelectivityNotTheirOrderInTheQuery() throws SQLException {
    String sql = "SELECT r_name, count(*), sum(l_quantity) FROM part, supplier, lineitem, nation, region"
        + " WHERE p_partkey = l_partkey AND s_suppkey = l_suppkey AND s_nationkey = n_nationkey"
        + " AND n_regionkey = r_regionkey AND p_type = 'type 7' AND r_name <> 'region 4' GROUP BY r_name";
    String plan = explain(sql);
    assertThat(plan).doesNotContain("NestedLoopJoin").doesNotContain("condition=[true]");
    // The line items meet the filtered parts directly, in a join of the two scans.
    assertThat(plan).containsPattern("(Enumerable|Batch)HashJoin.*\\n\\s*(DuckLakeTableScan|BatchScan)\\(table=\\[\\[main, lineitem]]"
        + ".*\\n\\s*(DuckLakeTableScan|BatchScan)\\(table=\\[\\[main, part]].*filters=\\[\\[p_type = 'type 7']]");
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
        ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      duckdb.execute("ATTACH 'ducklake:sqlite:" + dir.resolve("lake.sqlite") + "' AS lake (READ_ONLY)");
      duckdb.execute("USE lake");
      ResultAssert.assertSameRows(duckdb.query(sql), rs, false);
    }
  }

  @Test
  void explainKeepsWhatTheEngineCannotAnswerAboveTheScan() throws SQLException {
    String plan = explain("SELECT id FROM s1.events WHERE kind LIKE 'a%' AND id < 100");
    assertThat(plan).contains("filters=[[id < 100]]").contains("LIKE");
  }
}
