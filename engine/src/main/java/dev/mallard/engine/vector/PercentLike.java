package dev.mallard.engine.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A LIKE pattern made only of {@code %} and literal text (TPC-H's {@code '%green%'},
 * {@code 'PROMO%'}, {@code '%special%requests%'}), matched by substring search instead of a regular
 * expression: the first literal part must start the string, the last must end it, the others are
 * found in order, each at its first place after the one before (taking the first place never loses
 * a match, as {@code %} takes any text between them, line breaks included).
 */
public final class PercentLike implements Predicate<String> {
  private final String prefix;
  private final String suffix;
  private final String[] middle;
  private final boolean exact;

  private PercentLike(String prefix, String suffix, String[] middle, boolean exact) {
    this.prefix = prefix;
    this.suffix = suffix;
    this.middle = middle;
    this.exact = exact;
  }

  /**
   * The matcher of {@code pattern} (a LIKE without ESCAPE), or null when the pattern has a
   * {@code _} or a backslash (those keep the general path).
   */
  public static PercentLike of(String pattern) {
    if (pattern.indexOf('_') >= 0 || pattern.indexOf('\\') >= 0) {
      return null;
    }
    List<String> parts = new ArrayList<>(List.of(pattern.split("%", -1)));
    if (parts.size() == 1) {
      return new PercentLike(pattern, "", new String[0], true);
    }
    String prefix = parts.remove(0);
    String suffix = parts.remove(parts.size() - 1);
    return new PercentLike(prefix, suffix, parts.stream().filter(p -> !p.isEmpty()).toArray(String[]::new), false);
  }

  @Override
  public boolean test(String s) {
    if (exact) {
      return s.equals(prefix);
    }
    if (s.length() < prefix.length() + suffix.length() || !s.startsWith(prefix) || !s.endsWith(suffix)) {
      return false;
    }
    int from = prefix.length();
    int end = s.length() - suffix.length(); // the middle parts must lie in [from, end)
    for (String part : middle) {
      int at = s.indexOf(part, from);
      if (at < 0 || at + part.length() > end) {
        return false;
      }
      from = at + part.length();
    }
    return true;
  }
}
