/**
 * The Parquet read path: DuckLake data files into Arrow batches ({@link
 * dev.mallard.engine.parquet.ParquetDataReader}) and positional delete files into sorted positions
 * ({@link dev.mallard.engine.parquet.DeleteFileReader}), on parquet-java without Hadoop's runtime
 * ({@link dev.mallard.engine.parquet.Codecs}). Flat columns of the common layouts are decoded page
 * by page ({@link dev.mallard.engine.parquet.PageColumnReader}, encodings in {@link
 * dev.mallard.engine.parquet.PageEncodings}); the rest value by value through parquet-java's column
 * readers ({@link dev.mallard.engine.parquet.ColumnDecoder}).
 *
 * <p>Layouts DuckDB 1.5.5 writes (checked with {@code parquet_schema()}), and how they are read:
 *
 * <pre>
 * boolean                 BOOLEAN
 * int8/16/32, uint8/16/32 INT32 with INT(bits, signed)
 * int64, uint64           INT64 with INT(64, signed)
 * int128, uint128         DOUBLE, no annotation: lossy in the file (53 bits); read rounded half-even
 * float32 / float64       FLOAT / DOUBLE
 * decimal(P,S)            INT32 (P<=9), INT64 (P<=18), FIXED_LEN_BYTE_ARRAY(16) (P<=38); BINARY also read
 * varchar / json / blob   BYTE_ARRAY with STRING / JSON / no annotation
 * uuid                    FIXED_LEN_BYTE_ARRAY(16) UUID
 * date                    INT32 DATE (infinities are +-Integer.MAX_VALUE)
 * time                    INT64 TIME(MICROS, local)
 * time_ns                 BYTE_ARRAY STRING: DuckDB's text (the ducklake extension cannot write it at all)
 * timetz                  INT64 TIME(MICROS, UTC): the UTC time; the offset is lost, read as "+00"
 * timestamp_s             INT64 TIMESTAMP(MICROS): whole seconds
 * timestamp_ms / _us / _ns INT64 TIMESTAMP(MILLIS / MICROS / NANOS)
 * timestamptz             INT64 TIMESTAMP(MICROS, UTC)
 * interval                FIXED_LEN_BYTE_ARRAY(12) INTERVAL: months, days, unsigned millis; sub-millisecond
 *                         part lost, and a time part of 2^32 ms (~1193 h) or more wraps modulo 2^32
 * </pre>
 */
package dev.mallard.engine.parquet;
