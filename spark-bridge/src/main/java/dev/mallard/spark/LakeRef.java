package dev.mallard.spark;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.CatalogConfig;
import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which lake to open and how: a catalog URL without the {@code jdbc:ducklake:} prefix plus the
 * engine's catalog options ({@link CatalogConfig#OPTIONS}). Small and serializable, so that input
 * partitions carry it to executors, and a value, so that it keys the per-JVM cache of open lakes.
 */
record LakeRef(String url, Map<String, String> options) implements Serializable {
  private static final String PREFIX = "jdbc:ducklake:";

  LakeRef {
    options = new TreeMap<>(options); // sorted: equal options make equal keys whatever their order
  }

  /**
   * The lake named by Spark options: {@code url} (with or without {@code jdbc:ducklake:}) plus any
   * of the engine's catalog options. Other keys are left to the caller.
   */
  static LakeRef fromOptions(Map<String, String> sparkOptions) {
    String url = null;
    Map<String, String> catalogOptions = new TreeMap<>();
    for (Map.Entry<String, String> e : sparkOptions.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      if (key.equals("url")) {
        url = e.getValue();
      } else if (CatalogConfig.OPTIONS.contains(key)) {
        catalogOptions.put(key, e.getValue());
      }
    }
    if (url == null || url.isBlank()) {
      throw new UserException("Give the lake's catalog URL with the option url, e.g."
          + " .option(\"url\", \"jdbc:ducklake:sqlite:/data/lake.sqlite\")");
    }
    String stripped = url.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) ? url.substring(PREFIX.length()) : url;
    LakeRef ref = new LakeRef(stripped, catalogOptions);
    ref.config(); // a malformed URL or option fails here, on the driver, not in a task
    return ref;
  }

  CatalogConfig config() {
    return CatalogConfig.parse(url, options);
  }

  @Override
  public String toString() {
    return PREFIX + url + (options.isEmpty() ? "" : " " + options);
  }
}
