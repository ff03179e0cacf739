package dev.mallard.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Calendar;
import org.apache.calcite.avatica.util.Cursor;
import org.apache.calcite.avatica.util.DateTimeUtils;

/**
 * What the exact TIME and TIMESTAMP accessors share: the column's values are longs of micro- or
 * nanoseconds, which Avatica's own accessor reads as milliseconds, so it is only asked for the long
 * itself and whether it was NULL.
 */
abstract class ExactLongAccessor implements InvocationHandler {
  final Cursor.Accessor avatica;
  /** 6 for micro-, 9 for nanoseconds. */
  final int digits;
  final Calendar localCalendar;
  /** Fail on values with digits below the millisecond (see {@link DuckLakeDriver#refuseTimestampsFinerThanMilliseconds}). */
  private final boolean millisecondsOnly;

  ExactLongAccessor(Cursor.Accessor avatica, int precision, Calendar localCalendar, java.sql.Connection connection)
      throws SQLException {
    this.avatica = avatica;
    this.digits = precision <= 6 ? 6 : 9;
    this.localCalendar = localCalendar;
    this.millisecondsOnly = DuckLakeDriver.session(connection).millisecondTimestamps();
  }

  Cursor.Accessor proxy() {
    return (Cursor.Accessor) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Cursor.Accessor.class}, this);
  }

  /** DuckDB's text of a value, e.g. "the time 01:02:03.123456". */
  abstract String describe(long raw);

  final long perMilli() {
    return digits == 6 ? 1_000L : 1_000_000L;
  }

  final Long raw() throws SQLException {
    long v = avatica.getLong();
    if (avatica.wasNull()) {
      return null;
    }
    if (millisecondsOnly && v % perMilli() != 0) {
      throw new SQLException(describe(v) + " has digits below the millisecond, which the remote protocol"
          + " cannot carry yet; read it with the embedded driver");
    }
    return v;
  }

  /** The value as a {@link Timestamp} with all its nanoseconds, shifted by the calendar's zone as Avatica does. */
  final Timestamp timestamp(Calendar calendar) throws SQLException {
    Long raw = raw();
    if (raw == null) {
      return null;
    }
    Timestamp t = DateTimeUtils.unixTimestampToSqlTimestamp(Math.floorDiv(raw, perMilli()), calendar);
    t.setNanos(t.getNanos() + (int) (Math.floorMod(raw, perMilli()) * (1_000_000L / perMilli())));
    return t;
  }

  /** Avatica's own getLong/getInt of these types: milliseconds. */
  final long millis() throws SQLException {
    Long raw = raw();
    return raw == null ? 0L : Math.floorDiv(raw, perMilli());
  }

  /** Getters this accessor does not answer fail with {@code hint}; anything else is Avatica's. */
  final Object otherwise(Method method, Object[] args, String hint) throws Throwable {
    String name = method.getName();
    if (name.startsWith("get") || name.startsWith("update")) {
      throw new SQLException(hint.formatted(name));
    }
    try {
      return method.invoke(avatica, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
