package dev.mallard.jdbc;

import dev.mallard.calcite.TimestampUnits;
import dev.mallard.engine.types.Values;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.util.AbstractCursor;
import org.apache.calcite.avatica.util.ArrayImpl;
import org.apache.calcite.avatica.util.Cursor;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Reads a struct, list or map column with dates, times or timestamps inside, whose values keep them
 * in the unit of their precision (see {@code SqlTypes} in the Calcite adapter), which Avatica's
 * accessors would take for milliseconds; and a column with a map of structs or lists inside, whose
 * values Avatica would leave as Calcite's arrays and lists. {@code getObject}, {@code getArray} and
 * {@code getStruct} give {@link NestedValues}' forms, exact; {@code getString} DuckDB's text.
 *
 * <p>For the remote server (see {@link DuckLakeDriver#refuseTimestampsFinerThanMilliseconds}),
 * whose protocol carries Avatica's own forms in milliseconds, the value is converted to
 * milliseconds (failing for finer digits and infinities) and read by Avatica's accessor.
 */
public final class NestedAccessor implements InvocationHandler {
  private final Cursor.Accessor raw;
  private final RelDataType type;
  /** For the remote server: Avatica's accessor of the column, reading {@link #slot}; null otherwise. */
  private final Cursor.Accessor inMilliseconds;
  private final ValueCursor slot;

  private NestedAccessor(Cursor.Accessor raw, RelDataType type, ValueCursor slot, Cursor.Accessor inMilliseconds) {
    this.raw = raw;
    this.type = type;
    this.slot = slot;
    this.inMilliseconds = inMilliseconds;
  }

  /**
   * Reads the column of {@code type} ({@code column} in JDBC's terms) of a result of
   * {@code connection}, whose values {@code raw} hands out as they are.
   */
  public static Cursor.Accessor of(Cursor.Accessor raw, RelDataType type, ColumnMetaData column,
      Calendar localCalendar, ArrayImpl.Factory factory, java.sql.Connection connection) throws SQLException {
    ValueCursor slot = null;
    Cursor.Accessor inMilliseconds = null;
    if (DuckLakeDriver.session(connection).millisecondTimestamps()) {
      slot = new ValueCursor();
      inMilliseconds = slot.createAccessors(List.of(column), localCalendar, factory).get(0);
    }
    return (Cursor.Accessor) Proxy.newProxyInstance(NestedAccessor.class.getClassLoader(),
        new Class<?>[] {Cursor.Accessor.class}, new NestedAccessor(raw, type, slot, inMilliseconds));
  }

  /** Whether a column of {@code type} is read by this accessor. */
  public static boolean reads(RelDataType type) {
    return NestedValues.nestedWithTimes(type) || NestedValues.mapOfNested(type);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (inMilliseconds != null) {
      if (name.startsWith("get")) {
        slot.value = millis(raw.getObject(), type);
      }
      try {
        return method.invoke(inMilliseconds, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
    int arity = args == null ? 0 : args.length;
    switch (name) {
      case "wasNull":
        return raw.wasNull();
      case "getString":
        return NestedValues.text(raw.getObject(), type);
      case "getObject":
        Object value = NestedValues.toJdbc(raw.getObject(), type);
        if (arity == 0 || value == null || ((Class<?>) args[0]).isInstance(value)) {
          return value;
        }
        if (args[0] == String.class) {
          return value.toString();
        }
        throw new SQLException("A " + type.getSqlTypeName() + " column cannot be read as "
            + ((Class<?>) args[0]).getName());
      case "getArray":
        return as(Array.class, "getArray");
      case "getStruct":
        return as(Struct.class, "getStruct");
      default:
        if (name.startsWith("get") || name.startsWith("update")) {
          throw new SQLException("A " + type.getSqlTypeName() + " column cannot be read with " + name
              + "; use getObject or getString");
        }
        try {
          return method.invoke(raw, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
    }
  }

  private Object as(Class<?> wanted, String method) throws SQLException {
    Object value = NestedValues.toJdbc(raw.getObject(), type);
    if (value != null && !wanted.isInstance(value)) {
      throw new SQLException("A " + type.getSqlTypeName() + " column cannot be read with " + method);
    }
    return value;
  }

  /** {@code value} of {@code type} with its times and timestamps in Calcite's milliseconds, exactly. */
  private static Object millis(Object value, RelDataType type) throws SQLException {
    if (value == null) {
      return null;
    }
    if (type.isStruct()) {
      List<?> fields = value instanceof Object[] array ? Arrays.asList(array) : (List<?>) value;
      Object[] out = new Object[fields.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = millis(fields.get(i), type.getFieldList().get(i).getType());
      }
      return out;
    }
    if (type.getComponentType() != null) {
      List<Object> out = new ArrayList<>();
      for (Object element : (List<?>) value) {
        out.add(millis(element, type.getComponentType()));
      }
      return out;
    }
    if (type.getSqlTypeName() == SqlTypeName.MAP) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        out.put(millis(e.getKey(), type.getKeyType()), millis(e.getValue(), type.getValueType()));
      }
      return out;
    }
    switch (type.getSqlTypeName()) {
      case DATE -> {
        if (Values.isInfiniteDate(((Number) value).intValue())) {
          throw NestedValues.notForRemote("An infinite date");
        }
        return value;
      }
      case TIME -> {
        if (value instanceof Integer) {
          return value;
        }
        long perMilli = TimestampUnits.perSecond(TimestampUnits.timeDigits(type)) / 1000L;
        long units = ((Number) value).longValue();
        if (units % perMilli != 0) {
          throw NestedValues.notForRemote("A time with digits below the millisecond");
        }
        return (int) (units / perMilli);
      }
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> {
        long perMilli = TimestampUnits.perSecond(TimestampUnits.digits(type)) / 1000L;
        long units = ((Number) value).longValue();
        if (Values.isInfinite(units)) {
          throw NestedValues.notForRemote("An infinite timestamp");
        }
        if (units % perMilli != 0) {
          throw NestedValues.notForRemote("A timestamp with digits below the millisecond");
        }
        return units / perMilli;
      }
      default -> {
        return value;
      }
    }
  }

  /** A cursor over one value, so that Avatica's own accessors can read a value Mallard made. */
  private static final class ValueCursor extends AbstractCursor {
    Object value;

    @Override
    protected Getter createGetter(int ordinal) {
      return new AbstractGetter() {
        @Override
        public Object getObject() {
          wasNull[0] = value == null;
          return value;
        }
      };
    }

    @Override
    public boolean next() {
      throw new UnsupportedOperationException("a cursor over one value");
    }

    @Override
    public void close() {}
  }
}
