package dev.mallard.engine.exec;

import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Interval;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.IntervalMonthDayNanoVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.holders.NullableIntervalMonthDayNanoHolder;

/**
 * Reads and writes engine values (the Java classes listed on {@code TypeKind}) in the Arrow vectors
 * that {@code ArrowTypes} gives each type. Row-at-a-time; the columnar paths work on the vectors
 * directly.
 */
public final class VectorValues {
  private VectorValues() {}

  /** The engine value at a row, or null for NULL. */
  public static Object get(FieldVector vector, int row, DuckLakeType type) {
    if (vector.isNull(row)) {
      return null;
    }
    return switch (type.kind()) {
      case BOOLEAN -> ((BitVector) vector).get(row) != 0;
      case INT8 -> (long) ((TinyIntVector) vector).get(row);
      case INT16, UINT8 -> (long) ((SmallIntVector) vector).get(row);
      case INT32, UINT16 -> (long) ((IntVector) vector).get(row);
      case INT64, UINT32 -> ((BigIntVector) vector).get(row);
      case UINT64 -> ((DecimalVector) vector).getObject(row).toBigIntegerExact();
      case INT128, UINT128 -> ((Decimal256Vector) vector).getObject(row).toBigIntegerExact();
      case FLOAT32 -> (double) ((Float4Vector) vector).get(row);
      case FLOAT64 -> ((Float8Vector) vector).get(row);
      case DECIMAL -> ((DecimalVector) vector).getObject(row);
      case VARCHAR, JSON, UUID, TIMETZ -> new String(((VarCharVector) vector).get(row), StandardCharsets.UTF_8);
      case BLOB, GEOMETRY -> ((VarBinaryVector) vector).get(row);
      case DATE -> ((DateDayVector) vector).get(row);
      case TIME -> ((TimeMicroVector) vector).get(row);
      case TIME_NS -> ((TimeNanoVector) vector).get(row);
      case TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS, TIMESTAMPTZ, TIMESTAMPTZ_NS ->
          ((TimeStampVector) vector).get(row);
      case INTERVAL -> {
        NullableIntervalMonthDayNanoHolder h = new NullableIntervalMonthDayNanoHolder();
        ((IntervalMonthDayNanoVector) vector).get(row, h);
        yield new Interval(h.months, h.days, h.nanoseconds / 1000);
      }
      default -> throw new IllegalArgumentException("no engine value for " + type);
    };
  }

  /** Writes an engine value (or NULL) at a row; the vector must have room for it. */
  public static void set(FieldVector vector, int row, DuckLakeType type, Object value) {
    if (value == null) {
      vector.setNull(row);
      return;
    }
    switch (type.kind()) {
      case BOOLEAN -> ((BitVector) vector).setSafe(row, (Boolean) value ? 1 : 0);
      case INT8 -> ((TinyIntVector) vector).setSafe(row, (byte) (long) (Long) value);
      case INT16, UINT8 -> ((SmallIntVector) vector).setSafe(row, (short) (long) (Long) value);
      case INT32, UINT16 -> ((IntVector) vector).setSafe(row, (int) (long) (Long) value);
      case INT64, UINT32 -> ((BigIntVector) vector).setSafe(row, (Long) value);
      case UINT64 -> ((DecimalVector) vector).setSafe(row, new BigDecimal((BigInteger) value));
      case INT128, UINT128 -> ((Decimal256Vector) vector).setSafe(row, new BigDecimal((BigInteger) value));
      case FLOAT32 -> ((Float4Vector) vector).setSafe(row, (float) (double) (Double) value);
      case FLOAT64 -> ((Float8Vector) vector).setSafe(row, (Double) value);
      case DECIMAL -> ((DecimalVector) vector).setSafe(row, (BigDecimal) value);
      case VARCHAR, JSON, UUID, TIMETZ ->
          ((VarCharVector) vector).setSafe(row, ((String) value).getBytes(StandardCharsets.UTF_8));
      case BLOB, GEOMETRY -> ((VarBinaryVector) vector).setSafe(row, (byte[]) value);
      case DATE -> ((DateDayVector) vector).setSafe(row, (Integer) value);
      case TIME -> ((TimeMicroVector) vector).setSafe(row, (Long) value);
      case TIME_NS -> ((TimeNanoVector) vector).setSafe(row, (Long) value);
      case TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS, TIMESTAMPTZ, TIMESTAMPTZ_NS ->
          ((TimeStampVector) vector).setSafe(row, (Long) value);
      case INTERVAL -> {
        Interval i = (Interval) value;
        ((IntervalMonthDayNanoVector) vector).setSafe(row, i.months(), i.days(), Math.multiplyExact(i.micros(), 1000L));
      }
      default -> throw new IllegalArgumentException("no vector form for " + type);
    }
  }
}
