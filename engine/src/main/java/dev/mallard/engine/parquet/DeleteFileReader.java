package dev.mallard.engine.parquet;

import dev.mallard.engine.MallardException;
import dev.mallard.engine.MallardException.FormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads a DuckLake delete file: puffin deletion vectors ({@link PuffinDeletionVectors}) or a positional Parquet delete file: {@code file_path VARCHAR, pos BIGINT} and, in files
 * that merged deletes of several snapshots, a third {@code _ducklake_internal_snapshot_id BIGINT}
 * telling which snapshot deleted each position. Like the reference reader, columns are checked by
 * position and type; a third column of another name (Iceberg's {@code row}) is ignored.
 */
public final class DeleteFileReader {
  static final String SNAPSHOT_COLUMN = "_ducklake_internal_snapshot_id";

  private DeleteFileReader() {}

  /**
   * The positions deleted as of {@code snapshotId}, sorted ascending without duplicates. Without a
   * snapshot column every position counts; with it only those deleted at or before the snapshot.
   *
   * @param format the delete file's {@code ducklake_delete_file.format}: {@code parquet} or {@code puffin}
   */
  public static long[] deletedPositions(InputFile file, String location, String format, long snapshotId) {
    if (isPuffin(format, location)) {
      long[][] positions = {new long[16]};
      int[] n = {0};
      PuffinDeletionVectors.read(readAll(file, location), location, snapshotId, (position, snapshot) -> {
        if (n[0] == positions[0].length) {
          positions[0] = Arrays.copyOf(positions[0], n[0] * 2);
        }
        positions[0][n[0]++] = position;
      });
      return sortedDistinct(positions[0], n[0]);
    }
    ParquetFileReader reader = ParquetFiles.open(file, location);
    try (reader) {
      return read(reader, location, snapshotId);
    } catch (MallardException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw ParquetFiles.readFailure(location, e);
    }
  }

  /** Whether a delete file is a puffin deletion vector file; refuses formats DuckLake does not know. */
  private static boolean isPuffin(String format, String location) {
    if (format == null || format.equalsIgnoreCase("parquet")) {
      return false;
    }
    if (format.equalsIgnoreCase(PuffinDeletionVectors.FORMAT)) {
      return true;
    }
    throw new MallardException.UnsupportedFeatureException("Delete file " + location + " has the format '" + format
        + "'; Mallard reads parquet and puffin delete files");
  }

  private static byte[] readAll(InputFile file, String location) {
    try (var in = file.newStream()) {
      long length = file.getLength();
      if (length > Integer.MAX_VALUE - 8) {
        throw new FormatException("Deletion vector file " + location + " is larger than 2 GB");
      }
      byte[] bytes = new byte[(int) length];
      in.readFully(bytes);
      return bytes;
    } catch (IOException e) {
      throw ParquetFiles.readFailure(location, e);
    }
  }

  /**
   * Every position of a delete file with the snapshot that deleted it, for writing the file that
   * replaces it; positions without a snapshot column get {@code fileSnapshot} (the file's
   * {@code begin_snapshot}). Positions are sorted ascending without duplicates.
   */
  public static Deletions deletions(InputFile file, String location, String format, long fileSnapshot) {
    if (isPuffin(format, location)) {
      TreeMap<Long, Long> bySnapshot = new TreeMap<>();
      PuffinDeletionVectors.read(readAll(file, location), location, Long.MAX_VALUE, (position, snapshot) ->
          bySnapshot.merge(position, snapshot == null ? fileSnapshot : snapshot, Math::min));
      return deletions(bySnapshot);
    }
    ParquetFileReader reader = ParquetFiles.open(file, location);
    try (reader) {
      TreeMap<Long, Long> bySnapshot = new TreeMap<>();
      read(reader, location, Long.MAX_VALUE, (position, snapshot) ->
          bySnapshot.merge(position, snapshot == null ? fileSnapshot : snapshot, Math::min));
      return deletions(bySnapshot);
    } catch (MallardException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw ParquetFiles.readFailure(location, e);
    }
  }

  private static Deletions deletions(TreeMap<Long, Long> bySnapshot) {
    long[] positions = new long[bySnapshot.size()];
    long[] snapshots = new long[bySnapshot.size()];
    int i = 0;
    for (Map.Entry<Long, Long> e : bySnapshot.entrySet()) {
      positions[i] = e.getKey();
      snapshots[i++] = e.getValue();
    }
    return new Deletions(positions, snapshots);
  }

  /** Deleted positions and, for each, the snapshot that deleted it. */
  public record Deletions(long[] positions, long[] snapshotIds) {}

  interface DeletionSink {
    void accept(long position, Long snapshot);
  }

  private static long[] read(ParquetFileReader reader, String location, long snapshotId) throws IOException {
    long[][] positions = {new long[16]};
    int[] n = {0};
    read(reader, location, snapshotId, (position, snapshot) -> {
      if (n[0] == positions[0].length) {
        positions[0] = Arrays.copyOf(positions[0], n[0] * 2);
      }
      positions[0][n[0]++] = position;
    });
    return sortedDistinct(positions[0], n[0]);
  }

  private static void read(ParquetFileReader reader, String location, long snapshotId, DeletionSink sink)
      throws IOException {
    MessageType schema = reader.getFileMetaData().getSchema();
    List<Type> fields = schema.getFields();
    if (fields.size() < 2 || fields.size() > 3 || !isString(fields.get(0)) || !isInt64(fields.get(1))) {
      throw new FormatException("Delete file " + location + " is not (file_path VARCHAR, pos BIGINT"
          + "[, " + SNAPSHOT_COLUMN + " BIGINT]): " + schema);
    }
    boolean hasSnapshots = fields.size() == 3 && fields.get(2).getName().equals(SNAPSHOT_COLUMN);
    if (hasSnapshots && !isInt64(fields.get(2))) {
      throw new FormatException("Column " + SNAPSHOT_COLUMN + " of delete file " + location + " is not a BIGINT");
    }
    List<Type> requested = new ArrayList<>(List.of(fields.get(1)));
    if (hasSnapshots) {
      requested.add(fields.get(2));
    }
    MessageType requestedSchema = new MessageType(schema.getName(), requested);
    reader.setRequestedSchema(requestedSchema);
    ColumnDescriptor posColumn = requestedSchema.getColumns().get(0);
    ColumnDescriptor snapshotColumn = hasSnapshots ? requestedSchema.getColumns().get(1) : null;

    PageReadStore pages;
    while ((pages = reader.readNextRowGroup()) != null) {
      ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, NoOpConverters.forSchema(requestedSchema),
          requestedSchema, reader.getFileMetaData().getCreatedBy());
      ColumnReader pos = store.getColumnReader(posColumn);
      ColumnReader snapshots = hasSnapshots ? store.getColumnReader(snapshotColumn) : null;
      long rows = pages.getRowCount();
      if (pos.getTotalValueCount() != rows || (snapshots != null && snapshots.getTotalValueCount() != rows)) {
        throw new FormatException("Delete file " + location + " has a truncated row group");
      }
      for (long row = 0; row < rows; row++) {
        if (pos.getCurrentDefinitionLevel() < posColumn.getMaxDefinitionLevel()) {
          throw new FormatException("Delete file " + location + " has a NULL position");
        }
        long position = pos.getLong();
        pos.consume();
        Long deletedAt = null;
        if (snapshots != null) {
          // As in the reference: a position without its snapshot cannot be placed in time.
          if (snapshots.getCurrentDefinitionLevel() < snapshotColumn.getMaxDefinitionLevel()) {
            throw new FormatException("Delete file " + location + " has a NULL " + SNAPSHOT_COLUMN);
          }
          deletedAt = snapshots.getLong();
          snapshots.consume();
        }
        if (deletedAt == null || deletedAt <= snapshotId) {
          sink.accept(position, deletedAt);
        }
      }
    }
  }

  /** The reference writes positions in ascending order; sorting anyway costs little and guarantees it. */
  private static long[] sortedDistinct(long[] positions, int n) {
    long[] result = Arrays.copyOf(positions, n);
    Arrays.sort(result);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (distinct == 0 || result[distinct - 1] != result[i]) {
        result[distinct++] = result[i];
      }
    }
    return distinct == n ? result : Arrays.copyOf(result, distinct);
  }

  private static boolean isString(Type type) {
    if (!type.isPrimitive() || type.isRepetition(Type.Repetition.REPEATED)) {
      return false;
    }
    LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
    return type.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY
        && (a == null || a instanceof StringLogicalTypeAnnotation);
  }

  private static boolean isInt64(Type type) {
    if (!type.isPrimitive() || type.isRepetition(Type.Repetition.REPEATED)) {
      return false;
    }
    LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
    return type.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT64
        && (a == null || (a instanceof IntLogicalTypeAnnotation i && i.isSigned() && i.getBitWidth() == 64));
  }
}
