package dev.mallard.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import dev.mallard.calcite.TimestampUnits;
import dev.mallard.engine.types.Values;
import org.apache.calcite.avatica.util.Cursor;
import org.apache.calcite.avatica.util.DateTimeUtils;

/**
 * Reads a TIMESTAMP(6) or TIMESTAMP(9) column, whose values are longs of micro- or nanoseconds
 * since the epoch (see {@code ExactTimestamps} in the Calcite adapter), exactly:
 * {@code getTimestamp} and {@code getObject} give a {@link Timestamp} with all its nanoseconds (as
 * Avatica does for milliseconds, shifted by the calendar's time zone), {@code getObject(i,
 * LocalDateTime.class)} the value itself, {@code getString} DuckDB's text; infinities as
 * {@link Infinities} says. Everything else is
 * Avatica's accessor's (which reads the same long as milliseconds, so it is only asked whether
 * the value was NULL).
 */
public final class ExactTimestampAccessor implements InvocationHandler {
  private final Cursor.Accessor avatica;
  private final int digits;
  private final Calendar localCalendar;
  /** Fail on values with digits below the millisecond (see {@link DuckLakeDriver#refuseTimestampsFinerThanMilliseconds}). */
  private final boolean millisecondsOnly;

  private ExactTimestampAccessor(Cursor.Accessor avatica, int digits, Calendar localCalendar,
      boolean millisecondsOnly) {
    this.avatica = avatica;
    this.digits = digits;
    this.localCalendar = localCalendar;
    this.millisecondsOnly = millisecondsOnly;
  }

  /** Reads the column of a TIMESTAMP({@code precision}) of a result of {@code connection}. */
  public static Cursor.Accessor of(Cursor.Accessor avatica, int precision, Calendar localCalendar,
      java.sql.Connection connection) throws SQLException {
    return (Cursor.Accessor) Proxy.newProxyInstance(ExactTimestampAccessor.class.getClassLoader(),
        new Class<?>[] {Cursor.Accessor.class}, new ExactTimestampAccessor(avatica, precision <= 6 ? 6 : 9,
            localCalendar, DuckLakeDriver.session(connection).millisecondTimestamps()));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    int arity = args == null ? 0 : args.length;
    if (name.startsWith("get") || name.equals("wasNull")) {
      long v = avatica.getLong();
      if (!avatica.wasNull() && Values.isInfinite(v)) {
        return Infinities.answer(name, args, v > 0, false);
      }
    }
    switch (name) {
      case "wasNull":
        return avatica.wasNull();
      case "getString":
        return raw() == null ? null : TimestampUnits.text(raw(), digits);
      case "getTimestamp":
        return timestamp((Calendar) args[0]);
      case "getDate":
        Timestamp forDate = timestamp((Calendar) args[0]);
        return forDate == null ? null : new Date(forDate.getTime());
      case "getTime":
        Timestamp forTime = timestamp((Calendar) args[0]);
        return forTime == null ? null : new Time(forTime.getTime());
      case "getObject":
        return arity == 0 ? timestamp(localCalendar) : object((Class<?>) args[0]);
      case "getLong":
        // Avatica's TIMESTAMP accessors give milliseconds.
        Long millis = raw() == null ? null : Math.floorDiv(raw(), perMilli());
        return millis == null ? 0L : millis;
      default:
        if (name.startsWith("get") || name.startsWith("update")) {
          throw new SQLException("A TIMESTAMP column cannot be read with " + name
              + "; use getTimestamp, getObject or getString");
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
    long v = avatica.getLong(); // the long itself (Avatica reads it as milliseconds)
    if (avatica.wasNull()) {
      return null;
    }
    if (millisecondsOnly && v % perMilli() != 0) {
      throw new SQLException("The timestamp " + TimestampUnits.text(v, digits) + " has digits below the"
          + " millisecond, which the remote protocol cannot carry yet; read it with the embedded driver");
    }
    return v;
  }

  private Timestamp timestamp(Calendar calendar) throws SQLException {
    Long raw = raw();
    if (raw == null) {
      return null;
    }
    Timestamp t = DateTimeUtils.unixTimestampToSqlTimestamp(Math.floorDiv(raw, perMilli()), calendar);
    long subMilliNanos = Math.floorMod(raw, perMilli()) * (1_000_000L / perMilli());
    t.setNanos(t.getNanos() + (int) subMilliNanos);
    return t;
  }

  private LocalDateTime local() throws SQLException {
    Long raw = raw();
    if (raw == null) {
      return null;
    }
    long perSecond = perMilli() * 1000L;
    return LocalDateTime.ofEpochSecond(Math.floorDiv(raw, perSecond),
        (int) (Math.floorMod(raw, perSecond) * (1_000_000_000L / perSecond)), ZoneOffset.UTC);
  }

  private Object object(Class<?> type) throws SQLException {
    LocalDateTime local = local();
    if (local == null) {
      return null;
    }
    if (type == LocalDateTime.class) {
      return local;
    }
    if (type == Instant.class) {
      return local.toInstant(ZoneOffset.UTC);
    }
    if (type == OffsetDateTime.class) {
      return local.atOffset(ZoneOffset.UTC);
    }
    if (type == Timestamp.class || type == Object.class) {
      return timestamp(localCalendar);
    }
    if (type == String.class) {
      return TimestampUnits.text(raw(), digits);
    }
    throw new SQLException("A TIMESTAMP column cannot be read as " + type.getName());
  }
}
