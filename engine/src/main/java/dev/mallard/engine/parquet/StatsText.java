package dev.mallard.engine.parquet;

import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Locale;

/**
 * DuckDB's text for the statistics values DuckLake stores ({@code ducklake_file_column_stats}):
 * what DuckDB's {@code Value::ToString} prints for each type, which is what the ducklake extension
 * records for the files it writes. Verified against DuckDB 1.5.5 (see ParquetDataWriterTest).
 */
final class StatsText {
  private static final int FIXED_EXPONENT_MIN = -4; // fmt's "{}": fixed notation for exponents -4..15
  private static final int FIXED_EXPONENT_LIMIT = 16;
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
  private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();

  private StatsText() {}

  /**
   * A float or double as DuckDB prints it (fmt's {@code "{}"}): the shortest digits that read back
   * as the same value, in fixed notation with at least one decimal for exponents -4 to 15
   * ({@code 0.0001}, {@code 16777216.0}) and scientific notation with a signed exponent of at
   * least two digits otherwise ({@code 1e-05}, {@code 1e+16}, {@code 3.4028235e+38}).
   *
   * @param single whether the value is a float32 (then the shortest float digits are used)
   */
  static String floating(double value, boolean single) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    String sign = (Double.doubleToRawLongBits(value) < 0) ? "-" : ""; // -0.0 prints as -0.0
    if (value == 0) {
      return sign + "0.0";
    }
    BigDecimal digits = shortest(Math.abs(value), single).stripTrailingZeros();
    String d = digits.unscaledValue().toString();
    int exponent = d.length() - 1 - digits.scale(); // value = d[0].d[1..] * 10^exponent
    StringBuilder sb = new StringBuilder(sign);
    if (exponent < FIXED_EXPONENT_MIN || exponent >= FIXED_EXPONENT_LIMIT) {
      sb.append(d.charAt(0));
      if (d.length() > 1) {
        sb.append('.').append(d, 1, d.length());
      }
      sb.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (abs < 10) {
        sb.append('0');
      }
      return sb.append(abs).toString();
    }
    if (exponent >= d.length() - 1) { // an integer: 16777216.0
      sb.append(d).append("0".repeat(exponent - (d.length() - 1))).append(".0");
    } else if (exponent >= 0) {
      sb.append(d, 0, exponent + 1).append('.').append(d, exponent + 1, d.length());
    } else {
      sb.append("0.").append("0".repeat(-exponent - 1)).append(d);
    }
    return sb.toString();
  }

  /**
   * The shortest decimal that reads back as {@code value} (positive, finite), the nearest one
   * when several of that length do. Only the two neighbours of the exact value at each precision
   * can be the nearest that reads back, so each precision tries those two.
   */
  private static BigDecimal shortest(double value, boolean single) {
    BigDecimal exact = new BigDecimal(value); // a float widens to double exactly
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
      boolean downOk = readsBack(down, value, single);
      boolean upOk = readsBack(up, value, single);
      if (downOk && upOk) {
        int c = exact.subtract(down).compareTo(up.subtract(exact));
        return c < 0 || (c == 0 && lastDigitEven(down)) ? down : up;
      }
      if (downOk) {
        return down;
      }
      if (upOk) {
        return up;
      }
    }
    return exact; // unreachable: 17 digits always read back
  }

  private static boolean readsBack(BigDecimal candidate, double value, boolean single) {
    String s = candidate.toString();
    return single ? Float.parseFloat(s) == (float) value : Double.parseDouble(s) == value;
  }

  private static boolean lastDigitEven(BigDecimal d) {
    return !d.unscaledValue().testBit(0);
  }

  /** A decimal at its type's scale: {@code 0.0}, {@code -999.9}, {@code 1.0000000000}. */
  static String decimal(BigInteger unscaled, int scale) {
    return new BigDecimal(unscaled, scale).toPlainString();
  }

  /** DuckDB's date text: {@code 2020-01-01}, {@code 0044-03-15 (BC)}, {@code infinity}. */
  static String date(int days) {
    if (days == Values.DATE_INFINITY) {
      return "infinity";
    }
    if (days == -Values.DATE_INFINITY) {
      return "-infinity";
    }
    return dateText(LocalDate.ofEpochDay(days));
  }

  private static String dateText(LocalDate d) {
    int year = d.getYear();
    boolean bc = year <= 0;
    String text = String.format(Locale.ROOT, "%04d-%02d-%02d", bc ? 1 - year : year, d.getMonthValue(),
        d.getDayOfMonth());
    return bc ? text + " (BC)" : text;
  }

  /** A time of day in units of 10^-digits seconds: {@code 01:00:00.5}, {@code 24:00:00}. */
  static String time(long units, int digits) {
    return Values.formatTimeOfDay(units, digits, false);
  }

  /**
   * A timestamp in units of 10^-digits seconds since the epoch: {@code 2020-01-01 01:02:03.5},
   * {@code 0044-03-15 (BC) 01:02:03}, {@code infinity}; with {@code utc}, a finite value gets the
   * offset {@code +00} (DuckLake normalizes timestamptz statistics to UTC).
   */
  static String timestamp(long units, int digits, boolean utc) {
    if (units == Values.TIMESTAMP_INFINITY) {
      return "infinity";
    }
    if (units == -Values.TIMESTAMP_INFINITY) {
      return "-infinity";
    }
    long perDay = 86_400L * pow10(digits);
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(units, perDay));
    String text = dateText(date) + " " + time(Math.floorMod(units, perDay), digits);
    return utc ? text + "+00" : text;
  }

  /** Upper-case hex, DuckDB's text for BLOB statistics. */
  static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX_UPPER[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX_UPPER[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** The canonical lower-case text of a UUID given as its 16 big-endian bytes. */
  static String uuid(byte[] bytes) {
    StringBuilder sb = new StringBuilder(36);
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        sb.append('-');
      }
      sb.append(HEX_LOWER[(bytes[i] >> 4) & 0xf]).append(HEX_LOWER[bytes[i] & 0xf]);
    }
    return sb.toString();
  }

  static long pow10(int n) {
    long r = 1;
    for (int i = 0; i < n; i++) {
      r *= 10;
    }
    return r;
  }
}
