package dev.mallard.engine.txn;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.MetadataStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Removes snapshots from the catalog, and with them every row no remaining snapshot can see, as
 * the reference's {@code ducklake_expire_snapshots} does (ducklake-format.md §6): data and delete
 * files whose validity range no longer covers any snapshot are dropped from the catalog and
 * scheduled for deletion; tables, schemas, views, tags and macros that no snapshot sees lose all
 * their rows, and a dead table's inlined data tables are dropped. Expiring writes no snapshot.
 */
public final class SnapshotExpiry {
  /** An existing row is "dead" when it ended and no remaining snapshot lies in [begin, end). */
  private static final String DEAD = "%3$send_snapshot IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %1$s s"
      + " WHERE s.snapshot_id >= %2$sbegin_snapshot AND s.snapshot_id < %2$send_snapshot)";

  /** What one expiry removed from the catalog. */
  public record Result(List<Long> snapshots, List<ScheduledFiles.Scheduled> scheduledFiles, List<Long> droppedTables) {}

  private SnapshotExpiry() {}

  /**
   * Expires the given snapshots in one catalog transaction. The latest snapshot is never expired,
   * even if asked for (a writer may have committed since the caller chose); nor are snapshots that
   * are already gone.
   */
  public static Result expire(DuckLakeCatalog catalog, Collection<Long> snapshotIds) {
    catalog.metadata().version().checkWritable();
    // A writer holding the catalog's write lock makes this transaction fail at its first write
    // (SQLite cannot wait there without risking a deadlock): try again, as a commit would.
    return Committer.withRetries(() -> expireOnce(catalog, snapshotIds));
  }

  private static Result expireOnce(DuckLakeCatalog catalog, Collection<Long> snapshotIds) {
    MetadataStore metadata = catalog.metadata();
    return metadata.inTransaction("expiring " + snapshotIds.size() + " snapshots", c -> {
      List<Long> ids = existingExceptLatest(c, metadata, snapshotIds);
      if (ids.isEmpty()) {
        return new Result(List.of(), List.of(), List.of());
      }
      String in = ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
      for (String table : List.of("ducklake_snapshot", "ducklake_snapshot_changes")) {
        execute(c, "DELETE FROM " + metadata.table(table) + " WHERE snapshot_id IN (" + in + ")");
      }
      CatalogPaths paths = CatalogPaths.read(c, metadata, catalog.dataPath());
      String snapshots = metadata.table("ducklake_snapshot");
      List<Long> deadTables = deadTables(c, metadata, snapshots);
      String tableFilter = deadTables.isEmpty() ? ""
          : "table_id IN (" + deadTables.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ") OR ";
      List<ScheduledFiles.Scheduled> scheduled = new ArrayList<>();

      Map<Long, String> dataFiles = files(c, metadata, paths, "data_file_id", "ducklake_data_file",
          tableFilter + "(" + dead(snapshots, "f") + ")");
      for (Map.Entry<Long, String> f : dataFiles.entrySet()) {
        ScheduledFiles.schedule(c, metadata, paths, f.getKey(), f.getValue());
        scheduled.add(new ScheduledFiles.Scheduled(f.getKey(), f.getValue(), null));
      }
      deleteByIds(c, metadata, dataFiles.keySet(), "data_file_id", "ducklake_data_file", "ducklake_file_column_stats",
          "ducklake_file_variant_stats", "ducklake_file_partition_value");

      String fileFilter = dataFiles.isEmpty() ? ""
          : "data_file_id IN (" + dataFiles.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "))
              + ") OR ";
      Map<Long, String> deleteFiles = files(c, metadata, paths, "delete_file_id", "ducklake_delete_file",
          tableFilter + fileFilter + "(" + dead(snapshots, "f") + ")");
      for (Map.Entry<Long, String> f : deleteFiles.entrySet()) {
        ScheduledFiles.schedule(c, metadata, paths, f.getKey(), f.getValue());
        scheduled.add(new ScheduledFiles.Scheduled(f.getKey(), f.getValue(), null));
      }
      deleteByIds(c, metadata, deleteFiles.keySet(), "delete_file_id", "ducklake_delete_file");

      if (!deadTables.isEmpty()) {
        dropTables(c, metadata, deadTables);
      }
      for (String table : List.of("ducklake_schema", "ducklake_view", "ducklake_view_column_tag", "ducklake_tag",
          "ducklake_column_tag", "ducklake_macro")) {
        if (metadata.tableExists(c, table)) {
          execute(c, "DELETE FROM " + metadata.table(table) + " WHERE " + dead(snapshots, null));
        }
      }
      for (String table : List.of("ducklake_macro_impl", "ducklake_macro_parameters")) {
        if (metadata.tableExists(c, table) && metadata.tableExists(c, "ducklake_macro")) {
          execute(c, "DELETE FROM " + metadata.table(table) + " WHERE NOT EXISTS (SELECT 1 FROM "
              + metadata.table("ducklake_macro") + " m WHERE m.macro_id = " + metadata.table(table) + ".macro_id)");
        }
      }
      if (metadata.tableExists(c, "ducklake_name_mapping") && metadata.tableExists(c, "ducklake_column_mapping")) {
        execute(c, "DELETE FROM " + metadata.table("ducklake_name_mapping") + " WHERE NOT EXISTS (SELECT 1 FROM "
            + metadata.table("ducklake_column_mapping") + " m WHERE m.mapping_id = "
            + metadata.table("ducklake_name_mapping") + ".mapping_id)");
      }
      return new Result(ids, scheduled, deadTables);
    });
  }

