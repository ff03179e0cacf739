package dev.mallard.engine.expr;

import dev.mallard.engine.types.DuckLakeType;

/** A reference to a table column by its DuckLake column id, which is stable across renames. */
public record ColumnRef(long columnId, String name, DuckLakeType type) {
  @Override
  public String toString() {
    return name;
  }
}
