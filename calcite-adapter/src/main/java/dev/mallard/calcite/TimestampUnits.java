package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.types.Values;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.calcite.linq4j.function.Strict;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The unit of a TIMESTAMP or TIME value in plans of {@link MallardTypeSystem#EXACT_TIMESTAMPS}: a
 * TIMESTAMP's long counts milliseconds since the epoch for precisions up to 3 (Calcite's own form),
 * microseconds up to 6 and nanoseconds up to 9; a TIME(3) is Calcite's int of milliseconds of the
 * day, a TIME(6) or TIME(9) a long of micro- or nanoseconds of the day (see
 * {@link MallardJavaTypeFactory}). The static methods are called by generated code (see
 * {@link ExactTimestamps}).
 */
public final class TimestampUnits {
  private TimestampUnits() {}

  /** 3, 6 or 9: the digits after the second a TIMESTAMP type's values count in; -1 for other types. */
  public static int digits(RelDataType type) {
    SqlTypeName name = type.getSqlTypeName();
    if (name != SqlTypeName.TIMESTAMP && name != SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
      return -1;
    }
    return unitDigits(type);
  }

  /** 3, 6 or 9: the digits after the second a TIME type's values count in; -1 for other types. */
  public static int timeDigits(RelDataType type) {
    return type.getSqlTypeName() == SqlTypeName.TIME ? unitDigits(type) : -1;
  }

  /** Whether values of {@code type} are times of the day finer than Calcite's milliseconds (longs). */
  static boolean fineTime(RelDataType type) {
    return timeDigits(type) > 3;
  }

  private static int unitDigits(RelDataType type) {
    int p = type.getPrecision();
    return p <= 3 ? 3 : p <= 6 ? 6 : 9;
  }

  /** Whether values of {@code type} are finer than Calcite's milliseconds. */
  static boolean fine(RelDataType type) {
    return digits(type) > 3;
  }

  public static long perSecond(int digits) {
    return digits == 3 ? 1_000L : digits == 6 ? 1_000_000L : 1_000_000_000L;
  }

  /** The value itself, typed as a timestamp by the call's type. */
  @Strict
  public static long same(long value) {
    return value;
  }

  /** A value in a finer unit: {@code value * factor}, failing if it does not fit; an infinity stays one. */
  @Strict
  public static long finer(long value, long factor) {
    if (Values.isInfinite(value)) {
      return value;
    }
    try {
      return Math.multiplyExact(value, factor);
    } catch (ArithmeticException e) {
      throw new UnsupportedFeatureException("A timestamp (" + value + ") is out of the range of a finer timestamp"
          + " type it is compared with or converted to");
    }
  }

  /**
   * A value of {@code digits} in a coarser unit, {@code value / factor}, only if exact: Calcite's
   * own functions and casts compute timestamps in milliseconds, and Mallard fails rather than round.
   */
  @Strict
  public static long coarser(long value, long factor, int digits) {
    if (Values.isInfinite(value)) {
      return value;
    }
    if (value % factor != 0) {
      int coarserDigits = digits - (factor == 1_000L ? 3 : 6);
      throw new UnsupportedFeatureException("The timestamp " + text(value, digits) + " has digits below the "
          + (coarserDigits == 3 ? "millisecond" : coarserDigits == 6 ? "microsecond" : "second")
          + ", and this operation on it (a function, a cast, arithmetic, a window range, a write to a coarser"
          + " column) is computed in that unit. Mallard fails rather than round; comparisons, ORDER BY,"
          + " GROUP BY, min, max and results are exact.");
    }
    return value / factor;
  }

  /** A timestamp, which must be finite: see {@code ExactTimestamps}. */
  @Strict
  public static long finite(long value) {
    if (Values.isInfinite(value)) {
      throw infinite(value > 0 ? "infinity" : "-infinity", "timestamp");
    }
    return value;
  }

  /** A date (days since the epoch), which must be finite: see {@code ExactTimestamps}. */
  @Strict
  public static int finiteDate(int days) {
    if (Values.isInfiniteDate(days)) {
      throw infinite(days > 0 ? "infinity" : "-infinity", "date");
    }
    return days;
  }

  private static UnsupportedFeatureException infinite(String value, String type) {
    return new UnsupportedFeatureException("The " + type + " " + value + " cannot be used in this operation (a"
        + " function, a cast, arithmetic): Mallard computes it on finite values only, and fails rather than give a"
        + " wrong value. Comparisons, ORDER BY, min, max and results handle infinities; filter such rows out"
        + " (e.g. WHERE col < DATE '9999-01-01') to compute on the others.");
  }

