package dev.mallard.calcite.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSnapshot;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mallard's grammar, as connections configure it: what parses, and into what. */
class MallardSqlParserTest {
  private static SqlNode parse(String sql) throws SqlParseException {
    SqlParser.Config config = SqlParser.config()
        .withParserFactory(MallardParserFactory.INSTANCE)
        .withConformance(SqlConformanceEnum.BABEL)
        .withUnquotedCasing(Casing.UNCHANGED)
        .withQuotedCasing(Casing.UNCHANGED)
        .withCaseSensitive(false);
    return SqlParser.create(sql, config).parseStmt();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT day, year, value, date, month, time, hour, second, minute, count, sum FROM t",
      "SELECT t.day, t.value FROM t WHERE year = 2024 AND value > 1.5 ORDER BY date",
      "SELECT value, count(*) FROM t GROUP BY value HAVING count(*) > 1",
      "SELECT sum(value), count(value), f(value, 1), max(day), abs(year) FROM t",
      "SELECT * FROM t WHERE x IN (VALUES 1, 2)",
      "SELECT * FROM t AS snapshot",
      "SELECT \"timestamp\", \"interval\" FROM t",
      "SELECT a, row_number() OVER (PARTITION BY b ORDER BY c ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t",
      "SELECT CAST(x AS DOUBLE), DATE '2024-01-01', TIMESTAMP '2024-01-01 10:00:00', INTERVAL '1' DAY FROM t",
      "SELECT * FROM a JOIN b ON a.id = b.id LEFT JOIN c USING (id)",
      "WITH x AS (SELECT 1 AS one) SELECT one FROM x UNION ALL SELECT 2",
      "SELECT extract(year FROM d), substring(s FROM 2 FOR 3), trim(s), position('a' IN s) FROM t",
      "SELECT CASE WHEN a IS NULL THEN 0 ELSE a END, coalesce(a, b), nullif(a, b) FROM t",
      "SELECT * FROM t WHERE a IN (SELECT a FROM u) AND EXISTS (SELECT 1 FROM u WHERE u.a = t.a)",
      "INSERT INTO t VALUES (1, 'a'), (2, NULL)",
      "INSERT INTO t (day, value) SELECT day, value FROM u",
      "UPDATE t SET value = value + 1, day = DATE '2024-01-02' WHERE year = 2024",
      "DELETE FROM t WHERE value IS NULL",
      "EXPLAIN PLAN FOR SELECT * FROM t",
  })
  void ordinaryStatementsParse(String sql) throws SqlParseException {
    assertThat(parse(sql)).isNotNull();
  }

  @Test
  void mergeParsesEveryClauseInOrder() throws SqlParseException {
    MallardMerge merge = (MallardMerge) parse("MERGE INTO lake.t USING (SELECT * FROM u) s ON t.id = s.id"
        + " WHEN MATCHED AND s.gone THEN DELETE"
        + " WHEN MATCHED AND s.x > 1 THEN UPDATE SET x = s.x, t.day = s.day"
        + " WHEN MATCHED THEN UPDATE WHEN MATCHED THEN UPDATE SET * WHEN MATCHED THEN DO NOTHING"
        + " WHEN NOT MATCHED BY SOURCE AND t.x < 0 THEN ERROR 'negative ' || t.x"
        + " WHEN NOT MATCHED BY SOURCE THEN ERROR"
        + " WHEN NOT MATCHED BY TARGET AND s.x IS NULL THEN INSERT (id) VALUES (s.id)"
        + " WHEN NOT MATCHED AND s.x = 0 THEN INSERT VALUES (s.id, DEFAULT, 1)"
        + " WHEN NOT MATCHED AND s.x = 1 THEN INSERT DEFAULT VALUES"
        + " WHEN NOT MATCHED AND s.x = 2 THEN INSERT * WHEN NOT MATCHED THEN INSERT");
    assertThat(merge.getAlias().getSimple()).isEqualTo("t");
    assertThat(merge.clauses).extracting(c -> c.when() + " " + c.action() + " " + (c.condition() != null)
        + " " + (c.columns() == null ? "-" : c.columns().size()) + " " + (c.values() == null ? "-" : c.values().size()))
        .containsExactly("MATCHED DELETE true - -", "MATCHED UPDATE true 2 2", "MATCHED UPDATE false - -",
            "MATCHED UPDATE false - -", "MATCHED DO_NOTHING false - -", "NOT_MATCHED_BY_SOURCE ERROR true - 1",
            "NOT_MATCHED_BY_SOURCE ERROR false - -", "NOT_MATCHED INSERT true 1 1", "NOT_MATCHED INSERT true - 3",
            "NOT_MATCHED INSERT true - 0", "NOT_MATCHED INSERT true - -", "NOT_MATCHED INSERT false - -");
    assertThat(merge.clauses.get(8).values().get(1).getKind()).isEqualTo(SqlKind.DEFAULT);
    // Words of MERGE stay usable as names.
    assertThat(parse("SELECT target, nothing, do, source, matched FROM t")).isNotNull();
    assertThatThrownBy(() -> parse("MERGE INTO t USING u ON t.id = u.id"))
        .isInstanceOf(SqlParseException.class);
  }

  @Test
  void ddlParsesIntoMallardNodes() throws SqlParseException {
    assertThat(parse("CREATE TABLE s.t (id BIGINT NOT NULL, day DATE, value DOUBLE, tags VARCHAR[],"
        + " p STRUCT(a INTEGER, b VARCHAR), m MAP(VARCHAR, INTEGER), h HUGEINT, u UINTEGER)"))
        .isInstanceOf(MallardCreateTable.class);
    assertThat(parse("CREATE TABLE IF NOT EXISTS t AS SELECT 1 AS one")).isInstanceOf(MallardCreateTable.class);
    assertThat(parse("CREATE SCHEMA IF NOT EXISTS s")).isInstanceOf(MallardCreateSchema.class);
    assertThat(parse("CREATE OR REPLACE VIEW v AS SELECT * FROM t")).isInstanceOf(MallardCreateView.class);
    assertThat(parse("DROP TABLE IF EXISTS t")).isInstanceOf(MallardDrop.class);
    assertThat(parse("DROP SCHEMA s CASCADE")).isInstanceOf(MallardDrop.class);
    assertThat(parse("ALTER TABLE t ADD COLUMN c INTEGER DEFAULT 5")).isInstanceOf(MallardAlterTable.class);
    assertThat(parse("ALTER TABLE t RENAME COLUMN a TO b")).isInstanceOf(MallardAlterTable.class);
    assertThat(parse("ALTER TABLE t SET PARTITIONED BY (year(d), bucket(8, id))"))
        .isInstanceOf(MallardAlterTable.class);
    assertThat(parse("COMMENT ON TABLE t IS 'hello'")).isInstanceOf(MallardCommentOn.class);
    assertThat(parse("TRUNCATE TABLE t")).isInstanceOf(MallardTruncateTable.class);
    assertThat(parse("CREATE TABLE t (id INTEGER)").getKind()).isEqualTo(SqlKind.CREATE_TABLE);
  }

  @Test
  void timeTravelFormsAreSnapshots() throws SqlParseException {
    SqlSelect byTimestamp = (SqlSelect) parse("SELECT * FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2025-01-06 10:00:00'");
    assertThat(byTimestamp.getFrom()).isInstanceOf(SqlSnapshot.class);
    assertThat(TimeTravel.isVersion(((SqlSnapshot) byTimestamp.getFrom()).getPeriod())).isFalse();

    SqlSelect bySnapshot = (SqlSelect) parse("SELECT * FROM t FOR SYSTEM_TIME AS OF SNAPSHOT 5");
    assertThat(TimeTravel.isVersion(((SqlSnapshot) bySnapshot.getFrom()).getPeriod())).isTrue();

    SqlSelect at = (SqlSelect) parse("SELECT * FROM t AT (VERSION => 5)");
    assertThat(TimeTravel.isVersion(((SqlSnapshot) at.getFrom()).getPeriod())).isTrue();

    SqlSelect atTimestamp = (SqlSelect) parse("SELECT * FROM t AT (TIMESTAMP => TIMESTAMP '2025-01-06 10:00:00')");
    assertThat(atTimestamp.getFrom()).isInstanceOf(SqlSnapshot.class);

    SqlSelect join = (SqlSelect) parse(
        "SELECT * FROM t AS old AT (VERSION => 1) JOIN t AS cur AT (VERSION => 2) ON old.id = cur.id");
    SqlJoin j = (SqlJoin) join.getFrom();
    assertThat((SqlNode) ((SqlCall) j.getLeft()).operand(0)).isInstanceOf(SqlSnapshot.class);
    assertThat((SqlNode) ((SqlCall) j.getRight()).operand(0)).isInstanceOf(SqlSnapshot.class);
  }

  @Test
  void anAliasGoesBeforeTheAtClauseAsInDuckDb() throws SqlParseException {
    SqlSelect select = (SqlSelect) parse("SELECT x.a FROM t AS x (a, b) AT (VERSION => 3)");
    SqlCall as = (SqlCall) select.getFrom();
    assertThat(as.getKind()).isEqualTo(SqlKind.AS);
    assertThat((SqlNode) as.operand(0)).isInstanceOf(SqlSnapshot.class);
    assertThat(as.getOperandList()).hasSize(4);
    assertThatThrownBy(() -> parse("SELECT * FROM t AT (VERSION => 3) AS y")).isInstanceOf(SqlParseException.class);
  }

  @Test
  void timestampLiteralsKeepMicrosecondsAndOffsets() throws SqlParseException {
    SqlSnapshot withOffset = (SqlSnapshot) ((SqlSelect) parse(
        "SELECT * FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2025-01-06 12:00:00.123456+02'")).getFrom();
    SqlSnapshot utc = (SqlSnapshot) ((SqlSelect) parse(
        "SELECT * FROM t AT (TIMESTAMP => TIMESTAMP '2025-01-06 10:00:00.123456')")).getFrom();
    long micros = 1736157600_123456L;
    assertThat(((SqlLiteral) ((SqlCall) withOffset.getPeriod()).operand(0)).longValue(true)).isEqualTo(micros);
    assertThat(((SqlLiteral) ((SqlCall) utc.getPeriod()).operand(0)).longValue(true)).isEqualTo(micros);
    assertThat(withOffset.toString()).contains("TIMESTAMP '2025-01-06 10:00:00.123456+00'");
    assertThatThrownBy(() -> parse("SELECT * FROM t AT (TIMESTAMP => TIMESTAMP 'yesterday')"))
        .hasMessageContaining("Illegal TIMESTAMP literal");
  }

  @Test
  void duckDbsCountStarAndMixedNamedArguments() throws SqlParseException {
    assertThat(parse("SELECT count_star() AS n, sum(x) FROM t HAVING count_star() > 1").toString())
        .contains("COUNT(*) AS `n`").contains("HAVING COUNT(*) > 1");
    assertThat(parse("SELECT * FROM ducklake_list_files('lake', 't', snapshot_version => 3)").toString())
        .contains("`catalog` => 'lake', `table_name` => 't', `snapshot_version` => 3");
  }

  @Test
  void twoTimeTravelClausesOnOneTableAreRefused() {
    assertThatThrownBy(() -> parse("SELECT * FROM t FOR SYSTEM_TIME AS OF SNAPSHOT 1 AT (VERSION => 2)"))
        .hasMessageContaining("only one");
  }
}
