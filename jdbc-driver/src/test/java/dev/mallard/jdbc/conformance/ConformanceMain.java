package dev.mallard.jdbc.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays upstream files outside JUnit and writes the report: {@code ConformanceMain [out dir]
 * [file prefix...]} replays every corpus file whose path (under {@code test/}) starts with one of
 * the prefixes, or all of them, printing one line per file. The corpus is found as
 * {@link ConformanceRunner#corpus()} says.
 */
public final class ConformanceMain {
  private ConformanceMain() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/conformance");
    List<String> prefixes = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("");
    Path corpus = ConformanceRunner.corpus();
    Path scratch = Files.createTempDirectory("mallard-conformance");
    List<FileResult> results = new ArrayList<>();
    try (ConformanceRunner runner = new ConformanceRunner(corpus, scratch)) {
      for (String file : ConformanceRunner.allFiles(corpus)) {
        if (prefixes.stream().anyMatch(file::startsWith)) {
          long start = System.nanoTime();
          FileResult r = runner.run(file);
          results.add(r);
          System.out.printf("%-10s %5d ms %s %s%n", r.status(), (System.nanoTime() - start) / 1_000_000, file,
              r.detail().lines().findFirst().orElse(""));
        }
      }
    }
    Files.deleteIfExists(scratch);
    Files.createDirectories(out);
    Files.writeString(out.resolve("report.md"), ConformanceReport.markdown(results));
    Files.writeString(out.resolve("results.tsv"), ConformanceReport.tsv(results));
    System.out.println("Report: " + out.resolve("report.md").toAbsolutePath());
    System.exit(0); // DuckDB's reader threads are daemons, but Calcite's caches may hold others
  }
}
