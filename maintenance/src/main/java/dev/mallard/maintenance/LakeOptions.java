package dev.mallard.maintenance;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.ScopedOptions;
import dev.mallard.engine.catalog.TableInfo;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options maintenance reads from {@code ducklake_metadata}, resolved per table by the engine's
 * {@link ScopedOptions} (table over schema over lake, as in the reference), with the parsing
 * maintenance needs (intervals, sizes, numbers, {@code auto_compact}).
 */
final class LakeOptions {
  private static final Pattern SIZE = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)\\s*");

  private final ScopedOptions options;

  LakeOptions(DuckLakeCatalog catalog) {
    options = ScopedOptions.read(catalog.metadata());
  }

  /** A lake-wide option. */
  Optional<String> get(String key) {
    return options.get(key);
  }

  /** An option as it applies to a table: the table's value, else its schema's, else the lake's. */
  Optional<String> get(String key, TableInfo table) {
    return options.get(key, table);
  }

  Optional<Duration> interval(String key) {
    return get(key).map(Intervals::parse);
  }

  /** A size option for a table: plain bytes or with a unit ({@code 10KB}, {@code 512MiB}, {@code 1 GB}). */
  long bytes(String key, TableInfo table, long fallback) {
    return get(key, table).map(LakeOptions::parseBytes).orElse(fallback);
  }

  /**
   * The options that apply to a table, each at its narrowest scope: what the Parquet writer of a
   * merged or rewritten file reads ({@code parquet_compression}, {@code parquet_row_group_size}, ...).
   */
  Map<String, String> forTable(TableInfo table) {
    return options.forTable(table);
  }

  double doubleValue(String key, TableInfo table, double fallback) {
    return get(key, table).map(v -> {
      try {
        return Double.parseDouble(v.trim());
      } catch (NumberFormatException e) {
        throw new UserException("The lake's option " + key + " = '" + v + "' is not a number");
      }
    }).orElse(fallback);
  }

  /**
   * Whether maintenance compacts and flushes a table ({@code auto_compact}, default true): the
   * reference's merge, rewrite and flush leave out tables whose option is not {@code true}.
   */
  boolean autoCompact(TableInfo table) {
    return get("auto_compact", table).map(v -> v.trim().equalsIgnoreCase("true")).orElse(true);
  }

  static long parseBytes(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new UserException("Cannot read the size '" + text + "'; write e.g. '512MB'");
    }
    double n = Double.parseDouble(m.group(1));
    double unit = switch (m.group(2).toUpperCase(Locale.ROOT)) {
      case "", "B", "BYTES" -> 1;
      case "KB", "K" -> 1e3;
      case "KIB" -> 1024;
      case "MB", "M" -> 1e6;
      case "MIB" -> 1024 * 1024;
      case "GB", "G" -> 1e9;
      case "GIB" -> 1024.0 * 1024 * 1024;
      case "TB", "T" -> 1e12;
      case "TIB" -> 1024.0 * 1024 * 1024 * 1024;
      default -> throw new UserException("Unknown size unit in '" + text + "'");
    };
    return (long) (n * unit);
  }
}
