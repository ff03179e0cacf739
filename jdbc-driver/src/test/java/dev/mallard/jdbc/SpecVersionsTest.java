package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Lakes written by DuckDB 1.4 (catalog 0.3), 1.5.1 (0.4) and 1.5.5 (1.0) read the same; a 1.0 lake
 * migrated to 1.1 as the reference migrates it reads as DuckDB reads the 1.0 original.
 */
class SpecVersionsTest {
  private static final List<String> TYPES = List.of(
      "SELECT * FROM all_types ORDER BY id",
      "SELECT * FROM all_types_inlined ORDER BY id",
      "SELECT * FROM partitioned ORDER BY x");
  private static final List<String> EVENTS = List.of(
      "SELECT * FROM s1.events ORDER BY id, amount",
      "SELECT kind, count(*), sum(amount) FROM s1.events WHERE id > 100 GROUP BY kind ORDER BY kind");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(DuckDb.Version.class)
  void readsEveryTypeAsTheWritingReleaseReadsIt(DuckDb.Version version) throws SQLException {
    try (DuckDb duckdb = DuckDb.start(version)) {
      Path catalog = TestLakes.attachNew(duckdb, dir);
      TestLakes.interop(duckdb);
      try (Connection c = Mallard.connect("sqlite:" + catalog)) {
        compare(duckdb, c, TYPES);
        if (version != DuckDb.Version.V1_5_1) {
          compare(duckdb, c, EVENTS); // 1.5.1: see the next test
        }
      }
    }
  }

  /**
   * DuckDB 1.5.1 records some deletions twice, in a delete file and inline (ducklake issue #865),
   * and DuckDB's reader then skips other deletions of the same file (#1084): it shows deleted rows
   * and both versions of an updated row. Mallard reads what the statements meant, which is what
   * DuckDB 1.5.5 reads after running the same statements itself.
   */
  @Test
  void readsDeletionsThatDuckDb151RecordedTwiceAsTheStatementsMeant() throws Exception {
    Path written = Files.createDirectories(dir.resolve("by-1.5.1"));
    Path reference = Files.createDirectories(dir.resolve("by-1.5.5"));
    Path catalog;
    try (DuckDb old = DuckDb.start(DuckDb.Version.V1_5_1)) {
      catalog = TestLakes.attachNew(old, written);
      TestLakes.interop(old);
    }
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
        Connection c = Mallard.connect("sqlite:" + catalog)) {
      TestLakes.attachNew(duckdb, reference);
      TestLakes.interop(duckdb);
      compare(duckdb, c, EVENTS);
    }
  }

  /**
   * No DuckDB on PyPI writes 1.1 catalogs (DuckDB 2.0's ducklake extension is not published there),
   * so a lake DuckDB 1.5.5 wrote is migrated with the reference's own 1.0 to 1.1-dev1 statements
   * ({@code MigrateV10}: inlined data tables' metadata columns renamed to {@code _ducklake_*}, the
   * {@code row_group_count} columns and {@code ducklake_view_column_tag} added) and Mallard reads the
   * copy as DuckDB reads the original, at every snapshot.
   */
  @Test
  void readsACatalogMigratedTo11AsDuckDbReadsThe10Original() throws Exception {
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      Path catalog = TestLakes.attachNew(duckdb, dir);
      TestLakes.interop(duckdb);
      Path migrated = Files.createDirectories(dir.resolve("v11")).resolve("lake.sqlite"); // the same lake name
      Files.copy(catalog, migrated);
      int renamed = TestLakes.migrateTo11(migrated);
      assertThat(renamed).as("inlined data tables migrated").isGreaterThan(0);
      long last = ((Number) duckdb.query("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')").scalar())
          .longValue();
      long created = ((Number) duckdb.query("SELECT begin_snapshot FROM __ducklake_metadata_lake.ducklake_table"
          + " WHERE table_name = 'events'").scalar()).longValue();
      List<String> queries = new ArrayList<>(TYPES);
      queries.addAll(EVENTS);
      queries.add("SELECT rowid, snapshot_id, id, v FROM all_types_inlined ORDER BY rowid");
      queries.add("SELECT rowid, snapshot_id, id, kind, amount FROM s1.events WHERE id >= 4990 ORDER BY rowid");
      for (long s = created; s <= last; s++) {
        queries.add("SELECT rowid, * FROM s1.events AT (VERSION => " + s + ") ORDER BY rowid");
      }
      queries.add("SELECT * FROM ducklake_table_changes('lake', 's1', 'events', " + created + ", " + last + ")"
          + " ORDER BY snapshot_id, rowid, change_type");
      try (Connection c = Mallard.connect("sqlite:" + migrated)) {
        compare(duckdb, c, queries);
      }
      try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + migrated);
          ResultSet rs = sqlite.createStatement().executeQuery(
              "SELECT value FROM ducklake_metadata WHERE key = 'version'")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("1.1-dev1");
      }
    }
  }

  /** Mallard writes the 1.0 layout; it refuses to write catalogs whose tables differ, changing nothing. */
  @ParameterizedTest
  @EnumSource(value = DuckDb.Version.class, names = {"V1_4_4", "V1_5_5"})
  void refusesToWriteCatalogsOfOtherLayouts(DuckDb.Version version) throws Exception {
    try (DuckDb duckdb = DuckDb.start(version)) {
      Path catalog = TestLakes.attachNew(duckdb, dir);
      duckdb.execute("CREATE TABLE t (i INTEGER)");
      duckdb.execute("INSERT INTO t VALUES (1), (2)");
      String expectedVersion = version.catalogVersion();
      if (version == DuckDb.Version.V1_5_5) {
        duckdb.execute("USE memory");
        duckdb.execute("DETACH lake");
        TestLakes.migrateTo11(catalog);
        expectedVersion = "1.1-dev1";
      }
      long files = countFiles(dir.resolve("data"));
      try (Connection c = Mallard.connect("sqlite:" + catalog)) {
        Statement s = c.createStatement();
        for (String write : List.of("INSERT INTO t VALUES (3)", "DELETE FROM t", "CREATE TABLE u (i INTEGER)",
            "CALL ducklake_expire_snapshots('lake', dry_run => true, versions => [1])",
            "CALL ducklake_flush_inlined_data('lake')")) {
          assertThatThrownBy(() -> s.execute(write)).as(write).isInstanceOf(SQLException.class)
              .hasMessageContaining("This DuckLake catalog has version " + expectedVersion
                  + ", which Mallard reads but does not write");
        }
        assertThat(Rows.query(c, "SELECT i FROM t ORDER BY i")).containsExactly(List.of("1"), List.of("2"));
      }
      assertThat(countFiles(dir.resolve("data"))).isEqualTo(files);
      try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + catalog);
          ResultSet rs = sqlite.createStatement().executeQuery("SELECT count(*) FROM ducklake_snapshot")) {
        rs.next();
        assertThat(rs.getLong(1)).as("snapshots").isEqualTo(3);
      }
    }
  }

  private static long countFiles(Path dir) throws java.io.IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static void compare(DuckDb duckdb, Connection mallard, List<String> queries) throws SQLException {
    for (String sql : queries) {
      try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
        assertSameRows(duckdb.query(sql), rs, true);
      }
    }
  }
}