  /** {@link #coarser} for a time of the day. */
  @Strict
  public static long coarserTime(long value, long factor, int digits) {
    if (value % factor != 0) {
      throw new UnsupportedFeatureException("The time " + timeText(value, digits) + " has digits below the "
          + (digits - (factor == 1_000L ? 3 : 6) == 3 ? "millisecond" : "microsecond")
          + ", and this operation on it (a function, a cast, arithmetic, a write to a coarser column) is computed"
          + " in that unit. Mallard fails rather than round; comparisons, ORDER BY, GROUP BY, min, max and"
          + " results are exact.");
    }
    return value / factor;
  }

  /**
   * Text such as {@code 2025-01-02 03:04:05.123456} (or a date alone) as a timestamp of
   * {@code digits}, exactly; fails for text that is not a timestamp or has more digits.
   */
  @Strict
  public static long parse(String text, int digits) {
    String t = text.strip().replace('T', ' ');
    if (t.length() == 10) {
      t += " 00:00:00";
    }
    try {
      LocalDateTime value = LocalDateTime.parse(t, PARSED);
      long perSecond = perSecond(digits);
      long nanosPerUnit = 1_000_000_000L / perSecond;
      if (value.getNano() % nanosPerUnit != 0) {
        throw new UnsupportedFeatureException("'" + text + "' has more digits than a TIMESTAMP(" + digits + ")");
      }
      return Math.addExact(Math.multiplyExact(value.toEpochSecond(ZoneOffset.UTC), perSecond),
          value.getNano() / nanosPerUnit);
    } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
      throw new UnsupportedFeatureException("'" + text + "' is not a timestamp Mallard can read exactly"
          + " (yyyy-MM-dd HH:mm:ss[.fffffffff])");
    }
  }

  /**
   * Text such as {@code 01:02:03.123456} as a time of the day of {@code digits}, exactly; fails for
   * text that is not a time or has more digits.
   */
  @Strict
  public static long parseTime(String text, int digits) {
    try {
      LocalTime value = LocalTime.parse(text.strip(), PARSED_TIME);
      long nanosPerUnit = 1_000_000_000L / perSecond(digits);
      if (value.getNano() % nanosPerUnit != 0) {
        throw new UnsupportedFeatureException("'" + text + "' has more digits than a TIME(" + digits + ")");
      }
      return value.toNanoOfDay() / nanosPerUnit;
    } catch (java.time.format.DateTimeParseException e) {
      throw new UnsupportedFeatureException("'" + text + "' is not a time Mallard can read exactly"
          + " (HH:mm:ss[.fffffffff])");
    }
  }

  private static final DateTimeFormatter PARSED_TIME = new java.time.format.DateTimeFormatterBuilder()
      .appendPattern("HH:mm:ss")
      .optionalStart().appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .toFormatter();

  private static final DateTimeFormatter PARSED = new java.time.format.DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .toFormatter();

  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

  /**
   * A timestamp of {@code digits} as DuckDB prints it: {@code 2025-01-02 03:04:05.123456}, the
   * fraction without trailing zeros and left out when zero.
   */
  public static String text(long value, int digits) {
    long perSecond = perSecond(digits);
    long seconds = Math.floorDiv(value, perSecond);
    long fraction = Math.floorMod(value, perSecond);
    String text = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC).format(SECONDS);
    if (fraction == 0) {
      return text;
    }
    return text + fraction(fraction, digits);
  }

  /** {@code .123456} for a fraction of a second of {@code digits} digits, without trailing zeros; "" for 0. */
  private static String fraction(long fraction, int digits) {
    return fraction == 0 ? "" : "." + String.format("%0" + digits + "d", fraction).replaceAll("0+$", "");
  }

  /** A time of the day in units of {@code digits}: {@code LocalTime} (a value outside a day fails). */
  public static LocalTime time(long value, int digits) {
    return LocalTime.ofNanoOfDay(Math.multiplyExact(value, 1_000_000_000L / perSecond(digits)));
  }

  /** A time of the day in units of {@code digits} as DuckDB prints it: {@code 01:02:03.5}. */
  public static String timeText(long value, int digits) {
    long perSecond = perSecond(digits);
    long seconds = Math.floorDiv(value, perSecond);
    return String.format("%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        + fraction(Math.floorMod(value, perSecond), digits);
  }
}
