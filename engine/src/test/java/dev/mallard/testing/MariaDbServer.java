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
 * A real MariaDB server (Debian's {@code mariadb-server}, installed with apt-get when missing),
 * standing in for MySQL, on 127.0.0.1 and a free port; started once per JVM on first use and
 * stopped when the JVM exits. Its data directory is temporary. Tests connect as {@link #user()}
 * with a password, over TCP, as a deployment would.
 */
public final class MariaDbServer extends SqlServer {
  private static final List<String> SERVER = List.of("/usr/sbin/mariadbd", "/usr/sbin/mysqld");
  private static final long START_MILLIS = 60_000;
  private static MariaDbServer shared;

  private MariaDbServer(int port, String password) {
    super("MariaDB", "mysql", "mysql", port, password);
  }

  /** The server of this JVM, started on first call (a few seconds; the first install takes longer). */
  public static synchronized MariaDbServer shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /** The connection string DuckDB's mysql extension takes, password included. */
  public String dsn(String database) {
    return "db=" + database + " host=" + host() + " port=" + port() + " user=" + user() + " password=" + password();
  }

  private static MariaDbServer start() {
    Path server = TestServers.findOrInstall("MariaDB", SERVER, List.of("mariadb-server", "mariadb-client"));
    Path installDb = server.getParent().getParent().resolve("bin/mariadb-install-db");
    Path client = server.getParent().getParent().resolve("bin/mariadb");
    boolean root = TestServers.isRoot();
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    int port = TestServers.freePort();
    Path dir;
    try {
      dir = Files.createTempDirectory("mallard-mariadb");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare a MariaDB directory", e);
    }
    Path data = dir.resolve("data");
    Path socket = dir.resolve("mariadb.sock");
    Path log = dir.resolve("server.log");
    List<String> install = new ArrayList<>(List.of(installDb.toString(), "--no-defaults", "--datadir=" + data,
        "--auth-root-authentication-method=normal", "--skip-test-db"));
    if (root) {
      install.add("--user=root");
    }
    TestServers.run(install, "mariadb-install-db failed");
    Process process;
    try {
      List<String> command = new ArrayList<>(List.of(server.toString(), "--no-defaults", "--datadir=" + data,
          "--socket=" + socket, "--port=" + port, "--bind-address=127.0.0.1", "--pid-file=" + dir.resolve("pid"),
          "--log-error=" + log, "--skip-log-bin", "--innodb-flush-log-at-trx-commit=0",
          "--innodb-buffer-pool-size=64M", "--max-connections=300",
          // As Debian's packaged configuration has it: without this the server is latin1.
          "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci"));
      if (root) {
        command.add("--user=root"); // mariadbd refuses to run as root unless told to
      }
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start MariaDB from " + server, e);
    }
    TestServers.stopAtExit("mariadb", process, dir);
    SqlServer.awaitStart("MariaDB", process, log, START_MILLIS, () -> Files.exists(socket));
    // The installer's root can only log in locally; a user with a password serves the tests over TCP.
    String grant = "";
    for (String host : List.of("localhost", "127.0.0.1", "%")) {
      grant += "CREATE USER 'mallard'@'" + host + "' IDENTIFIED BY '" + password + "';"
          + " GRANT ALL PRIVILEGES ON *.* TO 'mallard'@'" + host + "';";
    }
    TestServers.run(List.of(client.toString(), "--no-defaults", "--socket=" + socket, "-u", "root", "-e", grant),
        "Creating the MariaDB test user failed");
    MariaDbServer db = new MariaDbServer(port, password);
    try (Connection c = db.connect("mysql")) {
      return db;
    } catch (SQLException e) {
      throw new IllegalStateException("MariaDB does not accept connections over TCP: " + e.getMessage() + "\n"
          + TestServers.tail(log), e);
    }
  }
}
