package dev.mallard.engine.catalog;

/**
 * A delete file of a data file, visible or not any more, for the change feed.
 *
 * @param partialMax for delete files that embed each position's deleting snapshot: the newest
 *     of them; null otherwise (and in 0.3 catalogs)
 */
public record DeleteFileHistory(long dataFileId, DeleteFile file, Long partialMax) {}
