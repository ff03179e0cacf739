package dev.mallard.engine.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.mallard.engine.MallardException.CatalogException;
import dev.mallard.engine.types.DuckLakeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Pattern;

/** What differs between the databases a catalog can live in: connecting, naming tables, probing them. */
abstract class Dialect {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_]+");

  static Dialect of(CatalogConfig config) {
    return switch (config.backend()) {
      case SQLITE -> new Sqlite();
    };
  }

  /** A pool of connections to the catalog database. */
  abstract HikariDataSource open(CatalogConfig config);

  /**
   * The name of a catalog table for use in SQL. Only names made by DuckLake itself are spliced into
   * SQL, and they are checked to be plain identifiers first.
   */
  String table(String name) {
    if (!SAFE_NAME.matcher(name).matches()) {
      throw new CatalogException("Refusing unexpected catalog table name '" + name + "'");
    }
    return '"' + name + '"';
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
}
