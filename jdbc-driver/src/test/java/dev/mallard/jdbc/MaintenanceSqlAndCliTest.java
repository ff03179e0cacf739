package dev.mallard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.maintenance.cli.MaintenanceCli;
import dev.mallard.testing.DuckDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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

/** Maintenance through SQL ({@code CALL ducklake_...}) and through the jar's command line. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaintenanceSqlAndCliTest {
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

  /** A lake of 8 small files written by DuckDB, one with a deleted row; returns its JDBC URL. */
  private String lake(String name) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    duckdb.execute("ATTACH 'ducklake:sqlite:" + d.resolve("lake.sqlite") + "' AS " + name + " (DATA_PATH '"
        + d.resolve("data") + "/', DATA_INLINING_ROW_LIMIT 0)");
    duckdb.execute("CREATE TABLE " + name + ".t (id BIGINT, name VARCHAR)");
    for (int i = 0; i < 8; i++) {
      duckdb.execute("INSERT INTO " + name + ".t VALUES (" + i + ", 'v" + i + "')");
    }
    duckdb.execute("DELETE FROM " + name + ".t WHERE id = 7");
    duckdb.execute("DETACH " + name);
    return DuckLakeDriver.PREFIX + "sqlite:" + d.resolve("lake.sqlite") + "?data_path=" + d.resolve("data");
  }

  private static List<List<String>> rows(ResultSet rs) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        row.add(rs.getString(i));
      }
      out.add(row);
    }
    return out;
  }

  private static List<List<String>> query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rows(rs);
    }
  }

  @Test
  void callsTakePositionalAndNamedArgumentsAsInDuckDb() throws Exception {
    String url = lake("sql");
    try (Connection c = Mallard.connect(url)) {
      List<List<String>> expected = query(c, "SELECT id, name FROM t ORDER BY id");
      List<List<String>> dry = query(c, "CALL ducklake_merge_adjacent_files('sql', 't', dry_run => true)");
      assertThat(dry).containsExactly(List.of("main", "t", "7", "1"));
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
          "CALL ducklake_merge_adjacent_files('sql', 't', max_compacted_files => 100)")) {
        assertThat(rs.getMetaData().getColumnLabel(3)).isEqualTo("files_processed");
        assertThat(rows(rs)).containsExactly(List.of("main", "t", "7", "1"));
      }
      assertThat(query(c, "SELECT id, name FROM t ORDER BY id")).isEqualTo(expected);
      // Scheduled just now: not older than 7 days, so only cleanup_all deletes them.
      assertThat(query(c, "CALL ducklake_cleanup_old_files('sql', older_than => NOW() - INTERVAL '7' DAY)"))
          .isEmpty();
      assertThat(query(c, "CALL ducklake_cleanup_old_files('sql', cleanup_all => true, dry_run => true)"))
          .hasSize(7);
      assertThat(query(c, "call ducklake_cleanup_old_files(sql, cleanup_all := true)")).hasSize(7);
      List<List<String>> expired = query(c, "CALL ducklake_expire_snapshots('sql', versions => [1, 2, 3])");
      assertThat(expired).extracting(r -> r.get(0)).containsExactly("1", "2", "3");
      assertThat(query(c, "CALL ducklake_expire_snapshots('sql', older_than => TIMESTAMP '2000-01-01 00:00:00')"))
          .isEmpty();
      assertThat(query(c, "SELECT id, name FROM t ORDER BY id")).isEqualTo(expected);
      assertThatThrownBy(() -> query(c, "CALL ducklake_cleanup_old_files('sql', bogus => 1)"))
          .hasMessageContaining("no argument named 'bogus'");
      assertThatThrownBy(() -> query(c, "CALL ducklake_expire_snapshots('sql', versions => [1], older_than => NOW())"))
          .hasMessageContaining("only one of");
    }
    // DuckDB reads the maintained lake alike.
    Path d = dir.resolve("sql");
    duckdb.execute("ATTACH 'ducklake:sqlite:" + d.resolve("lake.sqlite") + "' AS sql (DATA_PATH '" + d.resolve("data")
        + "/')");
    try {
      assertThat(duckdb.query("SELECT count(*) FROM sql.t").scalar().toString()).isEqualTo("7");
    } finally {
      duckdb.execute("DETACH sql");
    }
  }

  @Test
  void checkpointStatementRunsEveryStepAsDuckDbsCheckpointDoes() throws Exception {
    String url = lake("ckpt");
    try (Connection c = Mallard.connect(url)) {
      List<List<String>> expected = query(c, "SELECT id, name FROM t ORDER BY id");
      // Files merged now are scheduled for deletion now: cleanup and orphans leave them (2 days by default).
      assertThat(query(c, "CHECKPOINT")).extracting(r -> r.get(0)).containsExactly("flush_inlined_data",
          "expire_snapshots", "merge_adjacent_files", "rewrite_data_files", "cleanup_old_files",
          "delete_orphaned_files");
      assertThat(query(c, "SELECT id, name FROM t ORDER BY id")).isEqualTo(expected);
      try (Statement s = c.createStatement()) {
        assertThat(s.execute("force checkpoint ckpt;")).isTrue();
        assertThat(rows(s.getResultSet())).extracting(r -> r.get(1)).containsOnly("0"); // nothing left to do
      }
      // A column or alias named checkpoint is still just a name.
      assertThat(query(c, "SELECT 1 AS checkpoint")).containsExactly(List.of("1"));
    }
    Path d = dir.resolve("ckpt");
    duckdb.execute("ATTACH 'ducklake:sqlite:" + d.resolve("lake.sqlite") + "' AS ckpt (DATA_PATH '"
        + d.resolve("data") + "/')");
    try {
      assertThat(duckdb.query("SELECT count(*) FROM __ducklake_metadata_ckpt.ducklake_data_file WHERE end_snapshot"
          + " IS NULL").scalar().toString()).isEqualTo("1"); // merged; the file whose one row was deleted is rewritten away
      assertThat(duckdb.query("SELECT count(*) FROM ckpt.t").scalar().toString()).isEqualTo("7");
    } finally {
      duckdb.execute("DETACH ckpt");
    }
  }

  @Test
  void commandLineRunsAnOperationWithAProgressBar() throws Exception {
    String url = lake("cli");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = MaintenanceCli.run(new String[] {"merge-adjacent-files", url, "--table", "t", "--dry-run"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("files_processed").containsPattern("main +\\| t ")
        .contains("(1 row)");
    out.reset();
    status = MaintenanceCli.run(new String[] {"checkpoint", url}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("merge_adjacent_files +\\| 7 ").contains("(6 rows)");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("checkpoint [").contains("] 6/6 steps");
    out.reset();
    err.reset();
    status = MaintenanceCli.run(new String[] {"expire-snapshots", url, "--older-than", "nonsense"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read the timestamp 'nonsense'");
    assertThat(MaintenanceCli.run(new String[] {"vacuum", url}, new PrintStream(out), new PrintStream(err)))
        .isEqualTo(2);
  }
}
