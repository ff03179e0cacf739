package dev.mallard.engine.parquet;

import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Times of day from INT32/INT64 with a TIME annotation, into {@code time} (µs), {@code time_ns},
 * or {@code timetz}. DuckDB writes {@code timetz} as TIME(MICROS, adjustedToUTC) holding the UTC
 * time: the original offset is not in the file, and DuckDB itself reads such values back with
 * offset {@code +00}, so that is the text produced here.
 */
final class TimeDecoder extends ColumnDecoder {
  private final boolean int32;
  private final UnitConversion conversion;
  private final TypeKind target;

  private TimeDecoder(boolean int32, UnitConversion conversion, TypeKind target) {
    this.int32 = int32;
    this.conversion = conversion;
    this.target = target;
  }

  /** A decoder, or null when the column is no time or has a finer unit than the target. */
  static TimeDecoder create(PrimitiveType type, TypeKind target) {
    if (!(type.getLogicalTypeAnnotation() instanceof TimeLogicalTypeAnnotation t)) {
      return null;
    }
    int from = UnitConversion.digits(t.getUnit());
    boolean int32 = type.getPrimitiveTypeName() == PrimitiveTypeName.INT32;
    if (int32 != (from == 3) || (!int32 && type.getPrimitiveTypeName() != PrimitiveTypeName.INT64)) {
      return null; // the Parquet spec ties MILLIS to INT32 and finer units to INT64
    }
    int to = target == TypeKind.TIME_NS ? 9 : 6;
    if (from > to && target != TypeKind.TIMETZ) {
      return null; // would lose digits: not a widening
    }
    return new TimeDecoder(int32, new UnitConversion(from, to), target);
  }

  @Override
  void readValue(ColumnReader reader, FieldVector vector, int row) {
    long units = conversion.convert(int32 ? reader.getInteger() : reader.getLong(), false);
    switch (target) {
      case TIME -> ((TimeMicroVector) vector).set(row, units);
      case TIME_NS -> ((TimeNanoVector) vector).set(row, units);
      default -> ((VarCharVector) vector).setSafe(row, timetzText(units).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** DuckDB's text for a TIMETZ at UTC, e.g. {@code 20:02:03.5+00}. */
  static String timetzText(long micros) {
    return Values.formatTimeOfDay(micros, 6, false) + "+00";
  }

  @Override
  Object statValue(Object parquetValue, boolean upper) {
    if (target == TypeKind.TIMETZ) {
      return null; // not comparable in the engine
    }
    return conversion.convert(((Number) parquetValue).longValue(), upper);
  }
}
