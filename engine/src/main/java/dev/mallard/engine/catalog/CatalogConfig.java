package dev.mallard.engine.catalog;

import dev.mallard.engine.MallardException.UserException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a lake's catalog lives and how to open it, parsed from a catalog URL such as
 * {@code sqlite:/data/lake.sqlite?data_path=/data/files/&snapshot=5} (the part of a JDBC URL after
 * {@code jdbc:ducklake:}) plus options given separately, e.g. as JDBC {@code Properties}.
 *
 * @param dataPathOverride read data files under this path instead of the catalog's {@code data_path}
 * @param snapshotId read this snapshot instead of the latest
 * @param snapshotTime read the latest snapshot at or before this time
 * @param create create a new, empty lake if the catalog does not exist yet (its data path is then
 *     {@code data_path}, which must be given)
 * @param inliningRowLimit inserts of at most this many rows stay in the catalog instead of Parquet
 *     (DuckDB 1.5's default is 10; 0 turns inlining off); null when not set, so the catalog's
 *     {@code data_inlining_row_limit} option, or the default, applies
 */
public record CatalogConfig(
    Backend backend,
    String location,
    String dataPathOverride,
    Long snapshotId,
    Instant snapshotTime,
    boolean readOnly,
    boolean create,
    Integer inliningRowLimit) {

  /** The database that holds the catalog tables. */
  public enum Backend {
    SQLITE;

    static Backend parse(String name, String url) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "sqlite" -> SQLITE;
        case "postgresql", "postgres", "mysql", "duckdb" -> throw new UserException(
            "Catalogs in " + name + " are not supported yet; use a SQLite catalog (sqlite:/path/to/catalog.sqlite)");
        default -> throw new UserException("Unknown catalog database '" + name + "' in '" + url
            + "'. Expected sqlite:<file>, e.g. jdbc:ducklake:sqlite:/data/lake.sqlite");
      };
    }
  }

  /** Option names accepted in the URL's query string or as properties. */
  public static final Set<String> OPTIONS =
      Set.of("data_path", "snapshot", "snapshot_time", "read_only", "create", "data_inlining_row_limit");

  public CatalogConfig {
    if (snapshotId != null && snapshotTime != null) {
      throw new UserException("Give either snapshot or snapshot_time, not both");
    }
    if (create && dataPathOverride == null) {
      throw new UserException("Creating a lake needs its data path: add data_path=<directory> to the URL");
    }
    if (inliningRowLimit != null && inliningRowLimit < 0) {
      throw new UserException("data_inlining_row_limit must be 0 or more, not " + inliningRowLimit);
    }
  }

  /**
   * Parses a catalog URL. Options in its query string take precedence over {@code options}; keys
   * not in {@link #OPTIONS} are rejected so that a typo does not pass silently.
   */
  public static CatalogConfig parse(String url, Map<String, String> options) {
    int colon = url.indexOf(':');
    if (colon <= 0) {
      throw new UserException("Malformed catalog URL '" + url
          + "'. Expected <database>:<location>, e.g. jdbc:ducklake:sqlite:/data/lake.sqlite");
    }
    Backend backend = Backend.parse(url.substring(0, colon), url);
    String rest = url.substring(colon + 1);
    int query = rest.indexOf('?');
    String location = query < 0 ? rest : rest.substring(0, query);
    if (location.isBlank()) {
      throw new UserException("Malformed catalog URL '" + url + "': the catalog location is empty");
    }
    Map<String, String> merged = new LinkedHashMap<>();
    options.forEach((k, v) -> merged.put(k.toLowerCase(Locale.ROOT), v));
    if (query >= 0) {
      merged.putAll(parseQuery(rest.substring(query + 1), url));
    }
    for (String key : merged.keySet()) {
      if (!OPTIONS.contains(key)) {
        throw new UserException("Unknown option '" + key + "' in '" + url + "'. Known options: "
            + String.join(", ", OPTIONS.stream().sorted().toList()));
      }
    }
    return new CatalogConfig(
        backend,
        location,
        normalizeDataPath(merged.get("data_path")),
        parseLong(merged.get("snapshot"), "snapshot"),
        parseTime(merged.get("snapshot_time")),
        parseBoolean(merged.get("read_only"), "read_only"),
        parseBoolean(merged.get("create"), "create"),
        parseLong(merged.get("data_inlining_row_limit"), "data_inlining_row_limit") == null ? null
            : Math.toIntExact(parseLong(merged.get("data_inlining_row_limit"), "data_inlining_row_limit")));
  }

  private static Map<String, String> parseQuery(String query, String url) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new UserException("Malformed option '" + pair + "' in '" + url + "'. Expected key=value");
      }
      out.put(decode(pair.substring(0, eq)).toLowerCase(Locale.ROOT), decode(pair.substring(eq + 1)));
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Directory paths are joined by concatenation, as DuckLake does, so they must end with '/'. */
  static String normalizeDataPath(String path) {
    if (path == null || path.isEmpty()) {
      return null;
    }
    return path.endsWith("/") ? path : path + "/";
  }

  private static Long parseLong(String value, String key) {
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new UserException("Option " + key + " must be a whole number, not '" + value + "'");
    }
  }

  private static boolean parseBoolean(String value, String key) {
    if (value == null) {
      return false;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new UserException("Option " + key + " must be true or false, not '" + value + "'");
    };
  }

  private static Instant parseTime(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Timestamps.parseInstant(value.trim());
    } catch (RuntimeException e) {
      throw new UserException("Option snapshot_time must be a timestamp such as 2025-01-06 10:00:00+00, not '"
          + value + "'");
    }
  }
}
