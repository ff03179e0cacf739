package dev.mallard.jdbc;

import dev.mallard.calcite.DuckLakeSchema;
import dev.mallard.engine.ScanMetrics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.lookup.LikePattern;

/** The shortest way in: a JDBC connection to a lake from its catalog URL. */
public final class Mallard {
  private Mallard() {}

  /**
   * Opens a connection to a lake.
   *
   * @param catalogUrl e.g. {@code sqlite:/data/lake.sqlite} or {@code jdbc:ducklake:sqlite:/data/lake.sqlite}
   */
  public static Connection connect(String catalogUrl) throws SQLException {
    return connect(catalogUrl, new Properties());
  }

  /** What the scans of a connection's lake did so far: files opened, files and row groups pruned. */
  public static ScanMetrics scanMetrics(Connection connection) throws SQLException {
    SchemaPlus root = connection.unwrap(CalciteConnection.class).getRootSchema();
    for (String name : root.subSchemas().getNames(LikePattern.any())) {
      SchemaPlus schema = root.subSchemas().get(name);
      if (schema != null && schema.unwrap(CalciteSchema.class).schema instanceof DuckLakeSchema lake) {
        return lake.lake().catalog().scanMetrics();
      }
    }
    throw new SQLException("Not a Mallard connection: it has no DuckLake schema");
  }

  /**
   * Runs a query on a Mallard connection and returns its result as a stream of Arrow record batches
   * allocated from {@code allocator}; close the reader when done. A query that is one table scan
   * (with its columns and filters) streams the engine's own batches; other queries have their rows
   * written into batches. Types are those of the engine's {@code ArrowTypes}.
   */
  public static ArrowReader arrow(Connection connection, String sql, BufferAllocator allocator)
      throws SQLException {
    connection.unwrap(CalciteConnection.class);
    return ArrowQuery.run(connection, sql, allocator);
  }

  public static Connection connect(String catalogUrl, Properties options) throws SQLException {
    String url = catalogUrl.startsWith(DuckLakeDriver.PREFIX) ? catalogUrl : DuckLakeDriver.PREFIX + catalogUrl;
    try {
      Class.forName(DuckLakeDriver.class.getName());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    return DriverManager.getConnection(url, options);
  }
}
