package dev.mallard.jdbc.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.testing.DuckDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table's digest changes with what its reads depend on, and only with that. */
class TableStatesTest {
  @TempDir Path dir;

  @Test
  void aDigestChangesWithTheTablesRowsAndFilesOnly() throws Exception {
    Path catalog = dir.resolve("lake.db");
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      duckdb.attachSqliteLake("lake", catalog, dir.resolve("files"));
      duckdb.execute("CALL lake.set_option('data_inlining_row_limit', 0)");
      duckdb.execute("CREATE TABLE t(i INTEGER)");
      duckdb.execute("CREATE TABLE u(i INTEGER)");
      duckdb.execute("INSERT INTO t VALUES (1)");
      duckdb.execute("INSERT INTO u VALUES (2)");
      long t = id(duckdb, "t");
      long u = id(duckdb, "u");
      Map<Long, String> first = TableStates.digests(catalog);
      assertThat(first).containsOnlyKeys(t, u);
      assertThat(TableStates.digests(catalog)).as("nothing changed").isEqualTo(first);

      duckdb.execute("INSERT INTO t VALUES (3)");
      Map<Long, String> second = TableStates.digests(catalog);
      assertThat(second.get(t)).as("t has a new file").isNotEqualTo(first.get(t));
      assertThat(second.get(u)).as("u is as it was, though the lake has a new snapshot").isEqualTo(first.get(u));

      Path uFile;
      try (Stream<Path> files = Files.walk(dir.resolve("files"))) {
        List<Path> parquet = files.filter(p -> p.toString().endsWith(".parquet")).toList();
        String uName = (String) duckdb.query("SELECT data_file FROM ducklake_list_files('lake', 'u')").scalar();
        uFile = parquet.stream().filter(p -> uName.endsWith(p.getFileName().toString())).findFirst().orElseThrow();
      }
      Files.write(uFile, new byte[] {0}, StandardOpenOption.APPEND);
      Map<Long, String> third = TableStates.digests(catalog);
      assertThat(third.get(u)).as("u's file was written to").isNotEqualTo(second.get(u));
      assertThat(third.get(t)).isEqualTo(second.get(t));

      Files.delete(uFile);
      assertThat(TableStates.digests(catalog)).as("u's file is gone: no digest, always compared")
          .containsOnlyKeys(t);
    }
  }

  private static long id(DuckDb duckdb, String table) {
    return Long.parseLong(duckdb.query("SELECT table_id FROM __ducklake_metadata_lake.ducklake_table"
        + " WHERE table_name = '" + table + "'").scalar().toString());
  }
}
