package dev.mallard.engine.catalog;

/**
 * A catalog table holding rows of a DuckLake table inline ({@code ducklake_inlined_data_<t>_<v>}),
 * written while the table had schema version {@code schemaVersion}.
 */
public record InlinedDataTable(long tableId, String name, long schemaVersion) {}
