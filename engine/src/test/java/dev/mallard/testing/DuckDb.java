package dev.mallard.testing;

import dev.mallard.engine.types.Interval;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real DuckDB with the real {@code ducklake} extension, as the oracle of interop tests: what
 * DuckDB writes and answers is what Mallard must read and answer. It runs in one long-lived Python
 * process (the official {@code duckdb} wheel, extensions from PyPI wheels, nothing downloaded at run
 * time) holding one in-memory connection with {@code ducklake} and the catalog scanners loaded and
 * the session time zone set to UTC. The venv is installed on first use at pinned versions into
 * {@code $MALLARD_CACHE} or else {@code ~/.cache/mallard} (see {@code PythonEnv}); a missing Python
 * or a failed install is a test failure, never a skip. Start it once per test class and close it
 * (it is {@link AutoCloseable}); calls are synchronized.
 *
 * <p>Query results come back exactly, in these normalized Java forms (DuckDB converts each value
 * whose Python form could lose something to its own text, which is parsed here):
 *
 * <table>
 *   <caption>Java form of each DuckDB type</caption>
 *   <tr><th>DuckDB</th><th>Java</th></tr>
 *   <tr><td>NULL of any type</td><td>{@code null}</td></tr>
 *   <tr><td>BOOLEAN</td><td>Boolean</td></tr>
 *   <tr><td>every integer type, TINYINT to HUGEINT, UTINYINT to UHUGEINT</td><td>BigInteger</td></tr>
 *   <tr><td>DECIMAL(p,s)</td><td>BigDecimal with scale s</td></tr>
 *   <tr><td>FLOAT, DOUBLE</td><td>Double, exact (a FLOAT widened); infinities, NaN and -0.0 kept</td></tr>
 *   <tr><td>VARCHAR, JSON</td><td>String (NUL characters and non-BMP characters kept)</td></tr>
 *   <tr><td>UUID</td><td>String, canonical lower case</td></tr>
 *   <tr><td>BLOB</td><td>byte[]</td></tr>
 *   <tr><td>DATE</td><td>LocalDate (BC years as proleptic years: 44 BC is -43); the Strings
 *       {@code "infinity"} and {@code "-infinity"}</td></tr>
 *   <tr><td>TIME, TIME_NS</td><td>LocalTime; DuckDB's {@code 24:00:00} as the String {@code "24:00:00"}</td></tr>
 *   <tr><td>TIME WITH TIME ZONE</td><td>OffsetTime with DuckDB's offset; a {@code 24:00:00} one as its
 *       text, a String</td></tr>
 *   <tr><td>TIMESTAMP, TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP_NS</td><td>LocalDateTime to the type's
 *       full precision (nanoseconds for TIMESTAMP_NS); the Strings {@code "infinity"} and
 *       {@code "-infinity"}</td></tr>
 *   <tr><td>TIMESTAMP WITH TIME ZONE</td><td>OffsetDateTime at {@code ZoneOffset.UTC};
 *       {@code "infinity"}, {@code "-infinity"}</td></tr>
 *   <tr><td>INTERVAL</td><td>the engine's {@link Interval} (months, days, micros), each part exact</td></tr>
 *   <tr><td>LIST, ARRAY</td><td>List of normalized elements</td></tr>
 *   <tr><td>STRUCT</td><td>LinkedHashMap&lt;String, Object&gt; in field order</td></tr>
 *   <tr><td>MAP</td><td>LinkedHashMap&lt;Object, Object&gt; in DuckDB's entry order (keys normalized
 *       too, so BLOB keys compare by identity)</td></tr>
 *   <tr><td>anything else (ENUM, UNION, BIT, BIGNUM, GEOMETRY, VARIANT, ...)</td><td>DuckDB's VARCHAR
 *       text, a String</td></tr>
 * </table>
 *
 * <p>Rows are lists that allow nulls; {@code byte[]} values compare by identity under
 * {@code equals}, so compare blobs by content.
 */
