package dev.mallard.engine.parquet;

import java.util.Map;

/**
 * A data file a writer finished: what its {@code ducklake_data_file} row and
 * {@code ducklake_file_column_stats} rows need.
 *
 * @param path absolute location
 * @param stats by field id, for every written primitive column (the leaves of nested ones; their
 *     parents have none, as in the reference)
 */
public record WrittenFile(String path, long recordCount, long fileSizeBytes, long footerSize,
    Map<Integer, FileColumnStats> stats) {

  public WrittenFile {
    stats = Map.copyOf(stats);
  }
}
