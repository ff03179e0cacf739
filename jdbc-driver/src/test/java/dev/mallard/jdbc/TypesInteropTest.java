package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values at the edges of their types, in a lake DuckDB 1.5.5 wrote, read through Mallard's JDBC
 * driver and compared with DuckDB's answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypesInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;
  private Connection mallard;

  @BeforeAll
  void writeLakeWithDuckDb() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    // Near Long.MAX_VALUE: every sum of two of these overflows a BIGINT. One Parquet file and one
    // inlined copy.
    duckdb.execute("CREATE TABLE big (g INTEGER, i64 BIGINT, i32 INTEGER, i16 SMALLINT, d DECIMAL(18,2))");
    duckdb.execute("INSERT INTO big SELECT i % 2, 9223372036854775807 - i, 2147483647 - i, 32767,"
        + " 9999999999999999.99 FROM range(100) t(i)");
    duckdb.execute("INSERT INTO big VALUES (1, -9223372036854775808, -2147483648, -32768, NULL),"
        + " (2, NULL, NULL, NULL, NULL)");
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  @AfterAll
  void close() throws SQLException {
    mallard.close();
    duckdb.close();
  }

  private void same(String sql) throws SQLException {
    try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, sql.contains("ORDER BY"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT sum(i64), sum(i32), sum(i16), sum(d), count(*) FROM big",
      "SELECT g, sum(i64), sum(i32), avg(i64), min(i64), max(i64) FROM big GROUP BY g ORDER BY g",
      "SELECT sum(i64) FILTER (WHERE g = 0), sum(DISTINCT i16) FROM big",
      "SELECT avg(i64), avg(i32), avg(d) FROM big",
      "SELECT sum(i64 - 9223372036854775000) FROM big WHERE i64 > 0",
      "SELECT g, sum(i64) FROM big WHERE g = 2 GROUP BY g"})
  void sumsOfIntegersDoNotOverflow(String sql) throws SQLException {
    same(sql);
  }

  @Test
  void sumsOfIntegersAreDecimalsOfDuckDbsPrecision() throws SQLException {
    try (Statement s = mallard.createStatement();
        ResultSet rs = s.executeQuery("SELECT sum(i64), sum(i16), sum(d), avg(i64) FROM big")) {
      assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.DECIMAL);
      assertThat(rs.getMetaData().getPrecision(1)).isEqualTo(38);
      assertThat(rs.getMetaData().getScale(1)).isZero();
      assertThat(rs.getMetaData().getColumnType(2)).isEqualTo(Types.DECIMAL);
      assertThat(rs.getMetaData().getPrecision(3)).isEqualTo(38);
      assertThat(rs.getMetaData().getScale(3)).isEqualTo(2);
      assertThat(rs.getMetaData().getColumnType(4)).isEqualTo(Types.DOUBLE);
      rs.next();
      BigDecimal expected = BigDecimal.valueOf(Long.MAX_VALUE).multiply(BigDecimal.valueOf(100))
          .subtract(BigDecimal.valueOf(4950)).add(BigDecimal.valueOf(Long.MIN_VALUE));
      assertThat(rs.getBigDecimal(1)).isEqualByComparingTo(expected);
      assertThat(rs.getObject(1)).isInstanceOf(BigDecimal.class);
    }
  }
}
