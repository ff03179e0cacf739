package dev.mallard.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Python virtual environment per pinned DuckDB release, shared by every test JVM of the
 * machine: {@code <cache>/python/duckdb-<version>/}, where the cache is {@code $MALLARD_CACHE} or
 * else {@code ~/.cache/mallard}. A marker file written after a successful install holds the exact
 * package list, so an interrupted install or a changed pin installs afresh. A file lock beside the
 * venv lets one JVM install while the others (surefire forks, other modules) wait for it.
 */
final class PythonEnv {
  private static final String MARKER = "mallard-installed.txt";
  private static final long INSTALL_MINUTES = 20;
  /** FileLock is per process: threads of one JVM take turns here first. */
  private static final Object JVM_LOCK = new Object();
  private static final String NULL_DEVICE =
      System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows") ? "NUL" : "/dev/null";

  private PythonEnv() {}

  /** The venv's python for {@code packages}, installing them first when needed. */
  static Path ensure(String name, List<String> packages) {
    Path dir = cacheRoot().resolve("python").resolve(name);
    Path python = pythonIn(dir);
    String expected = String.join("\n", packages) + "\n";
    if (installed(dir, python, expected)) {
      return python;
    }
    synchronized (JVM_LOCK) {
      try {
        Files.createDirectories(dir.getParent());
        try (FileChannel channel = FileChannel.open(dir.resolveSibling(name + ".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
          FileLock lock = channel.lock(); // waits while another JVM installs
          try {
            if (!installed(dir, python, expected)) {
              install(dir, python, packages, expected);
            }
            return python;
          } finally {
            lock.release();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot prepare the Python environment " + dir, e);
      }
    }
  }

  static Path cacheRoot() {
    String configured = System.getenv("MALLARD_CACHE");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"), ".cache", "mallard");
  }

  private static boolean installed(Path dir, Path python, String expected) {
    try {
      Path marker = dir.resolve(MARKER);
      return Files.isRegularFile(marker) && Files.readString(marker).equals(expected) && Files.isExecutable(python);
    } catch (IOException e) {
      return false;
    }
  }

  private static void install(Path dir, Path python, List<String> packages, String expected) throws IOException {
    deleteTree(dir); // a half-made venv, or one with other pins
    run(List.of(basePython(), "-m", "venv", dir.toString()),
        "Creating a Python venv failed. The DuckDB oracle needs Python 3.9+ with venv and pip"
            + " (on Debian: apt-get install python3-venv), or MALLARD_PYTHON naming such an interpreter");
    List<String> pip = new ArrayList<>(List.of(python.toString(), "-m", "pip", "install",
        "--disable-pip-version-check", "--no-input"));
    pip.addAll(packages);
    run(pip, "Installing the DuckDB oracle's Python packages failed");
    Path tmp = Files.createTempFile(dir, MARKER, ".tmp");
    Files.writeString(tmp, expected);
    Files.move(tmp, dir.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The interpreter that creates venvs: {@code $MALLARD_PYTHON}, else {@code python3} on the PATH. */
  private static String basePython() {
    String configured = System.getenv("MALLARD_PYTHON");
    return configured != null && !configured.isBlank() ? configured : "python3";
  }

  private static Path pythonIn(Path venv) {
    boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");
    return windows ? venv.resolve("Scripts").resolve("python.exe") : venv.resolve("bin").resolve("python");
  }

  private static void run(List<String> command, String failure) {
    String shown = String.join(" ", command);
    Path log = null;
    Process p = null;
    try {
      log = Files.createTempFile("mallard-pip", ".log");
      p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File(NULL_DEVICE))).start();
      boolean done = p.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES);
      if (!done) {
        p.destroyForcibly();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (!done || p.exitValue() != 0) {
        String how = done ? "exit " + p.exitValue() : "timed out after " + INSTALL_MINUTES + " minutes";
        throw new IllegalStateException(failure + " (" + how + ")\n$ " + shown + "\n" + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(failure + "\n$ " + shown + "\n" + e, e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(failure + " (interrupted)\n$ " + shown, e);
    } finally {
      if (log != null) {
        log.toFile().delete();
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
