package dev.mallard.engine.parquet;

import dev.mallard.engine.MallardException;
import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.Uuids;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.storage.FileIO;
import dev.mallard.engine.types.ArrowTypes;
import dev.mallard.engine.types.TypeKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Writes rows into DuckLake data files, laid out as DuckDB 1.5.5's ducklake extension writes them
 * (see package-info for each type), so that DuckDB reads them back as it reads its own, plus the
 * per-column statistics DuckLake records for them in DuckDB's string encodings.
 *
 * <p>Files are named {@code ducklake-<uuid v7>.parquet} inside the given directory. A file is closed
 * at the first row group boundary at or past the target size, and the next rows go to a new one.
 * Every column carries its field id (the DuckLake column id); the root is named
 * {@code duckdb_schema}, as in DuckDB's files. The columns {@code _ducklake_internal_row_id} and
 * {@code _ducklake_internal_snapshot_id} (field ids {@link ReadColumn#ROW_ID_FIELD_ID},
 * {@link ReadColumn#SNAPSHOT_ID_FIELD_ID}, int64) are written last, in that order, as the reference
 * does, wherever they are in the column list.
 *
 * <p>Usage: {@link #open}, {@link #write} any number of batches, then {@link #finish} to get the
 * files to register, or {@link #abort} to delete them. An error while writing leaves the writer
 * failed: only {@link #abort} is allowed then. {@link #close} aborts a writer that was not finished.
 * Not thread-safe.
 */
public final class ParquetDataWriter implements AutoCloseable {
  static final String ROW_ID_NAME = "_ducklake_internal_row_id";
  static final String SNAPSHOT_ID_NAME = DeleteFileReader.SNAPSHOT_COLUMN;

  private enum State { OPEN, FAILED, FINISHED, ABORTED }

  private final FileIO io;
  private final String directory;
  private final WriterOptions options;
  /** In file (schema) order. */
  private final List<ColumnEncoder> encoders;
  private final ColumnEncoder[] encoderArray;
  /** The primitive columns of the file, in schema order: one per flat column, the leaves of nested ones. */
  private final List<ColumnEncoder> leaves = new ArrayList<>();
  private final ArrowType[] vectorTypes;
  private final MessageType schema;
  private final ParquetProperties properties;
  private final BytesInputCompressor compressor;
  private final List<WrittenFile> written = new ArrayList<>();
  /** Every file created, finished or not, for abort. */
  private final List<String> created = new ArrayList<>();

  private State state = State.OPEN;
  private ParquetFileSink sink;
  private String sinkPath;
  private StatsCollector[] stats;

  private ParquetDataWriter(FileIO io, String directory, List<WriteColumn> columns, WriterOptions options) {
    this.io = io;
    this.directory = directory;
    this.options = options;
    this.encoders = encoders(columns);
    this.encoderArray = encoders.toArray(new ColumnEncoder[0]);
    this.vectorTypes = new ArrowType[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      vectorTypes[i] = ArrowTypes.arrowType(columns.get(i).type());
    }
    List<Type> fields = new ArrayList<>();
    ParquetProperties.Builder props = ParquetProperties.builder()
        .withWriterVersion(options.formatVersion() == WriterOptions.FormatVersion.V2
            ? WriterVersion.PARQUET_2_0 : WriterVersion.PARQUET_1_0);
    for (ColumnEncoder encoder : encoders) {
      fields.add(encoder.schemaType());
      leaves.addAll(encoder.leaves());
    }
    this.schema = new MessageType("duckdb_schema", fields);
    for (int i = 0; i < leaves.size(); i++) {
      if (leaves.get(i).newStats() instanceof StatsCollector.None) {
        // DuckDB writes no Parquet statistics for these types (interval, timetz); neither do we
        props.withStatisticsEnabled(String.join(".", schema.getColumns().get(i).getPath()), false);
      }
    }
    this.properties = props.build();
    this.compressor = Codecs.INSTANCE.getCompressor(options.compression().codec(), options.compressionLevel());
  }

  /**
   * Prepares to write rows with these columns into new files in {@code directory}. Nothing is
   * created before the first row.
   *
   * @param directory absolute, ending with '/'
   * @param columns the table's columns at write time, in the order of the batches' vectors,
   *     optionally with the row id and snapshot id columns
   * @throws UnsupportedFeatureException for types Mallard cannot write
   */
  public static ParquetDataWriter open(FileIO io, String directory, List<WriteColumn> columns,
      WriterOptions options) {
    if (!directory.endsWith("/")) {
      throw new IllegalArgumentException("directory must end with '/': " + directory);
    }
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("no columns to write");
    }
    return new ParquetDataWriter(io, directory, List.copyOf(columns), options);
  }

  /** A new data file name, {@code ducklake-<uuid v7>.parquet}, as DuckDB names them. */
  public static String newFileName() {
    return "ducklake-" + Uuids.v7() + ".parquet";
  }

  /** Encoders in file order: the table's columns as given, then row id, then snapshot id. */
  private static List<ColumnEncoder> encoders(List<WriteColumn> columns) {
    Set<Integer> ids = new HashSet<>();
    Set<String> names = new HashSet<>();
    List<ColumnEncoder> encoders = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      WriteColumn c = columns.get(i);
      if (c.fieldId() == ReadColumn.ROW_ID_FIELD_ID || c.fieldId() == ReadColumn.SNAPSHOT_ID_FIELD_ID) {
        if (c.type().kind() != TypeKind.INT64) {
          throw new IllegalArgumentException("Column " + c.name() + " (field id " + c.fieldId() + ") must be int64");
        }
        String name = c.fieldId() == ReadColumn.ROW_ID_FIELD_ID ? ROW_ID_NAME : SNAPSHOT_ID_NAME;
        c = new WriteColumn(c.fieldId(), name, c.type(), false); // the reference's exact names; never NULL
      }
      if (!ids.add(c.fieldId())) {
        throw new IllegalArgumentException("Field id " + c.fieldId() + " appears twice");
      }
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("Column name '" + c.name() + "' appears twice");
      }
      encoders.add(ColumnEncoder.create(c, i));
    }
    // stable sort: table columns keep their order, the internal ones go last (row id first)
    encoders.sort(Comparator.comparingInt(e -> e.column.fieldId() == ReadColumn.ROW_ID_FIELD_ID ? 1
        : e.column.fieldId() == ReadColumn.SNAPSHOT_ID_FIELD_ID ? 2 : 0));
    return encoders;
  }

  /** Writes the batch's selected rows. Its first vectors are the columns, in {@link #open}'s order. */
  public void write(Batch batch) {
    checkState(State.OPEN);
    if (batch.vectors().size() < vectorTypes.length) {
      throw new IllegalArgumentException("batch has " + batch.vectors().size() + " vectors for "
          + vectorTypes.length + " columns");
    }
    FieldVector[] vectors = new FieldVector[encoders.size()];
    for (int i = 0; i < encoders.size(); i++) {
      ColumnEncoder e = encoders.get(i);
      vectors[i] = batch.vector(e.vectorIndex);
      if (!vectors[i].getField().getType().equals(vectorTypes[e.vectorIndex])) {
        throw new IllegalArgumentException("vector " + e.vectorIndex + " is " + vectors[i].getField().getType()
            + ", column '" + e.column.name() + "' (" + e.column.type() + ") needs " + vectorTypes[e.vectorIndex]);
      }
    }
    try {
      int rows = batch.selectedCount();
      for (int i = 0; i < rows; i++) {
        if (sink == null) {
          startFile();
        }
        int row = batch.selectedRow(i);
        for (int c = 0; c < vectors.length; c++) {
          encoderArray[c].write(vectors[c], row);
        }
        sink.endRecord();
        if (sink.rowsInGroup() >= options.rowGroupSize()) {
          // a row group boundary: the only place where DuckDB, too, checks the file size
          endRowGroup();
          if (sink.position() >= options.targetFileSizeBytes()) {
            closeFile();
          }
        }
      }
    } catch (RuntimeException e) {
      state = State.FAILED;
      throw e;
    }
  }

  /** Closes the current file; returns every file written, in order. The writer is done after this. */
  public List<WrittenFile> finish() {
    checkState(State.OPEN);
    try {
      if (sink != null) {
        closeFile();
      }
    } catch (RuntimeException e) {
      state = State.FAILED;
      throw e;
    }
    state = State.FINISHED;
    return List.copyOf(written);
  }

  /** Deletes every file written so far, finished or not (best effort: failures are suppressed). */
  public void abort() {
    if (state == State.ABORTED) {
      return;
    }
    state = State.ABORTED;
    if (sink != null) {
      sink.abort();
      sink = null;
    }
    for (String path : created) {
      try {
        io.delete(path);
      } catch (RuntimeException e) {
        // best effort: an orphan file is harmless, DuckLake's orphan cleanup removes it
      }
    }
  }

  /** Aborts unless {@link #finish} succeeded. */
  @Override
  public void close() {
    if (state != State.FINISHED) {
      abort();
    }
  }

  private void checkState(State expected) {
    if (state != expected) {
      throw new IllegalStateException("writer is " + state.name().toLowerCase() + (state == State.FAILED
          ? " after an error; abort it" : ""));
    }
  }

  private void startFile() {
    String path = directory + newFileName();
    created.add(path);
    sink = ParquetFileSink.create(io, path, schema, properties, compressor);
    sinkPath = path;
    stats = new StatsCollector[leaves.size()];
    for (int c = 0; c < leaves.size(); c++) {
      stats[c] = leaves.get(c).newStats();
      leaves.get(c).stats = stats[c];
    }
    bindWriters();
  }

  private void bindWriters() {
    for (int c = 0; c < leaves.size(); c++) {
      leaves.get(c).writer = sink.columnWriter(c);
    }
  }

  private void endRowGroup() {
    sink.flushRowGroup();
    for (StatsCollector s : stats) {
      s.endRowGroup();
    }
    bindWriters();
  }

  /** Writes the buffered rows as the last row group, then the footer. */
  private void closeFile() {
    if (sink.rowsInGroup() > 0) {
      for (StatsCollector s : stats) {
        s.endRowGroup();
      }
    }
    ParquetFileSink.Closed closed = sink.close();
    long[] sizes = closed.columnSizes(leaves.size());
    Map<Integer, FileColumnStats> byId = new LinkedHashMap<>();
    for (int c = 0; c < leaves.size(); c++) {
      // a variant's two leaves share its field id: one row of statistics, both leaves' counts and sizes
      byId.merge(leaves.get(c).column.fieldId(), stats[c].result(sizes[c]), (a, b) -> new FileColumnStats(
          a.columnSizeBytes() + b.columnSizeBytes(), a.valueCount() + b.valueCount(), a.nullCount() + b.nullCount(),
          null, null, null));
    }
    written.add(new WrittenFile(sinkPath, sink.rowCount(), closed.fileSizeBytes(), closed.footerSize(), byId));
    sink = null;
    sinkPath = null;
  }

  /** For tests: the Parquet schema files get. */
  MessageType schema() {
    return schema;
  }
}
