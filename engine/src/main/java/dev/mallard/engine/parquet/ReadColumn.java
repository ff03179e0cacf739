package dev.mallard.engine.parquet;

import dev.mallard.engine.types.DuckLakeType;
import java.util.List;

/**
 * A column to read from a data file, found by its Parquet field id (the DuckLake column id).
 *
 * @param fieldId the Parquet field id
 * @param name the name the column has in the table now (files may carry an older name)
 * @param type the column's type in the table now; older files may hold a narrower type
 * @param missingValue the value for files written before the column existed, as DuckDB's text
 *     ({@code ducklake_column.initial_default}); null means NULL
 * @param children for nested types, as in the table now: the fields of a struct, the element of a
 *     list, the key and value of a map; each found by its own field id
 */
public record ReadColumn(int fieldId, String name, DuckLakeType type, String missingValue, List<ReadColumn> children) {
  /** Field id of the row id DuckLake embeds in rewritten files ({@code _ducklake_internal_row_id}). */
  public static final int ROW_ID_FIELD_ID = 2147483540;
  /** Field id of the snapshot id DuckLake embeds in partial files ({@code _ducklake_internal_snapshot_id}). */
  public static final int SNAPSHOT_ID_FIELD_ID = 2147483539;

  public ReadColumn {
    children = List.copyOf(children);
  }

  /** A column of a primitive type. */
  public ReadColumn(int fieldId, String name, DuckLakeType type, String missingValue) {
    this(fieldId, name, type, missingValue, List.of());
  }
}
