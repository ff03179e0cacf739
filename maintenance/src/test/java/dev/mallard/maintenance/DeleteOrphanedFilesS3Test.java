package dev.mallard.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.storage.FileIO;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.S3Server;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code delete_orphaned_files} on an {@code s3://} data path (S3Proxy): the data path's prefix is
 * listed through the lake's storage; only unreferenced files older than {@code older_than} go.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeleteOrphanedFilesS3Test {
  @TempDir Path dir;
  private DuckDb duckdb;
  private final S3Server s3 = S3Server.shared();

  @BeforeAll
  void start() {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    duckdb.execute(s3.duckDbSecret("orphans_s3"));
  }

  @AfterAll
  void stop() {
    duckdb.close();
  }

  @Test
  void deletesOnlyUnreferencedFilesOlderThanTheCutoff() throws Exception {
    String bucket = s3.createBucket("orphans");
    String dataPath = "s3://" + bucket + "/lake/";
    Path catalogFile = dir.resolve("lake.sqlite");
    duck(catalogFile, dataPath, "CREATE TABLE t (id BIGINT, name VARCHAR)",
        "INSERT INTO t VALUES (1, 'a')", "INSERT INTO t VALUES (2, 'b')", "INSERT INTO t VALUES (3, 'c')",
        "DELETE FROM t WHERE id = 2");
    String url = "sqlite:" + catalogFile + "?data_path=" + dataPath + "&" + s3.mallardOptions();
    try (DuckLakeCatalog catalog = DuckLakeCatalog.open(CatalogConfig.parse(url, Map.of()))) {
      // Merged files' sources are scheduled for deletion: known to the catalog, so not orphans.
      assertThat(Maintenance.of(catalog).mergeAdjacentFiles().commit()).isNotEmpty();
      FileIO io = catalog.fileIO();
      String old = dataPath + "main/t/ducklake-crashed-writer.parquet";
      String oldDeep = dataPath + "main/t/year=2024/ducklake-crashed-too.parquet";
      String notData = dataPath + "main/t/notes.txt";
      write(io, old);
      write(io, oldDeep);
      write(io, notData);
      Thread.sleep(1_500); // object times have whole seconds
      Instant cutoff = Instant.now();
      Thread.sleep(1_500);
      String inFlight = dataPath + "main/t/ducklake-in-flight.parquet";
      write(io, inFlight);
      Set<String> referenced = referenced(catalogFile, dataPath);
      assertThat(referenced).hasSizeGreaterThan(3);
      Set<String> before = listed(io, dataPath);
      assertThat(before).containsAll(referenced).contains(old, oldDeep, notData, inFlight);

      List<String> planned = Maintenance.of(catalog).deleteOrphanedFiles().olderThan(cutoff).dryRun(true).commit();
      assertThat(planned).containsExactly(old, oldDeep); // sorted
      assertThat(listed(io, dataPath)).isEqualTo(before);

      List<ProgressListener.Progress> progress = new java.util.ArrayList<>();
      List<String> deleted = Maintenance.of(catalog).deleteOrphanedFiles().olderThan(cutoff)
          .progress(progress::add).commit();
      assertThat(deleted).isEqualTo(planned);
      assertThat(progress).hasSize(2);
      Set<String> after = listed(io, dataPath);
      Set<String> expected = new TreeSet<>(before);
      expected.removeAll(planned);
      assertThat(after).isEqualTo(expected).containsAll(referenced).contains(inFlight, notData);

      // Everything older, the in-flight file too once it is old enough; referenced files stay.
      assertThat(Maintenance.of(catalog).deleteOrphanedFiles().cleanupAll(true).commit()).containsExactly(inFlight);
      assertThat(listed(io, dataPath)).containsAll(referenced);
    }
    // DuckDB still reads the lake, at every snapshot.
    assertThat(duckQuery(catalogFile, dataPath, "SELECT id || name FROM t ORDER BY id").rows())
        .isEqualTo(List.of(List.of("1a"), List.of("3c")));
    assertThat(((Number) duckQuery(catalogFile, dataPath, "SELECT count(*) FROM t AT (VERSION => 3)").scalar())
        .longValue()).isEqualTo(2);
  }

  private static void write(FileIO io, String location) {
    try (OutputStream out = io.newOutputFile(location).create(0)) {
      out.write(new byte[] {'P', 'A', 'R', '1'});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> listed(FileIO io, String prefix) {
    return io.list(prefix).stream().map(FileIO.Listed::location).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Data and delete files of any snapshot and files scheduled for deletion, as DuckDB lists them. */
  private Set<String> referenced(Path catalogFile, String dataPath) {
    Set<String> out = new TreeSet<>();
    for (List<Object> row : duckQuery(catalogFile, dataPath, "SELECT '" + dataPath + "main/t/' || path FROM"
        + " __ducklake_metadata_lake.ducklake_data_file UNION ALL SELECT '" + dataPath + "main/t/' || path FROM"
        + " __ducklake_metadata_lake.ducklake_delete_file UNION ALL SELECT '" + dataPath + "' || path FROM"
        + " __ducklake_metadata_lake.ducklake_files_scheduled_for_deletion").rows()) {
      out.add((String) row.get(0));
    }
    return out;
  }

  private void duck(Path catalogFile, String dataPath, String... statements) {
    duckdb.execute("ATTACH 'ducklake:sqlite:" + catalogFile + "' AS lake (DATA_PATH '" + dataPath + "',"
        + " DATA_INLINING_ROW_LIMIT 0)");
    duckdb.execute("USE lake");
    try {
      for (String s : statements) {
        duckdb.execute(s);
      }
    } finally {
      duckdb.execute("USE memory");
      duckdb.execute("DETACH lake");
    }
  }

  private DuckDb.Result duckQuery(Path catalogFile, String dataPath, String sql) {
    duckdb.execute("ATTACH 'ducklake:sqlite:" + catalogFile + "' AS lake (DATA_PATH '" + dataPath + "')");
    duckdb.execute("USE lake");
    try {
      return duckdb.query(sql);
    } finally {
      duckdb.execute("USE memory");
      duckdb.execute("DETACH lake");
    }
  }
}
