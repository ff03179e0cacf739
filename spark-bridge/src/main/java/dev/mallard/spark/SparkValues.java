package dev.mallard.spark;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.txn.NewColumn;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Interval;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import dev.mallard.engine.catalog.ColumnInfo;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.unsafe.types.CalendarInterval;

/**
 * The write direction of {@link SparkTypes}: the DuckLake type a new column of a Spark type gets,
 * and the engine value of a Spark value written into a DuckLake column. Spark casts what is written
 * to the table's Spark types ({@link SparkTypes#dataType}) first, so each column arrives as exactly
 * that type; a value the DuckLake type cannot hold (an unsigned column given a negative number, a
 * time that is not one) fails the write rather than changing.
 */
final class SparkValues {
  private SparkValues() {}

  /**
   * A new column of a Spark type (CREATE TABLE, CTAS), with DuckDB's own choice of type for each:
   * structs, arrays and maps become struct, list and map columns with their children, which are
   * nullable, as DuckDB makes them.
   */
  static NewColumn newColumn(String name, DataType type, boolean nullable) {
    List<NewColumn> children = new ArrayList<>();
    TypeKind kind;
    if (type instanceof StructType struct) {
      kind = TypeKind.STRUCT;
      for (StructField field : struct.fields()) {
        children.add(newColumn(field.name(), field.dataType(), true));
      }
    } else if (type instanceof ArrayType array) {
      kind = TypeKind.LIST;
      children.add(newColumn("element", array.elementType(), true));
    } else if (type instanceof MapType map) {
      kind = TypeKind.MAP;
      children.add(newColumn("key", map.keyType(), true));
      children.add(newColumn("value", map.valueType(), true));
    } else {
      return NewColumn.of(name, duckLakeType(name, type), nullable, null);
    }
    return new NewColumn(name, DuckLakeType.of(kind), nullable, null, children);
  }

  /** The DuckLake type of a new column of a flat Spark type; DuckDB's own choice for each. */
  static DuckLakeType duckLakeType(String column, DataType type) {
    if (type instanceof BooleanType) {
      return DuckLakeType.of(TypeKind.BOOLEAN);
    } else if (type instanceof ByteType) {
      return DuckLakeType.of(TypeKind.INT8);
    } else if (type instanceof ShortType) {
      return DuckLakeType.of(TypeKind.INT16);
    } else if (type instanceof IntegerType) {
      return DuckLakeType.of(TypeKind.INT32);
    } else if (type instanceof LongType) {
      return DuckLakeType.of(TypeKind.INT64);
    } else if (type instanceof FloatType) {
      return DuckLakeType.of(TypeKind.FLOAT32);
    } else if (type instanceof DoubleType) {
      return DuckLakeType.of(TypeKind.FLOAT64);
    } else if (type instanceof DecimalType d) {
      return DuckLakeType.decimal(d.precision(), d.scale());
    } else if (type instanceof StringType) {
      return DuckLakeType.of(TypeKind.VARCHAR);
    } else if (type instanceof BinaryType) {
      return DuckLakeType.of(TypeKind.BLOB);
    } else if (type instanceof DateType) {
      return DuckLakeType.of(TypeKind.DATE);
    } else if (type instanceof TimestampType) {
      return DuckLakeType.of(TypeKind.TIMESTAMPTZ);
    } else if (type instanceof TimestampNTZType) {
      return DuckLakeType.of(TypeKind.TIMESTAMP);
    }
    throw new UnsupportedFeatureException("Column " + column + " has Spark type " + type.sql()
        + ", which Mallard cannot write to DuckLake yet");
  }

  /**
   * The engine value (see {@code Values}) of field {@code i} of a row, or of element {@code i} of
   * an array, for a column of any type. Nested values take the engine's forms (see
   * {@code VectorValues.set}): a struct the {@code List} of its fields' values, a list a
   * {@code List}, a map an insertion-ordered {@code Map}; their leaves convert as flat columns do.
   */
  static Object value(SpecializedGetters row, int i, ColumnInfo column) {
    return value(row, i, column, column.name());
  }

