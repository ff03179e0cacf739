package dev.mallard.benchmarks.tpch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mallard.testing.DuckDb;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times queries (TPC-H, small files, the point query) in DuckDB 1.5.5 with ducklake, in its own
 * Python process (duckdb_bench.py, with the venv that {@link DuckDb#start} installs), so the
 * timings are DuckDB's own and nothing of the pipe to the JVM is counted.
 */
public final class DuckDbTimer {
  private DuckDbTimer() {}

  /** Where Mallard's machine-wide caches live: {@code $MALLARD_CACHE}, else {@code ~/.cache/mallard}. */
  static Path cacheRoot() {
    String configured = System.getenv("MALLARD_CACHE");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"), ".cache", "mallard");
  }

  /**
   * Runs each query (name to SQL text) {@code warmup} times untimed then {@code repetitions} times
   * timed on {@code threads} threads against the lake of {@code catalog} (a SQLite file), in order.
   */
  static Map<String, Timings> time(Path catalog, int threads, int warmup, int repetitions, Map<String, String> queries,
      Path workDir) throws IOException, InterruptedException {
    Map<Path, String> names = new LinkedHashMap<>();
    List<String> command = command(workDir, "queries", catalog.toString(), Integer.toString(threads),
        Integer.toString(warmup), Integer.toString(repetitions));
    for (Map.Entry<String, String> q : queries.entrySet()) {
      Path file = workDir.resolve(q.getKey() + ".sql");
      Files.writeString(file, q.getValue());
      names.put(file, q.getKey());
      command.add(file.toString());
    }
    String output = run(command);
    Map<String, Timings> result = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : output.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = json.readTree(line);
      String name = names.get(Path.of(node.get("file").asText()));
      if (node.has("error")) {
        result.put(name, Timings.failed(node.get("error").asText()));
      } else {
        long[] nanos = new long[node.get("nanos").size()];
        for (int i = 0; i < nanos.length; i++) {
          nanos[i] = node.get("nanos").get(i).asLong();
        }
        result.put(name, Timings.of(nanos, node.get("rows").asLong()));
      }
    }
    return result;
  }

  /**
   * The median latency, in µs, of DuckDB running {@code SELECT name, amount FROM points WHERE id = $1}
   * as one prepared query {@code warmup + iterations} times with ids drawn below {@code rows} from
   * {@code seed}, and the rows it fetched in all.
   */
  public static long[] pointQuery(Path catalog, int warmup, int iterations, long seed, int rows, Path workDir)
      throws IOException, InterruptedException {
    String output = run(command(workDir, "point", catalog.toString(), Integer.toString(warmup),
        Integer.toString(iterations), Long.toString(seed), Integer.toString(rows)));
    Matcher m = Pattern.compile("median_us=(\\d+) rows=(\\d+)").matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("duckdb_bench.py printed no median:\n" + output);
    }
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
  }

  private static List<String> command(Path workDir, String... arguments) throws IOException {
    Path script = workDir.resolve("duckdb_bench.py");
    try (InputStream in = DuckDbTimer.class.getResourceAsStream("duckdb_bench.py")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> command = new ArrayList<>(List.of(python().toString(), script.toString()));
    command.addAll(List.of(arguments));
    return command;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("PYTHONNOUSERSITE", "1");
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
      throw new IllegalStateException("duckdb_bench.py failed (exit " + p.exitValue() + "):\n" + output);
    }
    return output;
  }

  private static Path python() {
    return cacheRoot().resolve("python").resolve("duckdb-" + DuckDb.Version.V1_5_5.duckdbVersion()).resolve("bin")
        .resolve("python");
  }
}
