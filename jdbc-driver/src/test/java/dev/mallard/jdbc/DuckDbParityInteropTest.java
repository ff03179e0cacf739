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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers that differed from DuckDB's: a view's own ORDER BY, {@code length} and
 * {@code char_length} (code points), {@code upper} and {@code lower} (code point by code point),
 * GROUP BY of a CASE expression, division ({@code /} of integers is a DOUBLE, {@code //} is
 * integer division, not a comment) and string literals (VARCHARs, never padded CHARs).
 */
class DuckDbParityInteropTest {
  @TempDir static Path dir;
  private static DuckDb duckdb;
  private static Connection mallard;

  @BeforeAll
  static void writeLake() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("CREATE TABLE words (id INTEGER, s VARCHAR, l INTEGER[])");
    duckdb.execute("INSERT INTO words VALUES (1, 'straße', [1, 2, 3]), (2, '😀a', []), (3, 'e\u0301', NULL),"
        + " (4, NULL, [NULL]), (5, 'ǆİΣς ﬁ', [4]), (6, '', [5, 6]), (7, 'héllo', [7])");
    duckdb.execute("CREATE VIEW by_id_desc AS SELECT * FROM words ORDER BY id DESC");
    duckdb.execute("CREATE VIEW by_text AS SELECT s, id FROM words WHERE id > 1 ORDER BY s DESC NULLS FIRST, id");
    duckdb.execute("CREATE TABLE numbers (i INTEGER, b BIGINT, s SMALLINT, d DECIMAL(10,2), f DOUBLE, r FLOAT)");
    duckdb.execute("INSERT INTO numbers VALUES (7, 7, 7, 7.50, 7.5, 7.5), (-7, -8, -3, -1.25, -0.0, -1.5),"
        + " (0, 0, 0, 0, 0, 0), (NULL, NULL, NULL, NULL, NULL, NULL), (1, 2147483648, 2, 0.01, 1e300, 3)");
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  @AfterAll
  static void close() throws SQLException {
    if (mallard != null) {
      mallard.close();
    }
    if (duckdb != null) {
      duckdb.close();
    }
  }

  /** As {@link #check}, and each column of DuckDB's type too. */
  private static void checkTyped(String sql) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      DuckDb.Result expected = duckdb.query(sql);
      List<String> types = new java.util.ArrayList<>();
      for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
        String type = rs.getMetaData().getColumnTypeName(c);
        types.add(type.equals("REAL") ? "FLOAT" : type);
      }
      assertThat(types).as(sql).isEqualTo(expected.types());
      assertSameRows(expected, rs, false);
    }
  }

  private static void check(String sql, boolean ordered) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, ordered);
    }
  }

  /** Integer arithmetic that overflows its type fails, as in DuckDB, in constants and over rows. */
  @Test
  void integerOverflowFailsAsInDuckDb() throws SQLException {
    for (String sql : List.of("SELECT 100000 * 100000", "SELECT 2147483647 + 1", "SELECT 9223372036854775807 + 1",
        "SELECT -CAST(-9223372036854775808 AS BIGINT)", "SELECT CAST(100 AS TINYINT) + CAST(100 AS TINYINT)",
        "SELECT i * 1000000000 FROM numbers", "SELECT b * b * b FROM numbers", "SELECT i - 2147483647 - 10 FROM numbers",
        "SELECT s * CAST(10000 AS SMALLINT) FROM numbers",
        "SELECT sum(i * 1000000000) FROM numbers")) {
      assertThatThrownBy(() -> duckdb.query(sql)).as("DuckDB: %s", sql).hasMessageContaining("Overflow");
      assertThatThrownBy(() -> {
        try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
          while (rs.next()) {
            rs.getObject(1);
          }
        }
      }).as("Mallard: %s", sql).isInstanceOf(SQLException.class)
          .hasMessageMatching("(?s).*(integer overflow|long overflow|out of the range of its type).*");
    }
    // What fits is computed as before, mixed widths included.
    checkTyped("SELECT i + b, i * 300000, b - i, s + s, -i, -b, i * s FROM numbers");
    checkTyped("SELECT 2147483646 + 1, -9223372036854775807 - 1, CAST(50 AS TINYINT) + CAST(77 AS TINYINT)");
  }

  @Test
  void aViewReadAsAWholeKeepsItsOrder() throws SQLException {
    check("SELECT * FROM by_id_desc", true);
    check("SELECT id, s FROM by_id_desc WHERE id < 5", true);
    check("SELECT * FROM by_text", true);
    // A statement's own order wins.
    check("SELECT id FROM by_id_desc ORDER BY id", true);
    // A LIMIT or OFFSET cuts the first rows in the view's or subquery's order.
    check("SELECT * FROM by_id_desc LIMIT 2", true);
    check("SELECT * FROM by_id_desc LIMIT 2 OFFSET 1", true);
    check("SELECT s FROM by_text LIMIT 3", true);
    check("SELECT * FROM (SELECT * FROM words ORDER BY id DESC) LIMIT 2", true);
  }

  @Test
  void lengthsCountCodePointsAndListElements() throws SQLException {
    check("SELECT id, length(s), char_length(s), character_length(s), length(l) FROM words", false);
    check("SELECT length('😀a'), char_length('héllo'), length(''), length(CAST(NULL AS VARCHAR))", false);
  }

  @Test
  void upperAndLowerMapCodePointByCodePoint() throws SQLException {
    check("SELECT id, upper(s), lower(s) FROM words", false);
    check("SELECT upper('ß'), lower('ẞ'), upper('ﬁ'), lower('İ'), upper('ς'), lower('Σ')", false);
  }

  /** Every character Java's Unicode version knows is mapped as DuckDB maps it. */
  @Test
  void everyCaseMappingOfDuckDbIsMallards() throws SQLException {
    DuckDb.Result duck = duckdb.query("SELECT i, upper(chr(i::INTEGER)), lower(chr(i::INTEGER)) FROM range(1, 1114112) r(i)"
        + " WHERE i NOT BETWEEN 55296 AND 57343 AND (upper(chr(i::INTEGER)) <> chr(i::INTEGER)"
        + " OR lower(chr(i::INTEGER)) <> chr(i::INTEGER))");
    Map<Integer, List<Object>> changed = new HashMap<>();
    for (List<Object> row : duck.rows()) {
      changed.put(((BigInteger) row.get(0)).intValue(), row);
    }
    assertThat(changed).hasSizeGreaterThan(2000);
    StringBuilder all = new StringBuilder();
    int count = 0;
    for (int cp = 1; cp < 0x110000; cp++) {
      if (Character.isDefined(cp) && !Character.isSurrogate((char) cp) && (cp < 0xD800 || cp > 0xDFFF)) {
        all.appendCodePoint(cp);
        count++;
      }
    }
    // One string of every character, through Mallard's functions, compared character by character.
    try (var ps = mallard.prepareStatement("SELECT upper(CAST(? AS VARCHAR)), lower(CAST(? AS VARCHAR))")) {
      ps.setString(1, all.toString());
      ps.setString(2, all.toString());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        int[] upper = rs.getString(1).codePoints().toArray();
        int[] lower = rs.getString(2).codePoints().toArray();
        int[] input = all.codePoints().toArray();
        assertThat(upper).hasSize(count);
        assertThat(lower).hasSize(count);
        int mismatches = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < input.length; i++) {
          List<Object> d = changed.get(input[i]);
          String duckUpper = d == null ? Character.toString(input[i]) : (String) d.get(1);
          String duckLower = d == null ? Character.toString(input[i]) : (String) d.get(2);
          if (!duckUpper.equals(Character.toString(upper[i])) || !duckLower.equals(Character.toString(lower[i]))) {
            mismatches++;
            if (first.length() < 200) {
              first.append(Integer.toHexString(input[i])).append(' ');
            }
          }
        }
        assertThat(mismatches).as("code points mapped unlike DuckDB: %s", first).isZero();
      }
    }
  }

  @Test
  void groupByACaseExpressionGroupsAsDuckDb() throws SQLException {
    check("SELECT CASE WHEN id > 3 THEN 'large' ELSE 'small' END, count(*) FROM words"
        + " GROUP BY CASE WHEN id > 3 THEN 'large' ELSE 'small' END", false);
    check("SELECT CASE id % 2 WHEN 0 THEN 10 ELSE 20 END AS parity, count(*) FROM words GROUP BY 1", false);
    // A column neither grouped nor aggregated is an error, as in DuckDB.
    assertThatThrownBy(() -> mallard.createStatement().executeQuery("SELECT id, s, count(*) FROM words GROUP BY id"))
        .isInstanceOf(SQLException.class).hasMessageContaining("'s' is not being grouped");
  }

  @Test
  void divisionOfIntegersAndDecimalsIsADouble() throws SQLException {
    checkTyped("SELECT 7 / 2, -7 / 2, 1 / 0, -1 / 0, 0 / 0, 1.5 / 0.5, 1.5 / 0, 1 / 3, NULL / 2");
    checkTyped("SELECT i / 2, b / 3, s / s, d / 2, d / i, i / 0, d / 0, i / d FROM numbers");
    // a FLOAT stays one unless a DOUBLE comes in
    checkTyped("SELECT r / 2, r / 3.0, r / r, r / f, f / 3, r / 0, CAST(1 AS FLOAT) / 3 FROM numbers");
    check("SELECT i, i / 2 FROM numbers ORDER BY i / 2 NULLS LAST", true);
    checkTyped("SELECT sum(i) / count(i), sum(i / 2), avg(i) / 2 FROM numbers");
  }

  @Test
  void doubleSlashIsIntegerDivisionNotAComment() throws SQLException {
    // Calcite's lexer read // as a comment: SELECT 7//2 was 7
    checkTyped("SELECT 7//2, 7 // 2, -7 // 2, 1 // 0, 0 // 0, 7 // NULL, NULL // 2, NULL // NULL");
    checkTyped("SELECT i // 2, b // 3, s // i, i // s, b // i, i // 0, b // b FROM numbers");
    // of decimals and floats it is / (NULL where the divisor is 0)
    checkTyped("SELECT 7.5 // 2, 7 // 2.0, 1.5 // 0, d // 2, f // 2, r // 2, f // 0, r // 0, d // 0.0 FROM numbers");
    checkTyped("SELECT 1 // 2 * 3, 10 // 3 // 2, 2 * 7 // 2, 7 // 2 + 1, 1 + 7 // 2, 10 % 4 // 2, 10 // 4 % 2");
    checkTyped("SELECT 7 //2 -- a comment\n");
    check("SELECT i FROM numbers WHERE i // 2 = -3", false);
    check("SELECT i // 3 AS k, count(*) FROM numbers GROUP BY i // 3", false);
  }

  @Test
  void stringLiteralsAreVarcharsNeverPadded() throws SQLException {
    checkTyped("SELECT CASE WHEN i > 0 THEN 'a' ELSE 'abc' END, length(CASE WHEN i > 0 THEN 'a' ELSE 'abc' END)"
        + " FROM numbers");
    checkTyped("SELECT 'a' = 'a ', 'a ' = 'a', 'a' < 'a ', 'a' IN ('a ', 'b'), 'a' < 'ab', coalesce(NULL, 'x', 'abc')");
    checkTyped("SELECT x, length(x) FROM (VALUES ('a'), ('abc')) v(x)");
    checkTyped("SELECT 'a' AS x UNION ALL SELECT 'abc'");
    checkTyped("SELECT s FROM words WHERE s = 'straße ' OR s IN ('héllo  ', '')");
    // CHAR(n) is a VARCHAR, and no VARCHAR has a length that cuts or pads
    checkTyped("SELECT CAST('a' AS CHAR(3)), length(CAST('a' AS CHAR(3))), CAST('abcdef' AS CHAR(3)),"
        + " CAST('abcdef' AS VARCHAR(3)), CAST(12345 AS VARCHAR(2))");
  }

  @Test
  void remainderByZeroIsNullAndOfDuckDbsType() throws SQLException {
    // Calcite failed on an integer or decimal 0 ("Division by zero"); of floats it is NaN
    checkTyped("SELECT 7 % 0, -7 % 3, 7 % -3, mod(7, 0), mod(-7, 2), 7 % NULL, NULL % 2");
    checkTyped("SELECT i % 0, i % 3, b % i, s % i, i % s FROM numbers");
    check("SELECT 7.5 % 0, 7.5 % 2, -7.5 % 2, 7 % 2.5, 7.5 % 2.25, mod(7.5, 0), d % 0, d % 2, d % i FROM numbers",
        false);
    // a DOUBLE's remainder by a decimal keeps the double's digits (Calcite typed it as the decimal)
    checkTyped("SELECT f % 2.5, f % 0, r % 2, r % 0, CAST(7.123456789 AS DOUBLE) % 2.5, f % f FROM numbers");
  }

  @Test
  void caretIsPowerNotExclusiveOr() throws SQLException {
    // Calcite read ^ as the bitwise exclusive or: 2 ^ 3 was 1
    checkTyped("SELECT 2 ^ 3, 2 * 3 ^ 2, -2 ^ 2, 2 ^ 3 ^ 2, 2 ^ -1, 0 ^ -1, 2 ^ 0.5, 1 + 2 ^ 2, 10 // 3 ^ 1,"
        + " 10 % 3 ^ 2, 2.5 ^ 2, NULL ^ 2");
    checkTyped("SELECT i ^ 2, d ^ 2, f ^ 0.5, r ^ 2, 2 ^ i FROM numbers");
  }
}
