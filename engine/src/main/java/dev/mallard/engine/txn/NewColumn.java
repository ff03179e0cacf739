package dev.mallard.engine.txn;

import dev.mallard.engine.types.DuckLakeType;
import java.util.List;

/**
 * A column of a table being created or added.
 *
 * @param defaultValue the DEFAULT as DuckDB's text of a literal; null for none
 * @param children fields of a struct, the element of a list, key and value of a map
 */
public record NewColumn(String name, DuckLakeType type, boolean nullable, String defaultValue,
    List<NewColumn> children) {

  public NewColumn {
    children = List.copyOf(children);
  }

  public static NewColumn of(String name, DuckLakeType type, boolean nullable, String defaultValue) {
    return new NewColumn(name, type, nullable, defaultValue, List.of());
  }
}
