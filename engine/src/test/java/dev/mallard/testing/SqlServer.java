package dev.mallard.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A SQL server the tests started on 127.0.0.1 (see {@link PostgresServer}, {@link MariaDbServer}):
 * where it listens, the one user with a password that tests connect as over TCP, and fresh
 * databases.
 */
public abstract class SqlServer {
  private final String product;
  private final String jdbcScheme;
  private final String adminDatabase;
  private final int port;
  private final String user = "mallard";
  private final String password;
  private final AtomicInteger databases = new AtomicInteger();

  SqlServer(String product, String jdbcScheme, String adminDatabase, int port, String password) {
    this.product = product;
    this.jdbcScheme = jdbcScheme;
    this.adminDatabase = adminDatabase;
    this.port = port;
    this.password = password;
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
    execute(adminDatabase, "CREATE DATABASE " + name);
    return name;
  }

  /** Runs SQL as the tests' user in {@code database}. */
  public void execute(String database, String sql) {
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(product + " failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), user, password);
  }

  public String jdbcUrl(String database) {
    return "jdbc:" + jdbcScheme + "://" + host() + ":" + port + "/" + database;
  }

  /** Waits, as a server starts, until {@code started} says it is up; fails with its log if it exits or times out. */
  static void awaitStart(String product, Process process, Path log, long millis,
      BooleanSupplier started) {
    long deadline = System.currentTimeMillis() + millis;
    while (!started.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(product + " exited at start (" + process.exitValue() + "):\n"
            + TestServers.tail(log));
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(product + " did not start within " + millis / 1000 + " s:\n"
            + TestServers.tail(log));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while " + product + " started", e);
      }
    }
  }
}
