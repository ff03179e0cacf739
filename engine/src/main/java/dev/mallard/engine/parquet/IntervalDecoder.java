package dev.mallard.engine.parquet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntervalMonthDayNanoVector;
import org.apache.parquet.column.ColumnReader;

/**
 * FIXED_LEN_BYTE_ARRAY(12) INTERVAL: months, days and milliseconds as little-endian unsigned
 * 32-bit integers. Parquet's interval has millisecond precision, so DuckDB drops the
 * sub-millisecond part of an {@code interval} when writing it, refuses negative intervals, and
 * wraps a time part of 2^32 ms (about 1193 hours) or more modulo 2^32: the file holds that
 * wrapped value, and DuckDB reads it back as such, as does this decoder.
 */
final class IntervalDecoder extends ColumnDecoder {
  @Override
  void readValue(ColumnReader reader, FieldVector vector, int row) {
    ByteBuffer buf = reader.getBinary().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int p = buf.position();
    if (buf.remaining() != 12) {
      throw new IllegalStateException("interval of " + buf.remaining() + " bytes instead of 12");
    }
    ((IntervalMonthDayNanoVector) vector).set(row, buf.getInt(p), buf.getInt(p + 4),
        Integer.toUnsignedLong(buf.getInt(p + 8)) * 1_000_000L);
  }

  @Override
  Object statValue(Object parquetValue, boolean upper) {
    return null; // intervals are not comparable in the engine
  }
}
