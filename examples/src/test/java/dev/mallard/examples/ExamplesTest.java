package dev.mallard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.jdbc.server.MallardServer;
import dev.mallard.jdbc.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The examples run against the sample lake that ships in examples/sample-lake. */
class ExamplesTest {
  static final Path CATALOG = Path.of("sample-lake", "lake.sqlite").toAbsolutePath();
  /** The sample catalog's data_path is relative to the repository root; tests run in examples/. */
  static final String URL = "jdbc:ducklake:sqlite:" + CATALOG + "?data_path="
      + Path.of("sample-lake", "data").toAbsolutePath() + "/";

  @Test
  void embeddedSqlReportsEachMonth() throws SQLException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EmbeddedSql.report(URL, "north", new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("Revenue of region north:").contains("2025-01").contains("2025-06");
    assertThat(text).doesNotContainPattern("2025-0\\d +0 orders");
  }

  @Test
  void urlFormsReachTheSameLakeAtItsSnapshots() throws SQLException {
    long latest = JdbcUrls.count(URL, new Properties());
    long early = JdbcUrls.count(URL + "&snapshot=4", new Properties());
    Properties readOnly = new Properties();
    readOnly.setProperty("read_only", "true");
    assertThat(early).isPositive().isLessThan(latest);
    assertThat(JdbcUrls.count(URL, readOnly)).isEqualTo(latest);
    assertThat(JdbcUrls.FORMS).allMatch(u -> u.startsWith("jdbc:ducklake:") || u.startsWith("jdbc:avatica:"));
  }

  @Test
  void theAvaticaClientQueriesAServer() throws SQLException {
    try (MallardServer server = MallardServer.start(ServerConfig.of(URL).withPort(0))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      AvaticaClient.ordersByRegion(server.clientUrl(), new Properties(),
          new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("(?m)^east: \\d+$")
          .containsPattern("(?m)^north: \\d+$").containsPattern("(?m)^west: \\d+$");
    }
  }
}
