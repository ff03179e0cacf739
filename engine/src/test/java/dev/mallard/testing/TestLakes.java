package dev.mallard.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Lakes written by the real DuckDB for interop tests. Each method runs DuckDB statements against a
 * lake already attached (and used) in the given {@link DuckDb}.
 */
public final class TestLakes {
  private TestLakes() {}

  /** Columns of every primitive type DuckLake stores, in {@code all_types} and {@code all_types_inlined}. */
  public static final String ALL_TYPES_COLUMNS = "id INTEGER, b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INTEGER,"
      + " i64 BIGINT, i128 HUGEINT, u8 UTINYINT, u16 USMALLINT, u32 UINTEGER, u64 UBIGINT, u128 UHUGEINT,"
      + " f32 FLOAT, f64 DOUBLE, d4 DECIMAL(4,1), d9 DECIMAL(9,3), d18 DECIMAL(18,6), d38 DECIMAL(38,10),"
      + " v VARCHAR, bl BLOB, u UUID, j JSON, dt DATE, tm TIME, ts TIMESTAMP, ts_s TIMESTAMP_S,"
      + " ts_ms TIMESTAMP_MS, ts_ns TIMESTAMP_NS, tz TIMESTAMPTZ, iv INTERVAL, ttz TIMETZ";

  /**
   * Rows with each type's extremes, a row of NULLs and ordinary values. Times and timestamps are
   * whole milliseconds: SQL results keep them to the millisecond (values with finer digits are
   * covered by their own tests). DuckDB writes 128-bit integers to Parquet as doubles, so their
   * extremes here are powers of two that a double holds exactly; DuckDB itself cannot read larger
   * ones back. Parquet intervals cannot be negative.
   */
  public static final String ALL_TYPES_ROWS = "VALUES"
      + " (1, false, -128, -32768, -2147483648, -9223372036854775808, -1267650600228229401496703205376,"
      + "  0, 0, 0, 0, 0, -3.4e38, -1.7e308, -999.9, -999999.999, -999999999999.999999,"
      + "  -9999999999999999999999999999.9999999999, '', ''::BLOB, '00000000-0000-0000-0000-000000000000', '{}',"
      + "  DATE '0001-01-01', TIME '00:00:00', TIMESTAMP '0001-01-01 00:00:00', TIMESTAMP_S '1000-01-01 00:00:00',"
      + "  TIMESTAMP_MS '1000-01-01 00:00:00.001', TIMESTAMP_NS '1677-09-22 00:00:00',"
      + "  TIMESTAMPTZ '1000-01-01 00:00:00+00', INTERVAL '1 year 2 days 00:00:03', TIMETZ '00:00:00+15:59'),"
      + " (2, true, 127, 32767, 2147483647, 9223372036854775807, 1267650600228229401496703205376,"
      + "  255, 65535, 4294967295, 18446744073709551615, 170141183460469231731687303715884105728, 3.4e38, 1.7e308,"
      + "  999.9, 999999.999, 999999999999.999999, 9999999999999999999999999999.9999999999, 'zzz😀 naïve',"
      + "  '\\x00\\xFF\\x10'::BLOB, 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{\"a\": [1, 2, {\"b\": null}]}',"
      + "  DATE '9999-12-31', TIME '23:59:59.999', TIMESTAMP '9999-12-31 23:59:59.999',"
      + "  TIMESTAMP_S '9999-12-31 23:59:59', TIMESTAMP_MS '9999-12-31 23:59:59.999',"
      + "  TIMESTAMP_NS '2262-04-11 23:47:16.854', TIMESTAMPTZ '9999-12-31 23:59:59.999+00',"
      + "  INTERVAL '178000000 years 11 months 30 days 23:59:59.999', TIMETZ '23:59:59.999-15:59'),"
      + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
      + "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
      + " (4, true, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1.5, 2.25, 1.1, 2.222, 3.333333, 4.4444444444, 'apple',"
      + "  'abc'::BLOB, '11111111-2222-3333-4444-555555555555', '[1, 2]', DATE '2024-02-29', TIME '12:30:45.123',"
      + "  TIMESTAMP '2024-02-29 12:30:45.123', TIMESTAMP_S '2024-02-29 12:30:45', TIMESTAMP_MS '2024-02-29 12:30:45.123',"
      + "  TIMESTAMP_NS '2024-02-29 12:30:45.123', TIMESTAMPTZ '2024-02-29 12:30:45.123+02',"
      + "  INTERVAL '1 month 2 days 00:00:01.5', TIMETZ '12:30:45+02'),"
      + " (5, false, -1, -2, -3, -4, -5, 1, 2, 3, 4, 5, 'nan', 'nan', -1.1, -2.222, -3.333333, -4.4444444444, 'Banana',"
      + "  'a''b'::BLOB, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'null', DATE '1969-12-31', TIME '00:00:00.001',"
      + "  TIMESTAMP '1969-12-31 23:59:59.999', TIMESTAMP_S '1969-12-31 23:59:59', TIMESTAMP_MS '1969-12-31 23:59:59.999',"
      + "  TIMESTAMP_NS '1969-12-31 23:59:59.999', TIMESTAMPTZ '1969-12-31 23:59:59.999+00',"
      + "  INTERVAL '0 seconds', TIMETZ '00:00:00+00'),"
      + " (6, true, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'inf', '-inf', 0, 0, 0, 0, 'cherry pie',"
      + "  ''::BLOB, '01234567-89ab-cdef-0123-456789abcdef', '\"s\"', DATE '2000-01-01', TIME '06:00:00',"
      + "  TIMESTAMP '2000-01-01 06:00:00', TIMESTAMP_S '2000-01-01 06:00:00', TIMESTAMP_MS '2000-01-01 06:00:00',"
      + "  TIMESTAMP_NS '2000-01-01 06:00:00', TIMESTAMPTZ '2000-01-01 06:00:00-05',"
      + "  INTERVAL '36 hours', TIMETZ '06:00:00-05'),"
      + " (7, NULL, 42, NULL, 42, NULL, 42, NULL, 42, NULL, 42, NULL, -0.0, 0.0, NULL, 42.042, NULL, 42, 'apple',"
      + "  NULL, NULL, NULL, DATE '2024-02-29', NULL, TIMESTAMP '2024-02-29 00:00:00', NULL, NULL, NULL, NULL, NULL,"
      + "  NULL)";

