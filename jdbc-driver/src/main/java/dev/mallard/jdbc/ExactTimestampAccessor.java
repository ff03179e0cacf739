package dev.mallard.jdbc;

import java.lang.reflect.Method;
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
public final class ExactTimestampAccessor extends ExactLongAccessor {
  private ExactTimestampAccessor(Cursor.Accessor avatica, int precision, Calendar localCalendar,
      java.sql.Connection connection) throws SQLException {
    super(avatica, precision, localCalendar, connection);
  }

  /** Reads the column of a TIMESTAMP({@code precision}) of a result of {@code connection}. */
  public static Cursor.Accessor of(Cursor.Accessor avatica, int precision, Calendar localCalendar,
      java.sql.Connection connection) throws SQLException {
    return new ExactTimestampAccessor(avatica, precision, localCalendar, connection).proxy();
  }

  @Override
  String describe(long raw) {
    return "The timestamp " + TimestampUnits.text(raw, digits);
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
        return millis();
      default:
        return otherwise(method, args, "A TIMESTAMP column cannot be read with %s; use getTimestamp, getObject or getString");
    }
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
