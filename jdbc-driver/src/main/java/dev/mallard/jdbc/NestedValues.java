package dev.mallard.jdbc;

import dev.mallard.calcite.TimestampUnits;
import dev.mallard.engine.exec.NestedText;
import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Struct, list and map values of a result, from the form Calcite's plans keep them in (a struct an
 * {@code Object[]} or {@code List} of its fields, a list a {@code List}, a map a {@code Map}; dates
 * an int of days, times and timestamps a number in the unit of their precision, see
 * {@link TimestampUnits}) to what JDBC clients get: a {@link MallardStruct}, {@link MallardArray} or
 * {@code Map}, with dates, times and timestamps inside as {@code java.time} values holding all
 * their digits ({@code LocalDate}, {@code LocalTime}, {@code LocalDateTime}, and
 * {@code OffsetDateTime} at UTC for a TIMESTAMP WITH TIME ZONE; an infinity as the class's
 * {@code MAX} or {@code MIN}); and to DuckDB's text for them.
 */
final class NestedValues {
  private NestedValues() {}

  /** Whether {@code type} is a struct, list or map with a date, time or timestamp somewhere inside. */
  static boolean nestedWithTimes(RelDataType type) {
    return isNested(type) && hasTimes(type);
  }

  /**
   * Whether {@code type} holds a map whose keys or values are structs or lists: Avatica hands those
   * out as Calcite's arrays and lists, not as {@code Struct}s and {@code Array}s.
   */
  static boolean mapOfNested(RelDataType type) {
    if (type.getSqlTypeName() == SqlTypeName.MAP) {
      return isNested(type.getKeyType()) || isNested(type.getValueType());
    }
    if (type.isStruct()) {
      return type.getFieldList().stream().anyMatch(f -> mapOfNested(f.getType()));
    }
    return type.getComponentType() != null && mapOfNested(type.getComponentType());
  }

  private static boolean isNested(RelDataType type) {
    return type.isStruct() || type.getComponentType() != null || type.getSqlTypeName() == SqlTypeName.MAP;
  }

  private static boolean hasTimes(RelDataType type) {
    if (type.isStruct()) {
      return type.getFieldList().stream().anyMatch(f -> hasTimes(f.getType()));
    }
    if (type.getComponentType() != null) {
      return hasTimes(type.getComponentType());
    }
    if (type.getSqlTypeName() == SqlTypeName.MAP) {
      return hasTimes(type.getKeyType()) || hasTimes(type.getValueType());
    }
    return switch (type.getSqlTypeName()) {
      case DATE, TIME, TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> true;
      default -> false;
    };
  }

