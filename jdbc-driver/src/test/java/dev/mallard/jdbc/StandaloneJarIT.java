package dev.mallard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone jar ({@code target/mallard.jar}) as users run it, each in a JVM of its own with no
 * extra flags: a plain program that finds the driver through DriverManager, the shell reading
 * standard input, and the server as a separate process, queried by Avatica's remote driver (in this
 * JVM and in a 256 MB one) and by phoenixdb.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneJarIT {
  private static final Pattern LISTENING = Pattern.compile("connect with (jdbc:avatica:remote:url=http://[^;]+:(\\d+);\\S+)");

  @TempDir Path dir;
  private SharedLake lake;
  private Connection embedded;
  private final List<Process> servers = new ArrayList<>();
  /** What each server wrote to its standard error, read as it comes so that it never blocks. */
  private final java.util.Map<Process, StringBuffer> serverLogs = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<Process, Thread> serverLogReaders = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  void lake() throws SQLException {
    lake = SharedLake.get();
    embedded = Mallard.connect(lake.url());
  }

  @AfterAll
  void stop() throws SQLException {
    servers.forEach(Process::destroyForcibly);
    embedded.close();
  }

  static Path jar() {
    String jar = System.getProperty("mallard.jar");
    assertThat(jar).as("mallard.jar (set by the pom)").isNotNull();
    assertThat(Path.of(jar)).isRegularFile();
    return Path.of(jar);
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Writes a program's source to run with Java's source launcher. */
  private Path source(String className, String body) throws IOException {
    Path file = dir.resolve(className + ".java");
    Files.writeString(file, body);
    return file;
  }

  @Test
  void aPlainProgramLoadsTheDriverThroughDriverManagerAndStreamsTenMillionRowsIn256Mb() throws Exception {
    Path program = source("Probe", """
        import java.sql.*;
        public class Probe {
          public static void main(String[] args) throws Exception {
            // No Class.forName: DriverManager finds the driver through META-INF/services.
            try (Connection c = DriverManager.getConnection(args[0]); Statement s = c.createStatement()) {
              System.out.println("driver=" + c.getMetaData().getDriverName());
              try (ResultSet rs = s.executeQuery("SELECT kind, count(*) FROM s1.events GROUP BY kind ORDER BY kind")) {
                while (rs.next()) System.out.println("row=" + rs.getString(1) + "," + rs.getLong(2));
              }
              long rows = 0, sum = 0;
              try (ResultSet rs = s.executeQuery("SELECT * FROM big")) {
                while (rs.next()) { rows++; sum += rs.getLong(1); rs.getString(2); }
              }
              System.out.println("big=" + rows + "," + sum);
            }
          }
        }
        """);
    Result result = run(List.of(java(), "-Xmx256m", "-cp", jar().toString(), program.toString(), lake.url()), null);
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output()).contains("driver=Mallard DuckLake JDBC Driver");
    for (List<String> row : Rows.query(embedded, "SELECT kind, count(*) FROM s1.events GROUP BY kind ORDER BY kind")) {
      assertThat(result.output()).contains("row=" + row.get(0) + "," + row.get(1));
    }
    long n = SharedLake.BIG_ROWS;
    assertThat(result.output()).contains("big=" + n + "," + (n - 1) * n / 2);
  }

  @Test
  void theShellReadsStatementsFromStandardInput() throws Exception {
    String script = "!tables\nSELECT kind, count(*) AS n FROM s1.events WHERE id < 100 GROUP BY kind ORDER BY kind;\n";
    Result result = run(List.of(java(), "-Dmallard.shell.history=" + dir.resolve("history"), "-jar",
        jar().toString(), "shell", lake.url()), script);
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output()).contains("events").contains("all_types").containsPattern("\\| a +\\| 26 +\\|");
  }

  @Test
  void theServerProcessAnswersAvaticaOverProtobufAndJsonAsEmbeddedJdbc() throws Exception {
    for (String serialization : List.of("protobuf", "json")) {
      String url = startServer("--serialization", serialization);
      assertThat(url).endsWith("serialization=" + serialization);
      try (Connection remote = AvaticaClient.connect(url)) {
        for (String sql : ServerTest.QUERIES) {
          assertThat(Rows.query(remote, sql)).as(url + ": " + sql).isEqualTo(Rows.query(embedded, sql));
        }
      }
    }
  }

  @Test
  void theServerProcessServesSixteenConcurrentClientsAndPhoenixdb() throws Exception {
    String url = startServer();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> clients = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        int client = c;
        clients.add(pool.submit(() -> {
          int ok = 0;
          try (Connection remote = AvaticaClient.connect(url);
              var point = remote.prepareStatement("SELECT kind FROM s1.events WHERE id = ?")) {
            for (int q = 0; q < 100; q++) {
              long id = 1001 + client * 50 + q;
              if (id % 10 == 0) {
                id++;
              }
              point.setLong(1, id);
              try (var rs = point.executeQuery()) {
                assertThat(Rows.read(rs)).containsExactly(List.of(List.of("a", "b", "c").get((int) (id % 3))));
              }
              ok++;
            }
          }
          return ok;
        }));
      }
      for (Future<Integer> client : clients) {
        assertThat(client.get(10, TimeUnit.MINUTES)).isEqualTo(100);
      }
    } finally {
      pool.shutdownNow();
    }
    String http = url.substring("jdbc:avatica:remote:url=".length(), url.indexOf(';'));
    List<String[]> statements = new ArrayList<>();
    ServerTest.QUERIES.forEach(sql -> statements.add(new String[] {sql}));
    List<PhoenixClient.Answer> answers = PhoenixClient.run(http, statements);
    for (int i = 0; i < ServerTest.QUERIES.size(); i++) {
      String sql = ServerTest.QUERIES.get(i);
      assertThat(answers.get(i).error()).as(sql).isNull();
      assertThat(answers.get(i).rows()).as(sql).isEqualTo(Rows.query(embedded, sql));
    }
  }

  @Test
  void aWrongPasswordGets401AndReadOnlyRefusesWrites() throws Exception {
    Path users = dir.resolve("users.properties");
    Files.writeString(users, "carol: s3cret,mallard\n");
    String url = startServer("--auth", "basic", "--users", users.toString(), "--read-only");
    String basic = url + ";authentication=BASIC";
    try (Connection remote = AvaticaClient.connect(basic, ServerTest.credentials("carol", "s3cret"))) {
      assertThat(Rows.query(remote, "SELECT count(*) FROM live")).isEqualTo(Rows.query(embedded,
          "SELECT count(*) FROM live"));
      try (var s = remote.createStatement()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.execute("INSERT INTO live VALUES (7, 'x')"))
            .hasMessageContaining("read-only");
      }
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      try (Connection remote = AvaticaClient.connect(basic, ServerTest.credentials("carol", "nope"))) {
        Rows.query(remote, "SELECT count(*) FROM live");
      }
    }).hasStackTraceContaining("401");
  }

  @Test
  void tenMillionRowsThroughTheServerWith256MbHeapsOnBothSides() throws Exception {
    String url = startServer();
    Path program = source("BigClient", """
        import java.sql.*;
        public class BigClient {
          public static void main(String[] args) throws Exception {
            Driver d = new org.apache.calcite.avatica.remote.Driver();
            try (Connection c = d.connect(args[0], new java.util.Properties()); Statement s = c.createStatement()) {
              s.setFetchSize(10_000);
              long rows = 0, sum = 0;
              try (ResultSet rs = s.executeQuery("SELECT * FROM big")) {
                while (rs.next()) { rows++; sum += rs.getLong(1); rs.getString(2); }
              }
              System.out.println("big=" + rows + "," + sum + " maxHeapMb=" + Runtime.getRuntime().maxMemory() / 1048576);
            }
          }
        }
        """);
    Result result = run(List.of(java(), "-Xmx256m", "-cp", AvaticaClient.classPath(), program.toString(), url), null);
    assertThat(result.status()).as(result.output()).isZero();
    long n = SharedLake.BIG_ROWS;
    assertThat(result.output()).contains("big=" + n + "," + (n - 1) * n / 2);
  }

  @Test
  void theServerStopsGracefullyOnSigterm() throws Exception {
    startServer();
    Process server = servers.get(servers.size() - 1);
    server.toHandle().destroy(); // SIGTERM; Process.destroy() would also close the streams we read
    assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    serverLogReaders.get(server).join(60_000); // it has read the last lines when the stream ends
    assertThat(serverLogs.get(server).toString()).contains("Mallard server stopping").contains("Mallard server stopped");
  }

  /** Starts {@code java -Xmx256m -jar mallard.jar server} on a free port; returns its client URL. */
  private String startServer(String... options) throws IOException {
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", jar().toString(), "server",
        "--url", lake.url(), "--port", "0"));
    command.addAll(List.of(options));
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    servers.add(p);
    // The first lines of its standard error say where it listens.
    StringBuilder seen = new StringBuilder();
    InputStream err = p.getErrorStream();
    StringBuilder line = new StringBuilder();
    int ch;
    while ((ch = err.read()) >= 0) {
      if (ch != '\n') {
        line.append((char) ch);
        continue;
      }
      String text = line.toString();
      line.setLength(0);
      seen.append(text).append('\n');
      Matcher m = LISTENING.matcher(text);
      if (m.find()) {
        StringBuffer log = new StringBuffer(seen);
        serverLogs.put(p, log);
        Thread drain = new Thread(() -> {
          try {
            log.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
          } catch (IOException e) {
            log.append(e);
          }
        }, "server-stderr");
        drain.setDaemon(true);
        drain.start();
        serverLogReaders.put(p, drain);
        return m.group(1);
      }
    }
    throw new IllegalStateException("The server exited before listening:\n" + seen);
  }

  record Result(int status, String output) {}

  /** Runs a program to its end (at most 15 minutes), its standard input {@code input}. */
  private static Result run(List<String> command, String input) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
    if (input != null) {
      p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("Still running after 15 minutes: " + String.join(" ", command));
    }
    return new Result(p.exitValue(), output.get());
  }

}
