package dev.mallard.maintenance;

import dev.mallard.engine.MallardException.UserException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Interval texts as DuckLake options hold them ({@code '2 days'}, {@code '1 week'}, {@code '12 hours 30 minutes'}). */
public final class Intervals {
  private static final Pattern PART = Pattern.compile("\\s*(\\d+)\\s*([a-z]+)\\s*");

  private Intervals() {}

  public static Duration parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new UserException("Cannot read the interval '" + text + "'; write it as e.g. '2 days' or '1 week'");
      }
      long n = Long.parseLong(m.group(1));
      total = total.plus(unit(m.group(2), text).multipliedBy(n));
      at = m.end();
    }
    if (s.isEmpty()) {
      throw new UserException("Empty interval; write it as e.g. '2 days' or '1 week'");
    }
    return total;
  }

  private static Duration unit(String unit, String text) {
    String u = unit.endsWith("s") && unit.length() > 1 ? unit.substring(0, unit.length() - 1) : unit;
    return switch (u) {
      case "microsecond", "us" -> Duration.ofNanos(1000);
      case "millisecond", "ms" -> Duration.ofMillis(1);
      case "second", "sec" -> Duration.ofSeconds(1);
      case "minute", "min" -> Duration.ofMinutes(1);
      case "hour", "h" -> Duration.ofHours(1);
      case "day", "d" -> Duration.ofDays(1);
      case "week", "w" -> Duration.ofDays(7);
      case "month", "mon" -> Duration.ofDays(30);
      case "year", "y" -> Duration.ofDays(365);
      default -> throw new UserException("Unknown unit '" + unit + "' in the interval '" + text + "'");
    };
  }
}
