package dev.mallard.engine.parquet;

import dev.mallard.engine.types.FloatText;
import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.Locale;

/**
 * DuckDB's text for the statistics values DuckLake stores ({@code ducklake_file_column_stats}):
 * what DuckDB's {@code Value::ToString} prints for each type, which is what the ducklake extension
 * records for the files it writes. Verified against DuckDB 1.5.5 (see ParquetDataWriterTest).
 */
final class StatsText {
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
  private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();

  private StatsText() {}

  /** A float or double as DuckDB prints it; see {@link FloatText}. */
  static String floating(double value, boolean single) {
    return FloatText.format(value, single);
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
