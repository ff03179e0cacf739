package dev.mallard.jdbc.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Replays upstream files outside JUnit and writes the report: {@code ConformanceMain [out dir]
 * [file prefix...]} replays every corpus file whose path (under {@code test/}) starts with one of
 * the prefixes, or all of them, printing one line per file (on {@link ParallelReplay#defaultWorkers()}
 * workers). The corpus is found as {@link ConformanceRunner#corpus()} says.
 */
public final class ConformanceMain {
  private ConformanceMain() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/conformance");
    List<String> prefixes = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("");
    Path corpus = ConformanceRunner.corpus();
    List<String> files = ConformanceRunner.allFiles(corpus).stream()
        .filter(file -> prefixes.stream().anyMatch(file::startsWith)).toList();
    List<FileResult> results = new ArrayList<>();
    long start = System.nanoTime();
    try (ParallelReplay replay = new ParallelReplay(corpus, ParallelReplay.defaultWorkers())) {
      List<CompletableFuture<FileResult>> pending = files.stream().map(replay::submit).toList();
      for (CompletableFuture<FileResult> future : pending) {
        FileResult r = future.join();
        results.add(r);
        System.out.printf("%-10s %5d ms %s %s%n", r.status(), replay.millis(r.file()), r.file(),
            r.detail().lines().findFirst().orElse(""));
      }
    }
    System.out.printf("%d files in %d s%n", files.size(), (System.nanoTime() - start) / 1_000_000_000);
    Files.createDirectories(out);
    Files.writeString(out.resolve("report.md"), ConformanceReport.markdown(results));
    Files.writeString(out.resolve("results.tsv"), ConformanceReport.tsv(results));
    System.out.println("Report: " + out.resolve("report.md").toAbsolutePath());
    System.exit(0); // DuckDB's reader threads are daemons, but Calcite's caches may hold others
  }
}
