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
import dev.mallard.testing.TestLakes;
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
    TestLakes.attachNamed(duckdb, dir, lake);
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

  @Test
  void alterTableWritesTheCatalogRowsDuckDbWritesAndDuckDbReadsTheResult() {
    Path d = dir.resolve("alter");
    try {
      java.nio.file.Files.createDirectories(d);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String attach = "ATTACH 'ducklake:sqlite:" + d.resolve("lake.sqlite") + "' AS alter_lake (DATA_PATH '"
        + d.resolve("data") + "/')";
    duckdb.execute(attach);
    for (String t : List.of("mine", "theirs")) {
      duckdb.execute("CREATE TABLE alter_lake." + t + " (a INTEGER, b VARCHAR)");
      duckdb.execute("INSERT INTO alter_lake." + t + " VALUES (1, 'x')");
      duckdb.execute("INSERT INTO alter_lake." + t + " SELECT i, 'v' || i FROM range(2, 30) r(i)");
    }
    duckdb.execute("ALTER TABLE alter_lake.theirs ADD COLUMN c INTEGER DEFAULT 7");
    duckdb.execute("ALTER TABLE alter_lake.theirs RENAME COLUMN b TO bb");
    duckdb.execute("ALTER TABLE alter_lake.theirs DROP COLUMN a");
    duckdb.execute("ALTER TABLE alter_lake.theirs ALTER c TYPE BIGINT");
    duckdb.execute("ALTER TABLE alter_lake.theirs ALTER bb SET NOT NULL");
    duckdb.execute("COMMENT ON TABLE alter_lake.theirs IS 'hello'");
    duckdb.execute("COMMENT ON COLUMN alter_lake.theirs.c IS 'col'");
    duckdb.execute("DETACH alter_lake");
    try (DuckLakeCatalog lake = DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + d.resolve("lake.sqlite"),
        Map.of()))) {
      List<java.util.function.BiConsumer<Transaction, TableInfo>> steps = List.of(
          (t, table) -> t.addColumn(table, NewColumn.of("c", DuckLakeType.parse("int32"), true, "7"), false),
          (t, table) -> t.renameColumn(table, "b", "bb"),
          (t, table) -> t.dropColumn(table, "a", false),
          (t, table) -> t.setColumnType(table, "c", DuckLakeType.parse("int64")),
          (t, table) -> t.setNullable(table, "bb", false),
          (t, table) -> t.comment(table, null, "hello"),
          (t, table) -> t.comment(table, "c", "col"));
      for (var step : steps) {
        Transaction t = new Transaction(lake);
        step.accept(t, t.view().table("main", "mine").orElseThrow());
        t.commit();
      }
      Transaction t = new Transaction(lake);
      TableInfo mine = t.view().table("main", "mine").orElseThrow();
      assertThatThrownBy(() -> t.setColumnType(mine, "c", DuckLakeType.parse("int32")))
          .isInstanceOf(UserException.class).hasMessageContaining("only widens");
      assertThatThrownBy(() -> t.dropColumn(mine, "nope", false))
          .isInstanceOf(UserException.class).hasMessageContaining("does not exist");
      t.rollback();
    }
    duckdb.execute(attach);
    try {
      String columns = "SELECT c.column_id, c.column_order, c.column_name, c.column_type, c.initial_default,"
          + " c.default_value, c.nulls_allowed, c.parent_column, c.end_snapshot IS NULL FROM"
          + " __ducklake_metadata_alter_lake.ducklake_column c JOIN __ducklake_metadata_alter_lake.ducklake_table t"
          + " USING (table_id) WHERE t.table_name = '%s' ORDER BY c.begin_snapshot, c.column_id";
      assertThat(duckdb.query(String.format(columns, "mine")).rows())
          .isEqualTo(duckdb.query(String.format(columns, "theirs")).rows());
      String inlinedTables = "SELECT count(*) FROM __ducklake_metadata_alter_lake.ducklake_inlined_data_tables i"
          + " JOIN __ducklake_metadata_alter_lake.ducklake_table t USING (table_id) WHERE t.table_name = '%s'";
      assertThat(duckdb.query(String.format(inlinedTables, "mine")).scalar())
          .isEqualTo(duckdb.query(String.format(inlinedTables, "theirs")).scalar());
      String comments = "SELECT key, value, end_snapshot IS NULL FROM __ducklake_metadata_alter_lake.%s WHERE %s ="
          + " (SELECT table_id FROM __ducklake_metadata_alter_lake.ducklake_table WHERE table_name = '%s')";
      for (String[] tag : new String[][] {{"ducklake_tag", "object_id"}, {"ducklake_column_tag", "table_id"}}) {
        assertThat(duckdb.query(String.format(comments, tag[0], tag[1], "mine")).rows())
            .isEqualTo(duckdb.query(String.format(comments, tag[0], tag[1], "theirs")).rows());
      }
      assertThat(duckdb.query("SELECT * FROM alter_lake.mine ORDER BY bb").rows())
          .isEqualTo(duckdb.query("SELECT * FROM alter_lake.theirs ORDER BY bb").rows());
      duckdb.execute("INSERT INTO alter_lake.mine VALUES ('after', 5)");
      assertThat(duckdb.query("SELECT count(*), sum(c) FROM alter_lake.mine").rows().get(0))
          .containsExactly(BigInteger.valueOf(30), BigInteger.valueOf(7 * 29 + 5));
      assertThat(duckdb.query("SELECT changes FROM alter_lake.snapshots() ORDER BY snapshot_id DESC LIMIT 2 OFFSET 1")
          .rows()).extracting(r -> r.get(0).toString()).containsOnly("{tables_altered=[1]}");
    } finally {
      duckdb.execute("DETACH alter_lake");
    }
    try (DuckLakeCatalog lake = DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + d.resolve("lake.sqlite"),
        Map.of()))) {
      Transaction t = new Transaction(lake);
      t.renameTable(t.view().table("main", "mine").orElseThrow(), "mine2");
      assertThat(t.view().table("main", "mine2")).isPresent();
      assertThat(t.view().table("main", "mine")).isEmpty();
      t.commit();
    }
    assertThat(duck("alter", "SELECT count(*) FROM alter.mine2").scalar()).isEqualTo(BigInteger.valueOf(30));
  }

  @Test
  void aDeleteFileIsWrittenForTheSnapshotItCommitsAfterAnotherWriterCommittedFirst() throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, "raced");
    duckdb.execute("CREATE TABLE raced.t (a INTEGER)");
    duckdb.execute("INSERT INTO raced.t SELECT i FROM range(100) r(i)");
    duckdb.execute("DELETE FROM raced.t WHERE a < 20"); // a delete file, which the next one merges
    duckdb.execute("CREATE TABLE raced.u (a INTEGER)");
    duckdb.execute("DETACH raced");
    try (DuckLakeCatalog lake = DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + catalog, Map.of()))) {
      Transaction deleting = new Transaction(lake);
      Transaction inserting = new Transaction(lake);
      TableInfo t = deleting.view().table("main", "t").orElseThrow();
      long file = lake.metadata().dataFiles(t, deleting.startSnapshot().id()).get(0).id();
      deleting.delete(t, Map.of(file, java.util.stream.LongStream.range(50, 70).toArray()), new long[0]);
      inserting.appendInlined(inserting.view().table("main", "u").orElseThrow(),
          List.<Object[]>of(new Object[] {1L}));
      assertThat(inserting.commit().id()).isEqualTo(5);
      assertThat(deleting.commit().id()).isEqualTo(6);
    }
    // The merged delete file records the snapshot that deleted each position: 6, not the 5 the
    // deleting transaction would have committed had nobody committed first.
    assertThat(duck("raced", "SELECT count(*) FROM raced.t AT (VERSION => 5)").scalar())
        .isEqualTo(BigInteger.valueOf(80));
    assertThat(duck("raced", "SELECT count(*) || ' ' || min(a) || ' ' || max(a) FROM raced.t AT (VERSION => 6)")
        .scalar()).isEqualTo("60 20 99");
    assertThat(duck("raced", "SELECT count(*) FROM raced.t WHERE a BETWEEN 50 AND 69").scalar())
        .isEqualTo(BigInteger.ZERO);
  }

  @Test
  void truncateRetiresFilesAndInlinedRowsAndKeepsRowsAddedAfterItInTheTransaction() throws Exception {
    Path catalog = TestLakes.attachNamed(duckdb, dir, "trunc");
    duckdb.execute("CREATE TABLE trunc.t (a INTEGER)");
    duckdb.execute("INSERT INTO trunc.t SELECT i FROM range(100) r(i)");
    duckdb.execute("INSERT INTO trunc.t VALUES (1000)");
    duckdb.execute("DELETE FROM trunc.t WHERE a = 5");
    duckdb.execute("DETACH trunc");
    try (DuckLakeCatalog lake = DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + catalog, Map.of()))) {
      Transaction t = new Transaction(lake);
      TableInfo table = t.view().table("main", "t").orElseThrow();
      t.appendInlined(table, List.<Object[]>of(new Object[] {7L}));
      t.truncate(table);
      assertThat(t.pendingChanges(table).committedRowsDeleted()).isTrue();
      t.appendInlined(table, List.<Object[]>of(new Object[] {42L}));
      t.commit();
    }
    assertThat(duck("trunc", "SELECT a FROM trunc.t").rows()).containsExactly(List.of(BigInteger.valueOf(42)));
    assertThat(duck("trunc", "SELECT count(*) FROM trunc.t AT (VERSION => 4)").scalar())
        .isEqualTo(BigInteger.valueOf(100));
    assertThat(duck("trunc", "SELECT changes FROM trunc.snapshots() ORDER BY snapshot_id DESC LIMIT 1").scalar()
        .toString()).isEqualTo("{tables_deleted_from=[1], inlined_insert=[1], inlined_delete=[1]}");
  }

  @Test
  void viewsAreWrittenAsDuckDbWritesThemAndDuckDbQueriesThem() {
    try (DuckLakeCatalog lake = newLake("views")) {
      Transaction t = new Transaction(lake);
      TableInfo table = t.createTable("main", "t", COLUMNS, false);
      t.appendInlined(table, List.<Object[]>of(new Object[] {1L, "a", null, null}, new Object[] {2L, "b", null, null}));
      t.createView("main", "v", "SELECT id, name FROM t WHERE id > 1", List.of("x", "y z"), false);
      t.commit();
      Transaction again = new Transaction(lake);
      assertThatThrownBy(() -> again.createView("main", "V", "SELECT 1", List.of(), false))
          .isInstanceOf(UserException.class).hasMessageContaining("already exists");
      assertThatThrownBy(() -> again.createView("main", "t", "SELECT 1", List.of(), true))
          .isInstanceOf(UserException.class).hasMessageContaining("is a table");
      again.createView("main", "v", "SELECT id AS x FROM t", List.of(), true);
      again.createView("main", "gone", "SELECT 1 AS one", List.of(), false);
      again.commit();
      Transaction drop = new Transaction(lake);
      drop.dropView("main", "gone", false);
      drop.dropView("main", "never", true);
      assertThatThrownBy(() -> drop.dropView("main", "never", false))
          .isInstanceOf(UserException.class).hasMessageContaining("does not exist");
      drop.commit();
    }
    assertThat(duck("views", "SELECT * FROM views.v ORDER BY x").rows()).containsExactly(List.of(BigInteger.ONE),
        List.of(BigInteger.TWO));
    assertThat(duck("views", "SELECT view_name, end_snapshot IS NULL, column_aliases FROM"
        + " __ducklake_metadata_views.ducklake_view ORDER BY view_id").rows()).extracting(r -> r.toString())
        .containsExactly("[v, false, \"x\",\"y z\"]", "[v, true, ]", "[gone, false, ]");
    assertThat(duck("views", "SELECT changes FROM views.snapshots() ORDER BY snapshot_id DESC LIMIT 1").scalar()
        .toString()).isEqualTo("{views_dropped=[4]}");
  }

  @Test
  void partitionedWritesSplitFilesByPartitionAsDuckDbDoesAndDuckDbPrunesThem() throws Exception {
    Path d = java.nio.file.Files.createDirectories(dir.resolve("parts"));
    duckdb.execute("ATTACH 'ducklake:sqlite:" + d.resolve("lake.sqlite") + "' AS parts (DATA_PATH '"
        + d.resolve("data") + "/')");
    String source = "SELECT i::INTEGER AS id, TIMESTAMP '2023-06-01' + INTERVAL (i * 30) DAY AS ts,"
        + " CASE WHEN i % 5 = 0 THEN NULL WHEN i % 2 = 0 THEN 'eu' ELSE 'us/x' END AS region FROM range(40) r(i)";
    duckdb.execute("CREATE TABLE parts.theirs AS " + source + " LIMIT 0");
    duckdb.execute("CREATE TABLE parts.mine AS " + source + " LIMIT 0");
    duckdb.execute("ALTER TABLE parts.theirs SET PARTITIONED BY (year(ts), region)");
    duckdb.execute("INSERT INTO parts.theirs " + source);
    List<List<Object>> rows = duckdb.query("SELECT id, epoch_us(ts), region FROM (" + source + ")").rows();
    duckdb.execute("DETACH parts");
    try (DuckLakeCatalog lake = DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + d.resolve("lake.sqlite"),
        Map.of()))) {
      Transaction t = new Transaction(lake);
      TableInfo mine = t.view().table("main", "mine").orElseThrow();
      assertThatThrownBy(() -> t.setPartitionedBy(mine, List.of("nope"), List.of("identity")))
          .isInstanceOf(UserException.class).hasMessageContaining("no such column");
      assertThatThrownBy(() -> t.setPartitionedBy(mine, List.of("region"), List.of("year")))
          .isInstanceOf(UserException.class).hasMessageContaining("not a date or timestamp");
      t.setPartitionedBy(mine, List.of("ts", "region"), List.of("year", "identity"));
      t.commit();
      Transaction insert = new Transaction(lake);
      TableAppender appender = new TableAppender(insert, insert.view().table("main", "mine").orElseThrow());
      for (List<Object> r : rows) {
        appender.add(new Object[] {((BigInteger) r.get(0)).longValue(), ((BigInteger) r.get(1)).longValue(),
            r.get(2)});
      }
      appender.finish();
      insert.commit();
    }
    duckdb.execute("ATTACH 'ducklake:sqlite:" + d.resolve("lake.sqlite") + "' AS parts (DATA_PATH '"
        + d.resolve("data") + "/')");
    try {
      String m = "__ducklake_metadata_parts.";
      String spec = "SELECT c.partition_key_index, c.column_id, c.transform FROM " + m + "ducklake_partition_column c"
          + " JOIN " + m + "ducklake_table t USING (table_id) WHERE t.table_name = '%s' ORDER BY 1";
      assertThat(duckdb.query(String.format(spec, "mine")).rows())
          .isEqualTo(duckdb.query(String.format(spec, "theirs")).rows());
      String files = "SELECT list(v.partition_value ORDER BY v.partition_key_index), f.record_count FROM " + m
          + "ducklake_data_file f JOIN " + m + "ducklake_table t USING (table_id) JOIN " + m
          + "ducklake_file_partition_value v USING (data_file_id) WHERE t.table_name = '%s' GROUP BY f.data_file_id,"
          + " f.record_count ORDER BY 1::VARCHAR";
      assertThat(duckdb.query(String.format(files, "mine")).rows())
          .containsExactlyInAnyOrderElementsOf(duckdb.query(String.format(files, "theirs")).rows());
      for (String where : List.of("", " WHERE region = 'eu'", " WHERE region IS NULL", " WHERE year(ts) = 2024",
          " WHERE ts >= TIMESTAMP '2025-01-01' AND region = 'us/x'")) {
        assertThat(duckdb.query("SELECT * FROM parts.mine" + where + " ORDER BY id").rows()).as(where)
            .isEqualTo(duckdb.query("SELECT * FROM parts.theirs" + where + " ORDER BY id").rows());
      }
    } finally {
      duckdb.execute("DETACH parts");
    }
  }
}
