package dev.mallard.jdbc;

import dev.mallard.calcite.TimestampUnits;
import java.lang.reflect.Method;
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
public final class ExactTimeAccessor extends ExactLongAccessor {
  private ExactTimeAccessor(Cursor.Accessor avatica, int precision, Calendar localCalendar,
      java.sql.Connection connection) throws SQLException {
    super(avatica, precision, localCalendar, connection);
  }

  /** Reads the column of a TIME({@code precision}) of a result of {@code connection}. */
  public static Cursor.Accessor of(Cursor.Accessor avatica, int precision, Calendar localCalendar,
      java.sql.Connection connection) throws SQLException {
    return new ExactTimeAccessor(avatica, precision, localCalendar, connection).proxy();
  }

  @Override
  String describe(long raw) {
    return "The time " + TimestampUnits.timeText(raw, digits);
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
        return millis();
      case "getInt":
        return (int) millis();
      default:
        return otherwise(method, args,
            "A TIME column cannot be read with %s; use getObject(i, LocalTime.class), getString, getTime or getTimestamp");
    }
  }

  /** A {@link Time} of milliseconds, as Avatica makes one; a value with finer digits fails. */
  private Time time(Calendar calendar) throws SQLException {
    Long raw = raw();
    if (raw == null) {
      return null;
    }
    if (raw % perMilli() != 0) {
      throw new SQLException(describe(raw) + " has digits below the millisecond, which java.sql.Time cannot"
          + " hold; read it with getObject(i, LocalTime.class), getTimestamp or getString");
    }
    return DateTimeUtils.unixTimeToSqlTime((int) (raw / perMilli()), calendar);
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