  /** {@code value} of {@code type} as JDBC clients get it. */
  static Object toJdbc(Object value, RelDataType type) {
    if (value == null) {
      return null;
    }
    if (type.isStruct()) {
      List<?> fields = fields(value);
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < fields.size(); i++) {
        out.add(toJdbc(fields.get(i), type.getFieldList().get(i).getType()));
      }
      return new MallardStruct(out, text(value, type));
    }
    if (type.getComponentType() != null) {
      List<Object> out = new ArrayList<>();
      for (Object element : (List<?>) value) {
        out.add(toJdbc(element, type.getComponentType()));
      }
      return new MallardArray(out, type.getComponentType(), text(value, type));
    }
    if (type.getSqlTypeName() == SqlTypeName.MAP) {
      Map<Object, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) value).forEach((k, v) -> out.put(toJdbc(k, type.getKeyType()), toJdbc(v, type.getValueType())));
      return out;
    }
    return switch (type.getSqlTypeName()) {
      case DATE -> date(((Number) value).intValue());
      case TIME -> time(value, type);
      case TIMESTAMP -> localDateTime(((Number) value).longValue(), TimestampUnits.digits(type));
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> {
        long units = ((Number) value).longValue();
        yield Values.isInfinite(units) ? (units > 0 ? OffsetDateTime.MAX : OffsetDateTime.MIN)
            : localDateTime(units, TimestampUnits.digits(type)).atOffset(ZoneOffset.UTC);
      }
      default -> value instanceof ByteString b ? b.getBytes() : value;
    };
  }

  private static List<?> fields(Object struct) {
    return struct instanceof Object[] array ? Arrays.asList(array) : (List<?>) struct;
  }

  private static LocalDate date(int days) {
    if (Values.isInfiniteDate(days)) {
      return days > 0 ? LocalDate.MAX : LocalDate.MIN;
    }
    return LocalDate.ofEpochDay(days);
  }

  /** A TIME(3) is Calcite's int of milliseconds, a finer TIME a long of its unit. */
  private static LocalTime time(Object value, RelDataType type) {
    if (value instanceof Integer millis) {
      return LocalTime.ofNanoOfDay(millis * 1_000_000L);
    }
    return TimestampUnits.time(((Number) value).longValue(), TimestampUnits.timeDigits(type));
  }

  private static LocalDateTime localDateTime(long units, int digits) {
    if (Values.isInfinite(units)) {
      return units > 0 ? LocalDateTime.MAX : LocalDateTime.MIN;
    }
    long perSecond = TimestampUnits.perSecond(digits);
    return LocalDateTime.ofEpochSecond(Math.floorDiv(units, perSecond),
        (int) (Math.floorMod(units, perSecond) * (1_000_000_000L / perSecond)), ZoneOffset.UTC);
  }

  /**
   * DuckDB's text for {@code value}: {@code {'a': 1, 'b': '2025-01-02 03:04:05.123456'}},
   * {@code [infinity, NULL]}, {@code {k=v}}; inside them a value is quoted as DuckDB quotes it.
   */
  static String text(Object value, RelDataType type) {
    if (value == null) {
      return null;
    }
    if (type.isStruct()) {
      List<?> fields = fields(value);
      StringBuilder b = new StringBuilder("{");
      for (int i = 0; i < fields.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(NestedText.quote(type.getFieldList().get(i).getName())).append(": ")
            .append(inner(fields.get(i), type.getFieldList().get(i).getType()));
      }
      return b.append('}').toString();
    }
    if (type.getComponentType() != null) {
      StringBuilder b = new StringBuilder("[");
      String separator = "";
      for (Object element : (List<?>) value) {
        b.append(separator).append(inner(element, type.getComponentType()));
        separator = ", ";
      }
      return b.append(']').toString();
    }
    if (type.getSqlTypeName() == SqlTypeName.MAP) {
      StringBuilder b = new StringBuilder("{");
      String separator = "";
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        b.append(separator).append(inner(e.getKey(), type.getKeyType())).append('=')
            .append(inner(e.getValue(), type.getValueType()));
        separator = ", ";
      }
      return b.append('}').toString();
    }
    return switch (type.getSqlTypeName()) {
      case DATE -> {
        int days = ((Number) value).intValue();
        yield Values.isInfiniteDate(days) ? Infinities.text(days > 0) : LocalDate.ofEpochDay(days).toString();
      }
      case TIME -> value instanceof Integer millis ? TimestampUnits.timeText(millis, 3)
          : TimestampUnits.timeText(((Number) value).longValue(), TimestampUnits.timeDigits(type));
      case TIMESTAMP -> timestampText(((Number) value).longValue(), TimestampUnits.digits(type), "");
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> timestampText(((Number) value).longValue(), TimestampUnits.digits(type),
          "+00");
      case DECIMAL -> ((BigDecimal) value).toPlainString();
      default -> String.valueOf(value);
    };
  }

  private static String timestampText(long units, int digits, String zone) {
    return Values.isInfinite(units) ? Infinities.text(units > 0) : TimestampUnits.text(units, digits) + zone;
  }

  /** A value inside a nested one: NULL, a nested value's text, or a scalar's text quoted when DuckDB quotes it. */
  private static String inner(Object value, RelDataType type) {
    if (value == null) {
      return "NULL";
    }
    String text = text(value, type);
    return isNested(type) || !NestedText.needsQuotes(text) ? text : NestedText.quote(text);
  }

  /** Fails for a nested value that the remote protocol cannot carry exactly. */
  static SQLException notForRemote(String what) {
    return new SQLException(what + " inside a struct, list or map cannot be carried by the remote protocol yet;"
        + " read it with the embedded driver");
  }
}
