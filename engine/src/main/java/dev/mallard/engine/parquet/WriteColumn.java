package dev.mallard.engine.parquet;

import dev.mallard.engine.types.DuckLakeType;
import java.util.List;

/**
 * A column to write to a data file: its Parquet field id is the DuckLake column id.
 *
 * @param nullable false for NOT NULL columns (written as REQUIRED)
 * @param children for nested types: the fields of a struct, the element of a list, the key and
 *     value of a map, each with its own column id as field id
 */
public record WriteColumn(int fieldId, String name, DuckLakeType type, boolean nullable, List<WriteColumn> children) {
  public WriteColumn {
    children = List.copyOf(children);
  }

  /** A column of a primitive type. */
  public WriteColumn(int fieldId, String name, DuckLakeType type, boolean nullable) {
    this(fieldId, name, type, nullable, List.of());
  }
}
