package dev.mallard.engine.types;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB's TIMETZ: a time of day in microseconds (up to 24:00:00) and its offset from UTC in
 * seconds (at most 15:59:59 either way). The engine keeps a TIMETZ as DuckDB's text of it.
 */
public record TimeTz(long micros, int offsetSeconds) implements Comparable<TimeTz> {
  private static final long DAY = 86_400_000_000L;
  private static final int MAX_OFFSET = 15 * 3600 + 59 * 60 + 59;
  private static final Pattern TEXT = Pattern.compile(
      "(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))? ?(?:([+-])(\\d{2})(?::?(\\d{2}))?(?::?(\\d{2}))?)?");

  /**
   * Reads the forms DuckDB reads: {@code 01:02:03.5+05:30}, {@code 1:02:03+0530}, {@code 01:02:03}
   * (at +00); digits past the microsecond are cut, as DuckDB cuts them.
   */
  public static TimeTz parse(String text) {
    Matcher m = TEXT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a time with time zone: " + text);
    }
    int hours = Integer.parseInt(m.group(1));
    int minutes = Integer.parseInt(m.group(2));
    int seconds = Integer.parseInt(m.group(3));
    String fraction = m.group(4) == null ? "0" : (m.group(4) + "000000").substring(0, 6);
    long micros = ((hours * 60L + minutes) * 60 + seconds) * 1_000_000L + Long.parseLong(fraction);
    if (minutes > 59 || seconds > 59 || micros > DAY) {
      throw new IllegalArgumentException("time out of range: " + text);
    }
    int offset = 0;
    if (m.group(5) != null) {
      int offMinutes = m.group(7) == null ? 0 : Integer.parseInt(m.group(7));
      int offSeconds = m.group(8) == null ? 0 : Integer.parseInt(m.group(8));
      if (offMinutes > 59 || offSeconds > 59) {
        throw new IllegalArgumentException("offset out of range: " + text);
      }
      offset = Integer.parseInt(m.group(6)) * 3600 + offMinutes * 60 + offSeconds;
      if (m.group(5).equals("-")) {
        offset = -offset;
      }
    }
    if (Math.abs(offset) > MAX_OFFSET) {
      throw new IllegalArgumentException("offset out of range: " + text);
    }
    return new TimeTz(micros, offset);
  }

  /**
   * The UTC time of day, which is what DuckDB writes to Parquet for a TIMETZ (dropping the offset:
   * {@code 01:02:03+05} is read back as {@code 20:02:03+00}); 24:00:00 wraps to 00:00:00 as there.
   */
  public long utcMicros() {
    return Math.floorMod(micros - offsetSeconds * 1_000_000L, DAY);
  }

  /**
   * DuckDB's 64 bits of a TIMETZ ({@code dtime_tz_t}), which its {@code murmur3_32} hashes: the
   * microseconds of the day shifted left by 24, below them the offset in seconds subtracted from
   * the largest (15:59:59).
   */
  public long bits() {
    return (micros << 24) | (MAX_OFFSET - offsetSeconds);
  }

  /**
   * DuckDB's order: by the UTC time without wrapping at midnight ({@code 01:00:00+05} is before
   * {@code 00:00:00+00}, {@code 23:00:00-05} after {@code 05:00:00+00}), then the larger offset
   * first; equal only with the same time and offset.
   */
  @Override
  public int compareTo(TimeTz other) {
    int c = Long.compare(micros - offsetSeconds * 1_000_000L, other.micros - other.offsetSeconds * 1_000_000L);
    return c != 0 ? c : Integer.compare(other.offsetSeconds, offsetSeconds);
  }

  /** DuckDB's text: {@code 01:02:03.5+05:30}, {@code 10:00:00+00}, {@code 01:02:03-09}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(Values.formatTimeOfDay(micros, 6, false));
    int offset = Math.abs(offsetSeconds);
    sb.append(offsetSeconds < 0 ? '-' : '+').append(String.format(Locale.ROOT, "%02d", offset / 3600));
    if (offset % 3600 != 0) {
      sb.append(String.format(Locale.ROOT, ":%02d", offset / 60 % 60));
      if (offset % 60 != 0) {
        sb.append(String.format(Locale.ROOT, ":%02d", offset % 60));
      }
    }
    return sb.toString();
  }
}
