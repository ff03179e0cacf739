package dev.mallard.engine.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values inside the engine: one Java class per {@link TypeKind} (listed on each constant), the
 * parsing of DuckLake's statistics strings into them, and one total order over them that matches
 * DuckDB's (strings by code point, which is UTF-8 byte order).
 */
public final class Values {
  /** DuckDB's DATE infinity, in days. */
  public static final int DATE_INFINITY = Integer.MAX_VALUE;
  /** DuckDB's TIMESTAMP infinity, in the timestamp's unit. */
  public static final long TIMESTAMP_INFINITY = Long.MAX_VALUE;

  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final Pattern TIME =
      Pattern.compile("(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?");
  private static final Pattern TIMESTAMP = Pattern.compile(
      "(-?\\d{1,9})-(\\d{2})-(\\d{2})( \\(BC\\))?(?:[ T](\\d{1,2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?))?"
          + "(?:([+-]\\d{2})(?::?(\\d{2}))?(?::?(\\d{2}))?)?");

  private Values() {}

  /** True when values of this type have an order the engine can prune and filter with. */
  public static boolean isComparable(DuckLakeType type) {
    return switch (type.kind()) {
      case TIMETZ, INTERVAL, STRUCT, LIST, MAP, GEOMETRY, VARIANT, UNKNOWN, BLOB -> false;
      default -> true;
    };
  }

