package dev.mallard.engine.parquet;

import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnReader;

/** BOOLEAN into {@code boolean}. */
final class BooleanDecoder extends ColumnDecoder {
  @Override
  void readValue(ColumnReader reader, FieldVector vector, int row) {
    ((BitVector) vector).set(row, reader.getBoolean() ? 1 : 0);
  }

  @Override
  Object statValue(Object parquetValue, boolean upper) {
    return parquetValue;
  }
}
