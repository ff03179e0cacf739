package dev.mallard.engine.catalog;

import dev.mallard.engine.types.DuckLakeType;
import java.util.List;

/**
 * A column of a table at some snapshot. Its id is also the Parquet field id of its data.
 *
 * @param initialDefault the value, as DuckDB's text, of rows in files written before the column
 *     existed; null means NULL
 * @param defaultValue the default for new rows as stored in the catalog; null when there is none
 * @param defaultValueType how to read {@code defaultValue}: {@link #LITERAL} (its value's text) or
 *     {@link #EXPRESSION} (DuckDB SQL, such as {@code CAST('t' AS BOOLEAN)} or {@code now()})
 * @param children the fields of a struct, the element of a list, the key and value of a map
 */
public record ColumnInfo(
    long id,
    String name,
    DuckLakeType type,
    boolean nullable,
    String initialDefault,
    String defaultValue,
    String defaultValueType,
    List<ColumnInfo> children) {
  public static final String LITERAL = "literal";
  public static final String EXPRESSION = "expression";

  public ColumnInfo {
    children = List.copyOf(children);
    defaultValueType = EXPRESSION.equals(defaultValueType) ? EXPRESSION : LITERAL;
  }

  /** A column whose default, if any, is a literal. */
  public ColumnInfo(long id, String name, DuckLakeType type, boolean nullable, String initialDefault,
      String defaultValue, List<ColumnInfo> children) {
    this(id, name, type, nullable, initialDefault, defaultValue, LITERAL, children);
  }
}
