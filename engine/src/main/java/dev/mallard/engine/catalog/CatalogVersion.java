package dev.mallard.engine.catalog;

import dev.mallard.engine.MallardException.CatalogException;
import dev.mallard.engine.MallardException.UnsupportedFeatureException;

/**
 * The catalog format versions Mallard reads ({@code ducklake_metadata} key {@code version}).
 * Older ones must be migrated by DuckDB first; unknown ones are refused rather than misread.
 */
public enum CatalogVersion {
  V0_3("0.3"),
  V0_4("0.4"),
  V1_0("1.0"),
  /** Written by the reference's main branch (ducklake-format.md §2.2). */
  V1_1_DEV1("1.1-dev1"),
  /** DuckDB 2.0's; read as the 1.1-dev1 layout it was released from. */
  V1_1("1.1");

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
      default -> " Mallard reads catalog versions 0.3, 0.4, 1.0 and 1.1.";
    };
    throw new CatalogException("Unsupported DuckLake catalog version '" + text + "'." + advice);
  }

  /** 0.3 catalogs keep partial-file windows in {@code partial_file_info}, later ones in {@code partial_max}. */
  public boolean hasPartialMax() {
    return this != V0_3;
  }

  /**
   * The name of one of the three metadata columns that lead every inlined data table
   * ({@code row_id}, {@code begin_snapshot}, {@code end_snapshot}): 1.1 prefixes them with
   * {@code _ducklake_} so that user columns may take the plain names.
   */
  public String inlinedMetadataColumn(String name) {
    return this == V1_1_DEV1 || this == V1_1 ? "_ducklake_" + name : name;
  }

  /**
   * Refuses writes to catalogs whose tables differ from the 1.0 layout Mallard writes (0.4 has
   * the same tables): writing them as 1.0 would fail half way or leave rows their readers misread.
   */
  public void checkWritable() {
    String advice = switch (this) {
      case V0_4, V1_0 -> null;
      case V0_3 -> " Migrate it to 1.0 first: attach it once with DuckDB 1.5 and AUTOMATIC_MIGRATION TRUE.";
      case V1_1_DEV1, V1_1 -> " Write to it with the DuckDB release that wrote it.";
    };
    if (advice != null) {
      throw new UnsupportedFeatureException("This DuckLake catalog has version " + text
          + ", which Mallard reads but does not write (Mallard writes version 1.0)." + advice);
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
