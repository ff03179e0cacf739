package dev.mallard.engine.txn;

import dev.mallard.engine.catalog.MetadataStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;

/** Views as {@code ducklake_view} rows, for DDL: which one a name refers to at a snapshot. */
final class ViewRows {
  private ViewRows() {}

  /** The id of the view {@code name} in the schema at the snapshot; names match ignoring case, as in DuckDB. */
  static Optional<Long> find(MetadataStore metadata, long schemaId, String name, long snapshot) {
    return metadata.inTransaction("looking up view " + name, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT view_id, view_name FROM " + metadata.table("ducklake_view")
          + " WHERE schema_id = ? AND begin_snapshot <= ? AND (end_snapshot IS NULL OR end_snapshot > ?)")) {
        ps.setLong(1, schemaId);
        ps.setLong(2, snapshot);
        ps.setLong(3, snapshot);
        Long caseInsensitive = null;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (rs.getString(2).equals(name)) {
              return Optional.of(rs.getLong(1));
            }
            if (rs.getString(2).equalsIgnoreCase(name)) {
              caseInsensitive = rs.getLong(1);
            }
          }
        }
        return Optional.ofNullable(caseInsensitive);
      }
    });
  }

  /** Column aliases as the reference stores them: each double-quoted, comma-separated; empty for none. */
  static String aliases(List<String> names) {
    StringBuilder out = new StringBuilder();
    for (String n : names) {
      if (out.length() > 0) {
        out.append(',');
      }
      out.append('"').append(n.replace("\"", "\"\"")).append('"');
    }
    return out.toString();
  }
}
