package dev.mallard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real MariaDB server (Debian's {@code mariadb-server}, installed with apt-get when missing),
 * standing in for MySQL, on 127.0.0.1 and a free port; started once per JVM on first use and
 * stopped when the JVM exits. Its data directory is temporary. Tests connect as {@link #user()}
 * with a password, over TCP, as a deployment would.
 */
public final class MariaDbServer {
  private static final List<String> SERVER = List.of("/usr/sbin/mariadbd", "/usr/sbin/mysqld");
  private static final long START_MILLIS = 60_000;
  private static MariaDbServer shared;

  private final int port;
  private final String user = "mallard";
  private final String password;
  private final AtomicInteger databases = new AtomicInteger();

  private MariaDbServer(int port, String password) {
    this.port = port;
    this.password = password;
  }

  /** The server of this JVM, started on first call (a few seconds; the first install takes longer). */
  public static synchronized MariaDbServer shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** A new, empty database with a unique name starting with {@code prefix}. */
  public String createDatabase(String prefix) {
    String name = TestServers.checkName(prefix + "_" + databases.incrementAndGet());
    execute("mysql", "CREATE DATABASE " + name);
    return name;
  }

  public void execute(String database, String sql) {
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("MariaDB failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), user, password);
  }

  public String jdbcUrl(String database) {
    return "jdbc:mysql://" + host() + ":" + port + "/" + database;
  }

  /** The connection string DuckDB's mysql extension takes, password included. */
  public String dsn(String database) {
    return "db=" + database + " host=" + host() + " port=" + port + " user=" + user + " password=" + password;
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
    long deadline = System.currentTimeMillis() + START_MILLIS;
    while (!Files.exists(socket)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("MariaDB exited at start (" + process.exitValue() + "):\n"
            + TestServers.tail(log));
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("MariaDB did not start within " + START_MILLIS / 1000 + " s:\n"
            + TestServers.tail(log));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while MariaDB started", e);
      }
    }
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
