package dev.mallard.jdbc.shell;

import dev.mallard.jdbc.DuckLakeDriver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import sqlline.SqlLine;

/**
 * The SQL shell: SQLLine connected to a lake. Interactive on a terminal (line editing, completion,
 * history in {@code ~/.mallard/shell_history}), or running a script (statements separated by
 * {@code ;}) that stops at its first failing statement. Its commands start with {@code !}:
 * {@code !tables}, {@code !columns t}, {@code !describe t}, {@code !outputformat csv},
 * {@code !help}, {@code !quit}.
 */
public final class Shell {
  /** Names another history file than {@code ~/.mallard/shell_history}. */
  public static final String HISTORY_PROPERTY = "mallard.shell.history";

  private Shell() {}

  /**
   * Runs the shell on {@code url} until {@code !quit}, the end of the terminal's input or the end of
   * the script.
   *
   * @param url a {@code jdbc:ducklake:} URL
   * @param extraArgs more SQLLine arguments, e.g. {@code --outputformat=csv}
   * @param script statements to run, or null for an interactive session on the terminal
   * @param out where results go
   * @param err where errors and messages go
   * @return 0 when every statement succeeded, otherwise 1
   */
  public static int run(String url, List<String> extraArgs, InputStream script, OutputStream out, OutputStream err)
      throws IOException {
    return run(url, extraArgs, script, null, out, err);
  }

  /**
   * An interactive session that reads its keys from {@code keys} instead of the terminal, the way a
   * user's typing would arrive: lines are edited, run and kept in the history file.
   */
  public static int interactive(String url, List<String> extraArgs, InputStream keys, OutputStream out,
      OutputStream err) throws IOException {
    return run(url, extraArgs, null, keys, out, err);
  }

  private static int run(String url, List<String> extraArgs, InputStream script, InputStream keys, OutputStream out,
      OutputStream err) throws IOException {
    DuckLakeDriver.class.getName(); // loading the driver registers it with DriverManager, where SQLLine looks
    List<String> args = new ArrayList<>(List.of("-u", url, "-d", DuckLakeDriver.class.getName(),
        "--connectInteractionMode=notAskCredentials", "--isolation=TRANSACTION_NONE",
        "--historyFile=" + historyFile(), "--showWarnings=false"));
    Path scriptFile = null;
    if (script != null) {
      // SQLLine runs a script from a file, stopping at the first failure; it reads a stream as a
      // session that goes on after errors. So the script goes through a file.
      scriptFile = Files.createTempFile("mallard-shell", ".sql");
      Files.write(scriptFile, script.readAllBytes());
      args.add("--run=" + scriptFile);
    }
    // No terminal control sequences in output that goes to a pipe or a file.
    if ((script != null || keys != null) && System.getProperty("org.jline.terminal.type") == null) {
      System.setProperty("org.jline.terminal.type", "dumb");
    }
    args.addAll(extraArgs);
    try {
      SqlLine sqlLine = new ConciseSqlLine();
      sqlLine.setOutputStream(new PrintStream(out, true, StandardCharsets.UTF_8));
      sqlLine.setErrorStream(new PrintStream(err, true, StandardCharsets.UTF_8));
      // A script needs no terminal: an empty input keeps SQLLine from opening the system's.
      InputStream terminalInput = script == null ? keys : InputStream.nullInputStream();
      SqlLine.Status status = sqlLine.begin(args.toArray(String[]::new), terminalInput, script == null);
      return status == SqlLine.Status.OK ? 0 : 1;
    } finally {
      if (scriptFile != null) {
        Files.deleteIfExists(scriptFile);
      }
    }
  }

  /** {@code ~/.mallard/shell_history}, or the file the system property {@value #HISTORY_PROPERTY} names. */
  static Path historyFile() {
    String configured = System.getProperty(HISTORY_PROPERTY);
    Path file = configured != null && !configured.isBlank() ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".mallard", "shell_history");
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + dir + " for the shell's history", e);
    }
    return file;
  }

  /**
   * Reports a failed statement in one line, with its SQLSTATE. SQLLine prints whole stack traces
   * while it runs a script, which buries the message a user needs.
   */
  private static final class ConciseSqlLine extends SqlLine {
    @Override
    public void handleException(Throwable e) {
      Throwable t = e;
      while (t instanceof InvocationTargetException ite && ite.getTargetException() != null) {
        t = ite.getTargetException();
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState() == null || sql.getSQLState().isBlank() ? ""
            : " (SQLSTATE " + sql.getSQLState() + ")";
        error("Error: " + sql.getMessage() + state);
      } else {
        super.handleException(e);
      }
    }
  }
}
