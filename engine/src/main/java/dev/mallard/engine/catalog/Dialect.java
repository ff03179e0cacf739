package dev.mallard.engine.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.mallard.engine.MallardException.CatalogException;
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
      if (!Files.isRegularFile(file)) {
        throw new CatalogException("DuckLake catalog file not found: " + file);
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
