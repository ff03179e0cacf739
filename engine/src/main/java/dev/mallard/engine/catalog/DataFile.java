package dev.mallard.engine.catalog;

/**
 * A data file visible at some snapshot, with its visible delete file if any.
 *
 * @param path absolute location
 * @param rowIdStart the row id of the file's first row (unless the file embeds row ids)
 * @param beginSnapshot the snapshot that added the file (for partial files: the oldest row's)
 * @param partialMax for partial files: the newest snapshot whose rows are in the file; rows newer
 *     than the read snapshot must be skipped. Null for ordinary files.
 * @param legacyVisibleRows for 0.3 catalogs' {@code partial_file_info} lists: how many leading rows
 *     are visible at the read snapshot; null when all are
 * @param deleteFile null when no rows of the file were deleted through a delete file
 */
public record DataFile(
    long id,
    String path,
    long recordCount,
    long fileSizeBytes,
    Long footerSize,
    long rowIdStart,
    long beginSnapshot,
    Long partialMax,
    Long legacyVisibleRows,
    Long mappingId,
    Long partitionId,
    String encryptionKey,
    DeleteFile deleteFile) {}