  /** @param alias the outer row's alias, or null in a DELETE (the reference's unqualified form) */
  private static String dead(String snapshots, String alias) {
    String prefix = alias == null ? "" : alias + ".";
    return String.format(DEAD, snapshots, prefix, prefix);
  }

  private static List<Long> existingExceptLatest(Connection c, MetadataStore metadata, Collection<Long> wanted)
      throws SQLException {
    List<Long> out = new ArrayList<>();
    long latest;
    try (PreparedStatement ps = c.prepareStatement("SELECT MAX(snapshot_id) FROM " + metadata.table("ducklake_snapshot"));
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      latest = rs.getLong(1);
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT snapshot_id FROM " + metadata.table("ducklake_snapshot")
        + " ORDER BY snapshot_id"); ResultSet rs = ps.executeQuery()) {
      java.util.Set<Long> set = new java.util.HashSet<>(wanted);
      while (rs.next()) {
        long id = rs.getLong(1);
        if (id != latest && set.contains(id)) {
          out.add(id);
        }
      }
    }
    return out;
  }

  /** Tables whose every version ended and no remaining snapshot sees. */
  private static List<Long> deadTables(Connection c, MetadataStore metadata, String snapshots) throws SQLException {
    String tables = metadata.table("ducklake_table");
    List<Long> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT t.table_id FROM " + tables + " t WHERE "
        + dead(snapshots, "t") + " AND NOT EXISTS (SELECT 1 FROM " + tables + " t2 WHERE t2.table_id = t.table_id"
        + " AND (t2.end_snapshot IS NULL OR EXISTS (SELECT 1 FROM " + snapshots + " s WHERE s.snapshot_id >="
        + " t2.begin_snapshot AND s.snapshot_id < t2.end_snapshot)))"); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  private static Map<Long, String> files(Connection c, MetadataStore metadata, CatalogPaths paths, String idColumn,
      String table, String where) throws SQLException {
    Map<Long, String> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + idColumn + ", table_id, path, path_is_relative FROM "
        + metadata.table(table) + " f WHERE " + where + " ORDER BY " + idColumn); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getLong(1), paths.file(rs.getLong(2), rs.getString(3), rs.getBoolean(4)));
      }
    }
    return out;
  }

  private static void deleteByIds(Connection c, MetadataStore metadata, Collection<Long> ids, String idColumn,
      String... tables) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    List<Long> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += 500) {
      String in = all.subList(from, Math.min(all.size(), from + 500)).stream().map(String::valueOf)
          .collect(Collectors.joining(", "));
      for (String table : tables) {
        if (metadata.tableExists(c, table)) {
          execute(c, "DELETE FROM " + metadata.table(table) + " WHERE " + idColumn + " IN (" + in + ")");
        }
      }
    }
  }

  private static void dropTables(Connection c, MetadataStore metadata, List<Long> tableIds) throws SQLException {
    String in = tableIds.stream().map(String::valueOf).collect(Collectors.joining(", "));
    List<String> inlined = new ArrayList<>();
    if (metadata.tableExists(c, "ducklake_inlined_data_tables")) {
      try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM "
          + metadata.table("ducklake_inlined_data_tables") + " WHERE table_id IN (" + in + ")");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          inlined.add(rs.getString(1));
        }
      }
    }
    tableIds.forEach(id -> inlined.add("ducklake_inlined_delete_" + id));
    for (String table : List.of("ducklake_table", "ducklake_table_stats", "ducklake_table_column_stats",
        "ducklake_partition_info", "ducklake_partition_column", "ducklake_column", "ducklake_column_tag",
        "ducklake_sort_info", "ducklake_sort_expression", "ducklake_schema_versions", "ducklake_inlined_data_tables",
        "ducklake_column_mapping")) {
      if (metadata.tableExists(c, table)) {
        execute(c, "DELETE FROM " + metadata.table(table) + " WHERE table_id IN (" + in + ")");
      }
    }
    for (String name : inlined) {
      if (metadata.tableExists(c, name)) {
        execute(c, "DROP TABLE " + metadata.table(name));
      }
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }
}
