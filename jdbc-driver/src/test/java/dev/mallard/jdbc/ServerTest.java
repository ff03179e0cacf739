package dev.mallard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.jdbc.server.MallardServer;
import dev.mallard.jdbc.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Avatica server in this JVM, queried by Avatica's thin remote driver (in a class loader of its
 * own, as a remote application would have it) over protobuf and JSON, and by Python's phoenixdb.
 * Every answer is compared with the same query through embedded JDBC.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerTest {
  /**
   * Queries whose answers must be the same over every client; types every client can represent.
   * Rows 1 and 2 of all_types are left out: their dates (years 1 and 9999) are beyond what
   * Avatica's date conversion (before 1582, the Julian calendar) and phoenixdb's represent; so are
   * rows 5 and 6, whose NaN and infinite doubles Avatica's JSON serialization cannot carry (see
   * {@link #nonFiniteDoublesOverProtobuf}).
   */
  static final List<String> QUERIES = List.of(
      "SELECT id, kind, amount, day FROM s1.events ORDER BY id",
      "SELECT kind, count(*) AS n, sum(amount) AS total, min(day) AS first_day FROM s1.events GROUP BY kind ORDER BY kind",
      "SELECT id, b, i8, i16, i32, i64, u8, u16, u32, f64, d4, d9, d18, d38, v, dt FROM all_types WHERE id IN (3, 4, 7) OR id >= 100 ORDER BY id",
      "SELECT \"col \"\"q\"\"\", \"Mixed\" FROM \"we ird\".\"T 1\" ORDER BY 1",
      "SELECT i, s FROM big WHERE i < 2500 ORDER BY i",
      "SELECT count(*), sum(i) FROM big WHERE i BETWEEN 1000000 AND 1000999");

  @TempDir Path dir;
  private SharedLake lake;
  private Connection embedded;
  private MallardServer protobuf;
  private MallardServer json;

  @BeforeAll
  void start() throws SQLException {
    lake = SharedLake.get();
    embedded = Mallard.connect(lake.url());
    protobuf = MallardServer.start(ServerConfig.of(lake.url()).withPort(0));
    json = MallardServer.start(ServerConfig.of(lake.url()).withPort(0)
        .withSerialization(ServerConfig.Serialization.JSON));
  }

  @AfterAll
  void stop() throws SQLException {
    protobuf.close();
    json.close();
    embedded.close();
  }

  @Test
  void theServerBindsLoopbackAndNamesItsClientUrl() {
    assertThat(protobuf.config().bind()).isEqualTo("127.0.0.1");
    assertThat(protobuf.clientUrl()).isEqualTo("jdbc:avatica:remote:url=http://127.0.0.1:" + protobuf.port()
        + ";serialization=protobuf");
    assertThat(json.clientUrl()).endsWith(";serialization=json");
  }

  @Test
  void avaticaOverProtobufAndJsonAnswersAsEmbeddedJdbc() throws SQLException {
    for (MallardServer server : List.of(protobuf, json)) {
      try (Connection remote = AvaticaClient.connect(server.clientUrl())) {
        for (String sql : QUERIES) {
          assertThat(Rows.query(remote, sql)).as(server.clientUrl() + ": " + sql).isNotEmpty()
              .isEqualTo(Rows.query(embedded, sql));
        }
      }
    }
  }

  @Test
  void listsOverAvaticaAsEmbeddedJdbcStructsAndMapsRefusedClearly() throws SQLException {
    String sql = "SELECT 1 AS id, ARRAY[1, 2] AS l, ARRAY[CAST(NULL AS INTEGER), 3] AS ln, ARRAY['a', 'b'] AS ls,"
        + " CAST(NULL AS INTEGER ARRAY) AS lnull";
    List<Object> embeddedLists = lists(embedded, sql);
    assertThat(embeddedLists).isEqualTo(List.of(List.of(1, 2), java.util.Arrays.asList(null, 3), List.of("a", "b"),
        "null"));
    for (MallardServer server : List.of(protobuf, json)) {
      try (Connection remote = AvaticaClient.connect(server.clientUrl())) {
        assertThat(lists(remote, sql)).as(server.clientUrl()).isEqualTo(embeddedLists);
        for (String nested : List.of("SELECT ROW(1, 'x') AS st", "SELECT ARRAY[ROW(1, 'x')] AS ls",
            "SELECT MAP['k', 1] AS m")) {
          assertThatThrownBy(() -> Rows.query(remote, nested)).as(nested)
              .hasMessageContaining("cannot carry").hasMessageContaining("select their parts instead");
        }
      }
    }
  }

  /** Columns 2 onwards of the first row, each list as a java.util.List of its elements ("null" for NULL). */
  private static List<Object> lists(Connection c, String sql) throws SQLException {
    List<Object> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
        assertThat(rs.getMetaData().getColumnType(i)).isEqualTo(java.sql.Types.ARRAY);
        java.sql.Array a = rs.getArray(i);
        Object elements = a == null ? null : a.getArray(); // embedded: int[] for a list of non-null ints
        List<Object> list = new ArrayList<>();
        for (int e = 0; elements != null && e < java.lang.reflect.Array.getLength(elements); e++) {
          list.add(java.lang.reflect.Array.get(elements, e));
        }
        out.add(a == null ? "null" : list);
      }
    }
    return out;
  }

  @Test
  void nonFiniteDoublesOverProtobuf() throws SQLException {
    String sql = "SELECT id, f32, f64 FROM all_types WHERE id IN (5, 6, 7) ORDER BY id";
    try (Connection remote = AvaticaClient.connect(protobuf.clientUrl())) {
      assertThat(Rows.query(remote, sql)).isEqualTo(Rows.query(embedded, sql))
          .contains(List.of("5", "NaN", "NaN"), List.of("6", "Infinity", "-Infinity"));
    }
  }

  @Test
  void preparedStatementsWithParametersOverAvatica() throws SQLException {
    for (MallardServer server : List.of(protobuf, json)) {
      try (Connection remote = AvaticaClient.connect(server.clientUrl());
          PreparedStatement ps = remote.prepareStatement(
              "SELECT id, kind, amount FROM s1.events WHERE id > ? AND kind = ? ORDER BY id")) {
        for (long from : new long[] {1500, 1900}) {
          ps.setLong(1, from);
          ps.setString(2, from < 1900 ? "b" : "big");
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(Rows.read(rs)).isNotEmpty().isEqualTo(Rows.query(embedded,
                "SELECT id, kind, amount FROM s1.events WHERE id > " + from + " AND kind = '"
                    + (from < 1900 ? "b" : "big") + "' ORDER BY id"));
          }
        }
      }
    }
  }

  @Test
  void maxRowsAndLargeResultsInFramesOverAvatica() throws SQLException {
    try (Connection remote = AvaticaClient.connect(protobuf.clientUrl()); Statement s = remote.createStatement()) {
      s.setMaxRows(10);
      try (ResultSet rs = s.executeQuery("SELECT i FROM big")) {
        assertThat(Rows.read(rs)).hasSize(10);
      }
      s.setMaxRows(0);
      s.setFetchSize(1000); // frames of 1,000 rows: the 50,000 come in 50 fetches
      long count = 0;
      long sum = 0;
      try (ResultSet rs = s.executeQuery("SELECT i FROM big WHERE i < 50000")) {
        while (rs.next()) {
          count++;
          sum += rs.getLong(1);
        }
      }
      assertThat(count).isEqualTo(50_000);
      assertThat(sum).isEqualTo(49_999L * 50_000 / 2);
    }
  }

  @Test
  void sixteenConcurrentClientsRunAHundredQueriesEach() throws Exception {
    // The expected answers come first: the embedded connection, like any JDBC connection, is for
    // one thread at a time.
    long[] countBelow = new long[100];
    for (int q = 0; q < 100; q++) {
      countBelow[q] = Long.parseLong(Rows.query(embedded, "SELECT count(*) FROM s1.events WHERE id < " + q).get(0).get(0));
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> clients = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        int client = c;
        MallardServer server = c % 2 == 0 ? protobuf : json;
        clients.add(pool.submit(() -> {
          int ok = 0;
          try (Connection remote = AvaticaClient.connect(server.clientUrl());
              PreparedStatement point = remote.prepareStatement("SELECT kind FROM s1.events WHERE id = ?");
              Statement plain = remote.createStatement()) {
            for (int q = 0; q < 100; q++) {
              // Ids between 1001 and 1899 not divisible by 10: rows that were never deleted or changed.
              long id = 1001 + client * 50 + q;
              if (id % 10 == 0) {
                id++;
              }
              if (q % 2 == 0) {
                point.setLong(1, id);
                try (ResultSet rs = point.executeQuery()) {
                  assertThat(Rows.read(rs)).containsExactly(List.of(List.of("a", "b", "c").get((int) (id % 3))));
                }
              } else {
                try (ResultSet rs = plain.executeQuery("SELECT count(*) FROM s1.events WHERE id < " + q)) {
                  assertThat(rs.next()).isTrue();
                  assertThat(rs.getLong(1)).isEqualTo(countBelow[q]);
                }
              }
              ok++;
            }
          }
          return ok;
        }));
      }
      for (Future<Integer> client : clients) {
        assertThat(client.get()).isEqualTo(100);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWrongPasswordGetsHttp401AndNoData() throws Exception {
    Path users = dir.resolve("users.properties");
    Files.writeString(users, "alice: secret," + ServerConfig.ROLE + "\n");
    for (ServerConfig.Authentication auth : List.of(ServerConfig.Authentication.BASIC,
        ServerConfig.Authentication.DIGEST)) {
      try (MallardServer server = MallardServer.start(ServerConfig.of(lake.url()).withPort(0)
          .withSerialization(ServerConfig.Serialization.JSON).withAuthentication(auth, users))) {
        String url = server.clientUrl() + ";authentication=" + auth.name();
        // The right password: data.
        try (Connection remote = AvaticaClient.connect(url, credentials("alice", "secret"))) {
          assertThat(Rows.query(remote, "SELECT count(*) FROM s1.events")).isEqualTo(
              Rows.query(embedded, "SELECT count(*) FROM s1.events"));
        }
        // The wrong one: the driver fails with the server's 401, before any statement runs.
        assertThatThrownBy(() -> {
          try (Connection remote = AvaticaClient.connect(url, credentials("alice", "wrong"))) {
            Rows.query(remote, "SELECT count(*) FROM s1.events");
          }
        }).hasStackTraceContaining("401");
        assertThat(server.openConnections()).isZero();
      }
    }
    // On the wire: the status is 401 and the body holds no result.
    try (MallardServer server = MallardServer.start(ServerConfig.of(lake.url()).withPort(0)
        .withSerialization(ServerConfig.Serialization.JSON)
        .withAuthentication(ServerConfig.Authentication.BASIC, users))) {
      String open = "{\"request\":\"openConnection\",\"connectionId\":\"c1\"}";
      HttpResponse<String> wrong = post(server, open, "alice", "wrong");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).doesNotContain("connectionId");
      HttpResponse<String> none = post(server, open, null, null);
      assertThat(none.statusCode()).isEqualTo(401);
      HttpResponse<String> right = post(server, open, "alice", "secret");
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(right.body()).contains("openConnection");
      String query = "{\"request\":\"prepareAndExecute\",\"connectionId\":\"c1\",\"statementId\":1,"
          + "\"sql\":\"SELECT kind FROM s1.events\",\"maxRowCount\":-1}";
      HttpResponse<String> stolen = post(server, query, "alice", "wrong");
      assertThat(stolen.statusCode()).isEqualTo(401);
      assertThat(stolen.body()).doesNotContain("big").doesNotContain("rows");
    }
  }

  @Test
  void aReadOnlyServerRefusesWritesAndServesQueries() throws SQLException {
    try (MallardServer server = MallardServer.start(ServerConfig.of(lake.url()).withPort(0).withReadOnly(true));
        Connection remote = AvaticaClient.connect(server.clientUrl())) {
      List<List<String>> before = Rows.query(embedded, "SELECT * FROM live ORDER BY id");
      for (String write : List.of("INSERT INTO live VALUES (99, 'nope')", "DELETE FROM live",
          "UPDATE live SET label = 'x'", "CREATE TABLE sneaky (a INTEGER)", "DROP TABLE live",
          "not even sql; DROP TABLE live")) {
        try (Statement s = remote.createStatement()) {
          assertThatThrownBy(() -> s.execute(write)).as(write).isInstanceOf(SQLException.class)
              .hasMessageContaining("read-only")
              .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
        }
        // Avatica's driver keeps the server's SQLSTATE of a failed prepare, and puts its own message first.
        assertThatThrownBy(() -> remote.prepareStatement(write).close()).as("prepare " + write)
            .isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
      }
      assertThat(Rows.query(remote, "SELECT * FROM live ORDER BY id")).isEqualTo(before);
      assertThat(Rows.query(embedded, "SELECT * FROM live ORDER BY id")).isEqualTo(before);
      assertThat(Rows.query(remote, "EXPLAIN PLAN FOR SELECT * FROM live")).isNotEmpty();
    }
  }

  @Test
  void connectionsPastTheMaximumAreRefusedAndIdleOnesClosed() throws Exception {
    try (MallardServer server = MallardServer.start(ServerConfig.of(lake.url()).withPort(0).withLimits(2, 1))) {
      try (Connection a = AvaticaClient.connect(server.clientUrl());
          Connection b = AvaticaClient.connect(server.clientUrl())) {
        Rows.query(a, "SELECT 1");
        Rows.query(b, "SELECT 1");
        assertThatThrownBy(() -> {
          try (Connection c = AvaticaClient.connect(server.clientUrl())) {
            Rows.query(c, "SELECT 1");
          }
        }).hasStackTraceContaining("maximum of 2 connections");
        // Unused for longer than the idle timeout (1 s), both are closed by the server.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (server.openConnections() > 0 && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertThat(server.openConnections()).isZero();
      }
    }
  }

  @Test
  void closingTheServerClosesItsConnections() throws SQLException {
    MallardServer server = MallardServer.start(ServerConfig.of(lake.url()).withPort(0));
    Connection remote = AvaticaClient.connect(server.clientUrl());
    Rows.query(remote, "SELECT 1");
    assertThat(server.openConnections()).isEqualTo(1);
    server.close();
    assertThat(server.openConnections()).isZero();
    assertThatThrownBy(() -> Rows.query(remote, "SELECT 1")).isInstanceOf(Exception.class);
  }

  @Test
  void phoenixdbFromPythonAnswersAsEmbeddedJdbc() throws SQLException {
    List<String[]> statements = new ArrayList<>();
    for (String sql : QUERIES) {
      statements.add(new String[] {sql});
    }
    statements.add(new String[] {"SELECT id, kind, amount FROM s1.events WHERE id > ? AND kind = ? ORDER BY id",
        "[1500, \"b\"]"});
    List<PhoenixClient.Answer> answers = PhoenixClient.run(httpUrl(protobuf), statements);
    assertThat(answers).hasSize(statements.size());
    for (int i = 0; i < QUERIES.size(); i++) {
      assertThat(answers.get(i).error()).as(QUERIES.get(i)).isNull();
      assertThat(answers.get(i).rows()).as(QUERIES.get(i)).isNotEmpty().isEqualTo(Rows.query(embedded, QUERIES.get(i)));
    }
    assertThat(answers.get(QUERIES.size()).rows()).isEqualTo(Rows.query(embedded,
        "SELECT id, kind, amount FROM s1.events WHERE id > 1500 AND kind = 'b' ORDER BY id"));
  }

  @Test
  void phoenixdbWithAWrongPasswordGets401() throws IOException, SQLException {
    Path users = dir.resolve("phoenix-users.properties");
    Files.writeString(users, "bob: hunter2," + ServerConfig.ROLE + "\n");
    try (MallardServer server = MallardServer.start(ServerConfig.of(lake.url()).withPort(0)
        .withAuthentication(ServerConfig.Authentication.BASIC, users))) {
      List<String[]> count = List.<String[]>of(new String[] {"SELECT count(*) FROM s1.events"});
      List<PhoenixClient.Answer> right = PhoenixClient.run(httpUrl(server), count, "bob", "hunter2");
      assertThat(right.get(0).rows()).isEqualTo(Rows.query(embedded, "SELECT count(*) FROM s1.events"));
      List<PhoenixClient.Answer> wrong = PhoenixClient.run(httpUrl(server), count, "bob", "wrong");
      assertThat(wrong).hasSize(1);
      assertThat(wrong.get(0).rows()).isEmpty();
      assertThat(wrong.get(0).error()).contains("401");
    }
  }

  static String httpUrl(MallardServer server) {
    return "http://127.0.0.1:" + server.port() + "/";
  }

  static Properties credentials(String user, String password) {
    Properties p = new Properties();
    p.setProperty("avatica_user", user);
    p.setProperty("avatica_password", password);
    return p;
  }

  private static HttpResponse<String> post(MallardServer server, String body, String user, String password)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(httpUrl(server)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
