package dev.mallard.engine.catalog;

import dev.mallard.engine.types.DuckLakeType;
import java.util.List;

/**
 * A column of a table at some snapshot. Its id is also the Parquet field id of its data.
 *
 * @param initialDefault the value, as DuckDB's text, of rows in files written before the column
 *     existed; null means NULL
 * @param defaultValue the default for new rows as stored in the catalog; null when there is none
 * @param children the fields of a struct, the element of a list, the key and value of a map
 */
public record ColumnInfo(
    long id,
    String name,
    DuckLakeType type,
    boolean nullable,
    String initialDefault,
    String defaultValue,
    List<ColumnInfo> children) {

  public ColumnInfo {
    children = List.copyOf(children);
  }
}
