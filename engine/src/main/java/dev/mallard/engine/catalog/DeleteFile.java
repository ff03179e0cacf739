package dev.mallard.engine.catalog;

/**
 * The visible positional delete file of a data file. It holds every deleted position of that data
 * file; when it embeds snapshot ids, only positions deleted at or before the read snapshot count.
 *
 * @param path absolute location
 */
public record DeleteFile(long id, String path, String format, long deleteCount, long fileSizeBytes,
    long beginSnapshot, String encryptionKey) {}
