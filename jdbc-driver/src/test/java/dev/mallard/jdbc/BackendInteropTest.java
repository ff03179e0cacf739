package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.MariaDbServer;
import dev.mallard.testing.PostgresServer;
import dev.mallard.testing.S3Server;
import dev.mallard.testing.TestLakes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The interop lake, written by DuckDB 1.5.5 into each catalog database and storage Mallard reads
 * besides SQLite and local files, queried through Mallard's JDBC driver and through DuckDB, with
 * the answers compared row for row (the queries of {@link ReadInteropTest}):
 *
 * <ul>
 *   <li>{@code postgresql}: a real PostgreSQL, catalog tables in a named metadata schema;
 *   <li>{@code mysql}: a real MariaDB (see {@link #writeMySqlLake} for what DuckDB can write there);
 *   <li>{@code duckdb}: a DuckDB database file, read through DuckDB's JDBC driver;
 *   <li>{@code s3}: a SQLite catalog with its data files in S3 (S3Proxy).
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;
  /** Backend name to the DuckDB alias of its lake and Mallard's connection to it. */
  private final Map<String, Lake> lakes = new LinkedHashMap<>();

  private record Lake(String alias, String url, Properties properties, Connection mallard) {}

  @BeforeAll
  void writeLakesWithDuckDb() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);

    PostgresServer pg = PostgresServer.shared();
    String pgDatabase = pg.createDatabase("interop");
    duckdb.execute("ATTACH " + sql("ducklake:postgres:" + pg.libpq(pgDatabase)) + " AS pg_lake"
        + " (DATA_PATH " + sql(dir.resolve("pg-data") + "/") + ", METADATA_SCHEMA 'lake_meta')");
    duckdb.execute("USE pg_lake");
    TestLakes.interop(duckdb);
    Properties pgLogin = new Properties();
    pgLogin.setProperty("user", pg.user());
    pgLogin.setProperty("password", pg.password());
    open("postgresql", "pg_lake", "postgresql://" + pg.host() + ":" + pg.port() + "/" + pgDatabase
        + "?metadata_schema=lake_meta", pgLogin);

    MariaDbServer my = MariaDbServer.shared();
    String myDatabase = my.createDatabase("interop");
    duckdb.execute("ATTACH " + sql("ducklake:mysql:" + my.dsn(myDatabase)) + " AS my_lake"
        + " (DATA_PATH " + sql(dir.resolve("my-data") + "/") + ")");
    duckdb.execute("USE my_lake");
    writeMySqlLake(duckdb);
    // The user and password in the URL's user-info part, as in other database URLs.
    open("mysql", "my_lake", "mysql://" + my.user() + ":" + my.password() + "@" + my.host() + ":" + my.port() + "/"
        + myDatabase, new Properties());

    Path duckFile = dir.resolve("lake.ducklake");
    duckdb.execute("ATTACH " + sql("ducklake:" + duckFile) + " AS duck_lake (DATA_PATH "
        + sql(dir.resolve("duck-data") + "/") + ")");
    duckdb.execute("USE duck_lake");
    TestLakes.interop(duckdb);
    // DuckDB locks a file it has open for writing; read-only, it shares the file with Mallard.
    duckdb.execute("USE memory");
    duckdb.execute("DETACH duck_lake");
    duckdb.execute("ATTACH " + sql("ducklake:" + duckFile) + " AS duck_lake (READ_ONLY)");
    open("duckdb", "duck_lake", "duckdb:" + duckFile, new Properties());

    S3Server s3 = S3Server.shared();
    String bucket = s3.createBucket("interop");
    duckdb.execute(s3.duckDbSecret("interop_s3"));
    Path s3Catalog = dir.resolve("s3-lake.sqlite");
    duckdb.execute("ATTACH " + sql("ducklake:sqlite:" + s3Catalog) + " AS s3_lake (DATA_PATH "
        + sql("s3://" + bucket + "/lake/") + ")");
    duckdb.execute("USE s3_lake");
    TestLakes.interop(duckdb);
    open("s3", "s3_lake", "sqlite:" + s3Catalog + "?" + s3.mallardOptions(), new Properties());
  }

  private static String sql(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private void open(String backend, String alias, String url, Properties properties) throws SQLException {
    lakes.put(backend, new Lake(alias, url, properties, Mallard.connect(url, properties)));
  }

  /**
   * The interop lake as far as DuckDB 1.5.5 can write it to a MySQL catalog. Its mysql extension
   * fails any commit that updates a table's statistics row, i.e. every write to a table after its
   * first commit (duckdb/ducklake#51, duckdb/duckdb-mysql#130), and it cannot store NaN or infinity
   * in an inlined row. So each table gets its whole history in one transaction, and the inlined
   * copy of the typed rows leaves out the two rows with NaN and infinity.
   */
  static void writeMySqlLake(DuckDb db) {
    db.execute("CREATE TEMP TABLE all_types_rows (" + TestLakes.ALL_TYPES_COLUMNS + ")");
    db.execute("INSERT INTO all_types_rows " + TestLakes.ALL_TYPES_ROWS);
    db.execute("INSERT INTO all_types_rows (id, i32, v, f64, d18, dt) SELECT 100 + i, i * 7 - 50, 'row ' || i,"
        + " i / 4, i * 1.25, DATE '2020-01-01' + i::INTEGER FROM range(20) t(i)");
    inOneTransaction(db, "CREATE TABLE all_types (" + TestLakes.ALL_TYPES_COLUMNS + ")",
        "INSERT INTO all_types SELECT * FROM all_types_rows");
    inOneTransaction(db, "CREATE TABLE all_types_inlined (" + TestLakes.ALL_TYPES_COLUMNS + ")",
        "INSERT INTO all_types_inlined SELECT * FROM all_types_rows WHERE id <= 4",
        "INSERT INTO all_types_inlined SELECT * FROM all_types_rows WHERE id = 7");
    db.execute("DROP TABLE all_types_rows");
    db.execute("CREATE SCHEMA \"we ird\"");
    inOneTransaction(db, "CREATE TABLE \"we ird\".\"T 1\" (\"col \"\"q\"\"\" INTEGER, \"Mixed\" VARCHAR)",
        "INSERT INTO \"we ird\".\"T 1\" SELECT i, 'v' || i FROM range(15) t(i)");
    db.execute("CREATE SCHEMA s1");
    inOneTransaction(db, "CREATE TABLE s1.events (id BIGINT, kind VARCHAR, amount DECIMAL(10,2), day DATE)",
        "INSERT INTO s1.events SELECT i, ['a','b','c'][1 + (i % 3)::INTEGER], i * 1.5, DATE '2025-01-01' + i::INTEGER"
            + " FROM range(2000) t(i)",
        "DELETE FROM s1.events WHERE id % 10 = 0",
        "INSERT INTO s1.events VALUES (5000, 'z', 1.00, DATE '2026-01-01'), (5001, 'z', 2.00, NULL)",
        "UPDATE s1.events SET kind = 'big' WHERE id >= 1900");
    inOneTransaction(db, "CREATE TABLE partitioned (day DATE, region VARCHAR, x INTEGER)",
        "ALTER TABLE partitioned SET PARTITIONED BY (year(day), region)",
        "INSERT INTO partitioned SELECT DATE '2020-01-01' + (i * 100)::INTEGER, ['a', 'b'][1 + (i % 2)::INTEGER], i"
            + " FROM range(30) t(i)");
    inOneTransaction(db, "CREATE TABLE kinds (kind VARCHAR, label VARCHAR)",
        "INSERT INTO kinds VALUES ('a', 'Alpha'), ('b', 'Beta'), ('z', 'Zed'), ('q', 'Unused')");
  }

  private static void inOneTransaction(DuckDb db, String... statements) {
    db.execute("BEGIN");
    for (String sql : statements) {
      db.execute(sql);
    }
    db.execute("COMMIT");
  }

  @AfterAll
  void close() throws SQLException {
    for (Lake lake : lakes.values()) {
      lake.mallard().close();
    }
    if (duckdb != null) {
      duckdb.close();
    }
  }

  static Stream<Arguments> queriesOnEveryBackend() {
    List<Arguments> out = new ArrayList<>();
    List<String> queries = ReadInteropTest.queries().toList();
    for (String backend : List.of("postgresql", "mysql", "duckdb", "s3")) {
      for (String sql : queries) {
        out.add(Arguments.of(backend, sql));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("queriesOnEveryBackend")
  void answersLikeDuckDb(String backend, String sql) throws SQLException {
    Lake lake = lakes.get(backend);
    duckdb.execute("USE " + lake.alias());
    DuckDb.Result expected = duckdb.query(sql);
    try (Statement s = lake.mallard().createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertSameRows(expected, rs, sql.contains("ORDER BY"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void readsEverySnapshotAsDuckDbDoes(String backend) throws SQLException {
    Lake lake = lakes.get(backend);
    duckdb.execute("USE " + lake.alias());
    List<Object> snapshots = duckdb.query("SELECT snapshot_id FROM snapshots() ORDER BY 1")
        .rows().stream().map(r -> r.get(0)).toList();
    assertThat(snapshots).hasSizeGreaterThan(5);
    int compared = 0;
    for (Object id : snapshots) {
      DuckDb.Result expected;
      try {
        expected = duckdb.query("SELECT count(*), sum(amount), min(id), max(id) FROM s1.events AT (VERSION => " + id
            + ")");
      } catch (DuckDb.DuckDbException e) {
        continue; // s1.events did not exist yet
      }
      String pinned = lake.url() + (lake.url().contains("?") ? "&" : "?") + "snapshot=" + id;
      try (Connection c = Mallard.connect(pinned, lake.properties());
          ResultSet rs = c.createStatement().executeQuery("SELECT count(*), sum(amount), min(id), max(id)"
              + " FROM s1.events")) {
        assertSameRows(expected, rs, true);
      }
      compared++;
    }
    assertThat(compared).isPositive();
  }

  static Stream<String> backends() {
    return Stream.of("postgresql", "mysql", "duckdb", "s3");
  }
}
