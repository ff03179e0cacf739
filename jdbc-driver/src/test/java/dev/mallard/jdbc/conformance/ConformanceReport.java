package dev.mallard.jdbc.conformance;

import dev.mallard.jdbc.conformance.FileResult.Status;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The full replay's report: per status, per upstream directory, per failure reason, per file. */
final class ConformanceReport {
  private ConformanceReport() {}

  static String markdown(List<FileResult> results) {
    StringBuilder out = new StringBuilder("# Upstream conformance report\n\n");
    Map<Status, Long> totals = new EnumMap<>(Status.class);
    for (FileResult r : results) {
      totals.merge(r.status(), 1L, Long::sum);
    }
    out.append(results.size()).append(" files: ");
    out.append(totals.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    out.append("\n\n## Per directory\n\n| directory | files |");
    for (Status s : Status.values()) {
      out.append(' ').append(s).append(" |");
    }
    out.append("\n|---|---|").append("---|".repeat(Status.values().length)).append('\n');
    Map<String, List<FileResult>> byDir = results.stream()
        .collect(Collectors.groupingBy(FileResult::directory, TreeMap::new, Collectors.toList()));
    for (Map.Entry<String, List<FileResult>> d : byDir.entrySet()) {
      out.append("| ").append(d.getKey()).append(" | ").append(d.getValue().size()).append(" |");
      for (Status s : Status.values()) {
        out.append(' ').append(d.getValue().stream().filter(r -> r.status() == s).count()).append(" |");
      }
      out.append('\n');
    }
    for (Status s : List.of(Status.FAIL, Status.PASS_REFERENCE_DIVERGED, Status.REFERENCE_DIVERGED,
        Status.RUNNER_LIMIT, Status.NOT_APPLICABLE, Status.NOTHING_COMPARED)) {
      out.append("\n## Reasons: ").append(s).append("\n\n");
      Map<String, Long> reasons = results.stream().filter(r -> r.status() == s)
          .collect(Collectors.groupingBy(r -> reason(r.detail()), TreeMap::new, Collectors.counting()));
      reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> out.append("- ").append(e.getValue()).append(" × ").append(e.getKey()).append('\n'));
    }
    out.append("\n## Per file (first mismatch or reason)\n\n");
    for (FileResult r : results) {
      out.append("- `").append(r.file()).append("` ").append(r.status()).append(" (")
          .append(r.comparisons()).append(" comparisons, ").append(r.skippedQueries())
          .append(" queries Mallard does not take)");
      if (!r.detail().isEmpty()) {
        out.append("\n  ").append(r.detail().replace("\n", "\n  "));
      }
      out.append('\n');
    }
    return out.toString();
  }

  static String tsv(List<FileResult> results) {
    Function<String, String> flat = s -> s.replaceAll("[\t\n]+", " ");
    return "file\tstatus\tcomparisons\tskipped_queries\tdetail\n" + results.stream()
        .map(r -> r.file() + "\t" + r.status() + "\t" + r.comparisons() + "\t" + r.skippedQueries() + "\t"
            + flat.apply(r.detail()))
        .collect(Collectors.joining("\n")) + "\n";
  }

  /** A failure's detail with its particulars (line, names, numbers, SQL) taken out, to group alike ones. */
  static String reason(String detail) {
    String first = detail.lines().findFirst().orElse("").replaceFirst("^line \\d+: ", "")
        .replaceFirst("Error while executing SQL \".*?\": ", "").replaceFirst(" \\(cause .*", "");
    return first.replaceAll("\"[^\"]*\"", "\"…\"").replaceAll("'[^']*'", "'…'").replaceAll("\\d+", "N")
        .replaceAll("(DuckDB has|Mallard has) .*", "$1 …").replaceFirst("^(.{160}).+", "$1…");
  }
}
