package dev.mallard.jdbc.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.jdbc.conformance.FileResult.Status;
import dev.mallard.testing.DuckDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner and the ratchet on small files of its own: a mismatch fails a listed file, and a
 * replay goes on from DuckDB's actual lake where DuckDB 1.5.5 does not do what a file expects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceRunnerTest {
  private static final String LAKE = """
      # name: test/sql/x.test
      require ducklake

      statement ok
      ATTACH 'ducklake:${DUCKLAKE_CONNECTION}' AS lake (DATA_PATH '${TEST_DIR}/files/')

      statement ok
      CREATE TABLE lake.t(i INTEGER, s VARCHAR)

      statement ok
      INSERT INTO lake.t VALUES (7, 'seven'), (8, 'eight')

      """;

  /** After {@link #LAKE}: a query Mallard answers differently from DuckDB (2 where DuckDB says 1). */
  private static final String INTERVALS_OF_ONE_LENGTH = """
      statement ok
      CREATE TABLE lake.iv(x INTERVAL)

      statement ok
      INSERT INTO lake.iv VALUES (INTERVAL 1 MONTH), (INTERVAL 30 DAY)

      query I
      SELECT count(DISTINCT x) FROM lake.iv
      ----
      1
      """;

  @TempDir static Path corpus;
  @TempDir static Path scratch;
  private ConformanceRunner runner;

  @BeforeAll
  void start() throws IOException {
    Files.createDirectories(corpus.resolve("test/sql"));
    runner = new ConformanceRunner(corpus, scratch);
  }

  @AfterAll
  void stop() {
    runner.close();
  }

  private FileResult replay(String name, String text) throws IOException {
    Files.writeString(corpus.resolve("test/sql").resolve(name), text);
    return runner.run("sql/" + name);
  }

  @Test
  void aFileWhoseStatesAndQueriesAgreePasses() throws IOException {
    FileResult r = replay("agrees.test", LAKE + """
        query I
        SELECT i FROM lake.t WHERE s = 'eight'
        ----
        8
        """);
    assertThat(r.status()).as(r.detail()).isEqualTo(Status.PASS);
    assertThat(r.comparisons()).isEqualTo(3); // the lake after CREATE, after INSERT, and the query
    assertThat(r.divergence()).isNull();
    assertThat(UpstreamConformanceTest.regression(List.of(r.file()), r)).isNull();
  }

  @Test
  void aTableNothingChangedForIsNotReadAgain() throws IOException {
    FileResult r = replay("unchanged.test", LAKE + """
        statement ok
        CREATE TABLE lake.u(i INTEGER)

        statement ok
        INSERT INTO lake.u VALUES (1)

        statement ok
        INSERT INTO lake.t VALUES (9, 'nine')
        """);
    assertThat(r.status()).as(r.detail()).isEqualTo(Status.PASS);
    // t after CREATE and INSERT; then u after CREATE and INSERT (t unchanged twice); then t (u unchanged)
    assertThat(r.comparisons()).isEqualTo(5);
    assertThat(r.unchangedTables()).isEqualTo(3);
  }

  @Test
  void aDuckDbFileCatalogIsReplayedOnASqliteCopyUnderTheDataPathDuckDbReads() throws IOException {
    Path catalog = scratch.resolve("existing.ducklake");
    Path written = scratch.resolve("written");
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      duckdb.execute("ATTACH 'ducklake:" + catalog + "' AS lake (DATA_PATH '" + written + "/')");
      duckdb.execute("CREATE TABLE lake.t(i INTEGER)");
      duckdb.execute("INSERT INTO lake.t SELECT range FROM range(100)");
    }
    Path moved = Files.move(written, scratch.resolve("moved"));
    byte[] before = Files.readAllBytes(catalog);
    FileResult r = replay("duckdb_file.test", """
        require ducklake

        statement ok
        ATTACH 'ducklake:%s' AS lake (DATA_PATH '%s/', OVERRIDE_DATA_PATH TRUE)

        statement ok
        INSERT INTO lake.t VALUES (100)

        query I
        SELECT count(*) FROM lake.t
        ----
        101
        """.formatted(catalog, moved));
    assertThat(r.status()).as(r.detail()).isEqualTo(Status.PASS);
    assertThat(r.comparisons()).as("the table as attached, after the INSERT, and the query").isEqualTo(3);
    assertThat(Files.readAllBytes(catalog)).as("the DuckDB file itself is never written").isEqualTo(before);
  }

  @Test
  void aMismatchFailsTheFileAndTheRatchet() throws IOException {
    // DuckDB compares intervals by their length (1 month = 30 days); Mallard reads them as text.
    FileResult r = replay("mismatch.test", LAKE + INTERVALS_OF_ONE_LENGTH);
    assertThat(r.status()).as(r.detail()).isEqualTo(Status.FAIL);
    assertThat(r.detail()).startsWith("line 19: query result differs");
    assertThat(UpstreamConformanceTest.regression(List.of(r.file()), r))
        .startsWith("sql/mismatch.test regressed: FAIL");
    assertThat(UpstreamConformanceTest.regression(List.of("sql/other.test"), r)).as("not listed").isNull();
  }

  @Test
  void aReplayGoesOnFromDuckDbsLakeWhereDuckDbDivergesFromTheFile() throws IOException {
    FileResult r = replay("diverges.test", LAKE + """
        statement ok
        INSERT INTO lake.t VALUES (9, no_such_function())

        statement error
        INSERT INTO lake.t VALUES (10, 'ten')
        ----

        query I
        SELECT count(*) FROM lake.t
        ----
        2
        """);
    assertThat(r.status()).as(r.detail()).isEqualTo(Status.PASS_REFERENCE_DIVERGED);
    assertThat(r.divergence()).startsWith("line 13: DuckDB 1.5.5 failed a statement the file expects to succeed")
        .contains("(DuckDB diverged 2 times in all)");
    assertThat(r.comparisons()).as("states after CREATE, INSERT, the accepted INSERT, and the query").isEqualTo(4);
    assertThat(UpstreamConformanceTest.regression(List.of(r.file()), r)).isNull();
  }

  @Test
  void twoWorkersReplayFilesAtOnceAndAnswerInTheirOrder() throws IOException {
    Files.writeString(corpus.resolve("test/sql/w1.test"), LAKE);
    Files.writeString(corpus.resolve("test/sql/w2.test_slow"), LAKE + INTERVALS_OF_ONE_LENGTH);
    Files.writeString(corpus.resolve("test/sql/w3.test"), "statement ok\nSELECT 1\n");
    try (ParallelReplay replay = new ParallelReplay(corpus, 2)) {
      List<FileResult> results = replay.submitAll(List.of("sql/w1.test", "sql/w2.test_slow", "sql/w3.test"))
          .stream().map(java.util.concurrent.CompletableFuture::join).toList();
      assertThat(results).extracting(FileResult::file).containsExactly("sql/w1.test", "sql/w2.test_slow", "sql/w3.test");
      assertThat(results).extracting(FileResult::status)
          .containsExactly(Status.PASS, Status.FAIL, Status.NOTHING_COMPARED);
    }
  }

  @Test
  void aDivergenceBeforeAnyLakeLeavesNothingCompared() throws IOException {
    FileResult r = replay("nothing.test", """
        statement ok
        SELECT no_such_function()
        """);
    assertThat(r.status()).as(r.detail()).isEqualTo(Status.REFERENCE_DIVERGED);
    assertThat(r.comparisons()).isZero();
    assertThat(UpstreamConformanceTest.regression(List.of(r.file()), r)).startsWith("sql/nothing.test regressed");
  }
}
