package dev.mallard.engine.txn;

import dev.mallard.engine.MallardException.ConflictException;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.parquet.FileColumnStats;
import dev.mallard.engine.parquet.ReadColumn;
import dev.mallard.engine.parquet.WrittenDeleteFile;
import dev.mallard.engine.parquet.WrittenFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The catalog rows merge, rewrite and flush write inside a commit ({@link CatalogWork}), as the
 * reference writes them: new (possibly partial) data and delete files, source files removed and
 * scheduled for deletion, table statistics.
 */
public final class MaintenanceRows {
  private MaintenanceRows() {}

  /**
   * Inserts a data file row and its column statistics (the internal row id and snapshot id columns
   * get none, as in the reference).
   *
   * @param rowIdStart null when the file embeds its row ids
   * @param partialMax null for an ordinary file
   * @return the new data file id
   */
  public static long insertDataFile(CommitContext ctx, TableInfo table, WrittenFile file, long beginSnapshot,
      Long rowIdStart, Long partialMax) throws SQLException {
    return insertDataFile(ctx, table, file, beginSnapshot, rowIdStart, partialMax, null, List.of());
  }

  /**
   * The same, for a file of one partition: its {@code partition_id} and, per key index, its
   * {@code ducklake_file_partition_value} (as the catalog's text; null for a NULL value), copied
   * from the files it replaces as the reference's compaction does.
   */
  public static long insertDataFile(CommitContext ctx, TableInfo table, WrittenFile file, long beginSnapshot,
      Long rowIdStart, Long partialMax, Long partitionId, List<String> partitionValues) throws SQLException {
    MetadataStore metadata = ctx.metadata();
    Connection c = ctx.connection();
    long fileId = ctx.takeFileId();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + metadata.table("ducklake_data_file")
        + " VALUES (?, ?, ?, NULL, NULL, ?, ?, 'parquet', ?, ?, ?, ?, ?, NULL, NULL, ?)")) {
      String path = Committer.relative(file.path(), table.path());
      ps.setLong(1, fileId);
      ps.setLong(2, table.id());
      ps.setLong(3, beginSnapshot);
      ps.setString(4, path);
      ps.setBoolean(5, !path.equals(file.path()));
      ps.setLong(6, file.recordCount());
      ps.setLong(7, file.fileSizeBytes());
      ps.setLong(8, file.footerSize());
      setLongOrNull(ps, 9, rowIdStart);
      setLongOrNull(ps, 10, partitionId);
      setLongOrNull(ps, 11, partialMax);
      ps.executeUpdate();
    }
    if (partitionId != null && !partitionValues.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + metadata.table("ducklake_file_partition_value")
          + " VALUES (?, ?, ?, ?)")) {
        for (int i = 0; i < partitionValues.size(); i++) {
          ps.setLong(1, fileId);
          ps.setLong(2, table.id());
          ps.setLong(3, i);
          ps.setString(4, partitionValues.get(i));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + metadata.table("ducklake_file_column_stats")
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Map.Entry<Integer, FileColumnStats> e : file.stats().entrySet()) {
        if (e.getKey() == ReadColumn.ROW_ID_FIELD_ID || e.getKey() == ReadColumn.SNAPSHOT_ID_FIELD_ID) {
          continue;
        }
        FileColumnStats s = e.getValue();
        ps.setLong(1, fileId);
        ps.setLong(2, table.id());
        ps.setLong(3, e.getKey());
        ps.setLong(4, s.columnSizeBytes());
        ps.setLong(5, s.valueCount());
        ps.setLong(6, s.nullCount());
        ps.setString(7, s.minValue());
        ps.setString(8, s.maxValue());
        if (s.containsNan() == null) {
          ps.setNull(9, Types.BIGINT);
        } else {
          ps.setBoolean(9, s.containsNan());
        }
        ps.setString(10, s.extraStats());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return fileId;
  }

  /** Inserts a delete file row for a data file; {@code partialMax} null for an ordinary one. */
  public static long insertDeleteFile(CommitContext ctx, TableInfo table, long dataFileId, WrittenDeleteFile file,
      long beginSnapshot, Long partialMax) throws SQLException {
    long id = ctx.takeFileId();
    try (PreparedStatement ps = ctx.connection().prepareStatement("INSERT INTO "
        + ctx.metadata().table("ducklake_delete_file") + " VALUES (?, ?, ?, NULL, ?, ?, ?, 'parquet', ?, ?, ?, NULL, ?)")) {
      String path = Committer.relative(file.path(), table.path());
      ps.setLong(1, id);
      ps.setLong(2, table.id());
      ps.setLong(3, beginSnapshot);
      ps.setLong(4, dataFileId);
      ps.setString(5, path);
      ps.setBoolean(6, !path.equals(file.path()));
      ps.setLong(7, file.recordCount());
      ps.setLong(8, file.fileSizeBytes());
      ps.setLong(9, file.footerSize());
      setLongOrNull(ps, 10, partialMax);
      ps.executeUpdate();
    }
    return id;
  }

  /**
   * Checks that data files are still live and have no deletes (no delete file, no inlined
   * deletion); throws a {@link ConflictException} naming the first that is not. Merge relies on it.
   */
  public static void checkLiveWithoutDeletes(CommitContext ctx, TableInfo table, Collection<Long> dataFileIds)
      throws SQLException {
    MetadataStore metadata = ctx.metadata();
    String in = inList(dataFileIds);
    try (PreparedStatement ps = ctx.connection().prepareStatement("SELECT COUNT(*) FROM "
        + metadata.table("ducklake_data_file") + " WHERE data_file_id IN (" + in + ") AND end_snapshot IS NULL");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      if (rs.getLong(1) != dataFileIds.size()) {
        throw new ConflictException("Data files of " + table.qualifiedName() + " were removed since they were read;"
            + " another transaction changed them");
      }
    }
    try (PreparedStatement ps = ctx.connection().prepareStatement("SELECT COUNT(*) FROM "
        + metadata.table("ducklake_delete_file") + " WHERE data_file_id IN (" + in + ")");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      if (rs.getLong(1) > 0) {
        throw new ConflictException("Rows of data files of " + table.qualifiedName() + " were deleted since they"
            + " were read");
      }
    }
    String inlinedDeletes = "ducklake_inlined_delete_" + table.id();
    if (metadata.tableExists(ctx.connection(), inlinedDeletes)) {
      try (PreparedStatement ps = ctx.connection().prepareStatement("SELECT COUNT(*) FROM "
          + metadata.table(inlinedDeletes) + " WHERE file_id IN (" + in + ")"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) > 0) {
          throw new ConflictException("Rows of data files of " + table.qualifiedName() + " were deleted since they"
              + " were read");
        }
      }
    }
  }

  /**
   * Removes data files from the catalog entirely (with their statistics, delete files and partition
   * values) and schedules them for deletion, as merge_adjacent_files does: history stays readable
   * through the merged partial file.
   */
  public static void removeDataFiles(CommitContext ctx, Map<Long, String> pathsById) throws SQLException {
    MetadataStore metadata = ctx.metadata();
    CatalogPaths paths = CatalogPaths.read(ctx.connection(), metadata, ctx.catalog().dataPath());
    String in = inList(pathsById.keySet());
    for (String table : List.of("ducklake_data_file", "ducklake_file_column_stats", "ducklake_delete_file",
        "ducklake_file_partition_value", "ducklake_file_variant_stats")) {
      if (metadata.tableExists(ctx.connection(), table)) {
        try (PreparedStatement ps = ctx.connection().prepareStatement("DELETE FROM " + metadata.table(table)
            + " WHERE data_file_id IN (" + in + ")")) {
          ps.executeUpdate();
        }
      }
    }
    for (Map.Entry<Long, String> f : pathsById.entrySet()) {
      ScheduledFiles.schedule(ctx.connection(), metadata, paths, f.getKey(), f.getValue());
    }
  }

  /** Ends a data file (and its delete file) at this snapshot; history before it keeps reading them. */
  public static void endDataFile(CommitContext ctx, long dataFileId) throws SQLException {
    for (String table : List.of("ducklake_data_file", "ducklake_delete_file")) {
      try (PreparedStatement ps = ctx.connection().prepareStatement("UPDATE " + ctx.metadata().table(table)
          + " SET end_snapshot = ? WHERE data_file_id = ? AND end_snapshot IS NULL")) {
        ps.setLong(1, ctx.snapshotId());
        ps.setLong(2, dataFileId);
        ps.executeUpdate();
      }
    }
  }

  /** Adds to a table's approximate file size (maintenance changes no row counts or row ids). */
  public static void addFileBytes(CommitContext ctx, long tableId, long delta) throws SQLException {
    TableStats stats = TableStats.read(ctx.connection(), ctx.metadata(), tableId);
    stats.fileSizeBytes = Math.max(0, stats.fileSizeBytes + delta);
    stats.write(ctx.connection(), ctx.metadata(), tableId);
  }

  static String inList(Collection<Long> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  private static void setLongOrNull(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }
}
