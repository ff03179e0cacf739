package dev.mallard.engine.txn;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.ScopedOptions;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.parquet.WriterOptions;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Parquet layout of new data files, from the catalog's settings as DuckDB's {@code SET_OPTION}
 * stores them ({@code parquet_compression}, {@code parquet_compression_level},
 * {@code parquet_row_group_size}, {@code target_file_size}, {@code parquet_version}), each as it
 * applies to the table (its own value, else its schema's, else the lake's: {@link ScopedOptions});
 * unset ones take the reference's defaults.
 */
public final class WriterSettings {
  private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgt]?i?b?)\\s*");

  private WriterSettings() {}

  static WriterOptions of(DuckLakeCatalog catalog, TableInfo table) {
    return of(ScopedOptions.read(catalog.metadata()).forTable(table));
  }

  /** The layout from settings as {@code ducklake_metadata} stores them (e.g. a table's, over its schema's and the lake's). */
  public static WriterOptions of(Map<String, String> settings) {
    WriterOptions options = WriterOptions.DEFAULTS;
    String codec = settings.get("parquet_compression");
    String level = settings.get("parquet_compression_level");
    if (codec != null || level != null) {
      WriterOptions.Compression compression = codec == null ? options.compression() : compression(codec);
      Integer compressionLevel = level == null || compression == WriterOptions.Compression.SNAPPY
          || compression == WriterOptions.Compression.UNCOMPRESSED || compression == WriterOptions.Compression.LZ4_RAW
          ? null : Integer.valueOf(level.trim());
      options = options.withCompression(compression, compressionLevel);
    }
    String rowGroup = settings.get("parquet_row_group_size");
    if (rowGroup != null) {
      options = options.withRowGroupSize(Integer.parseInt(rowGroup.trim()));
    }
    String target = settings.get("target_file_size");
    if (target != null) {
      options = options.withTargetFileSizeBytes(bytes(target));
    }
    String version = settings.get("parquet_version");
    if (version != null) {
      options = options.withFormatVersion(version.trim().equals("2") || version.trim().equalsIgnoreCase("v2")
          ? WriterOptions.FormatVersion.V2 : WriterOptions.FormatVersion.V1);
    }
    return options;
  }

  private static WriterOptions.Compression compression(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT);
    try {
      return WriterOptions.Compression.valueOf(n.equals("LZ4") ? "LZ4_RAW" : n);
    } catch (IllegalArgumentException e) {
      throw new UserException("The catalog's parquet_compression '" + name + "' is not one Mallard writes"
          + " (uncompressed, snappy, zstd, gzip, lz4)");
    }
  }

  /** A size as DuckDB prints and parses them: {@code 512MB}, {@code 1GiB}, {@code 1000000}. */
  static long bytes(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new UserException("Cannot read the size '" + text + "' (expected e.g. 512MB)");
    }
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2).toUpperCase(Locale.ROOT);
    boolean binary = unit.contains("I");
    long base = binary ? 1024 : 1000;
    int power = unit.isEmpty() || unit.equals("B") ? 0 : "KMGT".indexOf(unit.charAt(0)) + 1;
    return (long) (value * Math.pow(base, power));
  }
}
