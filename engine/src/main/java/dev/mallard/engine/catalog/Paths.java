package dev.mallard.engine.catalog;

import dev.mallard.engine.MallardException.CatalogException;

/**
 * DuckLake's path rules: a file's path is relative to its table's directory, the table's to its
 * schema's, the schema's to the lake's {@code data_path}; each may instead be absolute. Directories
 * end with '/', and joining is concatenation, exactly as the reference does it.
 */
final class Paths {
  private Paths() {}

  /** A directory: {@code parent + path} when relative, {@code path} when absolute; the parent when null. */
  static String resolveDirectory(String parent, String path, boolean relative) {
    if (path == null) {
      return parent;
    }
    String resolved = relative ? parent + path : path;
    checkSafe(resolved, path);
    return resolved.endsWith("/") ? resolved : resolved + "/";
  }

  static String resolveFile(String directory, String path, boolean relative) {
    String resolved = relative ? directory + path : path;
    checkSafe(resolved, path);
    return resolved;
  }

  /**
   * A catalog is data, and data can be hostile: a relative path must not climb out of its parent,
   * and no path may hold a NUL byte.
   */
  private static void checkSafe(String resolved, String path) {
    if (path.indexOf('\0') >= 0) {
      throw new CatalogException("Catalog path contains a NUL byte: " + path);
    }
    // Without split: this runs for every data file of every scan, 10,000 times for a 10,000-file table.
    String slashed = "/" + path + "/";
    if (slashed.contains("/../")) {
      throw new CatalogException(
          "Catalog path '" + path + "' climbs out of its directory with '..'; refusing to read " + resolved);
    }
  }
}
