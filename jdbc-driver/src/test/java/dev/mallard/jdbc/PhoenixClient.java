package dev.mallard.jdbc;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Python's Avatica client, phoenixdb from PyPI, as a non-Java client of the server. Its venv is
 * installed on first use at pinned versions into {@code $MALLARD_CACHE/python/phoenixdb-1.2.2} (or
 * {@code ~/.cache/mallard}), beside the DuckDB oracle's venvs; a missing Python or a failed install
 * fails the test. phoenixdb itself goes in without its dependencies: it requires gssapi (for
 * Kerberos, unused here), which compiles only against a system Kerberos; the script stands in for it.
 */
final class PhoenixClient {
  static final String PHOENIXDB = "phoenixdb==1.2.2";
  static final List<String> DEPENDENCIES = List.of("protobuf==7.36.2", "requests==2.34.2");
  private static final String MARKER = "mallard-installed.txt";

  private PhoenixClient() {}

  /** A statement's answer: its rows as {@link Rows#text} cells, or the error phoenixdb raised. */
  record Answer(List<List<String>> rows, String error) {}

  /** Runs each statement (SQL with JSON parameters, e.g. {@code [5, "a"]}) in one connection. */
  static List<Answer> run(String serverUrl, List<String[]> statements, String... credentials) {
    Path python = ensureVenv();
    try {
      Path script = Files.createTempFile("phoenix_client", ".py");
      try (InputStream in = PhoenixClient.class.getResourceAsStream("phoenix_client.py")) {
        Files.write(script, in.readAllBytes());
      }
      List<String> command = new ArrayList<>(List.of(python.toString(), script.toString(), serverUrl));
      command.addAll(Arrays.asList(credentials));
      StringBuilder input = new StringBuilder();
      for (String[] s : statements) {
        input.append("{\"sql\": ").append(jsonString(s[0])).append(", \"params\": ")
            .append(s.length > 1 ? s[1] : "[]").append("}\n");
      }
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("PYTHONNOUSERSITE", "1");
      pb.environment().put("PYTHONIOENCODING", "utf-8");
      Process p = pb.start();
      p.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("phoenix_client.py failed:\n" + output);
      }
      Files.deleteIfExists(script);
      return parse(output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<Answer> parse(String output) {
    List<Answer> answers = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    for (String line : output.split("\n", -1)) {
      if (line.startsWith("END ")) {
        answers.add(new Answer(rows, null));
        rows = new ArrayList<>();
      } else if (line.startsWith("ERROR ")) {
        answers.add(new Answer(List.of(), line.substring("ERROR ".length())));
        rows = new ArrayList<>();
      } else if (!line.isEmpty()) {
        List<String> row = new ArrayList<>();
        for (String cell : line.split("\t", -1)) {
          row.add(cell.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\"));
        }
        rows.add(row);
      }
    }
    return answers;
  }

  private static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  private static synchronized Path ensureVenv() {
    String configured = System.getenv("MALLARD_CACHE");
    Path cache = configured != null && !configured.isBlank() ? Path.of(configured).toAbsolutePath()
        : Path.of(System.getProperty("user.home"), ".cache", "mallard");
    Path dir = cache.resolve("python").resolve("phoenixdb-1.2.2");
    Path python = dir.resolve("bin").resolve("python");
    String expected = PHOENIXDB + "\n" + String.join("\n", DEPENDENCIES) + "\n";
    try {
      Files.createDirectories(dir.getParent());
      try (FileChannel channel = FileChannel.open(dir.resolveSibling("phoenixdb-1.2.2.lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
        Path marker = dir.resolve(MARKER);
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(expected) && Files.isExecutable(python)) {
          return python;
        }
        deleteTree(dir);
        String base = System.getenv().getOrDefault("MALLARD_PYTHON", "python3");
        run(List.of(base, "-m", "venv", dir.toString()));
        List<String> pip = List.of(python.toString(), "-m", "pip", "install", "--disable-pip-version-check", "--no-input");
        run(concat(pip, List.of("--no-deps", PHOENIXDB)));
        run(concat(pip, DEPENDENCIES));
        Files.writeString(marker, expected);
        return python;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare the phoenixdb venv in " + dir, e);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void run(List<String> command) throws IOException {
    Path log = Files.createTempFile("mallard-pip", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("Installing phoenixdb failed (it needs python3 with venv and pip, and PyPI)\n$ "
            + String.join(" ", command) + "\n" + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
