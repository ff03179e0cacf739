package dev.mallard.jdbc.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The upstream conformance ratchet: every file listed in {@code conformance/ratchet.txt} must replay
 * with zero mismatches between DuckDB 1.5.5 and Mallard (see {@link ConformanceRunner}).
 *
 * <p>With {@code -Dmallard.conformance.all=true} it replays the whole corpus instead and writes
 * {@code target/conformance/report.md} and {@code results.tsv}; then only ratchet files can fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamConformanceTest {
  private ParallelReplay replay;
  private final List<CompletableFuture<FileResult>> results = new ArrayList<>();

  @BeforeAll
  void start() {
    replay = new ParallelReplay(ConformanceRunner.corpus(), ParallelReplay.defaultWorkers());
  }

  @AfterAll
  void stop() throws IOException {
    replay.close();
    if (all()) {
      Path out = Path.of("target", "conformance");
      Files.createDirectories(out);
      List<FileResult> done = results.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally())
          .map(CompletableFuture::join).toList();
      Files.writeString(out.resolve("report.md"), ConformanceReport.markdown(done));
      Files.writeString(out.resolve("results.tsv"), ConformanceReport.tsv(done));
    }
  }

  @TestFactory
  Stream<DynamicTest> ratchetFilesReplayWithoutMismatch() throws IOException {
    List<String> ratchet = ratchet();
    assertThat(ratchet).as("the ratchet lists files").isNotEmpty();
    List<String> corpusFiles = ConformanceRunner.allFiles(ConformanceRunner.corpus());
    assertThat(corpusFiles).as("every ratchet file is in the corpus").containsAll(ratchet);
    List<String> files = all() ? corpusFiles : ratchet;
    results.addAll(replay.submitAll(files));
    return IntStream.range(0, files.size()).mapToObj(i -> DynamicTest.dynamicTest(files.get(i), () -> {
      String regression = regression(ratchet, results.get(i).join());
      if (regression != null) {
        fail(regression);
      }
    }));
  }

  /** Why a replayed file fails the ratchet, or null: a listed file must replay with no mismatch. */
  static String regression(List<String> ratchet, FileResult result) {
    if (!ratchet.contains(result.file()) || result.status().passes()) {
      return null;
    }
    return result.file() + " regressed: " + result.status() + "\n" + result.detail();
  }

  private static boolean all() {
    return Boolean.getBoolean("mallard.conformance.all");
  }

  static List<String> ratchet() throws IOException {
    try (InputStream in = UpstreamConformanceTest.class.getResourceAsStream("/conformance/ratchet.txt")) {
      assertThat(in).as("conformance/ratchet.txt on the test class path").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
  }
}
