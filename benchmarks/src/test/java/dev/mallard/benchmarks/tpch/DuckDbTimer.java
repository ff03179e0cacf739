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

/**
 * Times queries in DuckDB 1.5.5 with ducklake, in its own Python process (duckdb_bench.py, with the
 * venv that {@link DuckDb#start} installs), so the timings are DuckDB's own and nothing of the pipe
 * to the JVM is counted.
 */
final class DuckDbTimer {
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
    Path script = workDir.resolve("duckdb_bench.py");
    try (InputStream in = DuckDbTimer.class.getResourceAsStream("duckdb_bench.py")) {
      Files.write(script, in.readAllBytes());
    }
    Map<Path, String> names = new LinkedHashMap<>();
    List<String> command = new ArrayList<>(List.of(python().toString(), script.toString(), catalog.toString(),
        Integer.toString(threads), Integer.toString(warmup), Integer.toString(repetitions)));
    for (Map.Entry<String, String> q : queries.entrySet()) {
      Path file = workDir.resolve(q.getKey() + ".sql");
      Files.writeString(file, q.getValue());
      names.put(file, q.getKey());
      command.add(file.toString());
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("PYTHONNOUSERSITE", "1");
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
      throw new IllegalStateException("duckdb_bench.py failed (exit " + p.exitValue() + "):\n" + output);
    }
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

  private static Path python() {
    return cacheRoot().resolve("python").resolve("duckdb-" + DuckDb.Version.V1_5_5.duckdbVersion()).resolve("bin")
        .resolve("python");
  }
}
