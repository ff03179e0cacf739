package dev.mallard.engine.txn;

import dev.mallard.engine.catalog.MetadataStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the files of every table ever in the catalog live, dropped ones included: maintenance
 * resolves the paths of files of tables no snapshot sees any more. A table's and a schema's path
 * never change over their versions, so any version's row serves.
 */
final class CatalogPaths {
  private final String dataPath;
  private final Map<Long, String> schemaPaths = new HashMap<>();
  private final Map<Long, String> tablePaths = new HashMap<>();

  private CatalogPaths(String dataPath) {
    this.dataPath = dataPath;
  }

  static CatalogPaths read(Connection c, MetadataStore metadata, String dataPath) throws SQLException {
    CatalogPaths paths = new CatalogPaths(dataPath);
    try (PreparedStatement ps = c.prepareStatement("SELECT schema_id, path, path_is_relative FROM "
        + metadata.table("ducklake_schema")); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        paths.schemaPaths.put(rs.getLong(1), resolve(dataPath, rs.getString(2), rs.getBoolean(3)));
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT table_id, schema_id, path, path_is_relative FROM "
        + metadata.table("ducklake_table")); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String schema = paths.schemaPaths.getOrDefault(rs.getLong(2), dataPath);
        paths.tablePaths.put(rs.getLong(1), resolve(schema, rs.getString(3), rs.getBoolean(4)));
      }
    }
    return paths;
  }

  /** The absolute path of a data or delete file of a table. */
  String file(long tableId, String path, boolean relative) {
    return resolve(tablePaths.getOrDefault(tableId, dataPath), path, relative);
  }

  /** A path as {@code ducklake_files_scheduled_for_deletion} stores it: relative to the data path if under it. */
  String relativeToDataPath(String absolute) {
    return absolute.startsWith(dataPath) ? absolute.substring(dataPath.length()) : absolute;
  }

  boolean isUnderDataPath(String absolute) {
    return absolute.startsWith(dataPath);
  }

  private static String resolve(String parent, String path, boolean relative) {
    if (path == null) {
      return parent;
    }
    return relative ? parent + path : path;
  }
}
