package dev.mallard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.jdbc.shell.Shell;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL shell, driven the way a user drives it: a script on standard input, or typed lines. */
class ShellTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void forgetHistoryFile() {
    System.clearProperty(Shell.HISTORY_PROPERTY);
  }

  private int script(String text, String... args) throws IOException {
    System.setProperty(Shell.HISTORY_PROPERTY, dir.resolve("history").toString());
    return Shell.run(SharedLake.get().url(), List.of(args),
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out, err);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listsTablesAndPrintsResultsAsTables() throws IOException {
    int status = script("!tables\nSELECT kind, count(*) AS n FROM s1.events WHERE id < 100 GROUP BY kind ORDER BY kind;\n");
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out()).contains("TABLE_SCHEM").contains("| main").contains("all_types").contains("| s1")
        .contains("events");
    // A bordered table: a header row, a rule, the rows.
    assertThat(out()).containsPattern("\\| +kind +\\| +n +\\|").containsPattern("\\| a +\\| 26 +\\|")
        .containsPattern("\\+-+\\+-+\\+");
  }

  @Test
  void stopsAtTheFirstFailingStatementWithItsMessage() throws IOException {
    int status = script("SELECT nope FROM s1.events;\nSELECT 42 AS after_failure;\n");
    assertThat(status).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Error: ").contains("nope");
    assertThat(out()).doesNotContain("after_failure");
  }

  @Test
  void takesOutputFormatsAsSqlLineArguments() throws IOException {
    int status = script("SELECT id, kind FROM s1.events WHERE id IN (4, 6) ORDER BY id;\n", "--outputformat=csv");
    assertThat(status).isZero();
    assertThat(out()).contains("'id','kind'").contains("'4','b'").contains("'6','a'");
  }

  @Test
  void anInteractiveSessionKeepsItsHistory() throws IOException {
    Path history = dir.resolve("interactive-history");
    System.setProperty(Shell.HISTORY_PROPERTY, history.toString());
    String typed = "SELECT count(*) AS live_rows FROM live;\n!history\n!quit\n";
    int status = Shell.interactive(SharedLake.get().url(), List.of(),
        new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), out, err);
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out()).containsPattern("\\| live_rows +\\|");
    assertThat(Files.readString(history)).contains("SELECT count(*) AS live_rows FROM live;");
    // The next session finds it: !history lists the earlier session's statement first.
    out.reset();
    Shell.interactive(SharedLake.get().url(), List.of(),
        new ByteArrayInputStream("!history\n!quit\n".getBytes(StandardCharsets.UTF_8)), out, err);
    assertThat(out()).contains("SELECT count(*) AS live_rows FROM live;");
  }
}
