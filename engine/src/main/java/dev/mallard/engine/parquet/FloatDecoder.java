package dev.mallard.engine.parquet;

import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.parquet.column.ColumnReader;

/** FLOAT into {@code float32} or {@code float64} (a widened column), DOUBLE into {@code float64}. */
final class FloatDecoder extends ColumnDecoder {
  private final boolean sourceDouble;
  private final boolean targetDouble;

  FloatDecoder(boolean sourceDouble, boolean targetDouble) {
    this.sourceDouble = sourceDouble;
    this.targetDouble = targetDouble;
  }

  @Override
  void readValue(ColumnReader reader, FieldVector vector, int row) {
    if (!targetDouble) {
      ((Float4Vector) vector).set(row, reader.getFloat());
    } else {
      ((Float8Vector) vector).set(row, sourceDouble ? reader.getDouble() : reader.getFloat());
    }
  }

  @Override
  Object statValue(Object parquetValue, boolean upper) {
    double d = ((Number) parquetValue).doubleValue();
    return Double.isNaN(d) ? null : d; // a NaN bound says nothing about the other values
  }
}