  /**
   * Parses a min/max string from {@code ducklake_file_column_stats} or {@code ..._table_column_stats}.
   * Returns null when the type is not comparable or the text cannot be read: such a bound is
   * unknown, and callers never prune on an unknown bound.
   */
  public static Object parseStat(DuckLakeType type, String text) {
    if (text == null || !isComparable(type)) {
      return null;
    }
    try {
      // Blanks are part of a string's bound (' b' sorts before 'b'); around a number they are padding.
      return parse(type, type.kind().isString() ? text : text.trim());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * A 128-bit integer, also in the form a catalog without 128-bit integers keeps it: DuckDB stores
   * inlined HUGEINTs in a MySQL catalog as DOUBLE, and reads back the double's exact value.
   */
  private static BigInteger parseHugeInteger(String s) {
    if (s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0) {
      return new BigInteger(s);
    }
    return new BigDecimal(Double.parseDouble(s)).toBigInteger();
  }

  /** Parses DuckDB's text form of a value of the given type (as in stats and inlined data). */
  public static Object parse(DuckLakeType type, String s) {
    return switch (type.kind()) {
      case BOOLEAN -> switch (s.toLowerCase(Locale.ROOT)) {
        case "1", "true", "t" -> Boolean.TRUE;
        case "0", "false", "f" -> Boolean.FALSE;
        default -> throw new IllegalArgumentException("not a boolean: " + s);
      };
      case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> Long.parseLong(s);
      case UINT64 -> new BigInteger(s);
      case INT128, UINT128 -> parseHugeInteger(s);
      case FLOAT32, FLOAT64 -> parseDouble(s);
      case DECIMAL -> new BigDecimal(s).setScale(type.scale());
      case VARCHAR, JSON -> s;
      case UUID -> s.toLowerCase(Locale.ROOT);
      case DATE -> parseDate(s);
      case TIME -> parseTimeOfDay(s, 6);
      case TIME_NS -> parseTimeOfDay(s, 9);
      case TIMESTAMP_S -> parseTimestamp(s, 0);
      case TIMESTAMP_MS -> parseTimestamp(s, 3);
      case TIMESTAMP, TIMESTAMPTZ -> parseTimestamp(s, 6);
      case TIMESTAMP_NS, TIMESTAMPTZ_NS -> parseTimestamp(s, 9);
      case INTERVAL -> Interval.parse(s);
      case TIMETZ -> s;
      case VARIANT -> Variant.ofText(s); // only DuckDB's text of it is known (inlined rows of DuckDB files)
      default -> throw new IllegalArgumentException("no text form for " + type);
    };
  }

  /** A DOUBLE from text as DuckDB reads it: Java's forms and its own inf, infinity and nan, in any case. */
  public static double parseDouble(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "inf", "infinity", "+inf", "+infinity" -> Double.POSITIVE_INFINITY;
      case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
      case "nan", "-nan" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  static int parseDate(String s) {
    if (s.equals("infinity")) {
      return DATE_INFINITY;
    }
    if (s.equals("-infinity")) {
      return -DATE_INFINITY;
    }
    long micros = parseTimestamp(s, 6);
    return Math.toIntExact(Math.floorDiv(micros, MICROS_PER_DAY));
  }

  /** Parses {@code HH:MM:SS[.fffffffff]} into units of 10^-digits seconds. DuckDB allows 24:00:00. */
  static long parseTimeOfDay(String s, int digits) {
    Matcher m = TIME.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a time: " + s);
    }
    long seconds = Long.parseLong(m.group(1)) * 3600 + Long.parseLong(m.group(2)) * 60
        + Long.parseLong(m.group(3));
    return seconds * pow10(digits) + fraction(m.group(4), digits);
  }

  /**
   * Parses DuckDB's timestamp text ({@code 2020-01-01 01:00:00.123456}, an optional UTC offset such
   * as {@code +00} or {@code +05:30}, an optional {@code (BC)} after the date) into units of 10^-digits seconds
   * since the epoch, in UTC when an offset is given.
   */
  static long parseTimestamp(String s, int digits) {
    if (s.equals("infinity")) {
      return TIMESTAMP_INFINITY;
    }
    if (s.equals("-infinity")) {
      return -TIMESTAMP_INFINITY;
    }
    Matcher m = TIMESTAMP.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a timestamp: " + s);
    }
    int year = Integer.parseInt(m.group(1));
    if (m.group(4) != null) {
      year = 1 - year; // DuckDB writes 44 BC as 0044-03-15 (BC); that is proleptic year -43
    }
    LocalDate date = LocalDate.of(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    long seconds = LocalDateTime.of(date, java.time.LocalTime.MIDNIGHT).toEpochSecond(ZoneOffset.UTC);
    long fraction = 0;
    if (m.group(5) != null) {
      long tod = parseTimeOfDay(m.group(5), digits);
      seconds += Math.floorDiv(tod, pow10(digits));
      fraction = Math.floorMod(tod, pow10(digits));
    }
    if (m.group(6) != null) {
      int sign = m.group(6).startsWith("-") ? -1 : 1;
      int hours = Math.abs(Integer.parseInt(m.group(6)));
      int minutes = m.group(7) == null ? 0 : Integer.parseInt(m.group(7));
      int secs = m.group(8) == null ? 0 : Integer.parseInt(m.group(8));
      seconds -= sign * (hours * 3600L + minutes * 60L + secs);
    }
    return Math.addExact(Math.multiplyExact(seconds, pow10(digits)), fraction);
  }

  private static long fraction(String digitsText, int digits) {
    if (digitsText == null) {
      return 0;
    }
    String padded = (digitsText + "000000000").substring(0, 9);
    return Long.parseLong(padded) / pow10(9 - digits);
  }

  static long pow10(int n) {
    long r = 1;
    for (int i = 0; i < n; i++) {
      r *= 10;
    }
    return r;
  }

  /**
   * DuckDB's text for an engine value, the inverse of {@link #parse}: {@code 2025-03-01},
   * {@code 2024-01-02 03:04:05.123456}, {@code 2022-03-02 22:00:00+00}.
   */
  public static String format(DuckLakeType type, Object value) {
    return switch (type.kind()) {
      case DATE -> formatDate((Integer) value);
      case TIME -> formatTimeOfDay((Long) value, 6, false);
      case TIME_NS -> formatTimeOfDay((Long) value, 9, false);
      case TIMESTAMP_S -> formatTimestamp((Long) value, 0);
      case TIMESTAMP_MS -> formatTimestamp((Long) value, 3);
      case TIMESTAMP -> formatTimestamp((Long) value, 6);
      case TIMESTAMP_NS -> formatTimestamp((Long) value, 9);
      case TIMESTAMPTZ -> infinite((Long) value) ? formatTimestamp((Long) value, 6)
          : formatTimestamp((Long) value, 6) + "+00";
      case TIMESTAMPTZ_NS -> infinite((Long) value) ? formatTimestamp((Long) value, 9)
          : formatTimestamp((Long) value, 9) + "+00";
      default -> String.valueOf(value);
    };
  }

  private static boolean infinite(long value) {
    return isInfinite(value);
  }

  /** Whether a timestamp (in any unit) is {@code infinity} or {@code -infinity}. */
  public static boolean isInfinite(long timestamp) {
    return Math.abs(timestamp) == TIMESTAMP_INFINITY;
  }

  /** Whether a date (days since the epoch) is {@code infinity} or {@code -infinity}. */
  public static boolean isInfiniteDate(int days) {
    return Math.abs(days) == DATE_INFINITY;
  }

  private static String formatDate(int days) {
    if (Math.abs(days) == DATE_INFINITY) {
      return days > 0 ? "infinity" : "-infinity";
    }
    LocalDate d = LocalDate.ofEpochDay(days);
    return d.getYear() > 0 ? d.toString() : d.withYear(1 - d.getYear()) + " (BC)";
  }

  private static String formatTimestamp(long units, int digits) {
    if (infinite(units)) {
      return units > 0 ? "infinity" : "-infinity";
    }
    long perDay = 86_400L * pow10(digits);
    int day = Math.toIntExact(Math.floorDiv(units, perDay));
    LocalDate d = LocalDate.ofEpochDay(day);
    String time = formatTimeOfDay(Math.floorMod(units, perDay), digits, false);
    return d.getYear() > 0 ? d + " " + time : d.withYear(1 - d.getYear()) + " (BC) " + time;
  }

  /** Formats a time of day given in units of 10^-digits seconds as DuckDB does (trailing zeros dropped). */
  public static String formatTimeOfDay(long units, int digits, boolean signed) {
    StringBuilder sb = new StringBuilder();
    if (units < 0 && signed) {
      sb.append('-');
      units = -units;
    }
    long scale = pow10(digits);
    long seconds = units / scale;
    long frac = units % scale;
    sb.append(String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60));
    if (frac != 0) {
      String f = String.format(Locale.ROOT, "%0" + digits + "d", frac);
      sb.append('.').append(f.replaceAll("0+$", ""));
    }
    return sb.toString();
  }

  /**
   * Compares two values of the same type. Numbers of different Java classes compare by value;
   * strings compare by code point (the order of their UTF-8 bytes, which is DuckDB's order);
   * NaN is greater than every other double, as in DuckDB; intervals and times with time zone in
   * DuckDB's order ({@link Interval}, {@link TimeTz}), a TIMETZ's text read as one.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compare(Object a, Object b) {
    if (a instanceof String x && b instanceof String y) {
      return compareCodePoints(x, y);
    }
    if (a instanceof Double x && b instanceof Double y) {
      // DuckDB: -0.0 equals 0.0, NaN equals NaN and is greater than everything else.
      return x.doubleValue() == y.doubleValue() ? 0 : Double.compare(x, y);
    }
    if (a instanceof Number x && b instanceof Number y && a.getClass() != b.getClass()) {
      return toBigDecimal(x).compareTo(toBigDecimal(y));
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.compareUnsigned(x, y);
    }
    // A TIMETZ value is kept as its text; a TIMETZ literal of a filter is a TimeTz.
    if (a instanceof String x && b instanceof TimeTz y) {
      return TimeTz.parse(x).compareTo(y);
    }
    if (a instanceof TimeTz x && b instanceof String y) {
      return x.compareTo(TimeTz.parse(y));
    }
    return ((Comparable) a).compareTo(b);
  }

  public static BigDecimal toBigDecimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (n instanceof Double || n instanceof Float) {
      return BigDecimal.valueOf(n.doubleValue());
    }
    return BigDecimal.valueOf(n.longValue());
  }

  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