  /**
   * {@code main.all_types} (one Parquet file), {@code main.all_types_inlined} (the same rows kept
   * inline in the catalog), a schema and table with names that need quoting, and
   * {@code main.partitioned} (partitioned by year and region), and
   * {@code s1.events} with several snapshots of inserts, deletes through delete files and inline,
   * updates, and inlined rows.
   */
  public static void interop(DuckDb db) {
    // Staged in memory, so that all_types gets every row in one insert: more rows than the
    // inlining limit make it a Parquet file.
    db.execute("CREATE TEMP TABLE all_types_rows (" + ALL_TYPES_COLUMNS + ")");
    db.execute("INSERT INTO all_types_rows " + ALL_TYPES_ROWS);
    db.execute("INSERT INTO all_types_rows (id, i32, v, f64, d18, dt) SELECT 100 + i, i * 7 - 50, 'row ' || i,"
        + " i / 4, i * 1.25, DATE '2020-01-01' + i::INTEGER FROM range(20) t(i)");
    db.execute("CREATE TABLE all_types (" + ALL_TYPES_COLUMNS + ")");
    db.execute("INSERT INTO all_types SELECT * FROM all_types_rows");
    // Inserts of at most 10 rows stay in the catalog (DuckDB 1.5 inlines them by default).
    db.execute("CREATE TABLE all_types_inlined (" + ALL_TYPES_COLUMNS + ")");
    db.execute("INSERT INTO all_types_inlined SELECT * FROM all_types_rows WHERE id <= 5");
    db.execute("INSERT INTO all_types_inlined SELECT * FROM all_types_rows WHERE id > 5 AND id < 100");
    db.execute("DROP TABLE all_types_rows");

    db.execute("CREATE SCHEMA \"we ird\"");
    db.execute("CREATE TABLE \"we ird\".\"T 1\" (\"col \"\"q\"\"\" INTEGER, \"Mixed\" VARCHAR)");
    db.execute("INSERT INTO \"we ird\".\"T 1\" SELECT i, 'v' || i FROM range(15) t(i)");

    db.execute("CREATE SCHEMA s1");
    db.execute("CREATE TABLE s1.events (id BIGINT, kind VARCHAR, amount DECIMAL(10,2), day DATE)");
    db.execute("INSERT INTO s1.events SELECT i, ['a','b','c'][1 + (i % 3)::INTEGER], i * 1.5, DATE '2025-01-01' + i::INTEGER"
        + " FROM range(1000) t(i)");
    db.execute("INSERT INTO s1.events SELECT i, ['a','b','c'][1 + (i % 3)::INTEGER], i * 1.5, DATE '2025-01-01' + i::INTEGER"
        + " FROM range(1000, 2000) t(i)");
    db.execute("DELETE FROM s1.events WHERE id % 10 = 0"); // delete files on both data files
    db.execute("DELETE FROM s1.events WHERE id IN (1, 2, 3)"); // few rows: deleted inline in the catalog
    db.execute("DELETE FROM s1.events WHERE id % 10 = 5 AND id < 500"); // a second, cumulative delete file
    db.execute("INSERT INTO s1.events VALUES (5000, 'z', 1.00, DATE '2026-01-01'), (5001, 'z', 2.00, NULL)");
    db.execute("UPDATE s1.events SET amount = amount + 1 WHERE id = 11");
    db.execute("UPDATE s1.events SET kind = 'big' WHERE id >= 1900");
    db.execute("DELETE FROM s1.events WHERE id = 5000"); // a deleted inlined row
    db.execute("CREATE TABLE partitioned (day DATE, region VARCHAR, x INTEGER)");
    db.execute("ALTER TABLE partitioned SET PARTITIONED BY (year(day), region)");
    db.execute("INSERT INTO partitioned SELECT DATE '2020-01-01' + (i * 100)::INTEGER, ['a', 'b'][1 + (i % 2)::INTEGER], i"
        + " FROM range(30) t(i)");
    db.execute("CREATE TABLE kinds (kind VARCHAR, label VARCHAR)");
    db.execute("INSERT INTO kinds VALUES ('a', 'Alpha'), ('b', 'Beta'), ('z', 'Zed'), ('q', 'Unused')");
  }

