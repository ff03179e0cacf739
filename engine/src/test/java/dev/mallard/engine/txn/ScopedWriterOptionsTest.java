package dev.mallard.engine.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.testing.DuckDb;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inserts honour the writer options DuckDB's {@code set_option} scopes to a table or a schema, the
 * table's value over its schema's over the lake's, as DuckDB's own inserts do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScopedWriterOptionsTest {
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

  private void attach(Path d) {
    duckdb.execute("ATTACH 'ducklake:sqlite:" + d.resolve("lake.sqlite") + "' AS opts (DATA_PATH '"
        + d.resolve("data") + "/')");
  }

  private static void insert(DuckLakeCatalog lake, String schema, String table, int rows) {
    Transaction t = new Transaction(lake);
    TableAppender appender = new TableAppender(t, t.view().table(schema, table).orElseThrow());
    for (int i = 0; i < rows; i++) {
      appender.add(new Object[] {(long) i, "value number " + i});
    }
    appender.finish();
    t.commit();
  }

  private List<List<Object>> files(String schema, String table) {
    return duckdb.query("SELECT data_file FROM ducklake_list_files('opts', '" + table + "', schema => '" + schema
        + "') ORDER BY 1").rows();
  }

  /** The codecs and row-group sizes of a table's files, as DuckDB's parquet_metadata reads them. */
  private List<List<Object>> layout(String schema, String table) {
    String paths = String.join(", ", files(schema, table).stream().map(r -> "'" + r.get(0) + "'").toList());
    return duckdb.query("SELECT DISTINCT compression, row_group_num_rows FROM parquet_metadata([" + paths + "])"
        + " ORDER BY ALL").rows();
  }

  @Test
  void tableOptionsWinOverSchemaOptionsOverLakeOptions() throws Exception {
    Path d = Files.createDirectories(dir.resolve("scoped"));
    attach(d);
    duckdb.execute("CREATE SCHEMA opts.s");
    for (String table : List.of("opts.s.t", "opts.s.u", "opts.main.v", "opts.main.w")) {
      duckdb.execute("CREATE TABLE " + table + " (a BIGINT, b VARCHAR)");
    }
    duckdb.execute("CALL opts.set_option('data_inlining_row_limit', '100')");
    duckdb.execute("CALL opts.set_option('parquet_row_group_size', '3000')");
    duckdb.execute("CALL opts.set_option('data_inlining_row_limit', '0', schema => 's')");
    duckdb.execute("CALL opts.set_option('parquet_compression', 'zstd', schema => 's')");
    duckdb.execute("CALL opts.set_option('parquet_compression', 'gzip', schema => 's', table_name => 't')");
    duckdb.execute("CALL opts.set_option('parquet_row_group_size', '1000', schema => 's', table_name => 't')");
    duckdb.execute("CALL opts.set_option('target_file_size', '6KB', schema => 's', table_name => 't')");
    duckdb.execute("CALL opts.set_option('data_inlining_row_limit', '0', table_name => 'w')");
    duckdb.execute("DETACH opts");
    try (DuckLakeCatalog lake = DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + d.resolve("lake.sqlite"),
        Map.of()))) {
      insert(lake, "s", "t", 6000);
      insert(lake, "s", "u", 20);
      insert(lake, "main", "v", 6000);
      insert(lake, "main", "v", 20);
      insert(lake, "main", "w", 20);
    }
    attach(d);
    try {
      // s.t: its own codec, row groups and file size.
      assertThat(files("s", "t").size()).isGreaterThan(1);
      assertThat(layout("s", "t")).extracting(r -> r.get(0)).containsOnly("GZIP");
      assertThat(layout("s", "t")).extracting(r -> ((BigInteger) r.get(1)).longValue())
          .allMatch(n -> n <= 1000).contains(1000L);
      // s.u: the schema's codec, not inlined (the schema's limit 0), the lake's row groups.
      assertThat(files("s", "u")).hasSize(1);
      assertThat(layout("s", "u")).containsExactly(List.of("ZSTD", BigInteger.valueOf(20)));
      // main.v: the lake's options: 20 rows inlined, 6000 in one file of row groups of 3000.
      assertThat(files("main", "v")).hasSize(1);
      assertThat(layout("main", "v")).containsExactly(List.of("SNAPPY", BigInteger.valueOf(3000)));
      // main.w: its own inlining limit.
      assertThat(files("main", "w")).hasSize(1);
      assertThat(duckdb.query("SELECT count(*), count(DISTINCT a) FROM opts.s.t").rows())
          .containsExactly(List.of(BigInteger.valueOf(6000), BigInteger.valueOf(6000)));
      assertThat(duckdb.query("SELECT count(*) FROM opts.s.u").scalar()).isEqualTo(BigInteger.valueOf(20));
      assertThat(duckdb.query("SELECT count(*) FROM opts.main.v").scalar()).isEqualTo(BigInteger.valueOf(6020));
      assertThat(duckdb.query("SELECT sum(a) FROM opts.main.w").scalar()).isEqualTo(BigInteger.valueOf(190));
    } finally {
      duckdb.execute("DETACH opts");
    }
  }

  /** The inlined data tables the catalog registers for a table (none: its inserts are never inlined). */
  private List<List<Object>> inlinedTables(String table) {
    return duckdb.query("SELECT count(*) FROM __ducklake_metadata_opts.ducklake_inlined_data_tables i"
        + " JOIN __ducklake_metadata_opts.ducklake_table t USING (table_id) WHERE t.table_name = '" + table + "'").rows();
  }

  /**
   * CREATE TABLE gives a table an inlined data table by the inlining limit that applies to it (its
   * schema's over the lake's), as DuckDB does; its inserts then go where DuckDB's go.
   */
  @Test
  void newTablesAreInlinedByTheirSchemasLimit() throws Exception {
    Path d = Files.createDirectories(dir.resolve("created"));
    attach(d);
    duckdb.execute("CREATE SCHEMA opts.never");
    duckdb.execute("CREATE SCHEMA opts.some");
    duckdb.execute("CALL opts.set_option('data_inlining_row_limit', '0')");
    duckdb.execute("CALL opts.set_option('data_inlining_row_limit', '0', schema => 'never')");
    duckdb.execute("CALL opts.set_option('data_inlining_row_limit', '50', schema => 'some')");
    for (String schema : List.of("never", "some", "main")) {
      duckdb.execute("CREATE TABLE opts." + schema + ".twin (a BIGINT, b VARCHAR)");
      duckdb.execute("INSERT INTO opts." + schema + ".twin SELECT i, 'value number ' || i FROM range(20) t(i)");
    }
    duckdb.execute("DETACH opts");
    try (DuckLakeCatalog lake = DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + d.resolve("lake.sqlite"),
        Map.of()))) {
      for (String schema : List.of("never", "some", "main")) {
        Transaction t = new Transaction(lake);
        t.createTable(schema, "t", List.of(NewColumn.of("a", dev.mallard.engine.types.DuckLakeType.parse("int64"),
            true, null), NewColumn.of("b", dev.mallard.engine.types.DuckLakeType.parse("varchar"), true, null)), false);
        t.commit();
        insert(lake, schema, "t", 20);
      }
    }
    attach(d);
    try {
      for (String schema : List.of("never", "some", "main")) {
        assertThat(files(schema, "t")).as(schema).hasSameSizeAs(files(schema, "twin"));
        assertThat(duckdb.query("SELECT * FROM opts." + schema + ".t ORDER BY a").rows()).as(schema)
            .isEqualTo(duckdb.query("SELECT * FROM opts." + schema + ".twin ORDER BY a").rows());
      }
      // Three twins and three tables: only the two in schema some have an inlined data table.
      assertThat(duckdb.query("SELECT count(*) FROM __ducklake_metadata_opts.ducklake_inlined_data_tables").scalar())
          .isEqualTo(BigInteger.TWO);
      assertThat(files("some", "t")).isEmpty();
      assertThat(files("never", "t")).hasSize(1);
    } finally {
      duckdb.execute("DETACH opts");
    }
  }
}
