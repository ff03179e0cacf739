package dev.mallard.engine.txn;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.parquet.FileColumnStats;
import dev.mallard.engine.parquet.WrittenFile;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Values;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's {@code ducklake_table_stats} row (record count, next row id, bytes) and its
 * {@code ducklake_table_column_stats} rows, read at commit, grown by the commit's new rows and
 * written back. Bounds stay bounds: deletes never tighten them, as in the reference.
 */
final class TableStats {
  long recordCount;
  long nextRowId;
  long fileSizeBytes;
  private boolean exists;
  private final Map<Long, ColumnBounds> columns = new HashMap<>();
  private final java.util.Set<Long> changed = new java.util.HashSet<>();

  /** One column's table-wide bounds, as the catalog's strings. */
  static final class ColumnBounds {
    boolean containsNull;
    Boolean containsNan;
    String min;
    String max;
    /** The reference's {@code extra_stats} (geometry bounding box and types), or null. */
    String extra;
  }

  static TableStats read(Connection c, MetadataStore metadata, long tableId) throws SQLException {
    TableStats s = new TableStats();
    try (PreparedStatement ps = c.prepareStatement("SELECT record_count, next_row_id, file_size_bytes FROM "
        + metadata.table("ducklake_table_stats") + " WHERE table_id = ?")) {
      ps.setLong(1, tableId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          s.exists = true;
          s.recordCount = rs.getLong(1);
          s.nextRowId = rs.getLong(2);
          s.fileSizeBytes = rs.getLong(3);
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT column_id, contains_null, contains_nan, min_value,"
        + " max_value, extra_stats FROM " + metadata.table("ducklake_table_column_stats") + " WHERE table_id = ?")) {
      ps.setLong(1, tableId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ColumnBounds b = new ColumnBounds();
          b.containsNull = rs.getBoolean(2);
          b.containsNan = rs.getObject(3) == null ? null : rs.getBoolean(3);
          b.min = rs.getString(4);
          b.max = rs.getString(5);
          b.extra = rs.getString(6);
          s.columns.put(rs.getLong(1), b);
        }
      }
    }
    return s;
  }

  /**
   * Widens the bounds by a new data file's statistics (nested columns: by their leaves'). A column
   * added to the table after the file was written, in the same transaction, holds its initial
   * default in each of the file's rows.
   *
   * @param writtenWith the table's columns when the file was written
   */
  void merge(TableInfo table, WrittenFile file, List<ColumnInfo> writtenWith) {
    java.util.Set<Long> written = new java.util.HashSet<>();
    leaves(writtenWith).forEach(c -> written.add(c.id()));
    for (ColumnInfo column : leaves(table.columns())) {
      FileColumnStats f = file.stats().get(Math.toIntExact(column.id()));
      if (f != null) {
        widen(column, f.nullCount() > 0, f.containsNan(), f.minValue(), f.maxValue());
        ColumnBounds b = columns.get(column.id());
        b.extra = mergeExtra(column.type(), b.extra, f.extraStats());
      } else if (!written.contains(column.id())) {
        Object value = column.initialDefault() == null ? null
            : Values.parse(column.type(), column.initialDefault());
        widenInlined(column, java.util.Collections.singletonList(value));
      }
    }
  }

  /**
   * Widens the bounds by rows kept inline (engine values in column order). Nested columns have no
   * bounds of their own: their leaves do, over the values the rows hold for them, as the reference
   * counts them: a NULL struct holds a NULL for each field, a NULL or empty list or map holds none.
   */
  void mergeInlined(TableInfo table, List<Object[]> rows) {
    List<ColumnInfo> cols = table.columns();
    for (int i = 0; i < cols.size(); i++) {
      ColumnInfo column = cols.get(i);
      Map<Long, List<Object>> values = new java.util.LinkedHashMap<>();
      for (ColumnInfo leaf : leaves(List.of(column))) {
        values.put(leaf.id(), new java.util.ArrayList<>());
      }
      for (Object[] row : rows) {
        collect(column, row[i], values);
      }
      for (ColumnInfo leaf : leaves(List.of(column))) {
        widenInlined(leaf, values.get(leaf.id()));
      }
    }
  }

  /** The primitive columns of these columns, depth first: flat columns themselves, the leaves of nested ones. */
  static List<ColumnInfo> leaves(List<ColumnInfo> columns) {
    List<ColumnInfo> out = new java.util.ArrayList<>();
    for (ColumnInfo c : columns) {
      if (c.type().kind().isNested()) {
        out.addAll(leaves(c.children()));
      } else {
        out.add(c);
      }
    }
    return out;
  }

  private static void collect(ColumnInfo column, Object value, Map<Long, List<Object>> out) {
    List<ColumnInfo> kids = column.children();
    switch (column.type().kind()) {
      case STRUCT -> {
        for (int i = 0; i < kids.size(); i++) {
          collect(kids.get(i), value == null ? null : ((List<?>) value).get(i), out);
        }
      }
      case LIST -> {
        if (value != null) {
          for (Object element : (List<?>) value) {
            collect(kids.get(0), element, out);
          }
        }
      }
      case MAP -> {
        if (value != null) {
          for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            collect(kids.get(0), e.getKey(), out);
            collect(kids.get(1), e.getValue(), out);
          }
        }
      }
      default -> out.get(column.id()).add(value);
    }
  }

  private void widenInlined(ColumnInfo column, List<Object> values) {
    boolean hasNull = false;
    // The reference does not track NaN for inlined rows: contains_nan becomes unknown (null).
    Boolean hasNan = null;
    Object min = null;
    Object max = null;
    boolean comparable = Values.isComparable(column.type());
    for (Object v : values) {
      if (v == null) {
        hasNull = true;
        continue;
      }
      if (comparable) {
        min = min == null || Values.compare(v, min) < 0 ? v : min;
        max = max == null || Values.compare(v, max) > 0 ? v : max;
      }
    }
    widen(column, hasNull, hasNan, min == null ? null : InlinedTables.statText(column.type(), min),
        max == null ? null : InlinedTables.statText(column.type(), max));
  }

  private void widen(ColumnInfo column, boolean hasNull, Boolean hasNan, String min, String max) {
    changed.add(column.id());
    ColumnBounds b = columns.get(column.id());
    if (b == null) {
      b = new ColumnBounds();
      b.min = min;
      b.max = max;
      b.containsNull = hasNull;
      b.containsNan = hasNan;
      columns.put(column.id(), b);
      return;
    }
    b.containsNull |= hasNull;
    // Unknown on either side stays unknown, as in the reference.
    b.containsNan = b.containsNan == null || hasNan == null ? null : b.containsNan || hasNan;
    DuckLakeType type = column.type();
    b.min = pick(type, b.min, min, true);
    b.max = pick(type, b.max, max, false);
  }

  /**
   * Geometry statistics widened by a new file's. Other types' (a shredded variant's, which DuckDB
   * records) no longer describe the table once Mallard adds an unshredded file: dropped.
   */
  private static String mergeExtra(DuckLakeType type, String current, String candidate) {
    if (type.kind() != dev.mallard.engine.types.TypeKind.GEOMETRY) {
      return null;
    }
    dev.mallard.engine.types.GeometryStats merged = new dev.mallard.engine.types.GeometryStats();
    merged.merge(current);
    merged.merge(candidate);
    return merged.toString();
  }

  /** The wider of two bounds, compared as values of the column's type. */
  private static String pick(DuckLakeType type, String current, String candidate, boolean lower) {
    if (current == null) {
      return candidate;
    }
    if (candidate == null) {
      return current;
    }
    Object a = Values.parseStat(type, current);
    Object b = Values.parseStat(type, candidate);
    if (a == null || b == null) {
      return current;
    }
    int cmp = Values.compare(b, a);
    return (lower ? cmp < 0 : cmp > 0) ? candidate : current;
  }

  void write(Connection c, MetadataStore metadata, long tableId) throws SQLException {
    String sql = exists
        ? "UPDATE " + metadata.table("ducklake_table_stats")
            + " SET record_count = ?, next_row_id = ?, file_size_bytes = ? WHERE table_id = ?"
        : "INSERT INTO " + metadata.table("ducklake_table_stats")
            + " (record_count, next_row_id, file_size_bytes, table_id) VALUES (?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, recordCount);
      ps.setLong(2, nextRowId);
      ps.setLong(3, fileSizeBytes);
      ps.setLong(4, tableId);
      ps.executeUpdate();
    }
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM "
        + metadata.table("ducklake_table_column_stats") + " WHERE table_id = ? AND column_id = ?");
        PreparedStatement insert = c.prepareStatement("INSERT INTO "
            + metadata.table("ducklake_table_column_stats") + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (long columnId : changed) {
        ColumnBounds b = columns.get(columnId);
        delete.setLong(1, tableId);
        delete.setLong(2, columnId);
        delete.executeUpdate();
        insert.setLong(1, tableId);
        insert.setLong(2, columnId);
        insert.setBoolean(3, b.containsNull);
        if (b.containsNan == null) {
          insert.setNull(4, java.sql.Types.BOOLEAN);
        } else {
          insert.setBoolean(4, b.containsNan);
        }
        insert.setString(5, b.min);
        insert.setString(6, b.max);
        insert.setString(7, b.extra);
        insert.executeUpdate();
      }
    }
  }
}
