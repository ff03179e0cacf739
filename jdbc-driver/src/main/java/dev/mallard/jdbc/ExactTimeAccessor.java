package dev.mallard.jdbc;

import dev.mallard.calcite.TimestampUnits;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalTime;
import java.util.Calendar;
import org.apache.calcite.avatica.util.Cursor;
import org.apache.calcite.avatica.util.DateTimeUtils;

/**
 * Reads a TIME(6) or TIME(9) column, whose values are longs of micro- or nanoseconds of the day (see
 * {@code MallardJavaTypeFactory} in the Calcite adapter), exactly: {@code getString} gives DuckDB's
 * text ({@code 01:02:03.123456}), {@code getObject} and {@code getObject(i, LocalTime.class)} the
 * value as a {@link LocalTime} (the column's class name says so), {@code getTimestamp} a
 * {@link Timestamp} on 1970-01-01 with all its nanoseconds. {@code getTime} gives a {@link Time},
 * which holds milliseconds: a value with finer digits fails there rather than be cut. Everything else is Avatica's accessor's (only asked whether the value was NULL).
 */
public final class ExactTimeAccessor implements InvocationHandler {
  private final Cursor.Accessor avatica;
  private final int digits;
  private final Calendar localCalendar;
  /** Fail on values with digits below the millisecond (see {@link DuckLakeDriver#refuseTimestampsFinerThanMilliseconds}). */
  private final boolean millisecondsOnly;

  private ExactTimeAccessor(Cursor.Accessor avatica, int digits, Calendar localCalendar, boolean millisecondsOnly) {
    this.avatica = avatica;
    this.digits = digits;
    this.localCalendar = localCalendar;
    this.millisecondsOnly = millisecondsOnly;
  }

  /** Reads the column of a TIME({@code precision}) of a result of {@code connection}. */
  public static Cursor.Accessor of(Cursor.Accessor avatica, int precision, Calendar localCalendar,
      java.sql.Connection connection) throws SQLException {
    return (Cursor.Accessor) Proxy.newProxyInstance(ExactTimeAccessor.class.getClassLoader(),
        new Class<?>[] {Cursor.Accessor.class}, new ExactTimeAccessor(avatica, precision <= 6 ? 6 : 9,
            localCalendar, DuckLakeDriver.session(connection).millisecondTimestamps()));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    int arity = args == null ? 0 : args.length;
    switch (name) {
      case "wasNull":
        return avatica.wasNull();
      case "getString":
        return raw() == null ? null : TimestampUnits.timeText(raw(), digits);
      case "getTime":
        return time((Calendar) args[0]);
      case "getTimestamp":
        return timestamp((Calendar) args[0]);
      case "getObject":
        return arity == 0 ? object(LocalTime.class) : object((Class<?>) args[0]);
      case "getLong":
      case "getInt":
        // Avatica's TIME accessors give milliseconds of the day.
        Long millis = raw() == null ? null : Math.floorDiv(raw(), perMilli());
        long m = millis == null ? 0L : millis;
        return name.equals("getInt") ? (Object) (int) m : (Object) m;
      default:
        if (name.startsWith("get") || name.startsWith("update")) {
          throw new SQLException("A TIME column cannot be read with " + name
              + "; use getObject(i, LocalTime.class), getString, getTime or getTimestamp");
        }
        try {
          return method.invoke(avatica, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
    }
  }

  private long perMilli() {
    return digits == 6 ? 1_000L : 1_000_000L;
  }

  private Long raw() throws SQLException {
    long v = avatica.getLong(); // the long itself (Avatica reads it as a number)
    if (avatica.wasNull()) {
      return null;
    }
    if (millisecondsOnly && v % perMilli() != 0) {
      throw new SQLException("The time " + TimestampUnits.timeText(v, digits) + " has digits below the"
          + " millisecond, which the remote protocol cannot carry yet; read it with the embedded driver");
    }
    return v;
  }

  /** A {@link Time} of milliseconds, as Avatica makes one; a value with finer digits fails. */
  private Time time(Calendar calendar) throws SQLException {
    Long raw = raw();
    if (raw == null) {
      return null;
    }
    if (raw % perMilli() != 0) {
      throw new SQLException("The time " + TimestampUnits.timeText(raw, digits) + " has digits below the"
          + " millisecond, which java.sql.Time cannot hold; read it with getObject(i, LocalTime.class),"
          + " getTimestamp or getString");
    }
    return DateTimeUtils.unixTimeToSqlTime((int) (raw / perMilli()), calendar);
  }

  private Timestamp timestamp(Calendar calendar) throws SQLException {
    Long raw = raw();
    if (raw == null) {
      return null;
    }
    Timestamp t = DateTimeUtils.unixTimestampToSqlTimestamp(Math.floorDiv(raw, perMilli()), calendar);
    t.setNanos(t.getNanos() + (int) (Math.floorMod(raw, perMilli()) * (1_000_000L / perMilli())));
    return t;
  }

  private Object object(Class<?> type) throws SQLException {
    Long raw = raw();
    if (raw == null) {
      return null;
    }
    if (type == LocalTime.class) {
      try {
        return TimestampUnits.time(raw, digits);
      } catch (java.time.DateTimeException e) {
        throw new SQLException("The time " + TimestampUnits.timeText(raw, digits) + " is not a LocalTime"
            + " (DuckDB allows 24:00:00); read it with getString");
      }
    }
    if (type == Time.class) {
      return time(localCalendar);
    }
    if (type == Timestamp.class) {
      return timestamp(localCalendar);
    }
    if (type == String.class) {
      return TimestampUnits.timeText(raw, digits);
    }
    throw new SQLException("A TIME column cannot be read as " + type.getName());
  }
}
