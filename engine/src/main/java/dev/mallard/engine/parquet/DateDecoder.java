package dev.mallard.engine.parquet;

import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnReader;

/** INT32 DATE (days since the epoch; DuckDB's infinities are +-Integer.MAX_VALUE) into {@code date}. */
final class DateDecoder extends ColumnDecoder {
  @Override
  void readValue(ColumnReader reader, FieldVector vector, int row) {
    ((DateDayVector) vector).set(row, reader.getInteger());
  }

  @Override
  Object statValue(Object parquetValue, boolean upper) {
    return parquetValue;
  }
}
