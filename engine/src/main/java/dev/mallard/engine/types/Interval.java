package dev.mallard.engine.types;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB's INTERVAL: months, days and microseconds, each kept apart as DuckDB does. Ordered as
 * DuckDB orders intervals, after carrying whole days of microseconds into days and 30 days into a
 * month: {@code 1 month} compares equal to {@code 30 days} and {@code 24:00:00} to {@code 1 day},
 * though {@link #equals} tells them apart.
 */
public record Interval(int months, int days, long micros) implements Comparable<Interval> {
  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final int DAYS_PER_MONTH = 30;

  private static final Pattern PART = Pattern.compile("(-?\\d+) (year|month|day)s?");
  private static final Pattern TIME = Pattern.compile("(-?)(\\d+):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?");

  /** Parses DuckDB's text form, e.g. {@code 1 year 2 months -3 days 04:05:06.789}. */
  public static Interval parse(String text) {
    String rest = text.trim();
    int months = 0;
    int days = 0;
    long micros = 0;
    Matcher part = PART.matcher(rest);
    int end = 0;
    while (part.find() && part.start() == end) {
      int n = Integer.parseInt(part.group(1));
      switch (part.group(2)) {
        case "year" -> months += n * 12;
        case "month" -> months += n;
        default -> days += n;
      }
      end = part.end();
      while (end < rest.length() && rest.charAt(end) == ' ') {
        end++;
      }
    }
    String tail = rest.substring(end);
    if (!tail.isEmpty()) {
      Matcher t = TIME.matcher(tail);
      if (!t.matches()) {
        throw new IllegalArgumentException("not an interval: " + text);
      }
      String fraction = t.group(5) == null ? "0" : (t.group(5) + "00000").substring(0, 6);
      micros = ((Long.parseLong(t.group(2)) * 60 + Long.parseLong(t.group(3))) * 60 + Long.parseLong(t.group(4)))
          * 1_000_000L + Long.parseLong(fraction);
      if (!t.group(1).isEmpty()) {
        micros = -micros;
      }
    }
    return new Interval(months, days, micros);
  }

  @Override
  public int compareTo(Interval other) {
    long[] a = normalized();
    long[] b = other.normalized();
    for (int i = 0; i < 3; i++) {
      int c = Long.compare(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Months, days, micros after DuckDB's carries (truncating division, as C++ divides). */
  private long[] normalized() {
    long allDays = days + micros / MICROS_PER_DAY;
    return new long[] {months + allDays / DAYS_PER_MONTH, allDays % DAYS_PER_MONTH, micros % MICROS_PER_DAY};
  }

  /** DuckDB's text form, e.g. {@code 1 year 2 months 3 days 04:05:06.5}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    int years = months / 12;
    int mons = months % 12;
    appendPart(sb, years, "year");
    appendPart(sb, mons, "month");
    appendPart(sb, days, "day");
    if (micros != 0 || sb.length() == 0) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(Values.formatTimeOfDay(micros, 6, true));
    }
    return sb.toString();
  }

  private static void appendPart(StringBuilder sb, int n, String unit) {
    if (n == 0) {
      return;
    }
    if (sb.length() > 0) {
      sb.append(' ');
    }
    sb.append(n).append(' ').append(unit);
    if (n != 1 && n != -1) {
      sb.append('s');
    }
  }
}
