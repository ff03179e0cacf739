package dev.mallard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a clear SQLException naming the problem, and never wrong or partial rows. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  @TempDir static Path dir;
  private DuckDb duckdb;

  @BeforeAll
  void start() {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
  }

  @AfterAll
  void stop() {
    duckdb.close();
  }

  /** A fresh lake with one table {@code t} of 100 rows in one Parquet file, and its catalog path. */
  private Path lake(String name) throws IOException {
    Path lakeDir = Files.createDirectories(dir.resolve(name));
    Path catalog = lakeDir.resolve("lake.sqlite");
    duckdb.execute("ATTACH 'ducklake:sqlite:" + catalog + "' AS " + name + " (DATA_PATH '" + lakeDir.resolve("data") + "/')");
    duckdb.execute("CREATE TABLE " + name + ".t AS SELECT i, 'v' || i AS v FROM range(100) r(i)");
    duckdb.execute("DETACH " + name);
    return catalog;
  }

  private static void catalogSql(Path catalog, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + catalog); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String onlyDataFile(Path catalog) throws IOException {
    try (var files = Files.walk(catalog.getParent().resolve("data"))) {
      List<Path> parquet = files.filter(p -> p.toString().endsWith(".parquet")).toList();
      assertThat(parquet).hasSize(1);
      return parquet.get(0).toString();
    }
  }

  /** Runs the query to the end; any rows before a failure would be partial, so none may come. */
  private static List<Object> readAll(Connection c, String sql) throws SQLException {
    List<Object> rows = new ArrayList<>();
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getObject(1));
      }
    }
    return rows;
  }

  @Test
  void aMissingCatalogFileIsNamed() {
    Path missing = dir.resolve("nope.sqlite");
    assertThatThrownBy(() -> Mallard.connect("sqlite:" + missing)).isInstanceOf(SQLException.class)
        .hasMessageContaining("not found").hasMessageContaining(missing.toString());
    assertThat(Files.exists(missing)).as("opening must not create the file").isFalse();
  }

  @Test
  void aFileThatIsNotADuckLakeCatalogIsRefused() throws Exception {
    Path text = dir.resolve("notes.sqlite");
    Files.writeString(text, "just some text, not a database at all ".repeat(100));
    assertThatThrownBy(() -> Mallard.connect("sqlite:" + text)).isInstanceOf(SQLException.class)
        .hasMessageContaining(text.toString());

    Path otherDb = dir.resolve("other.sqlite");
    catalogSql(otherDb, "CREATE TABLE customers (id INTEGER)");
    assertThatThrownBy(() -> Mallard.connect("sqlite:" + otherDb)).isInstanceOf(SQLException.class)
        .hasMessageContaining("is not a DuckLake catalog");
  }

  @Test
  void unsupportedCatalogVersionsAreRefusedWithAdvice() throws Exception {
    Path catalog = lake("versions");
    catalogSql(catalog, "UPDATE ducklake_metadata SET value = '0.2' WHERE key = 'version'");
    assertThatThrownBy(() -> Mallard.connect("sqlite:" + catalog)).isInstanceOf(SQLException.class)
        .hasMessageContaining("Unsupported DuckLake catalog version '0.2'").hasMessageContaining("migrate");
    catalogSql(catalog, "UPDATE ducklake_metadata SET value = '9.9' WHERE key = 'version'");
    assertThatThrownBy(() -> Mallard.connect("sqlite:" + catalog)).isInstanceOf(SQLException.class)
        .hasMessageContaining("Unsupported DuckLake catalog version '9.9'");
  }

  @Test
  void aQueryFailingAboveItsScanFreesTheScansBatches() throws Exception {
    Path catalog = lake("failing");
    // Closing the connection checks that every Arrow buffer was freed: it throws otherwise.
    try (Connection c = Mallard.connect("sqlite:" + catalog)) {
      for (String sql : List.of(
          "SELECT count(*) FROM t WHERE CAST(v AS INTEGER) > 0", // fails while the result is built
          "SELECT i, CAST(v AS INTEGER) FROM t ORDER BY i", // fails under a sort
          "SELECT CAST(v AS INTEGER) FROM t", // fails while a row is computed
          "SELECT a.i FROM t a JOIN t b ON a.i = b.i WHERE CAST(a.v AS INTEGER) > CAST(b.v AS INTEGER)")) {
        assertThatThrownBy(() -> readAll(c, sql)).as(sql).isInstanceOf(SQLException.class);
      }
      assertThat(readAll(c, "SELECT i FROM t WHERE i = 7")).containsExactly(7L);
    }
  }

  @Test
  void aMissingDataFileFailsTheQueryNamingTheFile() throws Exception {
    Path catalog = lake("missing");
    String file = onlyDataFile(catalog);
    Files.delete(Path.of(file));
    try (Connection c = Mallard.connect("sqlite:" + catalog)) {
      // (count(*) would not notice: the catalog's row counts answer it without opening the file.)
      assertThatThrownBy(() -> readAll(c, "SELECT sum(v) FROM t")).isInstanceOf(SQLException.class)
          .hasMessageContaining(file);
      assertThatThrownBy(() -> readAll(c, "SELECT v FROM t")).isInstanceOf(SQLException.class)
          .hasMessageContaining(file);
    }
  }

  @Test
  void aCorruptDataFileFailsTheQueryNamingTheFile() throws Exception {
    Path catalog = lake("corrupt");
    String file = onlyDataFile(catalog);
    try (RandomAccessFile f = new RandomAccessFile(file, "rw")) {
      // Keep the magic bytes and the footer, wreck every page between them.
      f.seek(f.length() - 8);
      int footer = Integer.reverseBytes(f.readInt());
      f.seek(4);
      f.write(new byte[(int) (f.length() - 8 - footer - 4)]);
    }
    try (Connection c = Mallard.connect("sqlite:" + catalog)) {
      assertThatThrownBy(() -> readAll(c, "SELECT v FROM t")).isInstanceOf(SQLException.class)
          .hasMessageContaining(file);
    }
    Path truncated = lake("truncated");
    String tfile = onlyDataFile(truncated);
    try (RandomAccessFile f = new RandomAccessFile(tfile, "rw")) {
      f.setLength(f.length() / 2);
    }
    try (Connection c = Mallard.connect("sqlite:" + truncated)) {
      assertThatThrownBy(() -> readAll(c, "SELECT sum(v) FROM t")).isInstanceOf(SQLException.class)
          .hasMessageContaining(tfile);
    }
  }

  @Test
  void aCatalogPathThatClimbsOutOfTheLakeIsRefused() throws Exception {
    Path catalog = lake("climb");
    catalogSql(catalog, "UPDATE ducklake_data_file SET path = '../../../../etc/passwd'");
    try (Connection c = Mallard.connect("sqlite:" + catalog)) {
      assertThatThrownBy(() -> readAll(c, "SELECT count(*) FROM t")).isInstanceOf(SQLException.class)
          .hasMessageContaining("climbs out");
    }
  }

  @Test
  void malformedUrlsAndOptionsAreExplained() throws IOException {
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ducklake:")).isInstanceOf(SQLException.class)
        .hasMessageContaining("Malformed catalog URL");
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ducklake:oracle:x"))
        .isInstanceOf(SQLException.class).hasMessageContaining("Unknown catalog database 'oracle'");
    Path catalog = lake("options");
    assertThatThrownBy(() -> Mallard.connect("sqlite:" + catalog + "?snapshot=99"))
        .isInstanceOf(SQLException.class).hasMessageContaining("No snapshot found at version 99");
    assertThatThrownBy(() -> Mallard.connect("sqlite:" + catalog + "?colour=blue"))
        .isInstanceOf(SQLException.class).hasMessageContaining("Unknown option 'colour'");
  }

  @Test
  void unsupportedTypesFailLoudlyAndOnlyWhenRead() throws Exception {
    Path lakeDir = Files.createDirectories(dir.resolve("nested"));
    Path catalog = lakeDir.resolve("lake.sqlite");
    duckdb.execute("ATTACH 'ducklake:sqlite:" + catalog + "' AS nested (DATA_PATH '" + lakeDir.resolve("data") + "/')");
    duckdb.execute("CREATE TABLE nested.t AS SELECT i, i::VARIANT AS s, TIMESTAMP '2024-01-01 00:00:00.123456' AS ts"
        + " FROM range(20) r(i)");
    duckdb.execute("DETACH nested");
    try (Connection c = Mallard.connect("sqlite:" + catalog)) {
      assertThat(readAll(c, "SELECT count(i) FROM t")).containsExactly(20L);
      // Variants read as DuckDB's text of them (GeometryVariantInteropTest covers them).
      assertThat(readAll(c, "SELECT s FROM t WHERE i = 3")).containsExactly("3");
      // Microseconds are exact (TypesInteropTest covers them).
      assertThat(readAll(c, "SELECT count(*) FROM t WHERE ts = TIMESTAMP '2024-01-01 00:00:00.123456'"))
          .containsExactly(20L);
      assertThat(readAll(c, "SELECT count(*) FROM t WHERE ts > TIMESTAMP '2024-01-01 00:00:00.123'"))
          .containsExactly(20L);
    }
  }
}
