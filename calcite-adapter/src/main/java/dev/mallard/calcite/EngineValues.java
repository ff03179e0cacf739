package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Interval;
import dev.mallard.engine.types.TimeTz;
import dev.mallard.engine.types.Values;
import dev.mallard.engine.types.WktParser;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Values from Calcite rows into the engine's form for a column (the reverse of
 * {@link RowConverter}), refusing what the column cannot hold instead of wrapping or rounding.
 */
final class EngineValues {
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigInteger INT128_MIN = BigInteger.ONE.shiftLeft(127).negate();
  private static final BigInteger INT128_MAX = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
  private static final BigInteger UINT128_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  private EngineValues() {}

  static Object toEngine(ColumnInfo column, Object value) {
    if (value == null) {
      if (!column.nullable()) {
        throw new UserException("NULL is not allowed in column " + column.name() + " (NOT NULL)");
      }
      return null;
    }
    DuckLakeType type = column.type();
    if (type.kind().isNested()) {
      return nested(column, value);
    }
    return switch (type.kind()) {
      case BOOLEAN -> (Boolean) value;
      case INT8 -> range(column, ((Number) value).longValue(), Byte.MIN_VALUE, Byte.MAX_VALUE);
      case INT16 -> range(column, ((Number) value).longValue(), Short.MIN_VALUE, Short.MAX_VALUE);
      case INT32 -> range(column, ((Number) value).longValue(), Integer.MIN_VALUE, Integer.MAX_VALUE);
      case INT64 -> ((Number) value).longValue();
      case UINT8 -> range(column, ((Number) value).longValue(), 0, 255);
      case UINT16 -> range(column, ((Number) value).longValue(), 0, 65_535);
      case UINT32 -> range(column, ((Number) value).longValue(), 0, 4_294_967_295L);
      case UINT64 -> bigRange(column, integer(column, value), BigInteger.ZERO, UINT64_MAX);
      case INT128 -> bigRange(column, integer(column, value), INT128_MIN, INT128_MAX);
      case UINT128 -> bigRange(column, integer(column, value), BigInteger.ZERO, UINT128_MAX);
      case FLOAT32, FLOAT64 -> ((Number) value).doubleValue();
      case DECIMAL -> decimal(column, (BigDecimal) value);
      case VARCHAR, JSON -> value.toString();
      case UUID -> uuid(column, value.toString());
      case BLOB -> ((ByteString) value).getBytes();
      case DATE -> ((Number) value).intValue();
      // A TIME(3) is Calcite's int of milliseconds; TIME(6) and TIME(9) rows hold longs of their own unit
      // (see ExactTimes).
      case TIME -> value instanceof Integer millis ? millis * 1_000L : ((Number) value).longValue();
      case TIME_NS -> value instanceof Integer millis ? millis * 1_000_000L : ((Number) value).longValue();
      case TIMESTAMP_S -> seconds(column, ((Number) value).longValue());
      case TIMESTAMP_MS -> ((Number) value).longValue();
      // TIMESTAMP(6) and TIMESTAMP(9) rows hold their own unit (see ExactTimestamps).
      case TIMESTAMP, TIMESTAMPTZ, TIMESTAMP_NS, TIMESTAMPTZ_NS -> ((Number) value).longValue();
      case INTERVAL -> parse(column, value.toString(), Interval::parse);
      // DuckDB's text of it (01:02:03.5+05:30), which the partition value and hash of it are taken from.
      case TIMETZ -> parse(column, value.toString(), text -> TimeTz.parse(text).toString());
      // SQL sees a geometry as its WKT (see SqlTypes); the engine holds the WKB DuckDB makes of it
      case GEOMETRY -> WktParser.wkb(value.toString());
      case VARIANT -> variant(column, value);
      default -> throw new UserException("Writing columns of type " + type + " is not supported yet (column "
          + column.name() + ")");
    };
  }

  /**
   * A VARIANT as SQL holds it (see {@link LakeVariant}; casts to VARIANT make them, see
   * {@link VariantCasts}); text given where a variant is expected (a parameter) is a variant string.
   */
  private static dev.mallard.engine.types.Variant variant(ColumnInfo column, Object value) {
    if (value instanceof LakeVariant v) {
      return v.variant();
    }
    if (value instanceof String s) {
      return dev.mallard.engine.types.Variant.encode(dev.mallard.engine.types.Variant.string(s));
    }
    throw new UserException("Mallard cannot write a value of " + value.getClass().getSimpleName()
        + " into VARIANT column " + column.name() + "; CAST it to VARIANT or VARCHAR");
  }

