package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.txn.NewColumn;
import dev.mallard.engine.txn.Transaction;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.PostgresServer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVM processes, each with its own connection pool, insert at once through one catalog
 * (PostgreSQL, SQLite) into one table with shared local storage: every row lands once, every commit is its own
 * snapshot, and DuckDB 1.5.5 reads the same rows.
 */
class MultiProcessWriteTest {
  private static final int WORKERS = 4;
  private static final int INSERTS_PER_WORKER = 15;

  @TempDir Path dir;

  @Test
  void fourWriterProcessesThroughOnePostgresCatalogLoseNothing() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    String db = pg.createDatabase("workers");
    String url = "postgresql://" + pg.host() + ":" + pg.port() + "/" + db + "?user=" + pg.user()
        + "&data_path=" + dir.resolve("data") + "/";
    writeFromProcesses(url, Map.of("password", pg.password()), Map.of("PGPASSWORD", pg.password()),
        INSERTS_PER_WORKER, "ATTACH 'ducklake:postgres:" + pg.libpq(db) + "' AS lake");
  }

  /** Issue 3's acceptance: 4 processes x 250 single-row commits into one SQLite catalog. */
  @Test
  void fourWriterProcessesThroughOneSqliteCatalogLoseNothing() throws Exception {
    Path catalog = dir.resolve("lake.sqlite");
    String url = "sqlite:" + catalog + "?data_path=" + dir.resolve("data") + "/";
    writeFromProcesses(url, Map.of(), Map.of(), 250, "ATTACH 'ducklake:sqlite:" + catalog + "' AS lake");
  }

  private void writeFromProcesses(String url, Map<String, String> login, Map<String, String> environment,
      int insertsPerWorker, String duckDbAttach) throws Exception {
    try (DuckLakeCatalog catalog = DuckLakeCatalog.open(CatalogConfig.parse(url + "&create=true", login))) {
      Transaction t = new Transaction(catalog);
      t.createTable("main", "t", List.of(NewColumn.of("worker", DuckLakeType.parse("int32"), true, null),
          NewColumn.of("n", DuckLakeType.parse("int32"), true, null),
          NewColumn.of("label", DuckLakeType.parse("varchar"), true, null)), false);
      t.commit();
    }

    List<Process> processes = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), InsertWorker.class.getName(), url, Integer.toString(w),
          Integer.toString(insertsPerWorker));
      pb.environment().putAll(environment);
      pb.redirectErrorStream(true);
      processes.add(pb.start());
    }
    for (Process p : processes) {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as(output).isZero();
      assertThat(output.lines().filter(l -> l.matches("\\d+")).count()).as(output).isEqualTo(insertsPerWorker);
    }

    int total = WORKERS * insertsPerWorker;
    String password = login.containsKey("password") ? "&password=" + login.get("password") : "";
    try (Connection c = Mallard.connect(url + password); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT worker * 1000 + n) FROM t")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(total);
      assertThat(rs.getLong(2)).isEqualTo(total);
    }
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
        Connection c = Mallard.connect(url + password)) {
      duckdb.execute(duckDbAttach);
      duckdb.execute("USE lake");
      String sql = "SELECT worker, n, label FROM t ORDER BY worker, n";
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        assertSameRows(duckdb.query(sql), rs, true);
      }
      // Creation, the table, then one snapshot per insert, numbered without gaps.
      assertThat(duckdb.query("SELECT count(*), max(snapshot_id) FROM snapshots()").rows().get(0))
          .containsExactly(BigInteger.valueOf(total + 2), BigInteger.valueOf(total + 1));
      // Row ids were handed out once each across the processes.
      assertThat(duckdb.query("SELECT count(DISTINCT rowid) FROM t").scalar()).isEqualTo(BigInteger.valueOf(total));
    }
  }
}
