package dev.mallard.engine.txn;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.DeleteFile;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.ScopedOptions;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.catalog.Timestamps;
import dev.mallard.engine.parquet.DeleteFileReader;
import dev.mallard.engine.parquet.DeleteFileWriter;
import dev.mallard.engine.parquet.PuffinDeletionVectors;
import dev.mallard.engine.parquet.WrittenDeleteFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** The deleted positions of a data file: its delete file's and those kept inline in the catalog. */
final class DeletedPositions {
  private DeletedPositions() {}

  /** How many of the file's rows are deleted already. */
  static long count(Connection c, MetadataStore metadata, long tableId, DataFile file) throws SQLException {
    long count = file.deleteFile() == null ? 0 : file.deleteFile().deleteCount();
    String table = "ducklake_inlined_delete_" + tableId;
    if (metadata.tableExists(c, table)) {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + metadata.table(table)
          + " WHERE file_id = ?")) {
        ps.setLong(1, file.id());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          count += rs.getLong(1);
        }
      }
    }
    return count;
  }

  /**
   * A delete file written before the commit's catalog transaction (which is never held open while
   * files are written), and what recording it there takes.
   *
   * @param replaced the data file's visible delete file this one replaces, or null
   * @param beginSnapshot the new row's {@code begin_snapshot}
   */
  record Written(DeleteFile replaced, String format, long beginSnapshot, WrittenDeleteFile file) {}

  /**
   * Writes the delete file of a data file for the commit of snapshot {@code snapshot}, as the
   * reference does: the first holds the new positions ({@code file_path, pos}); a later one
   * replaces the visible one, holding its positions and the new ones with the snapshot that deleted
   * each ({@code _ducklake_internal_snapshot_id}), and keeps its {@code begin_snapshot}. Positions
   * deleted inline stay inline. When the table's {@code write_deletion_vectors} option is true it
   * is a puffin deletion vector instead ({@link #writeDeletionVector}). The caller deletes the file
   * if the commit fails.
   */
  static Written write(DuckLakeCatalog catalog, ScopedOptions options, TableInfo table, DataFile file,
      SortedSet<Long> positions, long snapshot) {
    DeleteFile old = file.deleteFile();
    if (old != null && old.encryptionKey() != null) {
      throw new UnsupportedFeatureException("Deleting rows of a data file whose delete file is encrypted is not"
          + " supported");
    }
    // As the reference: the table's write_deletion_vectors option picks puffin deletion vectors.
    boolean puffin = options.get("write_deletion_vectors", table)
        .map(v -> v.strip().equalsIgnoreCase("true")).orElse(false);
    if (puffin) {
      return writeDeletionVector(catalog, table, file, positions, snapshot);
    }
    long[] newPositions;
    long[] snapshotIds = null;
    long beginSnapshot = snapshot;
    if (old == null) {
      newPositions = positions.stream().mapToLong(Long::longValue).toArray();
    } else {
      DeleteFileReader.Deletions before = DeleteFileReader.deletions(catalog.fileIO().newInputFile(old.path()),
          old.path(), old.format(), old.beginSnapshot());
      TreeMap<Long, Long> merged = new TreeMap<>();
      for (int i = 0; i < before.positions().length; i++) {
        merged.put(before.positions()[i], before.snapshotIds()[i]);
      }
      positions.forEach(p -> merged.putIfAbsent(p, snapshot));
      newPositions = merged.keySet().stream().mapToLong(Long::longValue).toArray();
      snapshotIds = merged.values().stream().mapToLong(Long::longValue).toArray();
      beginSnapshot = old.beginSnapshot();
    }
    String location = table.path() + DeleteFileWriter.newFileName();
    return new Written(old, "parquet", beginSnapshot,
        DeleteFileWriter.write(catalog.fileIO(), location, file.path(), newPositions, snapshotIds));
  }

  /**
   * The puffin form: one bare deletion vector of every deleted position, which DuckDB 1.5.5 and
   * the reference's main branch both read (1.5.5 does not read puffin containers). A previous
   * delete file is ended at this snapshot rather than merged, so time travel still sees it.
   */
  private static Written writeDeletionVector(DuckLakeCatalog catalog, TableInfo table, DataFile file,
      SortedSet<Long> positions, long snapshot) {
    DeleteFile old = file.deleteFile();
    TreeSet<Long> all = new TreeSet<>(positions);
    if (old != null) {
      for (long p : DeleteFileReader.deletedPositions(catalog.fileIO().newInputFile(old.path()), old.path(),
          old.format(), snapshot)) {
        all.add(p);
      }
    }
    String location = table.path() + PuffinDeletionVectors.newFileName();
    return new Written(old, "puffin", snapshot,
        PuffinDeletionVectors.write(catalog.fileIO(), location, all.stream().mapToLong(Long::longValue).toArray()));
  }

  /**
   * Records a delete file {@link #write} wrote, inside the commit's catalog transaction: the
   * parquet form removes the row of the file it replaces and schedules that file for deletion; the
   * puffin form ends it at this snapshot.
   */
  static void record(Connection c, MetadataStore metadata, DuckLakeCatalog catalog, long tableId, TableInfo table,
      long dataFileId, Written written, long snapshot, long deleteFileId) throws SQLException {
    DeleteFile old = written.replaced();
    if (old != null && written.format().equals("puffin")) {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + metadata.table("ducklake_delete_file")
          + " SET end_snapshot = ? WHERE delete_file_id = ?")) {
        ps.setLong(1, snapshot);
        ps.setLong(2, old.id());
        ps.executeUpdate();
      }
    } else if (old != null) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + metadata.table("ducklake_delete_file")
          + " WHERE delete_file_id = ?")) {
        ps.setLong(1, old.id());
        ps.executeUpdate();
      }
      String oldPath = Committer.relative(old.path(), catalog.dataPath());
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO "
          + metadata.table("ducklake_files_scheduled_for_deletion") + " VALUES (?, ?, ?, ?)")) {
        ps.setLong(1, old.id());
        ps.setString(2, oldPath);
        ps.setBoolean(3, !oldPath.equals(old.path()));
        ps.setString(4, Timestamps.now());
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + metadata.table("ducklake_delete_file")
        + " VALUES (?, ?, ?, NULL, ?, ?, ?, '" + written.format() + "', ?, ?, ?, NULL, NULL)")) {
      String location = written.file().path();
      String path = Committer.relative(location, table.path());
      ps.setLong(1, deleteFileId);
      ps.setLong(2, tableId);
      ps.setLong(3, written.beginSnapshot());
      ps.setLong(4, dataFileId);
      ps.setString(5, path);
      ps.setBoolean(6, !path.equals(location));
      ps.setLong(7, written.file().recordCount());
      ps.setLong(8, written.file().fileSizeBytes());
      ps.setLong(9, written.file().footerSize());
      ps.executeUpdate();
    }
  }
}
