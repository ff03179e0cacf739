package dev.mallard.jdbc.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mallard.engine.MallardException;
import dev.mallard.jdbc.Mallard;
import dev.mallard.jdbc.conformance.FileResult.Status;
import dev.mallard.jdbc.conformance.SqlLogicTest.Expect;
import dev.mallard.jdbc.conformance.SqlLogicTest.Kind;
import dev.mallard.jdbc.conformance.SqlLogicTest.Record;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.ResultAssert;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.validate.SqlValidatorException;

/**
 * Replays upstream sqllogictest files: DuckDB 1.5.5 with {@code ducklake} runs every statement; after
 * each statement that commits a snapshot, Mallard opens the same SQLite catalog and reads every
 * table at that snapshot, and again at every snapshot the file time-travels to, and each read must
 * equal DuckDB's ({@code AT (VERSION => n)}). Queries on a lake are also run by Mallard when it can
 * parse and validate them, and must give DuckDB's rows (in any order).
 *
 * <p>Lakes are attached on SQLite catalogs: the corpus's {@code DUCKLAKE_CONNECTION} is
 * {@code sqlite:<test dir>/<file name>.db} as in upstream's own {@code sqlite.json} run, and a
 * {@code ducklake:<path>} that names a new file is rewritten to {@code ducklake:sqlite:<path>}.
 *
 * <p>One DuckDB process serves many files; between files everything a file attached, created or
 * set is dropped, and a DuckDB that cannot be reset is replaced.
 */
final class ConformanceRunner implements AutoCloseable {
  /** {@code require} arguments that DuckDB 1.5.5 from the wheels satisfies here. */
  private static final Set<String> SATISFIED = Set.of("ducklake", "parquet", "icu", "json", "httpfs",
      "notwindows", "notmusl", "no_alternative_verify", "sqlite_scanner");
  /** SQL that needs cloud storage, secrets, encryption keys or catalog servers. */
  private static final Pattern NEEDS_ELSEWHERE = Pattern.compile(
      "(?i)\\bENCRYPTED\\b|CREATE\\s+(OR\\s+REPLACE\\s+)?(PERSISTENT\\s+|TEMPORARY\\s+)?SECRET|\\b(s3|gcs|r2|az|azure|https?)://|'ducklake:(postgres|mysql):|DUCKLAKE_CONNECTION_?\\w*\\}?'?\\s*\\(TYPE\\s+postgres");
  private static final Pattern DUCKLAKE_URL = Pattern.compile("'ducklake:([^']*)'");
  private static final Pattern ATTACH = Pattern.compile(
      "(?is)^\\s*ATTACH\\s+(?:OR\\s+REPLACE\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:DATABASE\\s+)?'ducklake:sqlite:([^']*)'"
          + "(?:\\s+AS\\s+(\"[^\"]+\"|\\w+))?");
  private static final Pattern DATA_PATH_OPTION = Pattern.compile("(?i)\\bDATA_PATH\\b");
  private static final Pattern DATA_PATH_VALUE = Pattern.compile("(?i)\\bDATA_PATH\\s+'([^']*)'");
  /** DuckDB reads the lake's files under the ATTACH's DATA_PATH rather than the catalog's. */
  private static final Pattern OVERRIDE_DATA_PATH = Pattern.compile("(?i)\\bOVERRIDE_DATA_PATH\\b(?!\\s+(FALSE|0)\\b)");
  /** The option list of an ATTACH: its first option starts group 1. */
  private static final Pattern ATTACH_OPTIONS = Pattern.compile(
      "(?is)^\\s*ATTACH\\b.*?'ducklake:[^']*'(?:\\s+AS\\s+(?:\"[^\"]+\"|\\w+))?\\s*\\(\\s*(\\S)");
  private static final Pattern DETACH = Pattern.compile(
      "(?is)^\\s*DETACH\\s+(?:DATABASE\\s+)?(?:IF\\s+EXISTS\\s+)?(\"[^\"]+\"|\\w+)");
  private static final Pattern USE = Pattern.compile("(?is)^\\s*USE\\s+(\"[^\"]+\"|\\w+)");
  /** An ATTACH pinned to a snapshot: DuckDB shows the lake as of then, and so must Mallard. */
  private static final Pattern PINNED = Pattern.compile("(?i)\\bSNAPSHOT_(VERSION|TIME)\\b");
  private static final Pattern SETTING = Pattern.compile(
      "(?is)^\\s*SET\\s+(?:GLOBAL\\s+|SESSION\\s+|LOCAL\\s+)?(VARIABLE\\s+)?(\\w+)");
  private static final Pattern TIME_TRAVEL = Pattern.compile("(?i)AT\\s*\\(\\s*VERSION\\s*=>\\s*(\\d+)\\s*\\)");
  /** Queries that only read: the ones Mallard runs too. */
  private static final Pattern READS = Pattern.compile("(?is)\\s*(\\(\\s*)*(SELECT|WITH|VALUES|FROM|TABLE)\\b");
  private static final Pattern BEGIN = Pattern.compile("(?is)^\\s*(BEGIN|START\\s+TRANSACTION)\\b.*");
  private static final Pattern END = Pattern.compile("(?is)^\\s*(COMMIT|ROLLBACK|END|ABORT)\\b.*");

