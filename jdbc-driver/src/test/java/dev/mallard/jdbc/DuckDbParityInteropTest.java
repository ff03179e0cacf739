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
 * and GROUP BY of a CASE expression.
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

  private static void check(String sql, boolean ordered) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, ordered);
    }
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
}
