package dev.mallard.engine.parquet;

import dev.mallard.engine.types.DuckLakeType;

/**
 * A column to write to a data file: its Parquet field id is the DuckLake column id.
 *
 * @param nullable false for NOT NULL columns (written as REQUIRED)
 */
public record WriteColumn(int fieldId, String name, DuckLakeType type, boolean nullable) {}
