package dev.mallard.calcite.parser;

import java.math.BigDecimal;
import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBinaryStringLiteral;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDateLiteral;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlTimeLiteral;
import org.apache.calcite.sql.SqlTimestampLiteral;
import org.apache.calcite.sql.SqlUnknownLiteral;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.SqlParserUtil;
import org.apache.calcite.util.BitString;

/**
 * DEFAULT values of DDL. DuckLake stores a column's default as text ({@code initial_default}, which
 * also fills the column in files written before it existed), so Mallard accepts constants only and
 * passes DuckDB's text of the value: {@code 'x'} is {@code x}, {@code TRUE} is {@code true},
 * {@code DATE '2024-01-01'} is {@code 2024-01-01}. The text is the literal's own value, not yet cast
 * to the column's type ({@code DEFAULT 1} on a DECIMAL(18,3) column is {@code 1}).
 */
public final class DefaultValues {
  private DefaultValues() {}

  /** Refuses a default that is not a constant, at parse time. */
  static void check(SqlNode e) {
    if (!isConstant(e)) {
      throw ParseErrors.at(e.getParserPosition(),
          "DEFAULT " + e + " is not supported: only constant defaults are supported (a number, a string,"
              + " TRUE, FALSE, NULL or a typed literal such as DATE '2024-01-01')");
    }
  }

  private static boolean isConstant(SqlNode e) {
    if (e instanceof SqlLiteral) {
      return true;
    }
    if (e.getKind() == SqlKind.MINUS_PREFIX || e.getKind() == SqlKind.PLUS_PREFIX) {
      SqlNode operand = ((SqlBasicCall) e).operand(0);
      return operand instanceof SqlNumericLiteral || operand instanceof SqlIntervalLiteral;
    }
    return false;
  }

  /** DuckDB's text of a constant default; null for DEFAULT NULL (no default) or no default. */
  public static String text(SqlNode e) {
    if (e == null) {
      return null;
    }
    check(e);
    if (e.getKind() == SqlKind.MINUS_PREFIX) {
      SqlNode operand = ((SqlBasicCall) e).operand(0);
      String text = text(operand);
      return text.startsWith("-") ? text.substring(1) : "-" + text;
    }
    if (e.getKind() == SqlKind.PLUS_PREFIX) {
      return text(((SqlBasicCall) e).operand(0));
    }
    return literalText((SqlLiteral) e);
  }

  private static String literalText(SqlLiteral literal) {
    if (literal instanceof SqlUnknownLiteral unknown) {
      return typedLiteralText(unknown);
    }
    if (literal instanceof SqlCharStringLiteral string) {
      return string.getValueAs(String.class);
    }
    if (literal instanceof SqlNumericLiteral number) {
      BigDecimal value = number.getValueAs(BigDecimal.class);
      return number.isExact() ? value.toPlainString() : doubleText(value.doubleValue());
    }
    if (literal instanceof SqlIntervalLiteral interval) {
      return intervalText((SqlIntervalLiteral.IntervalValue) interval.getValue());
    }
    if (literal instanceof SqlBinaryStringLiteral binary) {
      return blobText(binary.getValueAs(BitString.class).getAsByteArray());
    }
    if (literal instanceof SqlDateLiteral date) {
      return date.toFormattedString();
    }
    if (literal instanceof SqlTimeLiteral time) {
      return withoutTrailingZeros(time.toFormattedString());
    }
    if (literal instanceof SqlTimestampLiteral timestamp) {
      return withoutTrailingZeros(timestamp.toFormattedString());
    }
    return switch (literal.getTypeName()) {
      case NULL -> null;
      case BOOLEAN -> String.valueOf(literal.booleanValue());
      default -> literal.toValue();
    };
  }

  /** DATE '...', TIME '...', TIMESTAMP '...' (checked and normalized), UUID '...' and others as written. */
  private static String typedLiteralText(SqlUnknownLiteral literal) {
    String tag = literal.tag.toUpperCase(Locale.ROOT);
    String value = literal.getValue();
    SqlParserPos pos = literal.getParserPosition();
    return switch (tag) {
      case "DATE" -> SqlParserUtil.parseDateLiteral(value, pos).toFormattedString();
      case "TIME" -> withoutTrailingZeros(SqlParserUtil.parseTimeLiteral(value, pos).toFormattedString());
      case "TIMESTAMP", "DATETIME" ->
          withoutTrailingZeros(SqlParserUtil.parseTimestampLiteral(value, pos).toFormattedString());
      default -> value;
    };
  }

  /** DuckDB prints fractions of a second without trailing zeros: 10:00:00.5, 10:00:00. */
  private static String withoutTrailingZeros(String time) {
    int dot = time.lastIndexOf('.');
    if (dot < 0 || time.indexOf(':', dot) >= 0) {
      return time;
    }
    String s = time.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** As DuckDB prints a DOUBLE: 1.0, 1.5, 1e+300. */
  private static String doubleText(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return String.format(Locale.ROOT, "%.1f", d);
    }
    String s = Double.toString(d);
    int e = s.indexOf('E');
    if (e < 0) {
      return s;
    }
    String mantissa = s.substring(0, e).replaceAll("\\.0$", "");
    String exponent = s.substring(e + 1);
    return mantissa + "e" + (exponent.startsWith("-") ? exponent : "+" + exponent);
  }

  /**
   * As DuckDB prints an INTERVAL: years and months, days, then a time of day that can pass 24 hours
   * (INTERVAL '36' HOUR is 36:00:00, INTERVAL '1 2' DAY TO HOUR is 1 day 02:00:00).
   */
  static String intervalText(SqlIntervalLiteral.IntervalValue value) {
    StringBuilder text = new StringBuilder();
    if (value.getIntervalQualifier().isYearMonth()) {
      long months = SqlParserUtil.intervalToMonths(value);
      unit(text, months / 12, "year");
      unit(text, months % 12, "month");
      return text.length() == 0 ? "00:00:00" : text.toString();
    }
    long millis = SqlParserUtil.intervalToMillis(value);
    long days = 0;
    if (value.getIntervalQualifier().getStartUnit() == TimeUnit.DAY) {
      days = millis / 86_400_000L;
      millis -= days * 86_400_000L;
    }
    unit(text, days, "day");
    if (millis != 0 || text.length() == 0) {
      if (text.length() > 0) {
        text.append(' ');
      }
      if (millis < 0) {
        text.append('-');
        millis = -millis;
      }
      long seconds = millis / 1000;
      text.append(String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60));
      if (millis % 1000 != 0) {
        text.append(String.format(Locale.ROOT, ".%03d", millis % 1000).replaceAll("0+$", ""));
      }
    }
    return text.toString();
  }

  private static void unit(StringBuilder text, long n, String unit) {
    if (n != 0) {
      if (text.length() > 0) {
        text.append(' ');
      }
      text.append(n).append(' ').append(unit).append(Math.abs(n) == 1 ? "" : "s");
    }
  }

  /** As DuckDB prints a BLOB: printable ASCII as is, other bytes as \xAB. */
  private static String blobText(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 32 && c <= 126 && c != '\\' && c != '\'' && c != '"') {
        text.append((char) c);
      } else {
        text.append(String.format(Locale.ROOT, "\\x%02X", c));
      }
    }
    return text.toString();
  }
}
