package dev.mallard.engine.parquet;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * How {@link ParquetDataWriter} lays out its files. The defaults are those DuckDB's ducklake
 * extension writes with (DuckDB's COPY defaults, and DuckLake's target file size); the DuckLake
 * options {@code parquet_compression}, {@code parquet_compression_level},
 * {@code parquet_row_group_size}, {@code target_file_size} and {@code parquet_version} map onto
 * these fields.
 *
 * @param compression the page compression codec
 * @param compressionLevel for ZSTD and GZIP only; null for the codec's default (ZSTD: 3, as DuckDB)
 * @param rowGroupSize rows per row group (the last row group of a file may have fewer)
 * @param targetFileSizeBytes a file is closed at the first row group boundary at or past this size
 * @param formatVersion V1: data pages v1, PLAIN and dictionary encodings; V2: data pages v2 and the
 *     DELTA encodings (DuckDB's {@code PARQUET_VERSION V2})
 */
public record WriterOptions(Compression compression, Integer compressionLevel, int rowGroupSize,
    long targetFileSizeBytes, FormatVersion formatVersion) {
  /** DuckDB's default row group size (COPY ... ROW_GROUP_SIZE). */
  public static final int DEFAULT_ROW_GROUP_SIZE = 122_880;
  /** DuckLake's default {@code target_file_size}: 512 MB. */
  public static final long DEFAULT_TARGET_FILE_SIZE = 512L * 1024 * 1024;
  public static final WriterOptions DEFAULTS = new WriterOptions(Compression.SNAPPY, null, DEFAULT_ROW_GROUP_SIZE,
      DEFAULT_TARGET_FILE_SIZE, FormatVersion.V1);

  /** The codecs DuckDB writes and {@link Codecs} implements. */
  public enum Compression {
    UNCOMPRESSED(CompressionCodecName.UNCOMPRESSED),
    SNAPPY(CompressionCodecName.SNAPPY),
    ZSTD(CompressionCodecName.ZSTD),
    GZIP(CompressionCodecName.GZIP),
    LZ4_RAW(CompressionCodecName.LZ4_RAW);

    private final CompressionCodecName codec;

    Compression(CompressionCodecName codec) {
      this.codec = codec;
    }

    CompressionCodecName codec() {
      return codec;
    }
  }

  /** The Parquet writer version. */
  public enum FormatVersion {
    V1,
    V2
  }

  public WriterOptions {
    if (compression == null || formatVersion == null) {
      throw new IllegalArgumentException("compression and formatVersion are required");
    }
    if (rowGroupSize <= 0) {
      throw new IllegalArgumentException("rowGroupSize must be positive: " + rowGroupSize);
    }
    if (targetFileSizeBytes <= 0) {
      throw new IllegalArgumentException("targetFileSizeBytes must be positive: " + targetFileSizeBytes);
    }
    if (compressionLevel != null) {
      switch (compression) {
        case ZSTD -> {
          if (compressionLevel < -131072 || compressionLevel > 22) {
            throw new IllegalArgumentException("ZSTD compression level out of range: " + compressionLevel);
          }
        }
        case GZIP -> {
          if (compressionLevel < 0 || compressionLevel > 9) {
            throw new IllegalArgumentException("GZIP compression level out of range (0-9): " + compressionLevel);
          }
        }
        default -> throw new IllegalArgumentException(compression + " has no compression level");
      }
    }
  }

  public WriterOptions withCompression(Compression codec, Integer level) {
    return new WriterOptions(codec, level, rowGroupSize, targetFileSizeBytes, formatVersion);
  }

  public WriterOptions withRowGroupSize(int rows) {
    return new WriterOptions(compression, compressionLevel, rows, targetFileSizeBytes, formatVersion);
  }

  public WriterOptions withTargetFileSizeBytes(long bytes) {
    return new WriterOptions(compression, compressionLevel, rowGroupSize, bytes, formatVersion);
  }

  public WriterOptions withFormatVersion(FormatVersion version) {
    return new WriterOptions(compression, compressionLevel, rowGroupSize, targetFileSizeBytes, version);
  }
}
