package dev.mallard.engine.parquet;

import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Timestamps of every unit, from INT64 with a TIMESTAMP annotation of any unit or legacy INT96,
 * converted to the unit of the table's type. DuckDB writes {@code timestamp_s} as microseconds,
 * so coarsening is needed; it is exact for DuckDB's files because the values are whole seconds.
 * DuckDB's infinities (+-Long.MAX_VALUE in any unit) stay infinities.
 */
final class TimestampDecoder extends ColumnDecoder {
  private static final long JULIAN_EPOCH_DAY = 2_440_588;
  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  private final boolean int96;
  private final UnitConversion conversion;

  private TimestampDecoder(boolean int96, UnitConversion conversion) {
    this.int96 = int96;
    this.conversion = conversion;
  }

  /** A decoder, or null when the column is no timestamp. */
  static TimestampDecoder create(PrimitiveType type, TypeKind target) {
    int targetDigits = switch (target) {
      case TIMESTAMP_S -> 0;
      case TIMESTAMP_MS -> 3;
      case TIMESTAMP, TIMESTAMPTZ -> 6;
      default -> 9;
    };
    if (type.getPrimitiveTypeName() == PrimitiveTypeName.INT96) {
      return new TimestampDecoder(true, new UnitConversion(9, targetDigits));
    }
    if (type.getPrimitiveTypeName() == PrimitiveTypeName.INT64
        && type.getLogicalTypeAnnotation() instanceof TimestampLogicalTypeAnnotation t) {
      return new TimestampDecoder(false, new UnitConversion(UnitConversion.digits(t.getUnit()), targetDigits));
    }
    return null;
  }

  @Override
  void readValue(ColumnReader reader, FieldVector vector, int row) {
    long raw = int96 ? int96Nanos(reader.getBinary()) : reader.getLong();
    ((TimeStampVector) vector).set(row, convert(raw, false));
  }

  private long convert(long raw, boolean roundUp) {
    if (raw == Values.TIMESTAMP_INFINITY || raw == -Values.TIMESTAMP_INFINITY) {
      return raw;
    }
    return conversion.convert(raw, roundUp);
  }

  @Override
  Object statValue(Object parquetValue, boolean upper) {
    if (int96) {
      return null; // INT96 statistics are not ordered meaningfully
    }
    return convert((Long) parquetValue, upper);
  }

  /** INT96: 8 bytes of nanoseconds in the day, then 4 bytes of Julian day, little-endian. */
  private static long int96Nanos(Binary binary) {
    ByteBuffer buf = binary.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = buf.getLong(buf.position());
    long julianDay = Integer.toUnsignedLong(buf.getInt(buf.position() + 8));
    return Math.addExact(Math.multiplyExact(julianDay - JULIAN_EPOCH_DAY, NANOS_PER_DAY), nanosOfDay);
  }
}
