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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Views DuckDB 1.5.5 stored in a lake, read through Mallard and compared with DuckDB. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewsInteropTest {
  @TempDir static Path dir;
  private DuckDb duckdb;
  private Connection mallard;

  @BeforeAll
  void setUp() throws SQLException {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("CREATE TABLE t (id INTEGER, day DATE, value DOUBLE)");
    duckdb.execute("INSERT INTO t SELECT i, DATE '2025-01-01' + i::INTEGER, i * 1.5 FROM range(50) r(i)");
    duckdb.execute("CREATE VIEW recent AS SELECT id, day, value FROM t WHERE id >= 40");
    duckdb.execute("CREATE VIEW renamed (k, d) AS SELECT id, day FROM t WHERE id < 5");
    duckdb.execute("CREATE VIEW qualified AS SELECT count(*) AS n FROM lake.main.t");
    duckdb.execute("CREATE VIEW on_view AS SELECT sum(value) AS total FROM recent");
    duckdb.execute("CREATE SCHEMA s1");
    duckdb.execute("CREATE VIEW s1.other AS SELECT id FROM main.t WHERE id = 7");
    duckdb.execute("CREATE VIEW duckdb_only AS SELECT * EXCLUDE (value) FROM t");
    // DuckDB stores ORDER BY ALL as ORDER BY COLUMNS(*) (the form of upstream's time_travel_views.test).
    duckdb.execute("CREATE VIEW ordered_all AS SELECT (id * 100) AS id, (id % 3) AS m FROM t WHERE id < 12 ORDER BY ALL");
    duckdb.execute("CREATE VIEW ordered_columns AS SELECT id % 4 AS a, -id AS b FROM t ORDER BY COLUMNS(*) DESC");
    duckdb.execute("CREATE VIEW grouped_all AS SELECT id % 3 AS k, count(*) AS n, sum(value) AS s FROM t"
        + " GROUP BY ALL ORDER BY ALL DESC NULLS FIRST");
    mallard = Mallard.connect("sqlite:" + catalog);
  }

  @AfterAll
  void tearDown() throws SQLException {
    mallard.close();
    duckdb.close();
  }

  private void compare(String sql) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, true);
    }
  }

  private void compareAsSets(String sql) throws SQLException {
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(sql), rs, false);
    }
  }

  @Test
  void viewsReadLikeDuckDbReadsThem() throws SQLException {
    compare("SELECT * FROM recent ORDER BY id");
    compare("SELECT * FROM renamed ORDER BY k");
    compare("SELECT * FROM qualified");
    compare("SELECT * FROM on_view");
    compare("SELECT * FROM s1.other");
    compare("SELECT r.id, t.value FROM recent r JOIN t ON r.id = t.id + 1 WHERE r.day > DATE '2025-02-12' ORDER BY 1");
  }

  @Test
  void viewsOrderedOrGroupedByAllReadAsInDuckDb() throws SQLException {
    // (A view's own ORDER BY does not order a query of it in Mallard: see COMPATIBILITY.md.)
    compareAsSets("SELECT * FROM ordered_all");
    compareAsSets("SELECT * FROM ordered_columns");
    compareAsSets("SELECT * FROM grouped_all");
    compare("SELECT * FROM ordered_all ORDER BY ALL DESC");
    compare("SELECT * FROM ordered_columns ORDER BY ALL");
    compare("SELECT * FROM grouped_all ORDER BY ALL DESC NULLS FIRST");
  }

  @Test
  void orderByAllAndGroupByAllInQueriesSortAndGroupAsDuckDb() throws SQLException {
    String nullable = "CASE WHEN id % 4 = 0 THEN NULL ELSE id % 3 END";
    compare("SELECT " + nullable + " AS a, id FROM t ORDER BY ALL");
    compare("SELECT " + nullable + " AS a, -id AS b FROM t ORDER BY ALL DESC");
    compare("SELECT " + nullable + " AS a, -id AS b FROM t ORDER BY ALL NULLS FIRST");
    compare("SELECT " + nullable + " AS a, -id AS b FROM t ORDER BY COLUMNS(*) DESC NULLS FIRST");
    compare("SELECT * FROM t WHERE id < 7 ORDER BY ALL DESC");
    compare("SELECT id % 5 AS k, id % 2 = 0 AS even, count(*) AS n, max(value) + 1 AS top FROM t"
        + " GROUP BY ALL ORDER BY ALL");
    compare("SELECT id % 2, 7 AS seven, count(*) FROM t GROUP BY ALL HAVING count(*) > 1 ORDER BY ALL");
    compare("SELECT id % 3 AS x FROM t WHERE id < 5 UNION ALL SELECT id % 2 FROM t WHERE id < 4 ORDER BY ALL");
    compare("SELECT * FROM (SELECT id % 3 AS k, count(*) AS n FROM t GROUP BY ALL) ORDER BY ALL");
  }

  @Test
  void groupByAllWithAStarIsRefusedClearly() {
    assertThatThrownBy(() -> mallard.createStatement().executeQuery("SELECT * FROM t GROUP BY ALL"))
        .isInstanceOf(SQLException.class).hasMessageContaining("GROUP BY ALL with *");
  }

  @Test
  void aViewMallardCannotParseIsAnErrorNamingIt() {
    assertThatThrownBy(() -> mallard.createStatement().executeQuery("SELECT * FROM duckdb_only"))
        .isInstanceOf(SQLException.class).hasMessageContaining("main.duckdb_only")
        .hasMessageContaining("EXCLUDE");
  }

  @Test
  void aViewCreatedLaterIsSeen() throws SQLException {
    duckdb.execute("CREATE VIEW later AS SELECT max(id) AS m FROM t");
    compare("SELECT * FROM later");
  }

  /** A schema another writer creates (or drops) while the connection is open is seen by its next statement. */
  @Test
  void aSchemaCreatedLaterIsSeen() throws SQLException {
    duckdb.execute("CREATE SCHEMA s_later");
    duckdb.execute("CREATE TABLE s_later.u AS SELECT 42 AS x");
    compare("SELECT * FROM s_later.u");
    duckdb.execute("DROP TABLE s_later.u");
    duckdb.execute("DROP SCHEMA s_later");
    assertThatThrownBy(() -> mallard.createStatement().executeQuery("SELECT * FROM s_later.u"))
        .hasMessageContaining("Object 's_later' not found");
  }

  @Test
  void viewsAreListedAsTables() throws SQLException {
    try (ResultSet rs = mallard.getMetaData().getTables(null, "main", "recent", null)) {
      assertThat(rs.next()).isTrue();
    }
  }
}
