package dev.mallard.engine.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A table visible at some snapshot, with its top-level columns in order.
 *
 * @param path the table's absolute directory, ending with '/'
 */
public record TableInfo(
    long id, String uuid, SchemaInfo schema, String name, String path, List<ColumnInfo> columns) {

  public TableInfo {
    columns = List.copyOf(columns);
  }

  /** The column with this name, matched exactly first and then ignoring case, as DuckDB does. */
  public Optional<ColumnInfo> column(String columnName) {
    for (ColumnInfo c : columns) {
      if (c.name().equals(columnName)) {
        return Optional.of(c);
      }
    }
    return columns.stream().filter(c -> c.name().toLowerCase(Locale.ROOT).equals(columnName.toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  public String qualifiedName() {
    return schema.name() + "." + name;
  }
}
