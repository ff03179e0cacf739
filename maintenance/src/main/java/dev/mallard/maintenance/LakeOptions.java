package dev.mallard.maintenance;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The lake-wide options maintenance reads ({@code ducklake_metadata} rows without a scope). */
final class LakeOptions {
  private final Map<String, String> global;

  LakeOptions(DuckLakeCatalog catalog) {
    this.global = catalog.metadata().globalSettings();
  }

  Optional<String> get(String key) {
    String v = global.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }

  Optional<Duration> interval(String key) {
    return get(key).map(Intervals::parse);
  }

  long longValue(String key, long fallback) {
    return get(key).map(v -> Long.parseLong(v.trim())).orElse(fallback);
  }

  /** A size option: plain bytes or with a unit ({@code 10KB}, {@code 512MiB}, {@code 1 GB}). */
  long bytes(String key, long fallback) {
    return get(key).map(LakeOptions::parseBytes).orElse(fallback);
  }

  static long parseBytes(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d+)\\s*([a-zA-Z]*)\\s*").matcher(text);
    if (!m.matches()) {
      throw new dev.mallard.engine.MallardException.UserException("Cannot read the size '" + text + "'; write e.g. '512MB'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toUpperCase(java.util.Locale.ROOT)) {
      case "", "B", "BYTES" -> n;
      case "KB", "K" -> n * 1000;
      case "KIB" -> n * 1024;
      case "MB", "M" -> n * 1000_000;
      case "MIB" -> n * 1024 * 1024;
      case "GB", "G" -> n * 1000_000_000;
      case "GIB" -> n * 1024L * 1024 * 1024;
      default -> throw new dev.mallard.engine.MallardException.UserException("Unknown size unit in '" + text + "'");
    };
  }

  double doubleValue(String key, double fallback) {
    return get(key).map(v -> Double.parseDouble(v.trim())).orElse(fallback);
  }
}
