package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.txn.NewColumn;
import dev.mallard.engine.txn.Transaction;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.MariaDbServer;
import dev.mallard.testing.PostgresServer;
import dev.mallard.testing.S3Server;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mallard writes lakes into every catalog database it writes (SQLite, PostgreSQL with a metadata
 * schema, MySQL on MariaDB) and into S3, and DuckDB 1.5.5, attached to the same catalog through
 * its sqlite, postgres and mysql extensions, reads them identically; DuckDB writes in between and
 * Mallard reads and writes on top.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendWriteTest {
  @TempDir static Path dir;
  private DuckDb duckdb;
  private int lakes;

  /** A new, empty catalog in one backend: Mallard's URL and login, and DuckDB's ATTACH target. */
  record Lake(String backend, String alias, String url, Properties login, String duckDbTarget,
      String duckDbOptions) {
    Connection connect() throws SQLException {
      return Mallard.connect(url, login);
    }
  }

  @BeforeAll
  void start() {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    duckdb.execute(S3Server.shared().duckDbSecret("write_s3"));
  }

  @AfterAll
  void stop() {
    duckdb.close();
  }

  /** A fresh, empty catalog location in {@code backend}; Mallard creates the lake with create=true. */
  Lake newLake(String backend) {
    String alias = backend + "_lake_" + ++lakes;
    Path data = dir.resolve(alias + "-data");
    switch (backend) {
      case "sqlite" -> {
        Path file = dir.resolve(alias + ".sqlite");
        return new Lake(backend, alias, "sqlite:" + file + "?create=true&data_path=" + data + "/", new Properties(),
            "ducklake:sqlite:" + file, "");
      }
      case "postgresql" -> {
        PostgresServer pg = PostgresServer.shared();
        String db = pg.createDatabase("write"); // Mallard creates the metadata schema, as DuckDB does
        Properties login = new Properties();
        login.setProperty("user", pg.user());
        login.setProperty("password", pg.password());
        return new Lake(backend, alias, "postgresql://" + pg.host() + ":" + pg.port() + "/" + db
            + "?metadata_schema=lake_meta&create=true&data_path=" + data + "/", login,
            "ducklake:postgres:" + pg.libpq(db), "METADATA_SCHEMA 'lake_meta'");
      }
      case "mysql" -> {
        MariaDbServer my = MariaDbServer.shared();
        String db = my.createDatabase("write");
        Properties login = new Properties();
        login.setProperty("user", my.user());
        login.setProperty("password", my.password());
        return new Lake(backend, alias, "mysql://" + my.host() + ":" + my.port() + "/" + db + "?create=true&data_path="
            + data + "/", login, "ducklake:mysql:" + my.dsn(db), "");
      }
      case "s3" -> {
        S3Server s3 = S3Server.shared();
        String bucket = s3.createBucket("write");
        Path file = dir.resolve(alias + ".sqlite");
        return new Lake(backend, alias, "sqlite:" + file + "?create=true&data_path=s3://" + bucket + "/lake/&"
            + s3.mallardOptions(), new Properties(), "ducklake:sqlite:" + file, "");
      }
      default -> throw new IllegalArgumentException(backend);
    }
  }

  /** Attaches the lake in DuckDB (after Mallard created it) under its alias. */
  private void attach(Lake lake) {
    attach(lake, lake.duckDbOptions());
  }

  private void attach(Lake lake, String options) {
    duckdb.execute("ATTACH '" + lake.duckDbTarget() + "' AS " + lake.alias() + (options.isEmpty() ? "" : " ("
        + options + ")"));
  }

  /**
   * Runs DDL through the engine's transactions, one commit per call (Mallard's SQL DDL is wired
   * into the driver separately). Columns are given as "name ducklake_type" pairs.
   */
  private static void ddl(Lake lake, java.util.function.Consumer<Transaction> work) {
    Map<String, String> options = new java.util.HashMap<>();
    lake.login().forEach((k, v) -> options.put((String) k, (String) v));
    try (DuckLakeCatalog catalog = DuckLakeCatalog.open(CatalogConfig.parse(lake.url(), options))) {
      Transaction t = new Transaction(catalog);
      work.accept(t);
      t.commit();
    }
  }

  private static List<NewColumn> columns(String... nameAndType) {
    List<NewColumn> out = new ArrayList<>();
    for (String column : nameAndType) {
      String[] parts = column.split(" ", 2);
      out.add(NewColumn.of(parts[0], DuckLakeType.parse(parts[1]), !parts[0].equals("id"), null));
    }
    return out;
  }

  private void compare(Connection mallard, Lake lake, String sql) throws SQLException {
    if (lake.backend().equals("mysql")) {
      // DuckDB's mysql extension caches the database's table list: without this it does not see an
      // inlined delete table another process created after the ATTACH.
      duckdb.execute("CALL mysql_clear_cache()");
    }
    duckdb.execute("USE " + lake.alias());
    try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, sql.contains("ORDER BY"));
    } finally {
      duckdb.execute("USE memory");
    }
  }

  private static final List<NewColumn> TYPED_COLUMNS = columns("id int64", "name varchar", "price decimal(10,2)",
      "day date", "ts timestamp", "tz timestamptz", "ok boolean", "score float64", "u uuid", "small int8",
      "i int32", "f float32", "b blob");

  /**
   * Rows of every type, one INSERT each (Calcite types a multi-row VALUES by its first row). The
   * TIMESTAMPTZ column stays NULL: the SQL layer does not parse TIMESTAMPTZ literals yet.
   */
  private static final List<String> TYPED_ROWS = List.of("(1, 'one', 1.5, DATE '2025-01-02', TIMESTAMP '2025-01-02 03:04:05.123456',"
      + " NULL, true, 0.5, '11111111-2222-3333-4444-555555555555', -7, 42, 2.5,"
      + " X'00FF41')", "(2, 'tw\\o ünï ''q''', -0.25, DATE '1999-12-31', TIMESTAMP '1970-01-01 00:00:00',"
      + " NULL, false, -1e10, NULL, 127, -2147483648, -0.125, NULL)",
      "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql", "mysql", "s3"})
  void mallardCreatesAndWritesDuckDbReadsIdentically(String backend) throws Exception {
    Lake lake = newLake(backend);
    ddl(lake, t -> t.createSchema("sales", false));
    ddl(lake, t -> t.createTable("sales", "t", TYPED_COLUMNS, false));
    try (Connection c = lake.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      for (String row : TYPED_ROWS) {
        assertThat(s.executeUpdate("INSERT INTO sales.t VALUES " + row)).isEqualTo(1);
      }
      c.commit();
      c.setAutoCommit(true);
      // DuckDB adds a table with a Parquet file (in the lake's storage: S3 for the s3 lake), in one
      // commit (DuckDB's mysql extension cannot update an existing table's statistics, duckdb/ducklake#51);
      // Mallard deletes and updates rows of both tables.
      attach(lake);
      duckdb.execute("BEGIN");
      duckdb.execute("CREATE TABLE " + lake.alias() + ".sales.f (id BIGINT, name VARCHAR, i INTEGER)");
      duckdb.execute("INSERT INTO " + lake.alias() + ".sales.f SELECT 100 + x, 'many ' || x, x FROM range(1, 31) r(x)");
      duckdb.execute("COMMIT");
      assertThat(s.executeUpdate("DELETE FROM sales.t WHERE id = 3")).isEqualTo(1);
      assertThat(s.executeUpdate("DELETE FROM sales.f WHERE id > 125 OR id = 105")).isEqualTo(6);
      assertThat(s.executeUpdate("UPDATE sales.t SET name = 'upd' WHERE id = 1")).isEqualTo(1);
      assertThat(s.executeUpdate("UPDATE sales.f SET name = 'upd' WHERE id = 107")).isEqualTo(1);
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO sales.t (id, name) VALUES (50, 'committed')");
      c.commit();
      s.executeUpdate("INSERT INTO sales.t (id, name) VALUES (51, 'rolled back')");
      c.rollback();
      c.setAutoCommit(true);
    }
    ddl(lake, t -> t.createTable("main", "gone", columns("x int32"), false));
    ddl(lake, t -> t.dropTable("main", "gone", false));
    try (Connection c = lake.connect()) {
      compare(c, lake, "SELECT * FROM sales.t ORDER BY id");
      compare(c, lake, "SELECT count(*), sum(i), min(name), max(day) FROM sales.t");
      compare(c, lake, "SELECT * FROM sales.f ORDER BY id");
    }
    duckdb.execute("USE " + lake.alias());
    try {
      assertThat(duckdb.query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'gone'"
          + " AND table_catalog = '" + lake.alias() + "'").scalar()).isEqualTo(BigInteger.ZERO);
      assertThat(duckdb.query("SELECT count(*) FROM sales.t AT (VERSION => 3)").scalar())
          .isEqualTo(BigInteger.valueOf(3));
    } finally {
      duckdb.execute("USE memory");
      duckdb.execute("DETACH " + lake.alias());
    }
  }

  /**
   * Inserts through SQL with more rows than the inlining limit go to S3 as Parquet files, which
   * DuckDB 1.5.5 (httpfs, from the pinned extension wheel) reads from the same S3 server.
   */
  @Test
  void sqlInsertsWriteParquetToS3AndDuckDbReadsThem() throws Exception {
    Lake lake = newLake("s3");
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      rows.append(i == 0 ? "" : ", ").append("(").append(i).append(", 'row ").append(i).append("', ")
          .append(i * 0.5).append(")");
    }
    try (Connection c = lake.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE t (id INTEGER, name VARCHAR, x DOUBLE)");
      assertThat(s.executeUpdate("INSERT INTO t VALUES " + rows)).isEqualTo(200);
      assertThat(s.executeUpdate("INSERT INTO t VALUES " + rows.toString().replace("'row", "'again"))).isEqualTo(200);
      assertThat(s.executeUpdate("DELETE FROM t WHERE id < 50 AND name LIKE 'again%'")).isEqualTo(50);
    }
    attach(lake);
    try (Connection c = lake.connect()) {
      duckdb.execute("USE " + lake.alias());
      // Both inserts are Parquet files in the bucket, and the delete a delete file beside them.
      List<List<Object>> files = duckdb.query("SELECT data_file, delete_file FROM ducklake_list_files('"
          + lake.alias() + "', 't') ORDER BY data_file").rows();
      assertThat(files).hasSize(2);
      String bucketPath = lake.url().substring(lake.url().indexOf("data_path=") + "data_path=".length(),
          lake.url().indexOf("/lake/") + "/lake/".length());
      for (List<Object> file : files) {
        assertThat((String) file.get(0)).startsWith(bucketPath).endsWith(".parquet");
      }
      assertThat(files.stream().filter(f -> f.get(1) != null).map(f -> (String) f.get(1)))
          .singleElement().asString().startsWith(bucketPath);
      duckdb.execute("USE memory");
      compare(c, lake, "SELECT * FROM t ORDER BY id, name");
      compare(c, lake, "SELECT count(*), sum(x), min(name), max(name) FROM t");
    } finally {
      duckdb.execute("USE memory");
      duckdb.execute("DETACH " + lake.alias());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql", "mysql"})
  void duckDbAndMallardWriteTurnAboutAndAgree(String backend) throws Exception {
    Lake lake = newLake(backend);
    ddl(lake, t -> t.createTable("main", "m", columns("id int32", "v varchar"), false));
    try (Connection c = lake.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO m VALUES (1, 'mallard')");
      attach(lake);
      // DuckDB's mysql extension fails a commit that updates an existing table's statistics row
      // (duckdb/ducklake#51), so on MySQL DuckDB writes only to tables it creates in the same commit.
      duckdb.execute("BEGIN");
      duckdb.execute("CREATE TABLE " + lake.alias() + ".d (id INTEGER, v VARCHAR)");
      duckdb.execute("INSERT INTO " + lake.alias() + ".d VALUES (10, 'duck'), (11, 'duck')");
      if (!backend.equals("mysql")) {
        duckdb.execute("INSERT INTO " + lake.alias() + ".m VALUES (2, 'duck')");
      }
      duckdb.execute("COMMIT");
      // Mallard sees DuckDB's commit, and writes on top of it in both tables.
      s.executeUpdate("INSERT INTO d VALUES (12, 'mallard')");
      s.executeUpdate("UPDATE d SET v = 'changed' WHERE id = 10");
      s.executeUpdate("INSERT INTO m VALUES (3, 'mallard')");
      compare(c, lake, "SELECT * FROM d ORDER BY id");
      compare(c, lake, "SELECT * FROM m ORDER BY id");
      if (!backend.equals("mysql")) {
        duckdb.execute("DELETE FROM " + lake.alias() + ".m WHERE id = 1");
        compare(c, lake, "SELECT * FROM m ORDER BY id");
      }
      duckdb.execute("USE " + lake.alias());
      try {
        assertThat(duckdb.query("SELECT count(*) FROM snapshots()").scalar()).isEqualTo(BigInteger.valueOf(
            backend.equals("mysql") ? 7 : 8));
      } finally {
        duckdb.execute("USE memory");
        duckdb.execute("DETACH " + lake.alias());
      }
    }
  }

  /** The catalog tables and an inlined data table have the reference's column types in each database. */
  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mysql"})
  void aNewCatalogHasTheReferencesColumnTypes(String backend) throws Exception {
    Lake mallardLake = newLake(backend);
    Lake duckLake = newLake(backend);
    ddl(mallardLake, t -> t.createTable("main", "t", columns("a int64", "b uint8", "c uint16", "e int32", "h varchar",
        "i boolean", "j float64", "k decimal(38,3)", "l uuid", "m interval", "n json", "p int8", "q float32",
        "r date", "s timestamp", "t timestamptz", "u blob", "v int128", "w uint64", "x uint32", "y time",
        "z int16"), false));
    String columns = "a BIGINT, b UTINYINT, c USMALLINT, e INTEGER, h VARCHAR, i BOOLEAN, j DOUBLE, k DECIMAL(38,3),"
        + " l UUID, m INTERVAL, n JSON, p TINYINT, q FLOAT, r DATE, s TIMESTAMP, t TIMESTAMPTZ, u BLOB, v HUGEINT,"
        + " w UBIGINT, x UINTEGER, y TIME, z SMALLINT";
    String dataPath = "DATA_PATH '" + dir.resolve(duckLake.alias() + "-data") + "/'";
    attach(duckLake, duckLake.duckDbOptions().isEmpty() ? dataPath : duckLake.duckDbOptions() + ", " + dataPath);
    duckdb.execute("CREATE TABLE " + duckLake.alias() + ".t (" + columns + ")");
    duckdb.execute("DETACH " + duckLake.alias());
    assertThat(columnTypes(mallardLake)).isEqualTo(columnTypes(duckLake)).hasSizeGreaterThan(200);
  }

  /** Every column of every catalog table, with its type, from the database's information_schema. */
  private static List<String> columnTypes(Lake lake) throws SQLException {
    boolean pg = lake.backend().equals("postgresql");
    String db = database(lake);
    List<String> out = new ArrayList<>();
    try (Connection c = pg ? PostgresServer.shared().connect(db) : MariaDbServer.shared().connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(pg
            ? "SELECT table_name, column_name, data_type, numeric_precision, numeric_scale, is_nullable"
                + " FROM information_schema.columns WHERE table_schema = 'lake_meta'"
                + " ORDER BY table_name, ordinal_position"
            : "SELECT table_name, column_name, column_type, is_nullable, column_key FROM information_schema.columns"
                + " WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position")) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.append(rs.getString(i)).append(' ');
        }
        String text = row.toString();
        // Mallard keeps the fraction of a second of inlined timestamps (the reference's DATETIME drops it).
        out.add(text.replace("datetime(6)", "datetime"));
      }
    }
    return out;
  }

  /** The database name of a server lake's URL. */
  private static String database(Lake lake) {
    String url = lake.url();
    return url.substring(url.lastIndexOf('/', url.indexOf('?')) + 1, url.indexOf('?'));
  }

  /**
   * MySQL commits at CREATE TABLE, so a writer that dies mid-commit can leave an inlined data table
   * that no snapshot refers to; the next commit that needs the name replaces it.
   */
  @Test
  void aMySqlTableLeftByAWriterThatDiedMidCommitIsReplaced() throws Exception {
    Lake lake = newLake("mysql");
    lake.connect().close(); // creates the catalog
    MariaDbServer.shared().execute(database(lake), "CREATE TABLE ducklake_inlined_data_1_1 (junk INT)");
    ddl(lake, t -> t.createTable("main", "t", columns("id int32", "v varchar"), false));
    try (Connection c = lake.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
      attach(lake);
      compare(c, lake, "SELECT * FROM t ORDER BY id");
    } finally {
      duckdb.execute("DETACH " + lake.alias());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql", "mysql"})
  void concurrentTransactionsBothCommitAfterARetry(String backend) throws Exception {
    Lake lake = newLake(backend);
    ddl(lake, t -> t.createTable("main", "t", columns("worker int32", "n int32"), false));
    String url = lake.url().replace("create=true&", "");
    int workers = 3;
    CyclicBarrier barrier = new CyclicBarrier(workers);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int worker = w;
        done.add(pool.submit(() -> {
          try (Connection c = Mallard.connect(url, lake.login()); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO t VALUES (" + worker + ", 1)");
            barrier.await(); // all three started from the same snapshot
            c.commit();
            for (int n = 2; n <= 5; n++) {
              s.executeUpdate("INSERT INTO t VALUES (" + worker + ", " + n + ")");
              c.commit();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    attach(lake);
    try (Connection c = Mallard.connect(url, lake.login())) {
      compare(c, lake, "SELECT worker, n FROM t ORDER BY worker, n");
      compare(c, lake, "SELECT count(*), count(DISTINCT worker * 10 + n) FROM t");
    }
    duckdb.execute("USE " + lake.alias());
    try {
      assertThat(duckdb.query("SELECT count(*) FROM t").scalar()).isEqualTo(BigInteger.valueOf(15));
      // One snapshot per commit: creation, the table, fifteen inserts.
      assertThat(duckdb.query("SELECT count(*) FROM snapshots()").scalar()).isEqualTo(BigInteger.valueOf(17));
    } finally {
      duckdb.execute("USE memory");
      duckdb.execute("DETACH " + lake.alias());
    }
  }

  @Test
  void aDuckDbFileCatalogRefusesWritesClearly() throws Exception {
    Path file = dir.resolve("refuse.ducklake");
    duckdb.execute("ATTACH 'ducklake:" + file + "' AS refuse (DATA_PATH '" + dir.resolve("refuse-data") + "/')");
    duckdb.execute("CREATE TABLE refuse.t (x INTEGER)");
    duckdb.execute("DETACH refuse");
    try (Connection c = Mallard.connect("duckdb:" + file); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t VALUES (1)")).isInstanceOf(SQLException.class)
          .hasMessageContaining("DuckDB-file catalogs are read-only");
    }
    assertThatThrownBy(() -> Mallard.connect("duckdb:" + dir.resolve("new.ducklake") + "?create=true&data_path="
        + dir.resolve("new-data") + "/"))
        .isInstanceOf(SQLException.class).hasMessageContaining("DuckDB-file catalogs are read-only");
  }
}