  /** {@code path} names the value in messages: {@code s.a}, {@code l.element}, {@code m.value}. */
  private static Object value(SpecializedGetters row, int i, ColumnInfo column, String path) {
    if (row.isNullAt(i)) {
      return null;
    }
    List<ColumnInfo> kids = column.children();
    return switch (column.type().kind()) {
      case STRUCT -> {
        InternalRow struct = row.getStruct(i, kids.size());
        List<Object> fields = new ArrayList<>(kids.size());
        for (int f = 0; f < kids.size(); f++) {
          fields.add(value(struct, f, kids.get(f), path + "." + kids.get(f).name()));
        }
        yield Collections.unmodifiableList(fields);
      }
      case LIST -> {
        ArrayData array = row.getArray(i);
        List<Object> elements = new ArrayList<>(array.numElements());
        for (int e = 0; e < array.numElements(); e++) {
          elements.add(value(array, e, kids.get(0), path + "." + kids.get(0).name()));
        }
        yield Collections.unmodifiableList(elements);
      }
      case MAP -> {
        MapData map = row.getMap(i);
        ArrayData keys = map.keyArray();
        ArrayData values = map.valueArray();
        Map<Object, Object> entries = new LinkedHashMap<>();
        for (int e = 0; e < map.numElements(); e++) {
          // Spark refuses NULL map keys and keeps keys unique (spark.sql.mapKeyDedupPolicy) itself.
          entries.put(value(keys, e, kids.get(0), path + "." + kids.get(0).name()),
              value(values, e, kids.get(1), path + "." + kids.get(1).name()));
        }
        yield Collections.unmodifiableMap(entries);
      }
      default -> leaf(row, i, path, column.type());
    };
  }

  private static Object leaf(SpecializedGetters row, int i, String column, DuckLakeType type) {
    return switch (type.kind()) {
      case BOOLEAN -> row.getBoolean(i);
      case INT8 -> (long) row.getByte(i);
      case INT16 -> (long) row.getShort(i);
      case UINT8 -> inRange(column, type, row.getShort(i), 0, 0xFF);
      case INT32 -> (long) row.getInt(i);
      case UINT16 -> inRange(column, type, row.getInt(i), 0, 0xFFFF);
      case INT64 -> row.getLong(i);
      case UINT32 -> inRange(column, type, row.getLong(i), 0, 0xFFFF_FFFFL);
      case UINT64, INT128, UINT128 -> hugeInteger(row, i, column, type);
      case FLOAT32 -> (double) row.getFloat(i);
      case FLOAT64 -> row.getDouble(i);
      case DECIMAL -> row.getDecimal(i, type.precision(), type.scale()).toJavaBigDecimal();
      case VARCHAR, JSON, TIMETZ -> row.getUTF8String(i).toString();
      case UUID -> uuid(row.getUTF8String(i).toString(), column);
      case TIME, TIME_NS -> parsed(column, type, row.getUTF8String(i).toString());
      case BLOB -> row.getBinary(i);
      case DATE -> row.getInt(i);
      case TIMESTAMP, TIMESTAMPTZ -> row.getLong(i);
      case TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP_NS, TIMESTAMPTZ_NS -> {
        Object v = SparkPredicates.fromMicrosExact(type, row.getLong(i));
        if (v == null) {
          throw new UserException("Column " + column + " (" + type + ") cannot hold the timestamp of "
              + row.getLong(i) + " microseconds exactly; truncate it first");
        }
        yield v;
      }
      case INTERVAL -> {
        CalendarInterval c = row.getInterval(i);
        yield new Interval(c.months, c.days, c.microseconds);
      }
      default -> throw new UnsupportedFeatureException("Column " + column + " has type " + type
          + ", which Mallard cannot write from Spark yet");
    };
  }

  private static long inRange(String column, DuckLakeType type, long v, long min, long max) {
    if (v < min || v > max) {
      throw new UserException("Value " + v + " is out of range for column " + column + " (" + type + ")");
    }
    return v;
  }

  private static BigInteger hugeInteger(SpecializedGetters row, int i, String column, DuckLakeType type) {
    int precision = type.kind() == TypeKind.UINT64 ? 20 : SparkTypes.MAX_PRECISION;
    BigInteger v = row.getDecimal(i, precision, 0).toJavaBigDecimal().toBigIntegerExact();
    boolean unsigned = type.kind() != TypeKind.INT128;
    int bits = type.kind() == TypeKind.UINT64 ? 64 : 128;
    boolean fits = unsigned ? v.signum() >= 0 && v.bitLength() <= bits : v.bitLength() < bits;
    if (!fits) {
      throw new UserException("Value " + v + " is out of range for column " + column + " (" + type + ")");
    }
    return v;
  }

  private static String uuid(String text, String column) {
    try {
      return java.util.UUID.fromString(text).toString().toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new UserException("'" + text + "' is not a UUID (column " + column + ")");
    }
  }

  private static Object parsed(String column, DuckLakeType type, String text) {
    try {
      return Values.parse(type, text);
    } catch (RuntimeException e) {
      throw new UserException("'" + text + "' is not a " + type + " (column " + column + ")");
    }
  }
}
