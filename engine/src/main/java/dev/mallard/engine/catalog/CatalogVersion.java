package dev.mallard.engine.catalog;

import dev.mallard.engine.MallardException.CatalogException;

/**
 * The catalog format versions Mallard reads ({@code ducklake_metadata} key {@code version}).
 * Older ones must be migrated by DuckDB first; newer ones are refused rather than misread.
 */
public enum CatalogVersion {
  V0_3("0.3"),
  V0_4("0.4"),
  V1_0("1.0");

  private final String text;

  CatalogVersion(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  public static CatalogVersion parse(String text) {
    for (CatalogVersion v : values()) {
      if (v.text.equals(text)) {
        return v;
      }
    }
    String advice = switch (text) {
      case "0.1", "0.2", "0.3-dev1" ->
          " Open it once with DuckDB 1.4 (which migrates it to 0.3) or with DuckDB 1.5 and"
              + " AUTOMATIC_MIGRATION TRUE (which migrates it to 1.0).";
      case "0.4-dev1" -> " Open it once with DuckDB 1.5 and AUTOMATIC_MIGRATION TRUE to migrate it to 1.0.";
      default -> " Mallard reads catalog versions 0.3, 0.4 and 1.0.";
    };
    throw new CatalogException("Unsupported DuckLake catalog version '" + text + "'." + advice);
  }

  /** 0.3 catalogs keep partial-file windows in {@code partial_file_info}, later ones in {@code partial_max}. */
  public boolean hasPartialMax() {
    return this != V0_3;
  }

  @Override
  public String toString() {
    return text;
  }
}
