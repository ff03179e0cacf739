package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
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

/**
 * VARIANT values keep their type through Mallard: copied from a DuckDB-written table (INSERT ...
 * SELECT, CREATE TABLE AS, MERGE's INSERT, an UPDATE that keeps them), and written from typed SQL
 * values as DuckDB 1.5.5 makes them; DuckDB reads back the same values and {@code variant_typeof}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VariantTypedInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;

  /** Variants of every kind DuckDB makes, shredded by DuckDB where it shreds. */
  static final String SOURCE_ROWS = "(1, 42::VARIANT), (2, 'hello'::VARIANT), (3, {'a': 1, 'b': 'x'}::VARIANT),"
      + " (4, [10, 20, 30]::VARIANT), (5, 2.5::DOUBLE::VARIANT), (6, true::VARIANT), (7, DATE '2024-01-02'::VARIANT),"
      + " (8, 12.34::DECIMAL(10,2)::VARIANT), (9, NULL), (10, 9000000000::BIGINT::VARIANT),"
      + " (11, {'n': {'x': [1, 2, NULL]}, 'e': []}::VARIANT), (12, TIMESTAMP '2024-01-02 03:04:05.123456'::VARIANT),"
      + " (13, 'x'::BLOB::VARIANT), (14, 1.5::FLOAT::VARIANT), (15, 7::TINYINT::VARIANT)";

  /** SQL values both DuckDB and Mallard take, each inserted into a VARIANT column. */
  static final List<String> TYPED = List.of("42", "CAST(7 AS BIGINT)", "CAST(3 AS SMALLINT)", "CAST(1 AS TINYINT)",
      "1.5", "CAST(12.34 AS DECIMAL(10,2))", "CAST(123456789012.5 AS DECIMAL(20,1))", "CAST(2.5 AS DOUBLE)",
      "CAST(0.25 AS REAL)", "TRUE", "FALSE", "DATE '2024-01-02'", "TIMESTAMP '2024-01-02 03:04:05'", "TIME '01:02:03'", "'hello'",
      "NULL", "ARRAY[1, 2, 3]", "ARRAY['a', NULL]");

  @BeforeAll
  void start() {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
  }

  @AfterAll
  void stop() {
    duckdb.close();
  }

  private static final String TYPES = "SELECT id, v::VARCHAR, variant_typeof(v) FROM %s ORDER BY id";

  @Test
  void copiesKeepEachVariantsType() throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, "cp");
    duckdb.execute("CREATE TABLE cp.src (id INTEGER, v VARIANT)");
    duckdb.execute("INSERT INTO cp.src VALUES " + SOURCE_ROWS);
    DuckDb.Result expected = duckdb.query(String.format(TYPES, "cp.src"));
    assertThat(expected.rows()).hasSize(15);
    try (Connection mallard = Mallard.connect("sqlite:" + catalog); Statement s = mallard.createStatement()) {
      s.execute("CREATE TABLE ctas AS SELECT id, v FROM src");
      s.execute("CREATE TABLE ins (id INTEGER, v VARIANT)");
      s.execute("INSERT INTO ins SELECT id, v FROM src");
      s.execute("CREATE TABLE merged (id INTEGER, v VARIANT)");
      s.execute("MERGE INTO merged USING src ON merged.id = src.id WHEN NOT MATCHED THEN INSERT VALUES (src.id, src.v)");
      for (String table : List.of("ctas", "ins", "merged")) {
        assertThat(duckdb.query(String.format(TYPES, "cp." + table)).rows()).as(table).isEqualTo(expected.rows());
      }
      // an UPDATE rewrites its rows: the variants it keeps keep their type
      s.execute("UPDATE ins SET id = id + 100 WHERE id < 5");
      duckdb.execute("UPDATE cp.src SET id = id + 100 WHERE id < 5");
      assertThat(duckdb.query(String.format(TYPES, "cp.ins")).rows())
          .isEqualTo(duckdb.query(String.format(TYPES, "cp.src")).rows());
      // MERGE with an UPDATE, keeping one variant and setting another
      s.execute("MERGE INTO merged USING (VALUES (1), (2)) AS k(id) ON merged.id = k.id"
          + " WHEN MATCHED AND merged.id = 1 THEN UPDATE SET id = 201"
          + " WHEN MATCHED THEN UPDATE SET v = CAST(5 AS BIGINT)");
      assertThat(duckdb.query("SELECT id, v::VARCHAR, variant_typeof(v) FROM cp.merged WHERE id IN (2, 201)"
          + " ORDER BY id").rows()).containsExactly(List.of(java.math.BigInteger.TWO, "5", "INT64"),
          List.of(java.math.BigInteger.valueOf(201), "42", "INT32"));
      // Mallard reads the copies as DuckDB does
      try (ResultSet rs = s.executeQuery("SELECT id, v FROM ctas ORDER BY id")) {
        assertSameRows(duckdb.query("SELECT id, v FROM cp.ctas ORDER BY id"), rs, true);
      }
      // Arrow batches hold the text too, as JDBC gives it
      try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
          org.apache.arrow.vector.ipc.ArrowReader reader = Mallard.arrow(mallard, "SELECT v FROM ctas", allocator)) {
        List<String> texts = new java.util.ArrayList<>();
        while (reader.loadNextBatch()) {
          org.apache.arrow.vector.VarCharVector v =
              (org.apache.arrow.vector.VarCharVector) reader.getVectorSchemaRoot().getVector(0);
          for (int i = 0; i < v.getValueCount(); i++) {
            texts.add(v.isNull(i) ? null : new String(v.get(i), java.nio.charset.StandardCharsets.UTF_8));
          }
        }
        assertThat(texts).contains("{'a': 1, 'b': x}", "42", "[10, 20, 30]");
      }
    }
  }

  @Test
  void typedValuesAreWrittenAsDuckDbWritesThem() throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, "ty");
    duckdb.execute("CREATE TABLE ty.theirs (id INTEGER, v VARIANT)");
    try (Connection mallard = Mallard.connect("sqlite:" + catalog); Statement s = mallard.createStatement()) {
      s.execute("CREATE TABLE mine (id INTEGER, v VARIANT)");
      for (int i = 0; i < TYPED.size(); i++) {
        String insert = "INSERT INTO %s VALUES (" + i + ", " + TYPED.get(i) + ")";
        s.execute(String.format(insert, "mine"));
        duckdb.execute(String.format(insert, "ty.theirs"));
      }
      String mixed = "INSERT INTO %s VALUES (100, 1), (101, 'x'), (102, NULL), (103, CAST(2 AS BIGINT))";
      s.execute(String.format(mixed, "mine"));
      duckdb.execute(String.format(mixed, "ty.theirs"));
      // DuckDB shreds its one-value files, keeping a decimal's declared precision in the shredded column;
      // Mallard writes variants unshredded, whose decimals DuckDB reads with the digits they need
      String types = "SELECT id, v::VARCHAR, regexp_replace(variant_typeof(v), 'DECIMAL\\(\\d+, ', 'DECIMAL(')"
          + " FROM %s ORDER BY id";
      DuckDb.Result theirs = duckdb.query(String.format(types, "ty.theirs"));
      assertThat(theirs.rows()).hasSize(TYPED.size() + 4);
      assertThat(duckdb.query(String.format(types, "ty.mine")).rows()).isEqualTo(theirs.rows());
      assertThat(duckdb.query("SELECT variant_typeof(v) FROM ty.mine WHERE id = 5").scalar()).isEqualTo("DECIMAL(4, 2)");
      try (ResultSet rs = s.executeQuery("SELECT id, v FROM mine ORDER BY id")) {
        assertSameRows(duckdb.query("SELECT id, v FROM ty.theirs ORDER BY id"), rs, true);
      }
    }
  }

  @Test
  void typedAccessAsInDuckDb() throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, "acc");
    duckdb.execute("CREATE TABLE acc.src (id INTEGER, v VARIANT)");
    duckdb.execute("INSERT INTO acc.src VALUES " + SOURCE_ROWS);
    try (Connection mallard = Mallard.connect("sqlite:" + catalog)) {
      try (Statement s = mallard.createStatement()) {
        s.execute("CREATE TABLE mine AS SELECT * FROM src"); // the same variants, written by Mallard
      }
      for (String q : List.of(
          "SELECT id, variant_typeof(v) FROM %s ORDER BY id",
          "SELECT id, v['a'] FROM %s ORDER BY id",
          "SELECT id, v.a, variant_typeof(v.b), src.v.n.x FROM %s AS src ORDER BY id",
          "SELECT id, v['n']['x'] FROM %s ORDER BY id",
          "SELECT id, v[2] FROM %s ORDER BY id",
          "SELECT id, variant_extract(v, 'b'), variant_typeof(variant_extract(v, 'a')) FROM %s ORDER BY id",
          "SELECT id, variant_typeof(v['zz']), v['a'] IS NULL FROM %s ORDER BY id",
          "SELECT id, TRY_CAST(v AS INTEGER) FROM %s ORDER BY id",
          "SELECT id, CAST(v AS VARCHAR) FROM %s ORDER BY id",
          "SELECT id, CAST(v AS INTEGER) FROM %s WHERE id IN (1, 15) ORDER BY id",
          "SELECT id, CAST(v['a'] AS INTEGER) + 1 FROM %s WHERE id = 3",
          "SELECT id FROM %s WHERE CAST(v AS VARCHAR) = '42'",
          "SELECT id FROM %s WHERE CAST(v.a AS INTEGER) = 1")) {
        DuckDb.Result expected = duckdb.query(String.format(q, "acc.src"));
        assertThat(expected.rows()).as(q).isNotEmpty();
        for (String table : List.of("src", "mine")) {
          try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(String.format(q, table))) {
            assertSameRows(expected, rs, true);
          } catch (SQLException | AssertionError e) {
            throw new AssertionError(table + ": " + q + ": " + e.getMessage(), e);
          }
        }
      }
      // a cast of an object or array to a number fails, as in DuckDB (TRY_CAST gives NULL, above)
      String cast = "SELECT CAST(v AS INTEGER) FROM %s WHERE id = 3";
      assertThatThrownBy(() -> duckdb.query(String.format(cast, "acc.src"))).hasMessageContaining("Can't convert");
      try (Statement s = mallard.createStatement()) {
        assertThatThrownBy(() -> s.executeQuery(String.format(cast, "src")).next()).isInstanceOf(SQLException.class)
            .hasMessageContaining("Cannot cast a variant of type OBJECT(a, b) to INTEGER");
      }
    }
  }
}