  /** The start of the detail of a file whose replay threw (not a mismatch). */
  private static final String REPLAY_FAILED = "the replay failed: ";

  private final Path corpus;
  private final Path scratch;
  /** Files upstream's own SQLite-catalog run skips ({@code test/configs/sqlite.json}), with its reason. */
  private final Map<String, String> sqliteSkips = new LinkedHashMap<>();
  /** DuckDB errors upstream's SQLite-catalog run treats as a skip (e.g. "database is locked"). */
  private final List<String> sqliteSkipErrors = new ArrayList<>();
  private DuckDb duckdb;
  /** DuckDB's settings as it started, to put back what a file changed. */
  private final Map<String, Object> defaultSettings = new LinkedHashMap<>();

  /**
   * @param corpus a checkout of duckdb/ducklake (or the shared copy): the folder holding {@code test/} and {@code data/}
   * @param scratch where each file gets its own fresh directory
   */
  ConformanceRunner(Path corpus, Path scratch) {
    this.corpus = corpus;
    this.scratch = scratch;
    Path config = corpus.resolve("test/configs/sqlite.json");
    if (Files.exists(config)) {
      try {
        JsonNode json = new ObjectMapper().readTree(config.toFile());
        json.path("skip_error_messages").forEach(m -> sqliteSkipErrors.add(m.asText()));
        for (JsonNode group : json.path("skip_tests")) {
          for (JsonNode path : group.path("paths")) {
            sqliteSkips.put(path.asText().replaceFirst("^test/", ""), group.path("reason").asText());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + config, e);
      }
    }
  }

  /** The folder of the corpus; {@code mallard.upstream.tests} overrides the project's shared copy. */
  static Path corpus() {
    String configured = System.getProperty("mallard.upstream.tests");
    Path path = configured != null ? Path.of(configured)
        : Path.of("").toAbsolutePath().getParent().resolve("../shared/ducklake-upstream-tests");
    path = path.normalize();
    if (!Files.isDirectory(path.resolve("test/sql"))) {
      throw new IllegalStateException("The upstream DuckLake test corpus is not at " + path
          + ": set -Dmallard.upstream.tests to a checkout of duckdb/ducklake");
    }
    return path;
  }

  /** Every test file of the corpus, as paths under {@code test/}, sorted. */
  static List<String> allFiles(Path corpus) throws IOException {
    Path tests = corpus.resolve("test");
    try (Stream<Path> files = Files.walk(tests.resolve("sql"))) {
      return files.filter(p -> p.toString().endsWith(".test") || p.toString().endsWith(".test_slow"))
          .map(p -> tests.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
  }

  FileResult run(String file) {
    Path dir;
    try {
      dir = Files.createTempDirectory(scratch, "t");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Replay replay = new Replay(file, SqlLogicTest.parse(corpus.resolve("test").resolve(file)), dir);
      try {
        return upstreamSqliteSkips(replay.run());
      } finally {
        replay.closeReaders();
      }
    } catch (IOException e) {
      return new FileResult(file, Status.FAIL, "cannot read the file: " + e, null, 0, 0);
    } catch (RuntimeException e) { // e.g. the DuckDB process failed: this file fails, the next gets a new one
      close();
      return upstreamSqliteSkips(new FileResult(file, Status.FAIL, REPLAY_FAILED + e.getMessage(), null, 0, 0));
    } finally {
      reset();
      deleteTree(dir);
    }
  }

  /**
   * A file that does not pass and that upstream's own SQLite-catalog run skips (by name, or because
   * DuckDB failed with one of its skipped errors, "database is locked" when two connections write,
   * and nothing was compared or the DuckDB process itself failed on it)
   * does not apply to a SQLite catalog; the detail keeps what happened here.
   */
  private FileResult upstreamSqliteSkips(FileResult r) {
    if (r.status().passes() || r.status() == Status.NOTHING_COMPARED || r.status() == Status.NOT_APPLICABLE) {
      return r;
    }
    String reason = sqliteSkips.get(r.file());
    if (reason == null && (r.status() == Status.REFERENCE_DIVERGED || r.detail().startsWith(REPLAY_FAILED))) {
      reason = sqliteSkipErrors.stream().filter(r.detail()::contains).findFirst()
          .map(m -> "DuckDB failed with \"" + m + "\"").orElse(null);
    }
    return reason == null ? r : new FileResult(r.file(), Status.NOT_APPLICABLE,
        "upstream's SQLite-catalog run (test/configs/sqlite.json) skips it: " + reason + "\n  here: " + r.detail(),
        r.divergence(), r.comparisons(), r.skippedQueries(), r.unchangedTables());
  }

  @Override
  public void close() {
    if (duckdb != null) {
      duckdb.close();
      duckdb = null;
    }
  }

  private DuckDb duckdb() {
    if (duckdb == null) {
      duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
      defaultSettings.clear();
      for (List<Object> setting : duckdb.query("SELECT name, value FROM duckdb_settings()").rows()) {
        defaultSettings.put((String) setting.get(0), setting.get(1));
      }
    }
    return duckdb;
  }

  /** Puts DuckDB back to its state at start, or replaces it when that fails. */
  private void reset() {
    if (duckdb == null) {
      return;
    }
    try {
      duckdb.closeOtherConnections();
      tryExecute("ROLLBACK");
      duckdb.execute("USE memory");
      for (Object name : column("SELECT database_name FROM duckdb_databases()"
          + " WHERE NOT internal AND database_name <> 'memory' ORDER BY database_name LIKE '\\_\\_ducklake%' ESCAPE '\\'")) {
        tryExecute("DETACH " + ident((String) name));
      }
      for (Object drop : column("SELECT 'DROP ' || kind || ' IF EXISTS ' || obj || ' CASCADE' FROM ("
          + " SELECT 'VIEW' AS kind, database_name || '.\"' || schema_name || '\".\"' || view_name || '\"' AS obj"
          + "  FROM duckdb_views() WHERE NOT internal AND database_name IN ('memory', 'temp')"
          + " UNION ALL SELECT 'TABLE', database_name || '.\"' || schema_name || '\".\"' || table_name || '\"'"
          + "  FROM duckdb_tables() WHERE database_name IN ('memory', 'temp')"
          + " UNION ALL SELECT 'SEQUENCE', database_name || '.\"' || schema_name || '\".\"' || sequence_name || '\"'"
          + "  FROM duckdb_sequences() WHERE database_name IN ('memory', 'temp')"
          + " UNION ALL SELECT DISTINCT CASE WHEN function_type = 'table_macro' THEN 'MACRO TABLE' ELSE 'MACRO' END,"
          + "  database_name || '.\"' || schema_name || '\".\"' || function_name || '\"'"
          + "  FROM duckdb_functions() WHERE NOT internal AND database_name IN ('memory', 'temp') AND function_type IN ('macro', 'table_macro')"
          + " UNION ALL SELECT 'TYPE', database_name || '.\"' || schema_name || '\".\"' || type_name || '\"'"
          + "  FROM duckdb_types() WHERE NOT internal AND database_name IN ('memory', 'temp')"
          + " UNION ALL SELECT 'SCHEMA', database_name || '.\"' || schema_name || '\"'"
          + "  FROM duckdb_schemas() WHERE NOT internal AND database_name IN ('memory', 'temp') AND schema_name <> 'main')")) {
        tryExecute((String) drop);
      }
      for (Object variable : column("SELECT name FROM duckdb_variables()")) {
        duckdb.execute("RESET VARIABLE " + ident((String) variable));
      }
      duckdb.execute("SET TimeZone = 'UTC'");
      for (List<Object> setting : duckdb.query("SELECT name, value FROM duckdb_settings()").rows()) {
        if (!Objects.equals(setting.get(1), defaultSettings.get(setting.get(0)))) {
          tryExecute("RESET " + ident((String) setting.get(0)));
        }
      }
      duckdb.execute("SET TimeZone = 'UTC'");
      Object left = duckdb.query("SELECT count(*) FROM duckdb_databases() WHERE NOT internal").scalar();
      if (!left.toString().equals("1")) {
        throw new IllegalStateException("databases left attached: " + left);
      }
    } catch (RuntimeException e) {
      System.err.println("conformance: DuckDB could not be reset, starting a new one: " + e.getMessage());
      close();
    }
  }

  private List<Object> column(String sql) {
    return duckdb.query(sql).rows().stream().map(r -> r.get(0)).toList();
  }

  private void tryExecute(String sql) {
    try {
      duckdb.execute(sql);
    } catch (DuckDb.DuckDbException e) {
      // what is not there cannot be dropped
    }
  }

  /** The replay of one file, in its own directory. */
  private final class Replay {
    private final String file;
    private final SqlLogicTest test;
    private final Path dir;
    private final Map<String, String> env = new LinkedHashMap<>();
    /** Attached lakes: alias (lower case) to the SQLite catalog file. */
    private final Map<String, Path> lakes = new LinkedHashMap<>();
    /** Lakes attached at a snapshot (alias to snapshot id): read as of then, never compared as they change. */
    private final Map<String, Long> pinned = new LinkedHashMap<>();
    /** The newest snapshot compared per catalog file. */
    private final Map<Path, Long> compared = new LinkedHashMap<>();
    /**
     * Per catalog file, the {@link TableStates} digest of each table (by id) when it was last read
     * the same by both engines at the then latest snapshot: a table whose digest is still that one
     * reads the same at a later snapshot, so it is not read again.
     */
    private final Map<Path, Map<Long, String>> sameSince = new HashMap<>();
    private int unchangedTables;
    /**
     * Per catalog file, one Mallard connection that reads its latest snapshot, kept while the lake
     * stays attached and its schema version stays the one the connection opened at, so that its
     * plans are reused. A connection follows schema changes by itself (ViewsInteropTest checks
     * schemas another writer creates); a fresh one per schema version keeps each comparison
     * independent of what an older plan cached.
     */
    private final Map<Path, Reader> readers = new HashMap<>();
    /** Catalogs attached with OVERRIDE_DATA_PATH: the data path DuckDB reads them under, which Mallard is given too. */
    private final Map<Path, String> dataPaths = new HashMap<>();
    /** DuckDB-file catalogs the file attaches, to the SQLite copy they are replayed on. */
    private final Map<Path, Path> converted = new HashMap<>();
    private final Set<String> timeTravelled = new HashSet<>();
    /** Per DuckDB connection ("" the default one, else sqllogictest's name): the lake in use. */
    private final Map<String, String> used = new HashMap<>();
    /** The connections with an open transaction. */
    private final Set<String> inTransaction = new HashSet<>();
    private int comparisons;
    private int skippedQueries;
    /** The first statement or query where DuckDB 1.5.5 did not do what the file expects, or null. */
    private String divergence;
    private int divergences;

    Replay(String file, SqlLogicTest test, Path dir) {
      this.file = file;
      this.test = test;
      this.dir = dir;
    }

    FileResult run() {
      String notHere = notApplicable();
      if (notHere != null) {
        return result(Status.NOT_APPLICABLE, notHere);
      }
      String base = test.path.getFileName().toString().replaceFirst("\\.test(_slow)?$", "");
      env.put("TEST_DIR", dir.toString());
      env.put("BASE_TEST_NAME", base);
      env.put("DUCKLAKE_CONNECTION", "sqlite:" + dir.resolve(base + ".db"));
      for (Map.Entry<String, String> e : test.testEnv.entrySet()) {
        env.putIfAbsent(e.getKey(), substitute(e.getValue().replace("{UUID}", UUID.randomUUID().toString())));
      }
      for (Record r : test.records) {
        String limit;
        try {
          limit = replay(r);
        } catch (Mismatch m) {
          return result(Status.FAIL, "line " + r.line() + ": " + m.getMessage() + "\n  SQL: " + abbreviate(r.sql()));
        }
        if (limit != null) {
          return result(Status.RUNNER_LIMIT, "line " + r.line() + ": " + limit + "\n  SQL: " + abbreviate(r.sql()));
        }
      }
      if (comparisons == 0) {
        return divergence != null ? result(Status.REFERENCE_DIVERGED, divergence)
            : result(Status.NOTHING_COMPARED, "no lake state or query was compared");
      }
      return divergence != null ? result(Status.PASS_REFERENCE_DIVERGED, divergence) : result(Status.PASS, "");
    }

    private FileResult result(Status status, String detail) {
      String diverged = divergence == null ? null
          : divergences == 1 ? divergence : divergence + "\n  (DuckDB diverged " + divergences + " times in all)";
      if (status == Status.REFERENCE_DIVERGED || status == Status.PASS_REFERENCE_DIVERGED) {
        detail = diverged;
      } else if (diverged != null) {
        detail += "\n  before it, DuckDB diverged from the file at " + diverged.replace("\n", "\n  ");
      }
      return new FileResult(file, status, detail, diverged, comparisons, skippedQueries, unchangedTables);
    }

    /**
     * Keeps the first place DuckDB 1.5.5 did not do what the file expects. The replay goes on:
     * DuckDB's actual lake is still the oracle Mallard is compared with.
     */
    private void diverged(Record r, String sql, String what) {
      divergences++;
      if (divergence == null) {
        divergence = "line " + r.line() + ": " + what + "\n  SQL: " + abbreviate(sql);
      }
    }

    private String notApplicable() {
      for (String r : test.requires) {
        String name = r.split("\\s+")[0];
        if (!SATISFIED.contains(name)) {
          return "require " + name + (name.equals("postgres_scanner") ? " (a PostgreSQL catalog)"
              : name.equals("no_extension_autoloading") ? " (DuckDB without its built-in extensions)"
              : " (extension not in the DuckDB 1.5.5 wheels)");
        }
      }
      if (!test.requiredEnv.isEmpty()) {
        return "require-env " + String.join(", ", test.requiredEnv) + " (upstream CI environment)";
      }
      for (Record r : test.records) {
        Matcher m = NEEDS_ELSEWHERE.matcher(r.sql());
        if (m.find()) {
          return "needs cloud storage, secrets, encryption or a catalog server: `" + m.group() + "`";
        }
      }
      return null;
    }

    /** Runs one record; null when the file goes on, else the runner limit that stops it. */
    private String replay(Record r) throws Mismatch {
      if (r.kind() == Kind.UNZIP) {
        String[] parts = r.sql().split(" ");
        gunzip(corpus.resolve(parts[0]), Path.of(substitute(parts[1])));
        return null;
      }
      String sql = substitute(r.sql());
      Matcher url = DUCKLAKE_URL.matcher(sql);
      StringBuilder rewritten = new StringBuilder();
      String defaultDataPath = null;
      while (url.find()) {
        String target = url.group(1);
        if (!target.startsWith("sqlite:")) {
          if (target.isEmpty() || target.startsWith(":memory:")) {
            return "an in-memory DuckLake catalog, which Mallard cannot open";
          }
          Path catalog = dir.resolve(target.replaceFirst("^duckdb:", ""));
          if (Files.exists(catalog) && !isSqlite(catalog)) {
            Path copy = converted.get(catalog);
            if (copy == null) {
              try {
                copy = sqliteCopy(catalog);
              } catch (DuckDb.DuckDbException e) {
                return "a DuckDB-file catalog (" + catalog.getFileName() + ") that DuckDB cannot copy to SQLite: "
                    + oneLine(e.duckdbMessage());
              }
              converted.put(catalog, copy);
            }
            target = "sqlite:" + copy;
          } else {
            target = "sqlite:" + catalog;
            if (!Files.exists(catalog)) {
              defaultDataPath = catalog + ".files/";
            }
          }
        }
        url.appendReplacement(rewritten, Matcher.quoteReplacement("'ducklake:" + target + "'"));
      }
      url.appendTail(rewritten);
      sql = rewritten.toString();
      if (defaultDataPath != null && ATTACH.matcher(sql).find() && !DATA_PATH_OPTION.matcher(sql).find()) {
        // A new DuckDB-file catalog gets a default data path (<file>.files/); a SQLite one must be told.
        Matcher options = ATTACH_OPTIONS.matcher(sql);
        String option = "DATA_PATH '" + defaultDataPath.replace("'", "''") + "'";
        sql = options.find() ? sql.substring(0, options.start(1)) + option + ", " + sql.substring(options.start(1))
            : sql.replaceFirst("\\s*;?\\s*$", "") + " (" + option + ")";
      }

      String connection = r.connection() == null ? "" : r.connection();
      if (r.kind() == Kind.QUERY) {
        DuckDb.Result expected;
        try {
          expected = duckdb().query(r.connection(), sql);
        } catch (DuckDb.DuckDbException e) {
          if (r.expect() != Expect.ERROR) {
            diverged(r, sql, "DuckDB 1.5.5 failed a query the file expects to succeed: " + oneLine(e.duckdbMessage()));
          }
          return null;
        }
        compareQuery(connection, sql, expected, r.sortMode());
      } else {
        try {
          if (r.connection() == null) {
            duckdb().execute(sql);
          } else {
            duckdb().execute(r.connection(), sql);
          }
          if (r.expect() == Expect.ERROR) {
            diverged(r, sql, "DuckDB 1.5.5 accepted a statement the file expects to fail");
          }
        } catch (DuckDb.DuckDbException e) {
          if (r.expect() == Expect.OK && SETTING.matcher(sql).find()
              && e.duckdbMessage().contains("unrecognized configuration parameter")) {
            // A setting newer than DuckDB 1.5.5: go on without it; what DuckDB then does differently
            // from the file's expectations shows as a divergence later, and Mallard is still compared.
            return null;
          }
          if (r.expect() == Expect.OK) {
            diverged(r, sql, "DuckDB 1.5.5 failed a statement the file expects to succeed: " + oneLine(e.duckdbMessage()));
          }
          track(connection, sql, false);
          return null;
        }
      }
      track(connection, sql, true);
      for (Matcher m = TIME_TRAVEL.matcher(sql); m.find(); ) {
        for (Map.Entry<String, Path> lake : lakes.entrySet()) {
          if (!pinned.containsKey(lake.getKey()) && timeTravelled.add(lake.getValue() + "@" + m.group(1))) {
            compareTables(lake.getKey(), lake.getValue(), Long.parseLong(m.group(1)), true);
          }
        }
      }
      // Tables are read on the default connection, so not inside its transaction.
      if (!inTransaction.contains("")) {
        for (Map.Entry<String, Path> lake : lakes.entrySet()) {
          if (pinned.containsKey(lake.getKey())) {
            continue;
          }
          Long latest = latestSnapshot(lake.getValue());
          if (latest != null && !latest.equals(compared.get(lake.getValue()))) {
            compared.put(lake.getValue(), latest);
            compareTables(lake.getKey(), lake.getValue(), latest, false);
          }
        }
      }
      return null;
    }

    /**
     * Follows what a statement on a connection changed: lakes attached (for every connection, as
     * in DuckDB), pinned to a snapshot, the lake in use, transactions.
     */
    private void track(String connection, String sql, boolean succeeded) throws Mismatch {
      Matcher m;
      if (succeeded && (m = ATTACH.matcher(sql)).find()) {
        Path catalog = Path.of(m.group(1));
        String alias = (m.group(2) != null ? unquote(m.group(2))
            : catalog.getFileName().toString().replaceFirst("\\.[^.]*$", "")).toLowerCase(Locale.ROOT);
        lakes.put(alias, catalog);
        sameSince.remove(catalog); // attached anew, maybe with other options: compare every table again
        closeReader(catalog); // and maybe migrated to a newer catalog version
        Matcher dataPath = DATA_PATH_VALUE.matcher(sql);
        if (OVERRIDE_DATA_PATH.matcher(sql).find() && dataPath.find() && Path.of(dataPath.group(1)).isAbsolute()) {
          dataPaths.put(catalog, dataPath.group(1));
        } else {
          dataPaths.remove(catalog);
        }
        pinned.remove(alias);
        if (PINNED.matcher(sql).find()) {
          pinned.put(alias, pinnedSnapshot(connection, alias));
        }
      } else if (succeeded && (m = DETACH.matcher(sql)).find()) {
        Path catalog = lakes.remove(unquote(m.group(1)).toLowerCase(Locale.ROOT));
        if (catalog != null) {
          sameSince.remove(catalog);
          closeReader(catalog);
        }
      } else if (succeeded && (m = USE.matcher(sql)).find()) {
        used.put(connection, unquote(m.group(1)).toLowerCase(Locale.ROOT));
      } else if (BEGIN.matcher(sql).matches()) {
        if (succeeded) {
          inTransaction.add(connection);
        } else {
          inTransaction.remove(connection);
        }
      } else if (END.matcher(sql).matches()) {
        inTransaction.remove(connection);
      }
    }

    /** The snapshot DuckDB shows a lake attached with SNAPSHOT_VERSION or SNAPSHOT_TIME at. */
    private long pinnedSnapshot(String connection, String alias) throws Mismatch {
      try {
        Object id = duckdb().query(connection.isEmpty() ? null : connection,
            "SELECT * FROM " + ident(alias) + ".current_snapshot()").scalar();
        return Long.parseLong(id.toString());
      } catch (DuckDb.DuckDbException | NumberFormatException e) {
        throw new Mismatch("cannot tell which snapshot lake " + alias + " is attached at: " + e.getMessage());
      }
    }

    /** Every table of a lake at a snapshot, read by both engines. */
    private void compareTables(String alias, Path catalog, long snapshot, boolean timeTravel) throws Mismatch {
      List<String[]> tables = tablesAt(catalog, snapshot);
      Map<Long, String> digests = Map.of();
      Map<Long, String> same = timeTravel ? null : sameSince.computeIfAbsent(catalog, k -> new HashMap<>());
      if (same != null) {
        try {
          digests = TableStates.digests(catalog);
        } catch (SQLException e) {
          same.clear(); // cannot tell what changed: compare every table
        }
        List<String[]> changed = new ArrayList<>();
        for (String[] table : tables) {
          String digest = digests.get(Long.valueOf(table[2]));
          if (digest != null && digest.equals(same.get(Long.valueOf(table[2])))) {
            unchangedTables++;
          } else {
            changed.add(table);
          }
        }
        tables = changed;
      }
      if (tables.isEmpty()) {
        return;
      }
      String where = timeTravel ? " at snapshot " + snapshot + " (time travel)" : " at snapshot " + snapshot;
      // The latest snapshot is read by the lake's reader, which reads the latest snapshot: nothing
      // commits between listing the tables and reading them. An older one is read by a connection pinned to it.
      Connection timeTraveller = null;
      try {
        Connection mallard = timeTravel
            ? (timeTraveller = Mallard.connect(url(catalog, snapshot))) : reader(catalog);
        for (String[] table : tables) {
          Long tableId = Long.valueOf(table[2]);
          if (same != null) {
            same.remove(tableId);
          }
          String name = ident(table[0]) + "." + ident(table[1]);
          DuckDb.Result expected;
          try {
            expected = duckdb().query("SELECT * FROM " + ident(alias) + "." + name + " AT (VERSION => " + snapshot + ")");
          } catch (DuckDb.DuckDbException e) {
            continue; // DuckDB cannot read it either (e.g. a table of a catalog at a newer version)
          }
          try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + name)) {
            ResultAssert.assertSameRows(expected, rs, false);
            comparisons++;
            if (same != null && digests.get(tableId) != null) {
              same.put(tableId, digests.get(tableId));
            }
          } catch (SQLException | RuntimeException | LinkageError e) { // e.g. generated code failing to initialize
            throw new Mismatch("Mallard cannot read table " + name + where + ": " + describe(e));
          } catch (AssertionError e) {
            throw new Mismatch("table " + name + where + " differs: " + firstLines(e.getMessage()));
          }
        }
      } catch (SQLException e) {
        throw new Mismatch("Mallard cannot open the lake" + where + ": " + describe(e));
      } finally {
        closeQuietly(timeTraveller);
      }
    }

    /**
     * A SQLite copy of an existing DuckDB-file catalog (e.g. one the file unzips, or an old
     * catalog of the corpus), made by DuckDB with {@code COPY FROM DATABASE}: the same catalog
     * tables and rows, which both engines then read and DuckDB goes on writing (as for the
     * catalogs the file creates, which are made SQLite ones). The original is never written.
     */
    private Path sqliteCopy(Path catalog) {
      Path copy = dir.resolve("duckdb-file-catalog-" + converted.size() + "-" + catalog.getFileName() + ".sqlite");
      duckdb().execute("ATTACH " + quote(catalog.toString()) + " AS __mallard_source (READ_ONLY)");
      try {
        duckdb().execute("ATTACH " + quote("sqlite:" + copy) + " AS __mallard_copy");
        duckdb().execute("COPY FROM DATABASE __mallard_source TO __mallard_copy");
      } finally {
        tryExecute("DETACH DATABASE IF EXISTS __mallard_copy");
        tryExecute("DETACH DATABASE IF EXISTS __mallard_source");
      }
      return copy;
    }

    /** Mallard's URL of a catalog, read at a snapshot or (null) the latest, under DuckDB's data path. */
    private String url(Path catalog, Long snapshot) {
      List<String> options = new ArrayList<>();
      if (dataPaths.containsKey(catalog)) {
        options.add("data_path=" + java.net.URLEncoder.encode(dataPaths.get(catalog), StandardCharsets.UTF_8)
            .replace("+", "%20"));
      }
      if (snapshot != null) {
        options.add("snapshot=" + snapshot);
      }
      return "sqlite:" + catalog + (options.isEmpty() ? "" : "?" + String.join("&", options));
    }

    /** The connection that reads a catalog's latest snapshot, opened anew when the schema version changed. */
    private Connection reader(Path catalog) throws SQLException {
      long version = latestSchemaVersion(catalog);
      Reader r = readers.get(catalog);
      if (r == null || r.schemaVersion() != version) {
        closeReader(catalog);
        r = new Reader(Mallard.connect(url(catalog, null)), version);
        readers.put(catalog, r);
      }
      return r.connection();
    }

    private void closeReader(Path catalog) {
      Reader r = readers.remove(catalog);
      if (r != null) {
        closeQuietly(r.connection());
      }
    }

    void closeReaders() {
      readers.values().forEach(r -> closeQuietly(r.connection()));
      readers.clear();
    }

    /** Runs a query on Mallard when it reads one attached lake, and compares with DuckDB's rows. */
    private void compareQuery(String connection, String sql, DuckDb.Result expected, String sortMode)
        throws Mismatch {
      if (inTransaction.contains(connection) || lakes.isEmpty()) {
        return;
      }
      if (!READS.matcher(sql).lookingAt()) {
        return; // Mallard only reads here: DuckDB alone changes the lake
      }
      String upper = sql.toUpperCase(Locale.ROOT);
      if (upper.contains("LIMIT") && !upper.contains("ORDER BY")) {
        return; // which rows come back is not determined
      }
      Set<String> named = new LinkedHashSet<>();
      for (String alias : lakes.keySet()) {
        if (Pattern.compile("(?i)(?<![\\w.\"])\"?" + Pattern.quote(alias) + "\"?\\.").matcher(sql).find()) {
          named.add(alias);
        }
      }
      String inUse = used.get(connection);
      String alias = named.size() == 1 ? named.iterator().next()
          : named.isEmpty() && inUse != null && lakes.containsKey(inUse) ? inUse : null;
      if (alias == null) {
        return;
      }
      String mallardSql = sql.replaceAll("(?i)(?<![\\w.\"])\"?" + Pattern.quote(alias) + "\"?\\.", "");
      Connection pinnedLake = null;
      try {
        Connection mallard = pinned.containsKey(alias)
            ? (pinnedLake = Mallard.connect(url(lakes.get(alias), pinned.get(alias))))
            : reader(lakes.get(alias));
        try (Statement s = mallard.createStatement(); ResultSet rs = s.executeQuery(mallardSql)) {
          ResultAssert.assertSameRows(expected, rs, false);
          comparisons++;
        }
      } catch (SQLException | RuntimeException | LinkageError e) { // e.g. generated code failing to initialize
        if (notForMallard(e)) {
          skippedQueries++;
          return;
        }
        throw new Mismatch("Mallard failed a query DuckDB answered: " + describe(e));
      } catch (AssertionError e) {
        throw new Mismatch("query result differs: " + firstLines(e.getMessage()));
      } finally {
        closeQuietly(pinnedLake);
      }
    }

    private String substitute(String text) {
      // Upstream runs its tests from the repository root, so 'data/...' is the corpus's data folder.
      String out = text.replace("__TEST_DIR__", dir.toString()).replace("'data/", "'" + corpus.resolve("data") + "/");
      for (int pass = 0; pass < 3; pass++) {
        for (Map.Entry<String, String> e : env.entrySet()) {
          out = out.replace("${" + e.getKey() + "}", e.getValue()).replace("{" + e.getKey() + "}", e.getValue());
        }
      }
      return out;
    }
  }

  /**
   * Whether Mallard's error says the query is outside what it takes (it cannot parse it, does not
   * know a function or table of DuckDB's, or refuses a feature), rather than that it went wrong.
   */
  private static boolean notForMallard(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SqlParseException || t instanceof SqlValidatorException || t instanceof CalciteContextException
          || t instanceof MallardException.UnsupportedFeatureException) {
        return true;
      }
    }
    return false;
  }

  /** The schema, name and id of each table of a catalog at a snapshot, read straight from its SQLite file. */
  private static List<String[]> tablesAt(Path catalog, long snapshot) throws Mismatch {
    String sql = "SELECT s.schema_name, t.table_name, t.table_id FROM ducklake_table t"
        + " JOIN ducklake_schema s ON s.schema_id = t.schema_id"
        + " AND s.begin_snapshot <= ?1 AND (s.end_snapshot IS NULL OR s.end_snapshot > ?1)"
        + " WHERE t.begin_snapshot <= ?1 AND (t.end_snapshot IS NULL OR t.end_snapshot > ?1)"
        + " ORDER BY 1, 2";
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + catalog);
         var s = c.prepareStatement(sql)) {
      s.setLong(1, snapshot);
      List<String[]> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        }
      }
      return out;
    } catch (SQLException e) {
      throw new Mismatch("cannot list the tables of " + catalog.getFileName() + ": " + e.getMessage());
    }
  }

  private static Long latestSnapshot(Path catalog) {
    if (!Files.exists(catalog)) {
      return null;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + catalog);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT max(snapshot_id) FROM ducklake_snapshot")) {
      rs.next();
      long id = rs.getLong(1);
      return rs.wasNull() ? null : id;
    } catch (SQLException e) {
      return null; // not (yet) a DuckLake catalog
    }
  }

  /** A Mallard connection and the schema version of the lake when it opened. */
  private record Reader(Connection connection, long schemaVersion) {}

  private static long latestSchemaVersion(Path catalog) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + catalog);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT schema_version FROM ducklake_snapshot"
             + " WHERE snapshot_id = (SELECT max(snapshot_id) FROM ducklake_snapshot)")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // the replay is over for this connection either way
      }
    }
  }

  private static boolean isSqlite(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(15), StandardCharsets.US_ASCII).equals("SQLite format 3");
    } catch (IOException e) {
      return false;
    }
  }

  private static void gunzip(Path from, Path to) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(from))) {
      Files.createDirectories(to.toAbsolutePath().getParent());
      Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unzip " + from, e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = e.getClass().getSimpleName() + ": " + firstLine(String.valueOf(e.getMessage()));
    return root == e ? top : top + " (cause " + root.getClass().getSimpleName() + ": "
        + firstLine(String.valueOf(root.getMessage())) + ")";
  }

  private static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static String unquote(String name) {
    return name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"") : name;
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  /** DuckDB's whole message on one line (its cause, e.g. "database is locked", is often on the second). */
  private static String oneLine(String text) {
    String flat = text.strip().replaceAll("\\s*\n\\s*", " ");
    return flat.length() <= 400 ? flat : flat.substring(0, 400) + "...";
  }

  private static String firstLines(String text) {
    String[] lines = String.valueOf(text).split("\n");
    return String.join("\n    ", java.util.Arrays.copyOf(lines, Math.min(lines.length, 3)));
  }

  private static String abbreviate(String sql) {
    String flat = sql.replaceAll("\\s+", " ").strip();
    return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
  }

  /** Mallard disagreed with DuckDB. */
  static final class Mismatch extends Exception {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(message);
    }
  }
}
