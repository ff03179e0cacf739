package dev.mallard.engine.txn;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The catalog's {@code ducklake_files_scheduled_for_deletion}: files no snapshot needs any more,
 * waiting to be deleted from storage. Paths are stored relative to the data path when under it,
 * as the reference stores them.
 */
public final class ScheduledFiles {
  /** One scheduled file; {@code id} is the data or delete file id it had. */
  public record Scheduled(long id, String path, Instant scheduledAt) {}

  private ScheduledFiles() {}

  /** Schedules a file for deletion (inside a catalog transaction). */
  static void schedule(Connection c, MetadataStore metadata, CatalogPaths paths, long fileId, String absolutePath)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + metadata.table("ducklake_files_scheduled_for_deletion")
        + " VALUES (?, ?, ?, ?)")) {
      ps.setLong(1, fileId);
      ps.setString(2, paths.relativeToDataPath(absolutePath));
      ps.setBoolean(3, paths.isUnderDataPath(absolutePath));
      ps.setString(4, Timestamps.now());
      ps.executeUpdate();
    }
  }

  /** Every scheduled file, oldest first, with absolute paths. */
  public static List<Scheduled> list(DuckLakeCatalog catalog) {
    MetadataStore metadata = catalog.metadata();
    String dataPath = catalog.dataPath();
    return metadata.inTransaction("reading files scheduled for deletion", c -> {
      List<Scheduled> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT data_file_id, path, path_is_relative, schedule_start FROM "
          + metadata.table("ducklake_files_scheduled_for_deletion") + " ORDER BY schedule_start, data_file_id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String path = rs.getBoolean(3) ? dataPath + rs.getString(2) : rs.getString(2);
          Instant at = metadata.timestamp(rs, 4);
          out.add(new Scheduled(rs.getLong(1), path, at == null ? Instant.EPOCH : at));
        }
      }
      return out;
    });
  }

  /** Removes the rows of files that were deleted from storage (by file id, as the reference does: ids are unique). */
  public static void forget(DuckLakeCatalog catalog, Collection<Scheduled> deleted) {
    if (deleted.isEmpty()) {
      return;
    }
    MetadataStore metadata = catalog.metadata();
    Committer.withRetries(() -> metadata.inTransaction("removing deleted files from the deletion schedule", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM "
          + metadata.table("ducklake_files_scheduled_for_deletion") + " WHERE data_file_id = ?")) {
        for (Scheduled s : deleted) {
          ps.setLong(1, s.id());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    }));
  }

  /**
   * The absolute paths of every file the catalog knows: data and delete files of any snapshot and of
   * dropped tables, and files scheduled for deletion. What is under the data path and not in here
   * is an orphan.
   */
  public static java.util.Set<String> knownFiles(DuckLakeCatalog catalog) {
    MetadataStore metadata = catalog.metadata();
    String dataPath = catalog.dataPath();
    return metadata.inTransaction("listing the files the catalog knows", c -> {
      CatalogPaths paths = CatalogPaths.read(c, metadata, dataPath);
      java.util.Set<String> out = new java.util.HashSet<>();
      for (String table : List.of("ducklake_data_file", "ducklake_delete_file")) {
        try (PreparedStatement ps = c.prepareStatement("SELECT table_id, path, path_is_relative FROM "
            + metadata.table(table)); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(paths.file(rs.getLong(1), rs.getString(2), rs.getBoolean(3)));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT path, path_is_relative FROM "
          + metadata.table("ducklake_files_scheduled_for_deletion")); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getBoolean(2) ? dataPath + rs.getString(1) : rs.getString(1));
        }
      }
      return out;
    });
  }
}
