package dev.mallard.engine.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.ConflictException;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.testing.DuckDb;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionTest {
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

  private static DuckLakeCatalog newLake(String name) {
    Path lake = dir.resolve(name);
    return DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + lake.resolve("lake.sqlite")
        + "?create=true&data_path=" + lake.resolve("data"), Map.of()));
  }

  private DuckDb.Result duck(String lake, String sql) {
    Path d = dir.resolve(lake);
    duckdb.execute("ATTACH 'ducklake:sqlite:" + d.resolve("lake.sqlite") + "' AS " + lake + " (DATA_PATH '"
        + d.resolve("data") + "/')");
    try {
      return duckdb.query(sql);
    } finally {
      duckdb.execute("DETACH " + lake);
    }
  }

  private static final List<NewColumn> COLUMNS = List.of(
      NewColumn.of("id", DuckLakeType.parse("int64"), false, null),
      NewColumn.of("name", DuckLakeType.parse("varchar"), true, "'anon'".replace("'", "")),
      NewColumn.of("price", DuckLakeType.parse("decimal(10,2)"), true, null),
      NewColumn.of("day", DuckLakeType.parse("date"), true, null));

  @Test
  void aNewLakeWithInlinedRowsIsReadByDuckDb() {
    try (DuckLakeCatalog lake = newLake("basic")) {
      Transaction t = new Transaction(lake);
      t.createSchema("s1", false);
      TableInfo table = t.createTable("s1", "items", COLUMNS, false);
      t.appendInlined(table, List.of(
          new Object[] {1L, "apple", new BigDecimal("1.50"), (int) LocalDate.of(2025, 1, 2).toEpochDay()},
          new Object[] {2L, null, null, null}));
      t.commit();
    }
    assertThat(duck("basic", "SELECT * FROM basic.s1.items ORDER BY id").rows()).containsExactly(
        List.of(BigInteger.ONE, "apple", new BigDecimal("1.50"), LocalDate.of(2025, 1, 2)),
        java.util.Arrays.asList(BigInteger.TWO, null, null, null));
    assertThat(duck("basic", "SELECT snapshot_id, changes FROM basic.snapshots() ORDER BY 1").rows())
        .extracting(r -> r.get(1).toString())
        .containsExactly("{schemas_created=[main]}", "{schemas_created=[s1], tables_created=[s1.items],"
            + " inlined_insert=[2]}");
  }

  @Test
  void deletingInlinedRowsIsSeenByDuckDbAndTimeTravelKeepsThem() {
    try (DuckLakeCatalog lake = newLake("deletes")) {
      Transaction t = new Transaction(lake);
      TableInfo table = t.createTable("main", "t", COLUMNS, false);
      t.appendInlined(table, List.of(new Object[] {1L, "a", null, null}, new Object[] {2L, "b", null, null},
          new Object[] {3L, "c", null, null}));
      t.commit();
      Transaction d = new Transaction(lake);
      TableInfo committed = d.view().table("main", "t").orElseThrow();
      d.delete(committed, Map.of(), new long[] {1}); // row ids start at 0: this is id 2
      d.commit();
    }
    assertThat(duck("deletes", "SELECT id FROM deletes.t ORDER BY id").rows())
        .containsExactly(List.of(BigInteger.ONE), List.of(BigInteger.valueOf(3)));
    assertThat(duck("deletes", "SELECT count(*) FROM deletes.t AT (VERSION => 1)").scalar())
        .isEqualTo(BigInteger.valueOf(3));
  }

  @Test
  void concurrentInsertsBothCommitAndCreatingTheSameTableConflicts() {
    try (DuckLakeCatalog lake = newLake("concurrent")) {
      Transaction setup = new Transaction(lake);
      setup.createTable("main", "t", COLUMNS, false);
      setup.commit();
      Transaction a = new Transaction(lake);
      Transaction b = new Transaction(lake);
      a.appendInlined(a.view().table("main", "t").orElseThrow(), List.<Object[]>of(new Object[] {1L, "a", null, null}));
      b.appendInlined(b.view().table("main", "t").orElseThrow(), List.<Object[]>of(new Object[] {2L, "b", null, null}));
      a.commit();
      b.commit(); // retried on top of a's snapshot: inserts do not conflict

      Transaction c1 = new Transaction(lake);
      Transaction c2 = new Transaction(lake);
      c1.createTable("main", "u", COLUMNS, false);
      c2.createTable("main", "u", COLUMNS, false);
      c1.commit();
      assertThatThrownBy(c2::commit).isInstanceOf(ConflictException.class)
          .hasMessageContaining("creates table main.u").hasMessageContaining("snapshot 4");
    }
    assertThat(duck("concurrent", "SELECT count(*), count(DISTINCT id) FROM concurrent.t").rows())
        .containsExactly(List.of(BigInteger.TWO, BigInteger.TWO));
  }

  @Test
  void badNamesAndDuplicatesAreRefusedAndLeaveNoTrace() {
    try (DuckLakeCatalog lake = newLake("bad")) {
      Transaction t = new Transaction(lake);
      assertThatThrownBy(() -> t.createTable("main", "../evil", COLUMNS, false)).isInstanceOf(UserException.class)
          .hasMessageContaining("Invalid table name");
      assertThatThrownBy(() -> t.createTable("main", "a/b", COLUMNS, false)).isInstanceOf(UserException.class);
      t.createTable("main", "ok", COLUMNS, false);
      assertThatThrownBy(() -> t.createTable("main", "OK", COLUMNS, false)).isInstanceOf(UserException.class)
          .hasMessageContaining("already exists");
      t.rollback();
      assertThat(lake.metadata().latestSnapshot().id()).isZero();
    }
  }
}
