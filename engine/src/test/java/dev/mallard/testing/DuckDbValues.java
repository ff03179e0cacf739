package dev.mallard.testing;

import dev.mallard.engine.types.Interval;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the oracle's wire values into the normalized Java forms documented on {@link DuckDb}. On
 * the wire every leaf is a string (or a JSON boolean): DuckDB's own text for temporal and unknown
 * types, digits for numbers, Python's {@code repr} for doubles, base64 for blobs. The parsing
 * here is written apart from the engine's on purpose, so that a bug there cannot hide in both.
 */
final class DuckDbValues {
  private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?";
  private static final String OFFSET = "([+-])(\\d{2})(?::?(\\d{2}))?(?::?(\\d{2}))?";
  private static final Pattern DATE_TEXT = Pattern.compile("(-?\\d+)-(\\d{1,2})-(\\d{1,2})( \\(BC\\))?");
  private static final Pattern TIME_TEXT = Pattern.compile(TIME);
  private static final Pattern TIMETZ_TEXT = Pattern.compile(TIME + OFFSET);
  // DuckDB puts " (BC)" after the date, before the time; after the whole value is accepted too.
  private static final Pattern TIMESTAMP_TEXT = Pattern.compile(
      "(-?\\d+)-(\\d{1,2})-(\\d{1,2})( \\(BC\\))?(?:[ T]" + TIME + ")?(?:" + OFFSET + ")?( \\(BC\\))?");
  private static final Pattern INTERVAL_PART = Pattern.compile("(-?\\d+) (year|month|day)s?");
  private static final Pattern INTERVAL_TIME = Pattern.compile("(-?)(\\d+):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?");

  private DuckDbValues() {}