public final class DuckDb implements AutoCloseable {
  /** How long one statement may run before the oracle is presumed hung and killed. */
  private static final long TIMEOUT_MINUTES = 10;
  /** The end of the oracle's standard output, in the line queue. */
  private static final String EOF = new String("EOF");
  /** Error kinds the oracle script reports for its own failures rather than DuckDB's. */
  private static final List<String> ORACLE_FAULTS = List.of("OracleError", "ProtocolError");

  /**
   * A pinned DuckDB release with the ducklake extension of the same release. Each writes the
   * DuckLake catalog version its spec defines, so each is the oracle for that spec.
   */
  public enum Version {
    /** DuckDB 1.5.5: DuckLake spec 1.0. */
    V1_5_5("1.5.5", "1.0", List.of("duckdb==1.5.5", "duckdb-extensions==1.5.5",
        "duckdb-extension-ducklake==1.5.5", "duckdb-extension-sqlite-scanner==1.5.5",
        "duckdb-extension-postgres-scanner==1.5.5", "duckdb-extension-mysql-scanner==1.5.5",
        "duckdb-extension-httpfs==1.5.5", "pytz")),
    /** DuckDB 1.5.1: DuckLake spec 0.4. */
    V1_5_1("1.5.1", "0.4", List.of("duckdb==1.5.1", "duckdb-extensions==1.5.1",
        "duckdb-extension-ducklake==1.5.1", "duckdb-extension-sqlite-scanner==1.5.1", "pytz")),
    /** DuckDB 1.4.4: DuckLake spec 0.3 (extensions from the separately published duckdb-ext wheels). */
    V1_4_4("1.4.4", "0.3", List.of("duckdb==1.4.4", "duckdb-ext-ducklake==1.4.4.20260205",
        "duckdb-ext-sqlite==1.4.4.20260205", "pytz"));

    private final String duckdbVersion;
    private final String catalogVersion;
    private final List<String> packages;

    Version(String duckdbVersion, String catalogVersion, List<String> packages) {
      this.duckdbVersion = duckdbVersion;
      this.catalogVersion = catalogVersion;
      this.packages = packages;
    }

    /** DuckDB's release, as {@code duckdb.__version__} reports it. */
    public String duckdbVersion() {
      return duckdbVersion;
    }

    /** The {@code version} in {@code ducklake_metadata} of catalogs this release creates. */
    public String catalogVersion() {
      return catalogVersion;
    }

    /** The exact pip requirements of this release's venv. */
    public List<String> packages() {
      return packages;
    }
  }

  /**
   * A query's result: column names, DuckDB's type names (as {@code typeof} spells them, e.g.
   * {@code DECIMAL(18,3)}, {@code TIMESTAMP WITH TIME ZONE}, {@code INTEGER[]}), and rows of values
   * in the normalized forms listed on {@link DuckDb}.
   */
  public record Result(List<String> columns, List<String> types, List<List<Object>> rows) {
    /** The single value of a one-row, one-column result. */
    public Object scalar() {
      if (rows.size() != 1 || columns.size() != 1) {
        throw new IllegalStateException("not a single value: " + columns + " " + rows);
      }
      return rows.get(0).get(0);
    }
  }

  /** An error DuckDB reported for a statement; the message starts with DuckDB's own message. */
  public static final class DuckDbException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String kind;
    private final String duckdbMessage;

    DuckDbException(String kind, String duckdbMessage, String sql) {
      super(duckdbMessage + "\n[" + kind + "] SQL: " + abbreviate(sql));
      this.kind = kind;
      this.duckdbMessage = duckdbMessage;
    }

    /** DuckDB's exception class, e.g. {@code ParserException} or {@code CatalogException}. */
    public String kind() {
      return kind;
    }

