package dev.mallard.engine.parquet;

/**
 * A positional delete file a writer finished: what its {@code ducklake_delete_file} row needs.
 *
 * @param path absolute location
 * @param recordCount deleted positions in the file ({@code delete_count})
 */
public record WrittenDeleteFile(String path, long recordCount, long fileSizeBytes, long footerSize) {}
