package dev.mallard.engine.catalog;

import java.time.Instant;

/**
 * One committed version of the lake ({@code ducklake_snapshot}).
 *
 * @param schemaVersion bumps with every change to schemas, tables or views; the visible catalog is
 *     the same for all snapshots that share it
 */
public record Snapshot(long id, Instant time, long schemaVersion, long nextCatalogId, long nextFileId) {}
