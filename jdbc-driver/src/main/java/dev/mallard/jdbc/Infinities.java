package dev.mallard.jdbc;

import java.sql.Date;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * DuckDB's infinite dates and timestamps as JDBC hands them out, in the conventions pgjdbc set and
 * JDBC tools know: {@code getString} gives {@code infinity} or {@code -infinity} as DuckDB prints
 * them; {@code getObject} as {@code LocalDate}, {@code LocalDateTime} or {@code OffsetDateTime} gives
 * that class's {@code MAX} or {@code MIN}; {@code getDate}, {@code getTimestamp} and {@code getObject()}
 * give a {@code java.sql.Date} or {@code Timestamp} of pgjdbc's sentinel milliseconds
 * ({@code PGStatement.DATE_POSITIVE_INFINITY} and {@code DATE_NEGATIVE_INFINITY}).
 */
final class Infinities {
  private Infinities() {}

  /** pgjdbc's {@code PGStatement.DATE_POSITIVE_INFINITY}: the milliseconds of {@code infinity}. */
  static final long POSITIVE_MILLIS = 9223372036825200000L;
  /** pgjdbc's {@code PGStatement.DATE_NEGATIVE_INFINITY}: the milliseconds of {@code -infinity}. */
  static final long NEGATIVE_MILLIS = -9223372036832400000L;

  static String text(boolean positive) {
    return positive ? "infinity" : "-infinity";
  }

  /**
   * The answer of the accessor method {@code name} (with {@code args}) for an infinite value of a
   * DATE column ({@code date}) or a TIMESTAMP one.
   */
  static Object answer(String name, Object[] args, boolean positive, boolean date) throws SQLException {
    long millis = positive ? POSITIVE_MILLIS : NEGATIVE_MILLIS;
    switch (name) {
      case "wasNull":
        return false;
      case "getString":
        return text(positive);
      case "getDate":
        return new Date(millis);
      case "getTimestamp":
        return new Timestamp(millis);
      case "getObject":
        if (args == null || args.length == 0 || args[0] == Object.class) {
          return date ? new Date(millis) : new Timestamp(millis);
        }
        Class<?> type = (Class<?>) args[0];
        if (type == LocalDate.class) {
          return positive ? LocalDate.MAX : LocalDate.MIN;
        }
        if (type == LocalDateTime.class) {
          return positive ? LocalDateTime.MAX : LocalDateTime.MIN;
        }
        if (type == OffsetDateTime.class) {
          return positive ? OffsetDateTime.MAX : OffsetDateTime.MIN;
        }
        if (type == Date.class) {
          return new Date(millis);
        }
        if (type == Timestamp.class) {
          return new Timestamp(millis);
        }
        if (type == String.class) {
          return text(positive);
        }
        throw new SQLException("The value " + text(positive) + " cannot be read as " + type.getName()
            + "; read it with getString, getObject (LocalDate, LocalDateTime, OffsetDateTime), getDate or"
            + " getTimestamp");
      default:
        throw new SQLException("The value " + text(positive) + " cannot be read with " + name
            + "; read it with getString, getObject (LocalDate, LocalDateTime, OffsetDateTime), getDate or"
            + " getTimestamp");
    }
  }
}
