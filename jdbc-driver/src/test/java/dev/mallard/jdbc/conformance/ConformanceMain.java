package dev.mallard.jdbc.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Replays upstream files outside JUnit and writes the report: {@code ConformanceMain [out dir]
 * [file prefix...]} replays every corpus file whose path (under {@code test/}) starts with one of
 * the prefixes, or all of them, printing one line per file as it ends (on
 * {@link ParallelReplay#defaultWorkers()} workers); {@code -Dmallard.conformance.skip=<file>} leaves
 * out the files listed in that file, e.g. those an interrupted run printed. The corpus is found as {@link ConformanceRunner#corpus()} says.
 */
public final class ConformanceMain {
  private ConformanceMain() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/conformance");
    List<String> prefixes = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("");
    Path corpus = ConformanceRunner.corpus();
    Set<String> done = new HashSet<>();
    String skip = System.getProperty("mallard.conformance.skip");
    if (skip != null) { // files an earlier, interrupted run already replayed
      Files.readAllLines(Path.of(skip)).stream().map(String::strip).forEach(done::add);
    }
    List<String> files = ConformanceRunner.allFiles(corpus).stream()
        .filter(file -> prefixes.stream().anyMatch(file::startsWith) && !done.contains(file)).toList();
    List<FileResult> results = new ArrayList<>();
    long start = System.nanoTime();
    try (ParallelReplay replay = new ParallelReplay(corpus, ParallelReplay.defaultWorkers())) {
      List<CompletableFuture<FileResult>> pending = replay.submitAll(files).stream()
          .map(f -> f.thenApply(r -> { // printed as each ends, so a long file holds back no other
            synchronized (results) {
              results.add(r);
              System.out.printf("%-10s %5d ms %4d compared %4d unchanged %s %s%n", r.status(),
                  replay.millis(r.file()), r.comparisons(), r.unchangedTables(), r.file(),
                  r.detail().lines().findFirst().orElse(""));
            }
            return r;
          })).toList();
      pending.forEach(CompletableFuture::join);
    }
    results.sort(Comparator.comparing(FileResult::file));
    System.out.printf("%d files in %d s%n", files.size(), (System.nanoTime() - start) / 1_000_000_000);
    Files.createDirectories(out);
    Files.writeString(out.resolve("report.md"), ConformanceReport.markdown(results));
    Files.writeString(out.resolve("results.tsv"), ConformanceReport.tsv(results));
    System.out.println("Report: " + out.resolve("report.md").toAbsolutePath());
    System.exit(0); // DuckDB's reader threads are daemons, but Calcite's caches may hold others
  }
}
