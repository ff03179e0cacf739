package dev.mallard.engine.catalog;

/**
 * How a value is bound into a column of an inlined data table, which each catalog database types
 * differently (see {@link Dialect#inlinedColumnType}).
 */
public enum InlinedBinding {
  /** {@code setLong}; booleans as 1 and 0. */
  INTEGER,
  /** {@code setBoolean}, into a real boolean column. */
  BOOLEAN,
  /** {@code setBytes} of the value's bytes. */
  BLOB,
  /** {@code setBytes} of DuckDB's text as UTF-8 (PostgreSQL keeps VARCHAR and JSON as bytea). */
  UTF8_BYTES,
  /** {@code setString} of DuckDB's text, which the database converts to the column's type. */
  TEXT,
  /** {@code setString} of the instant as a UTC date-time without offset (MySQL's DATETIME). */
  UTC_DATETIME
}
