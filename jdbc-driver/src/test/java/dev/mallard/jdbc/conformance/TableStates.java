package dev.mallard.jdbc.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a table's state at a snapshot depends on, as a digest: every catalog row about the table
 * (rows of each {@code ducklake_*} table with its {@code table_id}, its inlined-data tables), every
 * catalog row about no table in particular (metadata, schemas, views, name mappings, ...), and the
 * size and modification time of each data and delete file the table's rows name.
 *
 * <p>When a table's digest is the one it had when it was last compared at the then latest snapshot
 * {@code p}, reading it at a later snapshot {@code s} gives the rows it gave at {@code p}: none of
 * its catalog rows changed since, and each was written at or before {@code p}, so each begin/end
 * snapshot a reader tests {@code s} against is at most {@code p}; every such test (begin &le; s,
 * end &gt; s, and the off-by-one forms too) answers for {@code s} as it did for {@code p}, and the
 * files read are the same bytes. Only the rows of {@code ducklake_snapshot} and
 * {@code ducklake_snapshot_changes}, which grow with every commit of any table, are left out.
 *
 * <p>A digest is null (compare again) when a file the table names cannot be found: then it cannot
 * be told whether the file changed.
 */
final class TableStates {
  /** Catalog tables about every commit rather than a table's state. */
  private static final Set<String> PER_COMMIT = Set.of("ducklake_snapshot", "ducklake_snapshot_changes");
  private static final Pattern INLINED = Pattern.compile("ducklake_inlined_data_(\\d+)_\\d+");
  private static final Set<String> FILE_TABLES = Set.of("ducklake_data_file", "ducklake_delete_file");

  private TableStates() {}

  /** The digest of each table of the catalog (by table id); a table missing from the map has none. */
  static Map<Long, String> digests(Path catalog) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + catalog)) {
      List<String> tables = new ArrayList<>();
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
               + " AND name LIKE 'ducklake\\_%' ESCAPE '\\' ORDER BY name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      Map<Long, MessageDigest> perTable = new HashMap<>();
      MessageDigest shared = sha256();
      Map<Long, List<String>> files = new HashMap<>();
      String dataPath = null;
      for (String table : tables) {
        if (PER_COMMIT.contains(table)) {
          continue;
        }
        Matcher inlined = INLINED.matcher(table);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
          ResultSetMetaData meta = rs.getMetaData();
          int tableId = column(meta, "table_id");
          int path = FILE_TABLES.contains(table) ? column(meta, "path") : 0;
          boolean metadata = table.equals("ducklake_metadata");
          List<String> rows = new ArrayList<>();
          List<Long> owners = new ArrayList<>();
          while (rs.next()) {
            StringBuilder row = new StringBuilder(table).append('\u0001');
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              row.append(rs.getString(i)).append('\u0001');
            }
            rows.add(row.toString());
            Long owner = inlined.matches() ? Long.valueOf(inlined.group(1))
                : tableId > 0 ? Long.valueOf(rs.getLong(tableId)) : null;
            owners.add(owner);
            if (path > 0 && owner != null) {
              files.computeIfAbsent(owner, k -> new ArrayList<>()).add(rs.getString(path));
            }
            if (metadata && "data_path".equals(rs.getString("key")) && rs.getString("scope") == null) {
              dataPath = rs.getString("value");
            }
          }
          // Row order is SQLite's: sort so that a reordering alone does not count as a change.
          List<Integer> order = new ArrayList<>();
          for (int i = 0; i < rows.size(); i++) {
            order.add(i);
          }
          order.sort((a, b) -> rows.get(a).compareTo(rows.get(b)));
          for (int i : order) {
            byte[] bytes = rows.get(i).getBytes(StandardCharsets.UTF_8);
            Long owner = owners.get(i);
            if (owner == null) {
              shared.update(bytes);
            } else {
              perTable.computeIfAbsent(owner, k -> sha256()).update(bytes);
            }
          }
        }
      }
      Map<String, Path> onDisk = dataPath == null ? Map.of() : filesUnder(Path.of(dataPath));
      byte[] common = shared.digest();
      Map<Long, String> out = new HashMap<>();
      for (Map.Entry<Long, MessageDigest> e : perTable.entrySet()) {
        MessageDigest digest = e.getValue();
        digest.update(common);
        if (addFiles(digest, files.getOrDefault(e.getKey(), List.of()), onDisk)) {
          out.put(e.getKey(), HexFormat.of().formatHex(digest.digest()));
        }
      }
      return out;
    }
  }

  /** Adds each named file's size and modification time; false when one cannot be found. */
  private static boolean addFiles(MessageDigest digest, List<String> paths, Map<String, Path> onDisk) {
    for (String name : paths.stream().sorted().toList()) {
      Path file = Path.of(name).isAbsolute() ? Path.of(name) : onDisk.get(Path.of(name).getFileName().toString());
      if (file == null || !Files.isRegularFile(file)) {
        return false;
      }
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        digest.update((file + "\u0001" + attributes.size() + "\u0001" + attributes.lastModifiedTime().toMillis()
            + "\u0001" + attributes.lastModifiedTime()).getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Every file under the data path by its name (DuckLake names files by UUID); a name found twice
   * maps to null, so that such a file is never taken for another.
   */
  private static Map<String, Path> filesUnder(Path dataPath) {
    Map<String, Path> out = new HashMap<>();
    if (!Files.isDirectory(dataPath)) {
      return out;
    }
    try (Stream<Path> paths = Files.walk(dataPath)) {
      paths.filter(Files::isRegularFile).forEach(p -> {
        String name = p.getFileName().toString();
        out.put(name, out.containsKey(name) ? null : p);
      });
    } catch (IOException | UncheckedIOException e) {
      return Map.of(); // a file removed while walking: find nothing, compare everything
    }
    return out;
  }

  private static int column(ResultSetMetaData meta, String name) throws SQLException {
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      if (meta.getColumnName(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return 0;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
