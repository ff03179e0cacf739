package dev.mallard.engine.catalog;

import java.util.List;

/**
 * How the columns of a Parquet file registered with {@code ducklake_add_data_files} map to the
 * table's columns: by name, since such files carry no field ids ({@code ducklake_name_mapping}).
 *
 * @param id the {@code mapping_id} data files refer to
 * @param columns the entries for the file's top-level columns
 * @param positional the file's columns are the entries in order, whatever their names (see {@link #byPosition})
 */
public record NameMapping(long id, List<Entry> columns, boolean positional) {
  public NameMapping {
    columns = List.copyOf(columns);
  }

  public NameMapping(long id, List<Entry> columns) {
    this(id, columns, false);
  }

  /**
   * DuckDB's reading of a file without field ids and without a mapping (a catalog edited by hand,
   * or written before mappings existed): its first columns are the table's first columns, in order.
   * Applies only to files without field ids.
   */
  public static NameMapping byPosition(List<ColumnInfo> tableColumns) {
    return new NameMapping(-1, tableColumns.stream()
        .map(c -> new Entry(c.name(), c.id(), false, List.of())).toList(), true);
  }

  /**
   * One mapped column.
   *
   * @param sourceName the column's name in the file; for a hive partition column, the key in the
   *     file's path ({@code <sourceName>=<value>})
   * @param fieldId the table column (or nested field) it holds
   * @param hivePartition the value is not in the file but in a directory name of its path
   * @param children the mapping of a struct's fields, a list's element, a map's key and value
   */
  public record Entry(String sourceName, long fieldId, boolean hivePartition, List<Entry> children) {
    public Entry {
      children = List.copyOf(children);
    }
  }
}