  /** Nested columns of {@code nested} and {@code nested_inlined}, three levels deep and more. */
  public static final String NESTED_COLUMNS = "id INTEGER, s STRUCT(a INTEGER, b VARCHAR), l INTEGER[],"
      + " m MAP(VARCHAR, INTEGER), ls STRUCT(x INTEGER, y VARCHAR)[], ll BIGINT[][],"
      + " deep STRUCT(k STRUCT(v VARCHAR[], z STRUCT(q DOUBLE))[], mm MAP(INTEGER, DECIMAL(9,2)[])),"
      + " mixed STRUCT(b BOOLEAN, bl BLOB, u UUID, h HUGEINT, f FLOAT)[]";

  /**
   * Rows with NULL at every level: a NULL list, struct and map; NULL elements, fields and map
   * values; empty lists and maps; and text that DuckDB must quote when it inlines it.
   */
  public static final String NESTED_ROWS = "VALUES"
      + " (1, {'a': 1, 'b': 'x''y, z'}, [1, NULL, 3], MAP {'k': 1, 'n': NULL},"
      + "  [{'x': 1, 'y': 'a'}, NULL, {'x': NULL, 'y': NULL}], [[1, 2], [], NULL, [NULL]],"
      + "  {'k': [{'v': ['p', NULL, 'a,b', '[x]', '', 'NULL', ' sp'], 'z': {'q': 1.5}}, {'v': [], 'z': NULL}, NULL],"
      + "   'mm': MAP {1: [1.25, NULL], 2: NULL, 3: []}},"
      + "  [{'b': true, 'bl': '\\x00\\xFFa''b'::BLOB, 'u': '11111111-2222-3333-4444-555555555555', 'h': 1267650600228229401496703205376,"
      + "    'f': 1.5::FLOAT}, {'b': NULL, 'bl': ''::BLOB, 'u': NULL, 'h': -5, 'f': 'nan'::FLOAT}]),"
      + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
      + " (3, {'a': NULL, 'b': NULL}, [], MAP {}, [], [], {'k': [], 'mm': MAP {}}, []),"
      + " (4, {'a': -7, 'b': 'it''s = {a}'}, [42], MAP {'a=b': -1, 'it''s': 2}, [{'x': 9, 'y': 'x=y'}], [[NULL, 5]],"
      + "  {'k': NULL, 'mm': NULL}, [NULL]),"
      + " (5, {'a': 5, 'b': 'plain'}, [5, 5], MAP {'z': 0}, [NULL], [NULL], {'k': [NULL], 'mm': MAP {0: [NULL]}},"
      + "  [{'b': false, 'bl': NULL, 'u': NULL, 'h': NULL, 'f': NULL}])";