    /** DuckDB's message alone, without the statement. */
    public String duckdbMessage() {
      return duckdbMessage;
    }
  }

  private final Version version;
  private final Process process;
  private final Path script;
  private final OutputStream requests;
  private final BlockingQueue<String> responses = new LinkedBlockingQueue<>();
  private final StringBuffer stderr = new StringBuffer();
  private boolean closed;

  private DuckDb(Version version, Process process, Path script) {
    this.version = version;
    this.process = process;
    this.script = script;
    this.requests = process.getOutputStream();
    daemon("duckdb-oracle-stdout", () -> readLines(process.getInputStream()));
    daemon("duckdb-oracle-stderr", () -> readStderr(process.getErrorStream()));
  }

  /**
   * Starts DuckDB {@code version}, installing its venv first when needed (the first install takes
   * some seconds and needs PyPI), with ducklake and sqlite_scanner (and, where installed, the
   * postgres and mysql scanners) loaded.
   */
  public static DuckDb start(Version version) {
    Path python = PythonEnv.ensure("duckdb-" + version.duckdbVersion, version.packages);
    Path script;
    Process process;
    try {
      script = Files.createTempFile("duckdb_oracle", ".py");
      try (InputStream in = DuckDb.class.getResourceAsStream("duckdb_oracle.py")) {
        if (in == null) {
          throw new IllegalStateException("duckdb_oracle.py is missing from the classpath");
        }
        Files.write(script, in.readAllBytes());
      }
      ProcessBuilder builder = new ProcessBuilder(python.toString(), script.toString());
      builder.environment().put("PYTHONNOUSERSITE", "1");
      builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
      builder.environment().put("PYTHONIOENCODING", "utf-8");
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the DuckDB " + version.duckdbVersion + " oracle", e);
    }
    DuckDb db = new DuckDb(version, process, script);
    try {
      Map<String, Object> hello = db.receive("start");
      if (!Boolean.TRUE.equals(hello.get("ok"))) {
        throw new IllegalStateException("The DuckDB " + version.duckdbVersion + " oracle failed to start: "
            + hello.get("error") + db.stderrTail());
      }
      if (!version.duckdbVersion.equals(hello.get("duckdb"))) {
        throw new IllegalStateException("Expected DuckDB " + version.duckdbVersion + " but the venv has "
            + hello.get("duckdb"));
      }
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** The release this process runs. */
  public Version version() {
    return version;
  }

  /** Runs one or more statements, discarding any result. */
  public synchronized void execute(String sql) {
    call("execute", sql, null);
  }

  /**
   * Runs statements on another connection to the same database (as sqllogictest's {@code con1}),
   * made on first use: its own transactions and session settings, the same attached databases.
   */
  public synchronized void execute(String connection, String sql) {
    call("execute", sql, connection);
  }

  /** Closes every connection {@link #execute(String, String)} or {@link #query(String, String)} made. */
  public synchronized void closeOtherConnections() {
    call("close_connections", "", null);
  }

  /** Runs SQL (earlier statements of several are executed too) and returns the last one's result. */
  public synchronized Result query(String sql) {
    return query(null, sql);
  }

  /** {@link #query(String)} on another connection (null: the default one); see {@link #execute(String, String)}. */
  @SuppressWarnings("unchecked")
  public synchronized Result query(String connection, String sql) {
    Map<String, Object> answer = call("query", sql, connection);
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<Map<String, Object>> trees = new ArrayList<>();
    for (Object c : (List<Object>) answer.get("columns")) {
      Map<String, Object> column = (Map<String, Object>) c;
      Map<String, Object> tree = (Map<String, Object>) column.get("type");
      names.add((String) column.get("name"));
      types.add((String) tree.get("type"));
      trees.add(tree);
    }
    List<List<Object>> rows = new ArrayList<>();
    for (Object r : (List<Object>) answer.get("rows")) {
      List<Object> wire = (List<Object>) r;
      List<Object> row = new ArrayList<>(wire.size());
      for (int i = 0; i < wire.size(); i++) {
        row.add(DuckDbValues.decode(wire.get(i), trees.get(i)));
      }
      rows.add(Collections.unmodifiableList(row));
    }
    return new Result(List.copyOf(names), List.copyOf(types), Collections.unmodifiableList(rows));
  }

  /**
   * Attaches a DuckLake whose catalog is the SQLite file {@code catalog} and whose data lives under
   * {@code dataPath} as {@code alias}, and makes it the default catalog ({@code USE}).
   */
  public void attachSqliteLake(String alias, Path catalog, Path dataPath) {
    execute("ATTACH " + DuckDbValues.sqlString("ducklake:sqlite:" + catalog.toAbsolutePath()) + " AS " + alias
        + " (DATA_PATH " + DuckDbValues.sqlString(dataPath.toAbsolutePath() + "/") + ")");
    execute("USE " + alias);
  }

  /**
   * DuckDB's text of one value of type {@code type} (a DuckDB type name such as {@code DATE},
   * {@code TIME WITH TIME ZONE} or {@code DECIMAL(9,3)}) in the normalized form of this class.
   * BLOB text is DuckDB's escaped form ({@code \xFF}).
   */
  static Object normalize(String type, String text) {
    return DuckDbValues.normalize(type, text);
  }

  /** Ends the Python process; the connection and everything in memory goes with it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      requests.close(); // the oracle exits at the end of its input
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      script.toFile().delete();
    }
  }

  private Map<String, Object> call(String op, String sql, String connection) {
    if (closed) {
      throw new IllegalStateException("This DuckDB oracle is closed");
    }
    String request = "{\"op\":" + Json.quote(op) + ",\"sql\":" + Json.quote(sql)
        + (connection == null ? "" : ",\"connection\":" + Json.quote(connection)) + "}\n";
    try {
      requests.write(request.getBytes(StandardCharsets.US_ASCII));
      requests.flush();
    } catch (IOException e) {
      throw new IllegalStateException("The DuckDB oracle is gone: " + e + stderrTail(), e);
    }
    Map<String, Object> answer = receive(sql);
    if (!Boolean.TRUE.equals(answer.get("ok"))) {
      String kind = (String) answer.get("kind");
      if (ORACLE_FAULTS.contains(kind)) { // a bug of the fixture, not an answer of DuckDB's
        throw new IllegalStateException("The DuckDB oracle failed: " + answer.get("error") + "\nSQL: "
            + abbreviate(sql) + stderrTail());
      }
      throw new DuckDbException(kind, (String) answer.get("error"), sql);
    }
    return answer;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> receive(String sql) {
    String line;
    try {
      line = responses.poll(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while DuckDB ran: " + abbreviate(sql), e);
    }
    if (line == null) {
      process.destroyForcibly();
      throw new IllegalStateException("DuckDB took over " + TIMEOUT_MINUTES + " minutes and was killed: "
          + abbreviate(sql) + stderrTail());
    }
    if (line == EOF) {
      responses.add(EOF); // every later call fails alike
      throw new IllegalStateException("The DuckDB oracle exited (" + exitCode() + ") during: " + abbreviate(sql)
          + stderrTail());
    }
    return (Map<String, Object>) Json.parse(line);
  }

  private void readLines(InputStream in) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        responses.add(line);
      }
    } catch (IOException e) {
      stderr.append("\n[reading the oracle's output failed: ").append(e).append(']');
    } finally {
      responses.add(EOF);
    }
  }

  private void readStderr(InputStream in) {
    char[] buf = new char[4096];
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      for (int n = reader.read(buf); n >= 0; n = reader.read(buf)) {
        stderr.append(buf, 0, n);
        if (stderr.length() > 64 * 1024) {
          stderr.delete(0, stderr.length() - 32 * 1024);
        }
      }
    } catch (IOException e) {
      // the process is gone; what was read is kept
    }
  }

  private String stderrTail() {
    String text = stderr.toString().strip();
    return text.isEmpty() ? "" : "\nOracle stderr:\n" + text;
  }

  private String exitCode() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? "exit " + process.exitValue() : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown exit";
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  static String abbreviate(String sql) {
    return sql.length() <= 2000 ? sql : sql.substring(0, 2000) + "... (" + sql.length() + " characters)";
  }
}