  /**
   * A ROW (an {@code Object[]} or {@code List} of its fields), ARRAY ({@code List}) or MAP value in
   * the engine's form: a struct as the {@code List} of its fields, a list as a {@code List}, a map as
   * an insertion-ordered {@code Map}. Timestamps inside are in their own unit (see {@code SqlTypes}).
   */
  private static Object nested(ColumnInfo column, Object value) {
    List<ColumnInfo> kids = column.children();
    try {
      switch (column.type().kind()) {
        case STRUCT -> {
          List<?> fields = value instanceof Object[] array ? Arrays.asList(array) : (List<?>) value;
          if (fields.size() != kids.size()) {
            throw new UserException("Column " + column.name() + " (" + describe(column) + ") has " + kids.size()
                + " fields, the value " + fields.size());
          }
          List<Object> out = new ArrayList<>(kids.size());
          for (int i = 0; i < kids.size(); i++) {
            out.add(child(kids.get(i), fields.get(i)));
          }
          return Collections.unmodifiableList(out);
        }
        case LIST -> {
          List<Object> out = new ArrayList<>();
          for (Object element : (List<?>) value) {
            out.add(child(kids.get(0), element));
          }
          return Collections.unmodifiableList(out);
        }
        case MAP -> {
          Map<Object, Object> out = new LinkedHashMap<>();
          for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            if (e.getKey() == null) {
              throw new UserException("Map keys cannot be NULL (column " + column.name() + ")");
            }
            out.put(child(kids.get(0), e.getKey()), child(kids.get(1), e.getValue()));
          }
          return Collections.unmodifiableMap(out);
        }
        default -> throw new IllegalStateException(column.type().toString());
      }
    } catch (ClassCastException | NumberFormatException e) {
      // Calcite converts the values inside an ARRAY or ROW lazily, as they are read here.
      throw new UserException("A value of the wrong type for column " + column.name() + " (" + describe(column)
          + "): " + e.getMessage(), e);
    }
  }

  /** A value inside a nested value: its times and timestamps are in their own unit, as at the top level. */
  private static Object child(ColumnInfo column, Object value) {
    return value == null ? null : toEngine(column, value);
  }

  /** The column's type with its children, as DuckDB prints it: {@code STRUCT(a int32, b varchar[])}. */
  static String describe(ColumnInfo column) {
    List<ColumnInfo> kids = column.children();
    return switch (column.type().kind()) {
      case STRUCT -> "STRUCT(" + String.join(", ", kids.stream().map(k -> k.name() + " " + describe(k)).toList()) + ")";
      case LIST -> describe(kids.get(0)) + "[]";
      case MAP -> "MAP(" + describe(kids.get(0)) + ", " + describe(kids.get(1)) + ")";
      default -> column.type().toString();
    };
  }

  private static long range(ColumnInfo column, long v, long min, long max) {
    if (v < min || v > max) {
      throw outOfRange(column, v);
    }
    return v;
  }

  private static BigInteger integer(ColumnInfo column, Object value) {
    BigDecimal d = value instanceof BigDecimal b ? b : new BigDecimal(value.toString());
    try {
      return d.toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw outOfRange(column, value);
    }
  }

  private static BigInteger bigRange(ColumnInfo column, BigInteger v, BigInteger min, BigInteger max) {
    if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
      throw outOfRange(column, v);
    }
    return v;
  }

  private static BigDecimal decimal(ColumnInfo column, BigDecimal v) {
    BigDecimal scaled;
    try {
      scaled = v.setScale(column.type().scale(), RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      // DuckDB rounds a value with more digits after the point to the column's scale.
      scaled = v.setScale(column.type().scale(), RoundingMode.HALF_UP);
    }
    if (scaled.precision() - scaled.scale() > column.type().precision() - column.type().scale()) {
      throw outOfRange(column, v);
    }
    return scaled;
  }

  private static long seconds(ColumnInfo column, long millis) {
    if (millis % 1000 != 0) {
      throw new UserException("Column " + column.name() + " (timestamp_s) holds whole seconds; "
          + "the value has fractions of a second");
    }
    return millis / 1000;
  }

  private static String uuid(ColumnInfo column, String text) {
    try {
      return java.util.UUID.fromString(text).toString();
    } catch (IllegalArgumentException e) {
      throw new UserException("'" + text + "' is not a UUID (column " + column.name() + ")");
    }
  }

  private static <T> T parse(ColumnInfo column, String text, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(text);
    } catch (RuntimeException e) {
      throw new UserException("'" + text + "' is not a valid " + column.type() + " (column " + column.name() + ")");
    }
  }

  private static UserException outOfRange(ColumnInfo column, Object v) {
    return new UserException("Value " + v + " is out of range for column " + column.name() + " (" + column.type()
        + ")");
  }

  /** DuckDB's text of an engine value, for error messages and defaults. */
  static String text(DuckLakeType type, Object value) {
    return Values.format(type, value);
  }
}