  /**
   * {@code nested} (one Parquet file with {@link #NESTED_ROWS} and 20 more rows) and
   * {@code nested_inlined} (the five rows kept inline in the catalog).
   */
  public static void nested(DuckDb db) {
    db.execute("CREATE TEMP TABLE nested_rows (" + NESTED_COLUMNS + ")");
    db.execute("INSERT INTO nested_rows " + NESTED_ROWS);
    db.execute("INSERT INTO nested_rows SELECT 100 + i, {'a': i, 'b': 'r' || i}, range(i % 4)::INTEGER[],"
        + " MAP {'k' || i: i}, [{'x': i, 'y': NULL}], [range(i % 3)], {'k': [{'v': ['w' || i], 'z': {'q': i / 2}}],"
        + " 'mm': MAP {i: [i * 1.5]}}, NULL FROM range(20) t(i)");
    db.execute("CREATE TABLE nested (" + NESTED_COLUMNS + ")");
    db.execute("INSERT INTO nested SELECT * FROM nested_rows");
    db.execute("CREATE TABLE nested_inlined (" + NESTED_COLUMNS + ")");
    db.execute("INSERT INTO nested_inlined SELECT * FROM nested_rows WHERE id < 100");
    db.execute("DROP TABLE nested_rows");
  }

  /**
   * {@code evolve}: a struct whose fields were added (with and without a default), dropped, renamed
   * and promoted, each step with rows in Parquet and inline, so that every file and inlined table
   * has another shape of the struct.
   */
  public static void structEvolution(DuckDb db) {
    db.execute("CREATE TABLE evolve (id INTEGER, s STRUCT(a INTEGER, b INTEGER), ls STRUCT(p SMALLINT, q VARCHAR)[])");
    String[] steps = {
        null,
        "ALTER TABLE evolve ADD COLUMN s.c VARCHAR",
        "ALTER TABLE evolve DROP COLUMN s.b",
        "ALTER TABLE evolve RENAME s.a TO a2",
        "ALTER TABLE evolve ALTER COLUMN s SET DATA TYPE STRUCT(a2 BIGINT, c VARCHAR)",
        "ALTER TABLE evolve ADD COLUMN s.d INTEGER DEFAULT 7",
        "ALTER TABLE evolve ALTER COLUMN ls SET DATA TYPE STRUCT(p INTEGER, q VARCHAR, r DOUBLE)[]"};
    String[] values = {
        "{'a': i, 'b': i * 10}",
        "{'a': i, 'b': i * 10, 'c': 'c' || i}",
        "{'a': i, 'c': 'c' || i}",
        "{'a2': i, 'c': 'c' || i}",
        "{'a2': i * 1000000000000, 'c': 'c' || i}",
        "{'a2': i, 'c': NULL, 'd': i}",
        "{'a2': i, 'c': NULL, 'd': NULL}"};
    for (int step = 0; step < steps.length; step++) {
      if (steps[step] != null) {
        db.execute(steps[step]);
      }
      String list = step < 6 ? "[{'p': i, 'q': 'q' || i}, NULL]" : "[{'p': i, 'q': NULL, 'r': i / 4}]";
      String row = "SELECT " + step * 1000 + " + i, " + values[step] + ", " + list + " FROM range(";
      db.execute("INSERT INTO evolve " + row + "12) t(i)"); // a Parquet file
      db.execute("INSERT INTO evolve " + row + "500, 502) t(i)"); // inline
    }
  }

