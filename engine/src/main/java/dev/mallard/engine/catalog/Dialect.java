package dev.mallard.engine.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.mallard.engine.MallardException.CatalogException;
import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.types.DuckLakeType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * What differs between the databases a catalog can live in: connecting, naming tables, probing
 * them, and how values come back. The reference creates the catalog tables with each database's
 * own types (a PostgreSQL catalog has {@code timestamptz} snapshot times, {@code uuid} and
 * {@code bytea} columns; a MySQL one has {@code datetime} and {@code double}), so each dialect
 * turns what its JDBC driver returns into the values, or DuckDB's text forms, that the rest of
 * the engine reads.
 */
abstract class Dialect {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_]+");

  static Dialect of(CatalogConfig config) {
    return switch (config.backend()) {
      case SQLITE -> new Sqlite();
      case POSTGRESQL -> new Postgres(config.metadataSchema());
      case MYSQL -> new MySql(config.metadataSchema());
      case DUCKDB -> new DuckDbFile(config.metadataSchema());
    };
  }

  /** A pool of connections to the catalog database. */
  abstract HikariDataSource open(CatalogConfig config);

  /**
   * The name of a catalog table for use in SQL, with the metadata schema where there is one. Only
   * names made by DuckLake itself are spliced into SQL, and they are checked to be plain identifiers
   * first.
   */
  String table(String name) {
    if (!SAFE_NAME.matcher(name).matches()) {
      throw new CatalogException("Refusing unexpected catalog table name '" + name + "'");
    }
    return tablePrefix() + '"' + name + '"';
  }

  /** Quotes a column name for use in SQL. */
  String column(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /**
   * A {@link CatalogCreator} table definition in this database's types. SQLite, as DuckDB's
   * sqlite extension creates them, keeps UUIDs and timestamps as text and booleans as integers.
   */
  String createTable(String canonicalDdl) {
    return canonicalDdl.replace("{UUID}", "VARCHAR").replace("{BOOLEAN}", "BIGINT")
        .replace("{TIMESTAMPTZ}", "VARCHAR").replace("CREATE TABLE ducklake_", "CREATE TABLE " + tablePrefix()
            + "ducklake_");
  }

  /** Statements run before a new catalog's tables are created (e.g. making its metadata schema). */
  java.util.List<String> prepareNewCatalog() {
    return java.util.List.of();
  }

  /**
   * The column type of a DuckLake type in an inlined data table. SQLite, as DuckDB's sqlite
   * extension writes it: integers (and booleans) as BIGINT, blobs as BLOB, everything else as
   * DuckDB's text.
   */
  String inlinedColumnType(DuckLakeType type) {
    return switch (type.kind()) {
      case BOOLEAN, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> "BIGINT";
      case BLOB -> "BLOB";
      default -> "VARCHAR";
    };
  }

  /** How values of a type are bound into an inlined data table (see {@link #inlinedColumnType}). */
  InlinedBinding inlinedBinding(DuckLakeType type) {
    return switch (type.kind()) {
      case BOOLEAN, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> InlinedBinding.INTEGER;
      case BLOB -> InlinedBinding.BLOB;
      default -> InlinedBinding.TEXT;
    };
  }

  /** Binds a snapshot time ({@code {TIMESTAMPTZ}} column); SQLite keeps DuckDB's TIMESTAMPTZ text. */
  void bindTimestamp(PreparedStatement ps, int index, Instant time) throws SQLException {
    ps.setString(index, Timestamps.format(time));
  }

  /**
   * Whether CREATE TABLE commits the open transaction (MySQL), so that a commit must create its
   * tables before it writes anything else.
   */
  boolean ddlCommitsTransaction() {
    return false;
  }

  /**
   * Takes a lock that Mallard's committers to this catalog hold one at a time, where
   * {@link #ddlCommitsTransaction} (elsewhere the snapshot's primary key is enough).
   */
  void lockCommits(Connection c) throws SQLException {}

  void unlockCommits(Connection c) throws SQLException {}

  /** What goes before a catalog table's name in SQL (a metadata schema, where there is one). */
  String tablePrefix() {
    return "";
  }

  boolean tableExists(Connection c, String name) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    try (ResultSet rs = md.getTables(null, null, name, null)) {
      return rs.next();
    }
  }

  /** Whether {@code sql}, a query of the server's own tables taking a schema and a table name, finds the table. */
  static boolean tableListed(Connection c, String sql, String schema, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, schema);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** A snapshot time ({@code ducklake_snapshot.snapshot_time}); SQLite keeps DuckDB's TIMESTAMPTZ text. */
  Instant timestamp(ResultSet rs, int column) throws SQLException {
    String text = rs.getString(column);
    return text == null ? null : Timestamps.parseInstant(text);
  }

  /**
   * Whether {@link #inlinedValue} needs each inlined column's SQL type name, which costs one more
   * (empty) query per scan of an inlined data table.
   */
  boolean selectsInlinedValuesByType() {
    return false;
  }

  /**
   * The select-list expression for a column of an inlined data table, given its quoted name and
   * (when {@link #selectsInlinedValuesByType}) its SQL type name. Readers call {@code getBytes} on
   * blobs and {@code getString} on everything else, and parse the text as DuckDB's.
   */
  String inlinedValue(String quotedColumn, String sqlType) {
    return quotedColumn;
  }

  /**
   * The rows of an inlined data table as the readers expect them: {@code getString} returns
   * DuckDB's text form of the value. Only dialects whose driver answers otherwise wrap the rows.
   */
  ResultSet inlinedValues(ResultSet rs) {
    return rs;
  }

  /** Try one connection at once, so that a wrong password or a file that is not a database fails now. */
  static HikariDataSource pool(HikariConfig hc, String description) {
    return pool(hc, description, 0);
  }

  /**
   * {@link #pool(HikariConfig, String)} for a catalog server, whose error says when the server did
   * not answer within the connect timeout.
   */
  static HikariDataSource pool(HikariConfig hc, String description, int connectTimeoutSeconds) {
    hc.setInitializationFailTimeout(1);
    try {
      return new HikariDataSource(hc);
    } catch (HikariPool.PoolInitializationException e) {
      // The driver's message (never the password) is the useful part; Hikari's wrapper adds nothing.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String timedOut = connectTimeoutSeconds > 0 && timedOut(cause) ? " (no answer within connect_timeout="
          + connectTimeoutSeconds + " s)" : "";
      throw new CatalogException("Cannot connect to " + description + timedOut + ": " + cause.getMessage(), e);
    }
  }

  private static boolean timedOut(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.net.SocketTimeoutException || String.valueOf(t.getMessage()).contains("timed out")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A result set whose {@code getString(int)} answers through {@code text}; everything else goes
   * to {@code rs} unchanged.
   */
  static ResultSet withText(ResultSet rs, TextReader text) {
    return (ResultSet) Proxy.newProxyInstance(ResultSet.class.getClassLoader(), new Class<?>[] {ResultSet.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getString") && args != null && args.length == 1
              && args[0] instanceof Integer column) {
            return text.read(rs, column);
          }
          try {
            return method.invoke(rs, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** Reads one column of the current row as DuckDB's text. */
  @FunctionalInterface
  interface TextReader {
    String read(ResultSet rs, int column) throws SQLException;
  }

  /** Quotes a schema name (checked to be a plain identifier by {@link CatalogConfig}) and adds the dot. */
  static String schemaPrefix(String schema) {
    return schema == null ? "" : '"' + schema + "\".";
  }

  static final class Sqlite extends Dialect {
    @Override
    HikariDataSource open(CatalogConfig config) {
      Path file = Path.of(config.location().startsWith("file:") ? config.location().substring(5) : config.location());
      // SQLite creates a missing database silently; a missing catalog must be an error instead.
      if (!Files.isRegularFile(file) && !config.create()) {
        throw new CatalogException("DuckLake catalog file not found: " + file);
      }
      if (config.create() && file.toAbsolutePath().getParent() != null) {
        try {
          Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
          throw new CatalogException("Cannot create the directory of catalog " + file + ": " + e.getMessage(), e);
        }
      }
      HikariConfig hc = new HikariConfig();
      hc.setJdbcUrl("jdbc:sqlite:" + file);
      hc.setPoolName("mallard-sqlite");
      hc.setMaximumPoolSize(4);
      hc.setMinimumIdle(0);
      hc.addDataSourceProperty("busy_timeout", "5000");
      // Try one connection at once, so a file that is not a database fails now, not after retries.
      hc.setInitializationFailTimeout(1);
      hc.setConnectionTestQuery("SELECT 1 FROM sqlite_master LIMIT 1");
      try {
        return new HikariDataSource(hc);
      } catch (HikariPool.PoolInitializationException e) {
        throw new CatalogException("Cannot open SQLite catalog " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * PostgreSQL, as DuckDB's postgres extension lays a catalog out: tables in {@code public} (or the
   * {@code metadata_schema}); {@code timestamptz}, {@code uuid}, {@code boolean} columns; inlined
   * VARCHAR and JSON values as UTF-8 {@code bytea}, intervals in PostgreSQL's own text.
   */
  static final class Postgres extends Dialect {
    private static final Pattern MONTHS = Pattern.compile("(-?\\d+) mons?\\b");
    private final String schema;

    Postgres(String metadataSchema) {
      this.schema = metadataSchema == null ? "public" : metadataSchema;
    }

    @Override
    HikariDataSource open(CatalogConfig config) {
      CatalogConfig.ServerAddress server = config.server();
      HikariConfig hc = new HikariConfig();
      hc.setJdbcUrl("jdbc:postgresql://" + server.host() + ":" + server.port() + "/"
          + URLEncoder.encode(server.database(), StandardCharsets.UTF_8));
      hc.setUsername(config.credentials().user());
      hc.setPassword(config.credentials().password());
      hc.setPoolName("mallard-postgresql");
      hc.setMaximumPoolSize(4);
      hc.setMinimumIdle(0);
      hc.setConnectionTimeout(config.connectTimeoutSeconds() * 1000L);
      hc.addDataSourceProperty("connectTimeout", Integer.toString(config.connectTimeoutSeconds()));
      hc.addDataSourceProperty("loginTimeout", Integer.toString(config.connectTimeoutSeconds()));
      hc.addDataSourceProperty("ApplicationName", "mallard");
      // Text parameters take the column's type (uuid, timestamptz, numeric, interval...), as a
      // literal would, so the engine binds DuckDB's text forms the same way in every database.
      hc.addDataSourceProperty("stringtype", "unspecified");
      return pool(hc, "PostgreSQL catalog " + describe(config), config.connectTimeoutSeconds());
    }

    @Override
    String tablePrefix() {
      return schemaPrefix(schema);
    }

    @Override
    boolean tableExists(Connection c, String name) throws SQLException {
      return tableListed(c, "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = ? AND tablename = ?", schema, name);
    }

    @Override
    Instant timestamp(ResultSet rs, int column) throws SQLException {
      OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
      return t == null ? null : t.toInstant();
    }

    @Override
    ResultSet inlinedValues(ResultSet rs) {
      ResultSetMetaData md;
      try {
        md = rs.getMetaData();
      } catch (SQLException e) {
        throw new CatalogException("Cannot read the column types of an inlined data table: " + e.getMessage(), e);
      }
      return withText(rs, (r, column) -> switch (md.getColumnTypeName(column)) {
        case "bytea" -> {
          // Text kept as bytes (a blob is read with getBytes and never comes here).
          byte[] bytes = r.getBytes(column);
          yield bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
        case "interval" -> {
          String text = r.getString(column);
          yield text == null ? null : MONTHS.matcher(text).replaceAll(m -> m.group(1)
              + (m.group(1).equals("1") || m.group(1).equals("-1") ? " month" : " months"));
        }
        default -> r.getString(column);
      });
    }

    /** A new catalog's metadata schema is created when missing, as DuckDB does. */
    @Override
    java.util.List<String> prepareNewCatalog() {
      return java.util.List.of("CREATE SCHEMA IF NOT EXISTS " + tablePrefix().substring(0, tablePrefix().length() - 1));
    }

    /** As DuckDB's postgres extension creates them: uuid, boolean and timestamptz columns. */
    @Override
    String createTable(String canonicalDdl) {
      return canonicalDdl.replace("{UUID}", "UUID").replace("{BOOLEAN}", "BOOLEAN")
          .replace("{TIMESTAMPTZ}", "TIMESTAMPTZ").replace("CREATE TABLE ducklake_", "CREATE TABLE " + tablePrefix()
              + "ducklake_");
    }

    /**
     * As DuckDB 1.5.5 types inlined columns in PostgreSQL: native integers, floats, numeric, uuid,
     * interval and times; VARCHAR and JSON as UTF-8 bytea; dates, timestamps and the integers
     * PostgreSQL has no type for as DuckDB's text.
     */
    @Override
    String inlinedColumnType(DuckLakeType type) {
      return switch (type.kind()) {
        case BOOLEAN -> "BOOLEAN";
        case INT8, INT16 -> "SMALLINT";
        case INT32, UINT8, UINT16 -> "INTEGER";
        case INT64, UINT32 -> "BIGINT";
        case FLOAT32 -> "REAL";
        case FLOAT64 -> "DOUBLE PRECISION";
        case DECIMAL -> "NUMERIC(" + type.precision() + "," + type.scale() + ")";
        case UUID -> "UUID";
        case INTERVAL -> "INTERVAL";
        case TIME -> "TIME";
        case TIMETZ -> "TIMETZ";
        case VARCHAR, JSON, BLOB -> "BYTEA";
        default -> "VARCHAR";
      };
    }

    @Override
    InlinedBinding inlinedBinding(DuckLakeType type) {
      return switch (type.kind()) {
        case BOOLEAN -> InlinedBinding.BOOLEAN;
        case VARCHAR, JSON -> InlinedBinding.UTF8_BYTES;
        default -> super.inlinedBinding(type);
      };
    }

    @Override
    void bindTimestamp(PreparedStatement ps, int index, Instant time) throws SQLException {
      ps.setObject(index, time.atOffset(ZoneOffset.UTC));
    }
  }

  /**
   * MySQL and MariaDB, as DuckDB's mysql extension lays a catalog out: tables in the connection's
   * database (or the {@code metadata_schema}); snapshot times as {@code datetime} in UTC; inlined
   * HUGEINT values as {@code double}. Sessions run with ANSI_QUOTES so that the double-quoted
   * identifiers the engine writes mean the same as elsewhere.
   */
  static final class MySql extends Dialect {
    private static final int COMMIT_LOCK_SECONDS = 30;
    private final String schema;

    MySql(String metadataSchema) {
      this.schema = metadataSchema;
    }

    @Override
    HikariDataSource open(CatalogConfig config) {
      CatalogConfig.ServerAddress server = config.server();
      HikariConfig hc = new HikariConfig();
      hc.setJdbcUrl("jdbc:mysql://" + server.host() + ":" + server.port() + "/" + server.database());
      hc.setUsername(config.credentials().user());
      hc.setPassword(config.credentials().password());
      hc.setPoolName("mallard-mysql");
      hc.setMaximumPoolSize(4);
      hc.setMinimumIdle(0);
      hc.setConnectionTimeout(config.connectTimeoutSeconds() * 1000L);
      hc.addDataSourceProperty("connectTimeout", Integer.toString(config.connectTimeoutSeconds() * 1000));
      hc.addDataSourceProperty("characterEncoding", "UTF-8");
      // Added to the server's modes, not replacing them.
      hc.setConnectionInitSql("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES')");
      return pool(hc, "MySQL catalog " + describe(config), config.connectTimeoutSeconds());
    }

    @Override
    String tablePrefix() {
      return schemaPrefix(schema);
    }

    @Override
    boolean tableExists(Connection c, String name) throws SQLException {
      return tableListed(c, "SELECT 1 FROM information_schema.tables"
          + " WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?", schema, name);
    }

    @Override
    Instant timestamp(ResultSet rs, int column) throws SQLException {
      LocalDateTime t = rs.getObject(column, LocalDateTime.class);
      return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    @Override
    ResultSet inlinedValues(ResultSet rs) {
      ResultSetMetaData md;
      try {
        md = rs.getMetaData();
      } catch (SQLException e) {
        throw new CatalogException("Cannot read the column types of an inlined data table: " + e.getMessage(), e);
      }
      return withText(rs, (r, column) -> {
        String text = r.getString(column);
        if (text != null && md.getColumnType(column) == java.sql.Types.DOUBLE
            && (text.indexOf('E') >= 0 || text.indexOf('e') >= 0)) {
          // DuckDB keeps HUGEINTs here as doubles, which the driver prints as 1.2676506002282294E30;
          // the exact digits of the double parse as an integer and as the same double again.
          double d = r.getDouble(column);
          if (Double.isFinite(d) && d != 0) {
            return new BigDecimal(d).toPlainString();
          }
        }
        return text;
      });
    }

    /**
     * As DuckDB's mysql extension creates them: TEXT for VARCHAR (MySQL's VARCHAR needs a length)
     * and UUIDs, TINYINT(1) booleans, DATETIME snapshot times (whole seconds, UTC).
     */
    @Override
    String createTable(String canonicalDdl) {
      return canonicalDdl.replace(" VARCHAR", " TEXT").replace("{UUID}", "TEXT").replace("{BOOLEAN}", "BOOLEAN")
          .replace("{TIMESTAMPTZ}", "DATETIME").replace("CREATE TABLE ducklake_", "CREATE TABLE " + tablePrefix()
              + "ducklake_");
    }

    /**
     * As DuckDB 1.5.5 types inlined columns in MySQL (native integers with UNSIGNED, HUGEINT as
     * DOUBLE, DATE, TEXT for what MySQL has no type for), except timestamps: DATETIME(6) rather
     * than the reference's DATETIME, which would drop the fraction of a second. DuckDB reads both
     * as TIMESTAMP.
     */
    @Override
    String inlinedColumnType(DuckLakeType type) {
      return switch (type.kind()) {
        case BOOLEAN -> "BOOLEAN";
        case INT8 -> "TINYINT";
        case INT16 -> "SMALLINT";
        case INT32 -> "INT";
        case INT64 -> "BIGINT";
        case UINT8 -> "TINYINT UNSIGNED";
        case UINT16 -> "SMALLINT UNSIGNED";
        case UINT32 -> "INT UNSIGNED";
        case UINT64 -> "BIGINT UNSIGNED";
        case INT128, FLOAT64 -> "DOUBLE";
        case FLOAT32 -> "FLOAT";
        case DECIMAL -> "DECIMAL(" + type.precision() + "," + type.scale() + ")";
        case DATE -> "DATE";
        case TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS, TIMESTAMPTZ, TIMESTAMPTZ_NS -> "DATETIME(6)";
        case BLOB -> "BLOB";
        default -> "TEXT";
      };
    }

    @Override
    InlinedBinding inlinedBinding(DuckLakeType type) {
      return switch (type.kind()) {
        case TIMESTAMPTZ, TIMESTAMPTZ_NS -> InlinedBinding.UTC_DATETIME;
        default -> super.inlinedBinding(type);
      };
    }

    @Override
    void bindTimestamp(PreparedStatement ps, int index, Instant time) throws SQLException {
      ps.setObject(index, LocalDateTime.ofInstant(time, ZoneOffset.UTC));
    }

    @Override
    boolean ddlCommitsTransaction() {
      return true;
    }

    /** A named lock of the server, per catalog; the server releases it if the session dies. */
    @Override
    void lockCommits(Connection c) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
        ps.setString(1, commitLockName(c));
        ps.setInt(2, COMMIT_LOCK_SECONDS);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || rs.getInt(1) != 1) {
            throw new SQLException("Another writer held the catalog's commit lock for " + COMMIT_LOCK_SECONDS
                + " s", "40001");
          }
        }
      }
    }

    @Override
    void unlockCommits(Connection c) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
        ps.setString(1, commitLockName(c));
        ps.executeQuery().close();
      }
    }

    private String commitLockName(Connection c) throws SQLException {
      String database = schema;
      if (database == null) {
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
          database = rs.next() ? rs.getString(1) : "";
        }
      }
      // MySQL limits lock names to 64 characters.
      String name = "ducklake_commit." + database;
      return name.length() <= 64 ? name : name.substring(0, 64);
    }
  }

  /**
   * A DuckDB database file, read through DuckDB's JDBC driver, always read-only: DuckDB locks a
   * file against other processes while one has it open for writing, and a read-write open would
   * upgrade an older file's storage. A file written by a newer DuckDB than the bundled driver
   * cannot be opened (DuckDB 1.5 writes catalogs with the newest storage version it knows).
   */
  static final class DuckDbFile extends Dialect {
    private final String schema;

    DuckDbFile(String metadataSchema) {
      this.schema = metadataSchema == null ? "main" : metadataSchema;
    }

    @Override
    HikariDataSource open(CatalogConfig config) {
      Path file = Path.of(config.location().startsWith("file:") ? config.location().substring(5) : config.location());
      if (config.create()) {
        throw new UnsupportedFeatureException(CatalogConfig.DUCKDB_FILE_READ_ONLY);
      }
      if (!Files.isRegularFile(file)) {
        throw new CatalogException("DuckLake catalog file not found: " + file);
      }
      HikariConfig hc = new HikariConfig();
      hc.setJdbcUrl("jdbc:duckdb:" + file.toAbsolutePath());
      hc.addDataSourceProperty("duckdb.read_only", "true");
      hc.setReadOnly(true); // the driver refuses a connection-level read-only state unlike the database's
      hc.setPoolName("mallard-duckdb");
      hc.setMaximumPoolSize(2);
      hc.setMinimumIdle(0);
      // Idle connections keep the file's shared lock, which stops DuckDB from attaching it for
      // writing: give them up soon.
      hc.setIdleTimeout(10_000);
      hc.setConnectionTestQuery("SELECT 1");
      try {
        return pool(hc, "DuckDB catalog file " + file);
      } catch (CatalogException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("lock")) {
          throw new CatalogException(message + ". A DuckDB process has the file open for writing; Mallard can read"
              + " it only once that process has detached it", e);
        }
        if (message.contains("version") || message.contains("serializ")) {
          throw new CatalogException(message + ". The file may have been written by a newer DuckDB than the"
              + " DuckDB JDBC driver on the class path; use org.duckdb:duckdb_jdbc at least as new as the writer", e);
        }
        throw e;
      }
    }

    @Override
    String tablePrefix() {
      return schemaPrefix(schema);
    }

    @Override
    boolean tableExists(Connection c, String name) throws SQLException {
      return tableListed(c, "SELECT 1 FROM information_schema.tables"
          + " WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ?", schema, name);
    }

    @Override
    Instant timestamp(ResultSet rs, int column) throws SQLException {
      OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
      return t == null ? null : t.toInstant();
    }

    @Override
    boolean selectsInlinedValuesByType() {
      return true;
    }

    /**
     * DuckDB's own cast gives exactly the text the readers parse; the JDBC driver's Java objects
     * would not (java.sql.Timestamp is Julian before 1582, TIMESTAMPTZ comes back in ISO form).
     */
    @Override
    String inlinedValue(String quotedColumn, String sqlType) {
      return "BLOB".equalsIgnoreCase(sqlType) ? quotedColumn : "CAST(" + quotedColumn + " AS VARCHAR)";
    }

    @Override
    String createTable(String canonicalDdl) {
      throw new UnsupportedFeatureException(CatalogConfig.DUCKDB_FILE_READ_ONLY);
    }

    @Override
    String inlinedColumnType(DuckLakeType type) {
      throw new UnsupportedFeatureException(CatalogConfig.DUCKDB_FILE_READ_ONLY);
    }
  }

  /** A catalog's address for messages: never the password. */
  static String describe(CatalogConfig config) {
    CatalogConfig.ServerAddress server = config.server();
    String user = config.credentials().user();
    return server.host() + ":" + server.port() + "/" + server.database() + (user == null ? "" : " as user " + user);
  }
}
