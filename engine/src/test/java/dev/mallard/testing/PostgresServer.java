package dev.mallard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package, installed with apt-get when
 * missing) on 127.0.0.1 and a free port, started once per JVM on first use and stopped when the
 * JVM exits. Its cluster lives in a temporary directory, with fsync off. It requires a password
 * (SCRAM), so tests go through real authentication; the one user is {@link #user()}.
 *
 * <p>{@code initdb} refuses to run as root, so as root the server runs as the {@code postgres}
 * system user that the package creates.
 */
public final class PostgresServer extends SqlServer {
  private static final List<String> INITDB = List.of("/usr/lib/postgresql/*/bin/initdb", "/usr/local/bin/initdb",
      "/usr/bin/initdb");
  private static final long START_MILLIS = 60_000;
  private static PostgresServer shared;

  private PostgresServer(int port, String password) {
    super("PostgreSQL", "postgresql", "postgres", port, password);
  }

  /** The server of this JVM, started on first call (a few seconds; the first install takes longer). */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /** The libpq connection string DuckDB's postgres extension takes, password included. */
  public String libpq(String database) {
    return "dbname=" + database + " host=" + host() + " port=" + port() + " user=" + user() + " password=" + password();
  }

  private static PostgresServer start() {
    Path initdb = TestServers.findOrInstall("PostgreSQL", INITDB, List.of("postgresql"));
    Path bin = initdb.getParent();
    boolean root = TestServers.isRoot();
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    int port = TestServers.freePort();
    Path dir;
    try {
      dir = Files.createTempDirectory("mallard-postgres");
      Files.writeString(dir.resolve("pwfile"), password + "\n");
      Files.createDirectories(dir.resolve("socket"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare a PostgreSQL directory", e);
    }
    Path data = dir.resolve("data");
    Path log = dir.resolve("server.log");
    if (root) {
      TestServers.run(List.of("chown", "-R", "postgres:postgres", dir.toString()),
          "Cannot give the PostgreSQL directory to the postgres user");
    }
    TestServers.run(asServerUser(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "mallard",
        "--pwfile=" + dir.resolve("pwfile"), "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync"),
        "initdb failed");
    Process process;
    try {
      List<String> command = asServerUser(root, bin.resolve("postgres").toString(), "-D", data.toString(),
          "-h", "127.0.0.1", "-p", Integer.toString(port), "-k", dir.resolve("socket").toString(),
          "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
          "-c", "max_connections=300", "-c", "shared_buffers=32MB");
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start PostgreSQL from " + bin, e);
    }
    TestServers.stopAtExit("postgres", process, dir);
    PostgresServer server = new PostgresServer(port, password);
    SqlServer.awaitStart("PostgreSQL", process, log, START_MILLIS, server::accepts);
    return server;
  }

  private boolean accepts() {
    try (Connection c = connect("postgres")) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** The command, run as the postgres system user when we are root (PostgreSQL refuses root). */
  private static List<String> asServerUser(boolean root, String... command) {
    List<String> out = new ArrayList<>();
    if (root) {
      // setpriv execs the command itself (no su session in between), so stopping the process stops PostgreSQL.
      out.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    }
    out.addAll(List.of(command));
    return out;
  }
}
