package dev.mallard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.testing.MariaDbServer;
import dev.mallard.testing.PostgresServer;
import dev.mallard.testing.S3Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4's acceptance: a wrong password, an unreachable host, a missing bucket and an S3
 * access-denied each give an error that names the problem, never shows the password, and comes
 * within the configured connect_timeout (bounded generously here, only so that a hang fails).
 */
class ConnectionFailureTest {
  /** Room for a loaded machine on top of the configured timeout; only a hang exceeds it. */
  private static final Duration SLACK = Duration.ofSeconds(30);
  private static final String WRONG_PASSWORD = "not-the-password-7f3a";

  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  /** The failure of {@code call}, which must come within {@code timeoutSeconds} plus slack. */
  private static SQLException failureWithin(int timeoutSeconds, ThrowingCallable call) {
    long start = System.nanoTime();
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(thrown).isInstanceOf(SQLException.class);
    assertThat(took).as("time to fail").isLessThan(Duration.ofSeconds(timeoutSeconds).plus(SLACK));
    return (SQLException) thrown;
  }

  private static Properties login(String user, String password) {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return p;
  }

  /** A server URL (no login in it) of {@code backend} at {@code hostAndPort}. */
  private String serverUrl(String backend, String hostAndPort, String database, int timeoutSeconds) {
    return backend + "://" + hostAndPort + "/" + database + "?connect_timeout=" + timeoutSeconds + "&data_path="
        + dir.resolve("data") + "/";
  }

  private static String backendName(String backend) {
    return backend.equals("postgresql") ? "PostgreSQL" : "MySQL";
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mysql"})
  void aWrongPasswordSaysSoAndHidesThePassword(String backend) {
    boolean pg = backend.equals("postgresql");
    String hostAndPort = pg ? PostgresServer.shared().host() + ":" + PostgresServer.shared().port()
        : MariaDbServer.shared().host() + ":" + MariaDbServer.shared().port();
    String database = pg ? PostgresServer.shared().createDatabase("badlogin")
        : MariaDbServer.shared().createDatabase("badlogin");
    String user = pg ? PostgresServer.shared().user() : MariaDbServer.shared().user();
    String url = serverUrl(backend, hostAndPort, database, 5);

    SQLException e = failureWithin(5, () -> Mallard.connect(url, login(user, WRONG_PASSWORD)).close());
    assertThat(e.getMessage()).contains("Cannot connect to " + backendName(backend) + " catalog " + hostAndPort)
        .contains(pg ? "password authentication failed" : "Access denied").doesNotContain(WRONG_PASSWORD);
    assertThat(e.getSQLState()).isEqualTo("08001");

    // The same with the password in the URL: still never shown.
    String inUrl = backend + "://" + user + ":" + WRONG_PASSWORD + "@" + url.substring(backend.length() + 3);
    SQLException again = failureWithin(5, () -> Mallard.connect(inUrl).close());
    assertThat(again.getMessage()).contains(pg ? "password authentication failed" : "Access denied")
        .doesNotContain(WRONG_PASSWORD);
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mysql"})
  void aClosedPortFailsAtOnceWithTheAddress(String backend) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // free once closed: nothing listens there
    }
    String url = serverUrl(backend, "127.0.0.1:" + port, "lake", 5);
    SQLException e = failureWithin(5, () -> Mallard.connect(url, login("someone", WRONG_PASSWORD)).close());
    assertThat(e.getMessage()).contains("Cannot connect to " + backendName(backend) + " catalog 127.0.0.1:" + port)
        .doesNotContain(WRONG_PASSWORD);
  }

  /**
   * A host that takes the TCP connection but never answers, like a firewall that swallows packets
   * or a hung server: the connect_timeout ends the wait.
   */
  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mysql"})
  void aServerThatNeverAnswersTimesOut(String backend) throws IOException {
    ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    toClose.add(silent);
    List<Socket> accepted = new ArrayList<>();
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          accepted.add(silent.accept()); // and never write a byte
        }
      } catch (IOException closed) {
        // the test is over
      }
    }, "silent-server");
    acceptor.setDaemon(true);
    acceptor.start();
    toClose.add(() -> {
      for (Socket s : accepted) {
        s.close();
      }
    });
    String url = serverUrl(backend, "127.0.0.1:" + silent.getLocalPort(), "lake", 2);
    SQLException e = failureWithin(2, () -> Mallard.connect(url, login("someone", WRONG_PASSWORD)).close());
    assertThat(e.getMessage())
        .contains("Cannot connect to " + backendName(backend) + " catalog 127.0.0.1:" + silent.getLocalPort())
        .contains("connect_timeout").doesNotContain(WRONG_PASSWORD);
  }

  /** An address nothing routes to (RFC 1918 space that no test network uses), with a short timeout. */
  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mysql"})
  void aNonRoutableHostFailsWithinTheTimeout(String backend) {
    String url = serverUrl(backend, "10.255.255.1:" + (backend.equals("postgresql") ? 5432 : 3306), "lake", 2);
    SQLException e = failureWithin(2, () -> Mallard.connect(url, login("someone", WRONG_PASSWORD)).close());
    assertThat(e.getMessage()).contains("Cannot connect to " + backendName(backend) + " catalog 10.255.255.1:")
        .doesNotContain(WRONG_PASSWORD);
  }

  /** A SQLite lake whose data goes to S3 at once (no inlining), with these S3 options. */
  private String s3Lake(String bucket, String s3Options) {
    return "sqlite:" + dir.resolve("lake.sqlite") + "?create=true&data_inlining_row_limit=0&connect_timeout=3"
        + "&data_path=s3://" + bucket + "/lake/&" + s3Options;
  }

  private static void insertRows(String url) throws SQLException {
    try (Connection c = Mallard.connect(url); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE t (id INTEGER, v VARCHAR)");
      s.executeUpdate("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
    }
  }

  @Test
  void aMissingBucketIsNamed() {
    S3Server s3 = S3Server.shared();
    String url = s3Lake("no-such-bucket-4", s3.mallardOptions());
    SQLException e = failureWithin(3, () -> insertRows(url));
    assertThat(e.getMessage()).contains("Bucket 'no-such-bucket-4' does not exist at " + s3.endpoint())
        .doesNotContain(s3.secretAccessKey());
  }

  @Test
  void wrongS3CredentialsAreAccessDenied() {
    S3Server s3 = S3Server.shared();
    String bucket = s3.createBucket("denied");
    String wrongSecret = "wrong-secret-0123456789abcdef";
    String url = s3Lake(bucket, s3.mallardOptions().replace(s3.secretAccessKey(), wrongSecret));
    SQLException e = failureWithin(3, () -> insertRows(url));
    assertThat(e.getMessage()).contains("Access denied").contains("s3://" + bucket + "/lake/")
        .contains("check s3_access_key_id and s3_secret_access_key").doesNotContain(wrongSecret);
  }

  @Test
  void anUnreachableS3EndpointIsNamed() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    S3Server s3 = S3Server.shared();
    String url = s3Lake("any", s3.mallardOptions().replace(s3.endpoint(), "http://127.0.0.1:" + port));
    // Each request is tried three times, each attempt bounded by the connect timeout.
    SQLException e = failureWithin(3 * 3, () -> insertRows(url));
    assertThat(e.getMessage()).contains("Cannot reach http://127.0.0.1:" + port).doesNotContain(s3.secretAccessKey());
  }
}