  /** One wire value of the column whose type tree (id, type name, children) the oracle sent. */
  @SuppressWarnings("unchecked")
  static Object decode(Object wire, Map<String, Object> tree) {
    if (wire == null) {
      return null;
    }
    String id = (String) tree.get("id");
    switch (id) {
      case "list", "array" -> {
        Map<String, Object> child = (Map<String, Object>) tree.get("child");
        List<Object> out = new ArrayList<>();
        for (Object e : (List<Object>) wire) {
          out.add(decode(e, child));
        }
        return Collections.unmodifiableList(out);
      }
      case "struct" -> {
        List<Object> fields = (List<Object>) tree.get("fields");
        List<Object> values = (List<Object>) wire;
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
          Map<String, Object> field = (Map<String, Object>) fields.get(i);
          out.put((String) field.get("name"), decode(values.get(i), (Map<String, Object>) field.get("type")));
        }
        return out;
      }
      case "map" -> {
        Map<String, Object> keyType = (Map<String, Object>) tree.get("key");
        Map<String, Object> valueType = (Map<String, Object>) tree.get("value");
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Object e : (List<Object>) wire) {
          List<Object> entry = (List<Object>) e;
          out.put(decode(entry.get(0), keyType), decode(entry.get(1), valueType));
        }
        return out;
      }
      case "boolean" -> {
        return (Boolean) wire;
      }
      case "blob" -> {
        return Base64.getDecoder().decode((String) wire);
      }
      default -> {
        return normalize((String) tree.get("type"), (String) wire);
      }
    }
  }

  /** DuckDB's text (or the oracle's digits and reprs) of one leaf value of the named DuckDB type. */
  static Object normalize(String type, String text) {
    if (text == null) {
      return null;
    }
    String t = type.trim().toUpperCase(Locale.ROOT);
    if (t.startsWith("DECIMAL")) {
      return decimal(t, text);
    }
    return switch (t) {
      case "BOOLEAN" -> bool(text);
      case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
          "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT" -> new BigInteger(text.trim());
      case "FLOAT" -> floating(text, true);
      case "DOUBLE" -> floating(text, false);
      case "UUID" -> text.toLowerCase(Locale.ROOT);
      case "BLOB" -> blob(text);
      case "DATE" -> date(text);
      case "TIME", "TIME_NS" -> time(text);
      case "TIME WITH TIME ZONE", "TIMETZ" -> timeTz(text);
      case "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS" -> timestamp(text, false);
      case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> timestamp(text, true);
      case "INTERVAL" -> interval(text);
      default -> text; // VARCHAR, JSON, and DuckDB's VARCHAR text of every other type
    };
  }

  /** A SQL string literal. */
  static String sqlString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static Boolean bool(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "t", "1" -> Boolean.TRUE;
      case "false", "f", "0" -> Boolean.FALSE;
      default -> throw bad("BOOLEAN", text);
    };
  }

  private static BigDecimal decimal(String type, String text) {
    BigDecimal value = new BigDecimal(text.trim());
    Matcher m = Pattern.compile("DECIMAL\\s*\\(\\s*\\d+\\s*,\\s*(\\d+)\\s*\\)").matcher(type);
    // Exact: setScale without rounding throws rather than change a digit.
    return m.matches() ? value.setScale(Integer.parseInt(m.group(1))) : value;
  }

  private static Double floating(String text, boolean isFloat) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    switch (s) {
      case "inf", "+inf", "infinity", "+infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-infinity":
        return Double.NEGATIVE_INFINITY;
      case "nan", "-nan", "+nan":
        return Double.NaN;
      default:
        // A FLOAT's text, DuckDB's shortest or the repr of its widened double, names one float.
        return isFloat ? (double) Float.parseFloat(s) : Double.parseDouble(s);
    }
  }

  /** DuckDB's BLOB text: {@code \xHH} escapes, other characters as themselves. */
  private static byte[] blob(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 3 < text.length() && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X')) {
        out.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
        i += 3;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        throw bad("BLOB", text);
      }
    }
    return out.toByteArray();
  }

  private static Object date(String text) {
    if (text.equals("infinity") || text.equals("-infinity")) {
      return text;
    }
    Matcher m = DATE_TEXT.matcher(text);
    if (!m.matches()) {
      throw bad("DATE", text);
    }
    return LocalDate.of(year(m.group(1), m.group(4) != null), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)));
  }

  private static Object time(String text) {
    Matcher m = TIME_TEXT.matcher(text);
    if (!m.matches()) {
      throw bad("TIME", text);
    }
    return m.group(1).equals("24") ? text : localTime(m, 1);
  }

  private static Object timeTz(String text) {
    Matcher m = TIMETZ_TEXT.matcher(text);
    if (!m.matches()) {
      throw bad("TIME WITH TIME ZONE", text);
    }
    return m.group(1).equals("24") ? text : OffsetTime.of(localTime(m, 1), offset(m, 5));
  }

  private static Object timestamp(String text, boolean withZone) {
    if (text.equals("infinity") || text.equals("-infinity")) {
      return text;
    }
    Matcher m = TIMESTAMP_TEXT.matcher(text);
    if (!m.matches() || (m.group(9) != null) != withZone) {
      throw bad(withZone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP", text);
    }
    boolean bc = m.group(4) != null || m.group(13) != null;
    LocalDate date = LocalDate.of(year(m.group(1), bc), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    LocalDateTime local = date.atTime(m.group(5) == null ? LocalTime.MIDNIGHT : localTime(m, 5));
    return withZone ? local.atOffset(offset(m, 9)).withOffsetSameInstant(ZoneOffset.UTC) : local;
  }

  /** DuckDB's INTERVAL text, e.g. {@code 1 year -2 months 3 days -04:05:06.000789}. */
  private static Interval interval(String text) {
    String rest = text.trim();
    long months = 0;
    long days = 0;
    Matcher part = INTERVAL_PART.matcher(rest);
    int end = 0;
    while (part.find(end) && part.start() == end) {
      long n = Long.parseLong(part.group(1));
      switch (part.group(2)) {
        case "year" -> months += 12 * n;
        case "month" -> months += n;
        default -> days += n;
      }
      end = part.end();
      while (end < rest.length() && rest.charAt(end) == ' ') {
        end++;
      }
    }
    long micros = 0;
    String tail = rest.substring(end);
    if (!tail.isEmpty()) {
      Matcher m = INTERVAL_TIME.matcher(tail);
      if (!m.matches()) {
        throw bad("INTERVAL", text);
      }
      BigInteger seconds = new BigInteger(m.group(2)).multiply(BigInteger.valueOf(3600))
          .add(BigInteger.valueOf(Long.parseLong(m.group(3)) * 60 + Long.parseLong(m.group(4))));
      BigInteger total = seconds.multiply(BigInteger.valueOf(1_000_000))
          .add(BigInteger.valueOf(Long.parseLong(pad(m.group(5), 6))));
      micros = (m.group(1).isEmpty() ? total : total.negate()).longValueExact();
    }
    return new Interval(Math.toIntExact(months), Math.toIntExact(days), micros);
  }

  private static int year(String digits, boolean bc) {
    int year = Integer.parseInt(digits);
    return bc ? 1 - year : year; // proleptic: 1 BC is year 0
  }

  private static LocalTime localTime(Matcher m, int group) {
    return LocalTime.of(Integer.parseInt(m.group(group)), Integer.parseInt(m.group(group + 1)),
        Integer.parseInt(m.group(group + 2)), Integer.parseInt(pad(m.group(group + 3), 9)));
  }

  private static ZoneOffset offset(Matcher m, int group) {
    int sign = m.group(group).equals("-") ? -1 : 1;
    int hours = Integer.parseInt(m.group(group + 1));
    int minutes = m.group(group + 2) == null ? 0 : Integer.parseInt(m.group(group + 2));
    int seconds = m.group(group + 3) == null ? 0 : Integer.parseInt(m.group(group + 3));
    return ZoneOffset.ofHoursMinutesSeconds(sign * hours, sign * minutes, sign * seconds);
  }

  /** A fraction's digits right-padded with zeros to {@code width}, so "5" of micros is 500000. */
  private static String pad(String fraction, int width) {
    return fraction == null ? "0" : (fraction + "0".repeat(width)).substring(0, width);
  }

  private static IllegalArgumentException bad(String type, String text) {
    return new IllegalArgumentException("Unexpected DuckDB " + type + " text: '" + text + "'");
  }
}
