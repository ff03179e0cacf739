package dev.mallard.engine.catalog;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.storage.S3Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a lake's catalog lives and how to open it, parsed from a catalog URL such as
 * {@code sqlite:/data/lake.sqlite?data_path=/data/files/&snapshot=5} (the part of a JDBC URL after
 * {@code jdbc:ducklake:}) plus options given separately, e.g. as JDBC {@code Properties}.
 *
 * <p>The catalog URLs:
 * <ul>
 *   <li>{@code sqlite:<file>}
 *   <li>{@code duckdb:<file>} (a DuckDB database file, opened read-only)
 *   <li>{@code postgresql://[user[:password]@]host[:port]/database} (also {@code postgres://})
 *   <li>{@code mysql://[user[:password]@]host[:port]/database} (also {@code mariadb://})
 * </ul>
 * A server catalog's user and password come from the URL, else the options, else the environment
 * variables the reference's own extensions read ({@code PGUSER}/{@code PGPASSWORD},
 * {@code MYSQL_USER}/{@code MYSQL_PWD}). The password never appears in {@link #toString()}, in
 * {@link #location()} or in an error message.
 *
 * @param dataPathOverride read data files under this path instead of the catalog's {@code data_path}
 * @param snapshotId read this snapshot instead of the latest
 * @param snapshotTime read the latest snapshot at or before this time
 * @param create create a new, empty lake if the catalog does not exist yet (its data path is then
 *     {@code data_path}, which must be given)
 * @param inliningRowLimit inserts of at most this many rows stay in the catalog instead of Parquet
 *     (DuckDB 1.5's default is 10; 0 turns inlining off); null when not set, so the catalog's
 *     {@code data_inlining_row_limit} option, or the default, applies
 * @param location the file, or {@code //host:port/database} for a server (without user or password)
 * @param metadataSchema the schema holding the {@code ducklake_*} tables, like the reference's
 *     {@code METADATA_SCHEMA}; null for the backend's default ({@code public} in PostgreSQL, the
 *     connection's database in MySQL, {@code main} in a DuckDB file)
 * @param credentials the user and password of a server catalog
 * @param s3 how to reach {@code s3://} data paths
 * @param connectTimeoutSeconds how long to wait for a catalog server to accept a connection and log
 *     in (also the S3 connect timeout, in {@link S3Settings#connectTimeout()})
 * @param timeZone the session time zone, as DuckDB's {@code TimeZone} setting: the zone in which
 *     {@code year}, {@code month}, {@code day} and {@code hour} partition values of TIMESTAMPTZ
 *     columns are computed; option {@code time_zone} (an IANA name such as {@code Europe/Berlin}),
 *     by default the JVM's default zone, as DuckDB's default is the system's
 */
public record CatalogConfig(
    Backend backend,
    String location,
    String dataPathOverride,
    Long snapshotId,
    Instant snapshotTime,
    boolean readOnly,
    boolean create,
    Integer inliningRowLimit,
    String metadataSchema,
    Credentials credentials,
    S3Settings s3,
    int connectTimeoutSeconds,
    ZoneId timeZone) {

  /**
   * Why a DuckDB-file catalog is never written: DuckDB lets one process at a time open the file for
   * writing, and a write through the bundled DuckDB JDBC driver would stamp the file with that
   * driver's storage version, which an older DuckDB cannot open (ducklake-format.md §1.2).
   */
  public static final String DUCKDB_FILE_READ_ONLY = "DuckDB-file catalogs are read-only in Mallard: DuckDB allows"
      + " one writing process per file, and writing through Mallard's DuckDB driver could change the file's"
      + " storage version under other DuckDB readers. Write through DuckDB, or move the catalog to PostgreSQL,"
      + " MySQL or SQLite";

  /** Without a connect_timeout, a catalog server gets this long to accept a connection. */
  public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

  /** The options of earlier releases only; the connection settings take their defaults. */
  public CatalogConfig(Backend backend, String location, String dataPathOverride, Long snapshotId,
      Instant snapshotTime, boolean readOnly, boolean create, Integer inliningRowLimit) {
    this(backend, location, dataPathOverride, snapshotId, snapshotTime, readOnly, create, inliningRowLimit, null,
        Credentials.NONE, S3Settings.DEFAULT, DEFAULT_CONNECT_TIMEOUT_SECONDS, null);
  }

  /** The database that holds the catalog tables. */
  public enum Backend {
    SQLITE(false, 0),
    DUCKDB(false, 0),
    POSTGRESQL(true, 5432),
    MYSQL(true, 3306);

    private final boolean server;
    private final int defaultPort;

    Backend(boolean server, int defaultPort) {
      this.server = server;
      this.defaultPort = defaultPort;
    }

    /** Whether the catalog lives in a database server (reached over the network) rather than a file. */
    public boolean isServer() {
      return server;
    }

    static Backend parse(String name, String url) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "sqlite" -> SQLITE;
        case "duckdb" -> DUCKDB;
        case "postgresql", "postgres" -> POSTGRESQL;
        case "mysql", "mariadb" -> MYSQL;
        default -> throw new UserException("Unknown catalog database '" + name + "' in '" + redact(url)
            + "'. Expected sqlite:<file>, duckdb:<file>, postgresql://host:port/database or"
            + " mysql://host:port/database, e.g. jdbc:ducklake:sqlite:/data/lake.sqlite");
      };
    }
  }

  /**
   * The user and password of a server catalog; either may be null. {@link #toString()} hides the
   * password.
   */
  public record Credentials(String user, String password) {
    public static final Credentials NONE = new Credentials(null, null);

    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=" + (password == null ? null : "***") + "]";
    }
  }

  /** A catalog server's address, from {@link #location()}. */
  public record ServerAddress(String host, int port, String database) {}

  /** Option names accepted in the URL's query string or as properties. */
  public static final Set<String> OPTIONS = Set.of("data_path", "snapshot", "snapshot_time", "read_only", "create",
      "data_inlining_row_limit", "metadata_schema", "user", "password", "connect_timeout", "s3_endpoint",
      "s3_region", "s3_path_style", "s3_use_ssl", "s3_access_key_id", "s3_secret_access_key", "s3_session_token",
      "time_zone");

  /** Option values never shown in messages. */
  private static final Pattern SECRET_OPTION =
      Pattern.compile("(?i)((?:password|s3_secret_access_key|s3_session_token)=)[^&]*");
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/@:?]*:)[^/@?]*@");
  private static final Pattern SAFE_SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  public CatalogConfig {
    if (snapshotId != null && snapshotTime != null) {
      throw new UserException("Give either snapshot or snapshot_time, not both");
    }
    if (create && dataPathOverride == null) {
      throw new UserException("Creating a lake needs its data path: add data_path=<directory> to the URL");
    }
    if (inliningRowLimit != null && inliningRowLimit < 0) {
      throw new UserException("data_inlining_row_limit must be 0 or more, not " + inliningRowLimit);
    }
    if (credentials == null) {
      credentials = Credentials.NONE;
    }
    if (s3 == null) {
      s3 = S3Settings.DEFAULT;
    }
    if (timeZone == null) {
      timeZone = ZoneId.systemDefault();
    }
    if (connectTimeoutSeconds <= 0) {
      throw new UserException("connect_timeout must be a number of seconds greater than 0");
    }
    if (metadataSchema != null) {
      // The schema name is spliced into SQL (quoted): only plain identifiers, as DuckDB creates them.
      if (!SAFE_SCHEMA.matcher(metadataSchema).matches()) {
        throw new UserException("metadata_schema must be a plain identifier (letters, digits, _), not '"
            + metadataSchema + "'");
      }
      if (backend == Backend.SQLITE) {
        throw new UserException("A SQLite catalog has no schemas: metadata_schema does not apply to it");
      }
    }
    if (backend.isServer()) {
      serverAddress(backend, location); // fails now, not at first use
    }
  }

  /** Where the catalog server is; only for PostgreSQL and MySQL catalogs. */
  public ServerAddress server() {
    if (!backend.isServer()) {
      throw new IllegalStateException(backend + " catalogs are files, not servers");
    }
    return serverAddress(backend, location);
  }

  private static ServerAddress serverAddress(Backend backend, String location) {
    String name = backend.name().toLowerCase(Locale.ROOT);
    String expected = "Expected " + name + "://host[:port]/database, e.g. " + name + "://localhost:"
        + backend.defaultPort + "/lake";
    if (!location.startsWith("//")) {
      throw new UserException("Malformed " + name + " catalog location '" + location + "'. " + expected);
    }
    URI uri;
    try {
      uri = new URI(name, location, null);
    } catch (URISyntaxException e) {
      throw new UserException("Malformed " + name + " catalog location '" + location + "'. " + expected);
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    if (uri.getHost() == null || database.isEmpty() || database.contains("/")) {
      throw new UserException("Malformed " + name + " catalog location '" + location + "'. " + expected);
    }
    return new ServerAddress(uri.getHost(), uri.getPort() < 0 ? backend.defaultPort : uri.getPort(), database);
  }

  /** A URL with its password and secret options blanked, for messages. */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    String out = SECRET_OPTION.matcher(url).replaceAll("$1***");
    return USER_INFO_PASSWORD.matcher(out).replaceAll("$1***@");
  }

  @Override
  public String toString() {
    // The record's own form, but the components that hold secrets hide them themselves.
    return "CatalogConfig[backend=" + backend + ", location=" + location + ", dataPathOverride=" + dataPathOverride
        + ", snapshotId=" + snapshotId + ", snapshotTime=" + snapshotTime + ", readOnly=" + readOnly + ", create="
        + create + ", inliningRowLimit=" + inliningRowLimit + ", metadataSchema=" + metadataSchema + ", credentials="
        + credentials + ", s3=" + s3 + ", connectTimeoutSeconds=" + connectTimeoutSeconds + "]";
  }

  /**
   * Parses a catalog URL. Options in its query string take precedence over {@code options}; keys
   * not in {@link #OPTIONS} are rejected so that a typo does not pass silently. Credentials missing
   * from both come from the process environment.
   */
  public static CatalogConfig parse(String url, Map<String, String> options) {
    return parse(url, options, System.getenv());
  }

  /** {@link #parse(String, Map)} with the environment variables given. */
  public static CatalogConfig parse(String url, Map<String, String> options, Map<String, String> environment) {
    int colon = url.indexOf(':');
    if (colon <= 0) {
      throw new UserException("Malformed catalog URL '" + redact(url)
          + "'. Expected <database>:<location>, e.g. jdbc:ducklake:sqlite:/data/lake.sqlite");
    }
    Backend backend = Backend.parse(url.substring(0, colon), url);
    String rest = url.substring(colon + 1);
    int query = rest.indexOf('?');
    String location = query < 0 ? rest : rest.substring(0, query);
    if (location.isBlank()) {
      throw new UserException("Malformed catalog URL '" + redact(url) + "': the catalog location is empty");
    }
    Map<String, String> merged = new LinkedHashMap<>();
    options.forEach((k, v) -> merged.put(k.toLowerCase(Locale.ROOT), v));
    if (backend.isServer()) {
      location = takeUserInfo(location, merged);
    }
    if (query >= 0) {
      merged.putAll(parseQuery(rest.substring(query + 1), url));
    }
    for (String key : merged.keySet()) {
      if (!OPTIONS.contains(key)) {
        throw new UserException("Unknown option '" + key + "' in '" + redact(url) + "'. Known options: "
            + String.join(", ", OPTIONS.stream().sorted().toList()));
      }
    }
    Long inliningRowLimit = parseLong(merged.get("data_inlining_row_limit"), "data_inlining_row_limit");
    Long connectTimeout = parseLong(merged.get("connect_timeout"), "connect_timeout");
    return new CatalogConfig(
        backend,
        location,
        normalizeDataPath(merged.get("data_path")),
        parseLong(merged.get("snapshot"), "snapshot"),
        parseTime(merged.get("snapshot_time")),
        parseBoolean(merged.get("read_only"), "read_only"),
        parseBoolean(merged.get("create"), "create"),
        inliningRowLimit == null ? null : Math.toIntExact(inliningRowLimit),
        blankToNull(merged.get("metadata_schema")),
        credentials(backend, merged, environment),
        s3Settings(merged, connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT_SECONDS : connectTimeout),
        connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT_SECONDS : Math.toIntExact(connectTimeout),
        parseZone(merged.get("time_zone")));
  }

  private static ZoneId parseZone(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return ZoneId.of(value.trim());
    } catch (java.time.DateTimeException e) {
      throw new UserException("time_zone '" + value + "' is not a time zone (expected a name such as Europe/Berlin"
          + " or UTC)");
    }
  }

  /**
   * Moves {@code user[:password]@} out of a server location into the options, where it wins over
   * properties as every URL part does; returns the location without it.
   */
  private static String takeUserInfo(String location, Map<String, String> options) {
    if (!location.startsWith("//")) {
      return location;
    }
    int end = location.indexOf('/', 2);
    String authority = end < 0 ? location.substring(2) : location.substring(2, end);
    int at = authority.lastIndexOf('@');
    if (at < 0) {
      return location;
    }
    String userInfo = authority.substring(0, at);
    int colon = userInfo.indexOf(':');
    options.put("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
    if (colon >= 0) {
      options.put("password", decode(userInfo.substring(colon + 1)));
    }
    return "//" + authority.substring(at + 1) + (end < 0 ? "" : location.substring(end));
  }

  /**
   * User and password of a server catalog: from the URL or options, else from the environment
   * variables DuckDB's postgres and mysql extensions read too. File catalogs ignore them, as JDBC
   * tools send an empty user and password whatever the database.
   */
  private static Credentials credentials(Backend backend, Map<String, String> options, Map<String, String> env) {
    String user = blankToNull(options.get("user"));
    String password = options.get("password");
    switch (backend) {
      case POSTGRESQL -> {
        user = user != null ? user : blankToNull(env.get("PGUSER"));
        password = password != null ? password : env.get("PGPASSWORD");
      }
      case MYSQL -> {
        user = user != null ? user : blankToNull(env.get("MYSQL_USER"));
        password = password != null ? password : env.get("MYSQL_PWD");
      }
      default -> {
        return Credentials.NONE;
      }
    }
    return new Credentials(user, password);
  }

  private static S3Settings s3Settings(Map<String, String> options, long connectTimeoutSeconds) {
    boolean useSsl = options.get("s3_use_ssl") == null || parseBoolean(options.get("s3_use_ssl"), "s3_use_ssl");
    return new S3Settings(
        S3Settings.endpoint(options.get("s3_endpoint"), useSsl),
        blankToNull(options.get("s3_region")),
        parseBoolean(options.get("s3_path_style"), "s3_path_style"),
        blankToNull(options.get("s3_access_key_id")),
        blankToNull(options.get("s3_secret_access_key")),
        blankToNull(options.get("s3_session_token")),
        java.time.Duration.ofSeconds(Math.max(1, connectTimeoutSeconds)));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Map<String, String> parseQuery(String query, String url) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new UserException("Malformed option '" + redact(pair) + "' in '" + redact(url)
            + "'. Expected key=value");
      }
      out.put(decode(pair.substring(0, eq)).toLowerCase(Locale.ROOT), decode(pair.substring(eq + 1)));
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Directory paths are joined by concatenation, as DuckLake does, so they must end with '/'. */
  static String normalizeDataPath(String path) {
    if (path == null || path.isEmpty()) {
      return null;
    }
    return path.endsWith("/") ? path : path + "/";
  }

  private static Long parseLong(String value, String key) {
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new UserException("Option " + key + " must be a whole number, not '" + value + "'");
    }
  }

  private static boolean parseBoolean(String value, String key) {
    if (value == null) {
      return false;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new UserException("Option " + key + " must be true or false, not '" + value + "'");
    };
  }

  private static Instant parseTime(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Timestamps.parseInstant(value.trim());
    } catch (RuntimeException e) {
      throw new UserException("Option snapshot_time must be a timestamp such as 2025-01-06 10:00:00+00, not '"
          + value + "'");
    }
  }
}