  /** Attaches a new lake with a SQLite catalog at {@code dir/lake.sqlite} and data in {@code dir/data}. */
  public static Path attachNew(DuckDb db, Path dir) {
    Path catalog = dir.resolve("lake.sqlite");
    db.attachSqliteLake("lake", catalog, dir.resolve("data"));
    return catalog;
  }

  /**
   * A new lake at {@code dir/name}, attached in DuckDB as {@code name} (the current database stays
   * what it was); returns its catalog path.
   */
  public static Path attachNamed(DuckDb db, Path dir, String name) {
    Path lakeDir = dir.resolve(name);
    try {
      java.nio.file.Files.createDirectories(lakeDir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Path catalog = lakeDir.resolve("lake.sqlite");
    db.execute("ATTACH " + DuckDbValues.sqlString("ducklake:sqlite:" + catalog) + " AS " + name + " (DATA_PATH "
        + DuckDbValues.sqlString(lakeDir.resolve("data") + "/") + ")");
    return catalog;
  }

  /**
   * Migrates a SQLite catalog DuckDB 1.5.5 wrote (version 1.0) to 1.1-dev1 with the reference's own
   * statements ({@code MigrateV10}: the inlined data tables' metadata columns renamed to
   * {@code _ducklake_*}, {@code row_group_count} and {@code ducklake_view_column_tag} added), as no
   * DuckDB on PyPI writes 1.1 catalogs. Returns how many inlined data tables it renamed columns of.
   */
  public static int migrateTo11(Path catalog) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + catalog); Statement s = c.createStatement()) {
      List<String> inlined = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT table_name FROM ducklake_inlined_data_tables")) {
        while (rs.next()) {
          inlined.add(rs.getString(1));
        }
      }
      for (String table : inlined) {
        for (String column : List.of("row_id", "begin_snapshot", "end_snapshot")) {
          s.execute("ALTER TABLE \"" + table + "\" RENAME COLUMN " + column + " TO _ducklake_" + column);
        }
      }
      s.execute("ALTER TABLE ducklake_data_file ADD COLUMN row_group_count BIGINT");
      s.execute("ALTER TABLE ducklake_delete_file ADD COLUMN row_group_count BIGINT");
      s.execute("CREATE TABLE ducklake_view_column_tag(view_id BIGINT, column_name VARCHAR, begin_snapshot BIGINT,"
          + " end_snapshot BIGINT, key VARCHAR, value VARCHAR)");
      s.execute("UPDATE ducklake_metadata SET value = '1.1-dev1' WHERE key = 'version'");
      return inlined.size();
    }
  }
}
