package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;

import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Lakes written by DuckDB 1.4 (catalog 0.3), 1.5.1 (0.4) and 1.5.5 (1.0) read the same. */
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

  private static void compare(DuckDb duckdb, Connection mallard, List<String> queries) throws SQLException {
    for (String sql : queries) {
      try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
        assertSameRows(duckdb.query(sql), rs, true);
      }
    }
  }
}
