package dev.mallard.engine.parquet;

import dev.mallard.engine.Uuids;
import dev.mallard.engine.storage.FileIO;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes DuckLake positional delete files as DuckDB 1.5.5 does: {@code file_path} (BYTE_ARRAY
 * STRING, field id 2147483646), {@code pos} (INT64, 2147483645) and, when the deletes of several
 * snapshots are merged into one file, {@code _ducklake_internal_snapshot_id} (INT64, 2147483539);
 * all OPTIONAL as in DuckDB's files, never NULL; SNAPPY; one row group. The file holds the complete
 * set of deleted positions of one data file (ducklake-format.md §4.6).
 */
public final class DeleteFileWriter {
  static final int FILE_PATH_FIELD_ID = 2147483646;
  static final int POS_FIELD_ID = 2147483645;
  /** DuckDB's row group size: a delete file of more positions gets several row groups, as DuckDB's would. */
  private static final int ROW_GROUP_SIZE = WriterOptions.DEFAULT_ROW_GROUP_SIZE;

  private DeleteFileWriter() {}

  /** A new delete file name, {@code ducklake-<uuid v7>-delete.parquet}, as DuckDB names them. */
  public static String newFileName() {
    return "ducklake-" + Uuids.v7() + "-delete.parquet";
  }

  /**
   * Writes a delete file.
   *
   * @param location the new file's absolute location (see {@link #newFileName()})
   * @param dataFilePath the data file's absolute path, stored in every row (informational)
   * @param positions the deleted row positions of the data file, strictly increasing
   * @param snapshotIds the snapshot that deleted each position, or null for the two-column form
   */
  public static WrittenDeleteFile write(FileIO io, String location, String dataFilePath, long[] positions,
      long[] snapshotIds) {
    check(positions, snapshotIds);
    List<Type> fields = new ArrayList<>(List.of(
        Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).id(FILE_PATH_FIELD_ID)
            .named("file_path"),
        Types.optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.intType(64, true)).id(POS_FIELD_ID)
            .named("pos")));
    if (snapshotIds != null) {
      fields.add(Types.optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.intType(64, true))
          .id(ReadColumn.SNAPSHOT_ID_FIELD_ID).named(DeleteFileReader.SNAPSHOT_COLUMN));
    }
    MessageType schema = new MessageType("duckdb_schema", fields);
    ParquetProperties properties = ParquetProperties.builder().build();
    ParquetFileSink sink = ParquetFileSink.create(io, location, schema, properties,
        Codecs.INSTANCE.getCompressor(CompressionCodecName.SNAPPY));
    try {
      Binary path = Binary.fromConstantByteArray(dataFilePath.getBytes(StandardCharsets.UTF_8));
      ColumnWriter[] writers = writers(sink, fields.size());
      for (int i = 0; i < positions.length; i++) {
        writers[0].write(path, 0, 1);
        writers[1].write(positions[i], 0, 1);
        if (snapshotIds != null) {
          writers[2].write(snapshotIds[i], 0, 1);
        }
        sink.endRecord();
        if (sink.rowsInGroup() >= ROW_GROUP_SIZE) {
          sink.flushRowGroup();
          writers = writers(sink, fields.size());
        }
      }
      ParquetFileSink.Closed closed = sink.close();
      return new WrittenDeleteFile(location, positions.length, closed.fileSizeBytes(), closed.footerSize());
    } catch (RuntimeException e) {
      sink.abort();
      try {
        io.delete(location);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static ColumnWriter[] writers(ParquetFileSink sink, int n) {
    ColumnWriter[] writers = new ColumnWriter[n];
    for (int i = 0; i < n; i++) {
      writers[i] = sink.columnWriter(i);
    }
    return writers;
  }

  /** DuckDB's reader requires strictly increasing, non-negative positions; refuse anything else up front. */
  private static void check(long[] positions, long[] snapshotIds) {
    if (positions.length == 0) {
      throw new IllegalArgumentException("a delete file needs at least one position");
    }
    if (snapshotIds != null && snapshotIds.length != positions.length) {
      throw new IllegalArgumentException(positions.length + " positions but " + snapshotIds.length + " snapshot ids");
    }
    for (int i = 0; i < positions.length; i++) {
      if (positions[i] < 0 || (i > 0 && positions[i] <= positions[i - 1])) {
        throw new IllegalArgumentException("positions must be non-negative and strictly increasing; position " + i
            + " is " + positions[i] + (i > 0 ? " after " + positions[i - 1] : ""));
      }
    }
  }
}
