package dev.mallard.engine.txn;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SortedSet;

/** The deleted positions of a data file: its delete file's and those kept inline in the catalog. */
final class DeletedPositions {
  private DeletedPositions() {}

  /** How many of the file's rows are deleted already. */
  static long count(Connection c, MetadataStore metadata, long tableId, DataFile file, DuckLakeCatalog catalog)
      throws SQLException {
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

  static void writeDeleteFile(Connection c, MetadataStore metadata, DuckLakeCatalog catalog, long tableId,
      TableInfo table, DataFile file, SortedSet<Long> positions, Object attempt) {
    throw new UnsupportedFeatureException("Deleting more than " + InlinedTables.limit(catalog)
        + " rows of one data file in one statement is not supported yet");
  }
}
