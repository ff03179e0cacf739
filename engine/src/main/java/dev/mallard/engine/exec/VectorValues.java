package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.types.ArrowTypes;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Interval;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.holders.NullableIntervalMonthDayNanoHolder;
import org.apache.arrow.vector.types.pojo.Field;

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
      case VARIANT -> dev.mallard.engine.types.Variant.fromBytes(((VarBinaryVector) vector).get(row));
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
      case VARIANT -> ((VarBinaryVector) vector).setSafe(row, ((dev.mallard.engine.types.Variant) value).bytes());
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

  /**
   * The engine value at a row of a column of any type. Nested values are immutable: a struct is a
   * {@code List} of its field values in the column's field order, a list a {@code List} of its
   * elements, a map a {@code Map} (insertion-ordered) from key to value.
   */
  public static Object get(FieldVector vector, int row, ColumnInfo column) {
    if (!column.type().kind().isNested()) {
      return get(vector, row, column.type());
    }
    if (vector.isNull(row)) {
      return null;
    }
    return switch (column.type().kind()) {
      case STRUCT -> {
        StructVector struct = (StructVector) vector;
        List<Object> fields = new ArrayList<>(column.children().size());
        for (int i = 0; i < column.children().size(); i++) {
          fields.add(get((FieldVector) struct.getChildByOrdinal(i), row, column.children().get(i)));
        }
        yield Collections.unmodifiableList(fields);
      }
      case LIST -> {
        ListVector list = (ListVector) vector;
        FieldVector elements = list.getDataVector();
        int start = list.getElementStartIndex(row);
        int end = list.getElementEndIndex(row);
        List<Object> out = new ArrayList<>(end - start);
        for (int i = start; i < end; i++) {
          out.add(get(elements, i, column.children().get(0)));
        }
        yield Collections.unmodifiableList(out);
      }
      case MAP -> {
        ListVector map = (ListVector) vector;
        StructVector entries = (StructVector) map.getDataVector();
        FieldVector keys = (FieldVector) entries.getChildByOrdinal(0);
        FieldVector values = (FieldVector) entries.getChildByOrdinal(1);
        Map<Object, Object> out = new LinkedHashMap<>();
        for (int i = map.getElementStartIndex(row); i < map.getElementEndIndex(row); i++) {
          out.put(get(keys, i, column.children().get(0)), get(values, i, column.children().get(1)));
        }
        yield Collections.unmodifiableMap(out);
      }
      default -> throw new IllegalStateException(column.type().toString());
    };
  }

  /** Writes an engine value of a column of any type (see {@link #get(FieldVector, int, ColumnInfo)}). */
  public static void set(FieldVector vector, int row, ColumnInfo column, Object value) {
    if (!column.type().kind().isNested()) {
      set(vector, row, column.type(), value);
      return;
    }
    if (value == null) {
      vector.setNull(row);
      return;
    }
    switch (column.type().kind()) {
      case STRUCT -> {
        StructVector struct = (StructVector) vector;
        List<?> fields = (List<?>) value;
        while (row >= struct.getValueCapacity()) {
          struct.reAlloc();
        }
        struct.setIndexDefined(row);
        for (int i = 0; i < column.children().size(); i++) {
          set((FieldVector) struct.getChildByOrdinal(i), row, column.children().get(i), fields.get(i));
        }
      }
      case LIST -> {
        List<?> elements = (List<?>) value;
        ListVector list = (ListVector) vector;
        int start = list.startNewValue(row);
        for (int i = 0; i < elements.size(); i++) {
          set(list.getDataVector(), start + i, column.children().get(0), elements.get(i));
        }
        list.endValue(row, elements.size());
      }
      case MAP -> {
        Map<?, ?> entries = (Map<?, ?>) value;
        ListVector map = (ListVector) vector;
        StructVector struct = (StructVector) map.getDataVector();
        int at = map.startNewValue(row);
        for (Map.Entry<?, ?> e : entries.entrySet()) {
          while (at >= struct.getValueCapacity()) {
            struct.reAlloc();
          }
          struct.setIndexDefined(at);
          set((FieldVector) struct.getChildByOrdinal(0), at, column.children().get(0), e.getKey());
          set((FieldVector) struct.getChildByOrdinal(1), at, column.children().get(1), e.getValue());
          at++;
        }
        map.endValue(row, entries.size());
      }
      default -> throw new IllegalStateException(column.type().toString());
    }
  }

  /** The nullable Arrow field of a column, with its children's fields for nested types. */
  public static Field arrowField(ColumnInfo column) {
    List<Field> children = new ArrayList<>();
    for (ColumnInfo child : column.children()) {
      children.add(arrowField(child));
    }
    return ArrowTypes.nullableField(column.name(), column.type(), children);
  }
}
