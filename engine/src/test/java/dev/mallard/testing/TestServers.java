package dev.mallard.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the real database servers of the tests ({@link PostgresServer}, {@link MariaDbServer})
 * share: finding or installing Debian's server packages, running commands, free loopback ports,
 * and stopping a server when the JVM exits. A server that cannot be had fails the test with a
 * message saying why; it is never skipped.
 */
final class TestServers {
  private static final long COMMAND_MINUTES = 10;

  private TestServers() {}

  static boolean isRoot() {
    try {
      return run(List.of("id", "-u"), "Cannot tell the current user").strip().equals("0");
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /**
   * The first of {@code candidates} that is an executable file; when none is, installs the Debian
   * {@code packages} with apt-get (as CI, which runs as root, does on a fresh machine) and looks
   * again.
   */
  static Path findOrInstall(String what, List<String> candidates, List<String> packages) {
    Path found = find(candidates);
    if (found != null) {
      return found;
    }
    if (!isRoot()) {
      throw new IllegalStateException(what + " is not installed and this user cannot install it."
          + " Install the Debian packages " + packages + " (apt-get install -y " + String.join(" ", packages) + ")");
    }
    synchronized (TestServers.class) {
      found = find(candidates);
      if (found == null) {
        aptInstall(what, packages);
        found = find(candidates);
      }
    }
    if (found == null) {
      throw new IllegalStateException(what + " is still missing after installing " + packages + "; looked for "
          + candidates);
    }
    return found;
  }

  private static Path find(List<String> candidates) {
    for (String candidate : candidates) {
      if (candidate.contains("*")) {
        // e.g. /usr/lib/postgresql/*/bin/initdb: the newest installed major version
        int star = candidate.indexOf('*');
        Path parent = Path.of(candidate.substring(0, star));
        String rest = candidate.substring(star + 1);
        if (Files.isDirectory(parent)) {
          try (Stream<Path> dirs = Files.list(parent)) {
            Path best = dirs.map(d -> Path.of(d + rest)).filter(Files::isExecutable)
                .max(Comparator.comparing(p -> versionKey(p.toString()))).orElse(null);
            if (best != null) {
              return best;
            }
          } catch (IOException e) {
            // not readable: try the next candidate
          }
        }
      } else if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    return null;
  }

  private static String versionKey(String path) {
    return path.replaceAll("\\d+", "0000000000$0").replaceAll("0*(\\d{10})", "$1");
  }

  private static void aptInstall(String what, List<String> packages) {
    List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
    install.addAll(packages);
    try {
      run(install, "apt-get install failed");
    } catch (IllegalStateException first) {
      // A fresh machine has no package lists yet.
      try {
        run(List.of("apt-get", "update", "-q"), "apt-get update failed");
        run(install, "apt-get install failed");
      } catch (IllegalStateException e) {
        throw new IllegalStateException("Cannot install " + what + " (Debian packages " + packages + "): "
            + e.getMessage(), e);
      }
    }
  }

  /** Runs a command to its end and returns its output; a non-zero exit is an exception with the output. */
  static String run(List<String> command, String failure) {
    Path log = null;
    try {
      log = Files.createTempFile("mallard-server-cmd", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process p = pb.start();
      boolean done = p.waitFor(COMMAND_MINUTES, TimeUnit.MINUTES);
      if (!done) {
        p.destroyForcibly();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (!done || p.exitValue() != 0) {
        throw new IllegalStateException(failure + " (" + (done ? "exit " + p.exitValue() : "timed out") + ")\n$ "
            + String.join(" ", command) + "\n" + tail(output));
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException(failure + ": " + e + "\n$ " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(failure + " (interrupted)", e);
    } finally {
      if (log != null) {
        log.toFile().delete();
      }
    }
  }

  static String tail(String text) {
    return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
  }

  static String tail(Path file) {
    try {
      return Files.exists(file) ? tail(Files.readString(file, StandardCharsets.UTF_8)) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** A TCP port on 127.0.0.1 that was free a moment ago. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free loopback port", e);
    }
  }

  /** Stops a server process and its children when the JVM exits, then deletes its directory. */
  static void stopAtExit(String name, Process process, Path dir) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, dir), "stop-" + name));
  }

  static void stop(Process process, Path dir) {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy); // SIGTERM: a clean, quick shutdown of either server
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
    deleteTree(dir);
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort at exit
    }
  }

  /** A name safe to splice into SQL and connection strings. */
  static String checkName(String name) {
    if (!name.toLowerCase(Locale.ROOT).matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("Not a plain lower-case name: " + name);
    }
    return name;
  }
}
