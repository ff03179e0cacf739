package dev.mallard.engine.parquet;

import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnReader;

/**
 * Turns the values of one flat Parquet column into one DuckLake type: straight into its Arrow
 * vector for data, and into engine values (see {@code Values}) for footer statistics, so that both
 * paths apply the same conversion. One subclass per family of Parquet layouts.
 */
abstract class ColumnDecoder {
  /**
   * Reads the next {@code rows} values into positions {@code 0..rows-1} of a vector already
   * allocated for them. A definition level below the column's maximum is a NULL.
   */
  final void read(ColumnReader reader, FieldVector vector, int rows, int maxDefinitionLevel) {
    for (int row = 0; row < rows; row++) {
      if (reader.getCurrentDefinitionLevel() < maxDefinitionLevel) {
        vector.setNull(row);
      } else {
        readValue(reader, vector, row);
      }
      reader.consume();
    }
  }

  /** Decodes the reader's current (non-NULL) value into the vector at {@code row}. */
  abstract void readValue(ColumnReader reader, FieldVector vector, int row);

  /**
   * The engine value of a footer statistics bound ({@code Integer}, {@code Long}, {@code Float},
   * {@code Double}, {@code Boolean} or {@code Binary}, as parquet-java gives it), or null when
   * such bounds are unknown or cannot be trusted for this layout.
   *
   * @param upper whether the value is a maximum: a conversion that loses precision must round
   *     maxima up and minima down so that they stay bounds
   */
  abstract Object statValue(Object parquetValue, boolean upper);
}
