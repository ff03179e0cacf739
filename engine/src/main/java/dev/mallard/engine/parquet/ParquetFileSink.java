package dev.mallard.engine.parquet;

import dev.mallard.engine.MallardException;
import dev.mallard.engine.MallardException.StorageException;
import dev.mallard.engine.storage.FileIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;

/**
 * One Parquet file being written with parquet-java's low-level API, the way its own record writer
 * drives it ({@code InternalParquetRecordWriter}), but with row groups cut by row count, as DuckDB
 * does, and without Hadoop: {@link ParquetFileWriter} for the file, a {@link ColumnChunkPageWriteStore}
 * and a {@link ColumnWriteStore} per row group, compression by {@link Codecs}. Values go to the
 * column writers of the current row group; {@link #endRecord()} after each row.
 */
final class ParquetFileSink {
  /** What a closed file is. */
  record Closed(long fileSizeBytes, long footerSize, ParquetMetadata footer) {
    /** Compressed bytes of each column over all row groups (DuckLake's {@code column_size_bytes}). */
    long[] columnSizes(int columns) {
      long[] sizes = new long[columns];
      for (BlockMetaData block : footer.getBlocks()) {
        for (int c = 0; c < columns; c++) {
          sizes[c] += block.getColumns().get(c).getTotalSize();
        }
      }
      return sizes;
    }
  }

  private final String location;
  private final MessageType schema;
  private final List<ColumnDescriptor> descriptors;
  private final ParquetProperties properties;
  private final BytesInputCompressor compressor;
  private final FooterPatchingOutputFile output;
  private final ParquetFileWriter fileWriter;
  private ColumnChunkPageWriteStore pageStore;
  private ColumnWriteStore columnStore;
  private long rowsInGroup;
  private long rowCount;

  private ParquetFileSink(String location, MessageType schema, ParquetProperties properties,
      BytesInputCompressor compressor, FooterPatchingOutputFile output, ParquetFileWriter fileWriter) {
    this.location = location;
    this.schema = schema;
    this.descriptors = schema.getColumns();
    this.properties = properties;
    this.compressor = compressor;
    this.output = output;
    this.fileWriter = fileWriter;
  }

  /** Creates the file (failing if it exists) and writes its header. */
  static ParquetFileSink create(FileIO io, String location, MessageType schema, ParquetProperties properties,
      BytesInputCompressor compressor) {
    FooterPatchingOutputFile output = new FooterPatchingOutputFile(io.newOutputFile(location));
    ParquetFileWriter writer;
    try {
      writer = new ParquetFileWriter(output, schema, ParquetFileWriter.Mode.CREATE, 0, 0, null, properties);
      writer.start();
    } catch (IOException | RuntimeException e) {
      output.closeQuietly(e);
      throw failure("Cannot create", location, e);
    }
    ParquetFileSink sink = new ParquetFileSink(location, schema, properties, compressor, output, writer);
    sink.startRowGroup();
    return sink;
  }

  private void startRowGroup() {
    pageStore = ColumnChunkPageWriteStore.builder()
        .withSchema(schema)
        .withCompressorProvider(column -> compressor)
        .withAllocator(properties.getAllocator())
        .withColumnIndexTruncateLength(properties.getColumnIndexTruncateLength())
        .withPageWriteChecksumEnabled(properties.getPageWriteChecksumEnabled())
        .build();
    columnStore = properties.newColumnWriteStore(schema, pageStore, pageStore);
    rowsInGroup = 0;
  }

  /** The writer of column {@code i} (schema order) in the current row group. */
  ColumnWriter columnWriter(int i) {
    return columnStore.getColumnWriter(descriptors.get(i));
  }

  void endRecord() {
    columnStore.endRecord();
    rowsInGroup++;
    rowCount++;
  }

  long rowsInGroup() {
    return rowsInGroup;
  }

  long rowCount() {
    return rowCount;
  }

  /** Bytes written so far: the file's size without the row group being buffered and the footer. */
  long position() {
    try {
      return fileWriter.getPos();
    } catch (IOException e) {
      throw failure("Cannot write", location, e);
    }
  }

  /**
   * Writes the buffered rows as a row group and starts the next one; the column writers change, so
   * callers fetch them again. Does nothing without buffered rows.
   */
  void flushRowGroup() {
    if (rowsInGroup > 0) {
      writeRowGroup();
      startRowGroup();
    }
  }

  private void writeRowGroup() {
    try {
      fileWriter.startBlock(rowsInGroup);
      columnStore.flush();
      pageStore.flushToFileWriter(fileWriter);
      fileWriter.endBlock();
    } catch (IOException e) {
      throw failure("Cannot write", location, e);
    } finally {
      releaseStores();
    }
  }

  private void releaseStores() {
    if (columnStore != null) {
      columnStore.close();
      pageStore.close();
      columnStore = null;
      pageStore = null;
    }
  }

  /** Writes the last row group and the footer, and closes the file, which makes it visible. */
  Closed close() {
    if (rowsInGroup > 0) {
      writeRowGroup();
    } else {
      releaseStores();
    }
    try {
      output.holdFooter();
      // DuckDB writes no key-value metadata, and needs none to read a file
      fileWriter.end(Map.of());
    } catch (IOException e) {
      throw failure("Cannot write", location, e);
    }
    return new Closed(output.position(), output.footerLength(), fileWriter.getFooter());
  }

  /** Stops writing; the caller deletes whatever the store left under the file's name. */
  void abort() {
    try {
      releaseStores();
    } catch (RuntimeException e) {
      // the buffered pages are dropped anyway
    }
    output.closeQuietly(null);
  }

  private static MallardException failure(String what, String location, Exception e) {
    if (e instanceof MallardException m) {
      return m;
    }
    return new StorageException(what + " " + location + ": " + e.getMessage(), e);
  }

  /**
   * An output file that holds back the end of the file: everything parquet-java writes from
   * {@link #holdFooter()} on (page indexes, footer, footer length, magic) is buffered and, when the
   * stream closes, written out with the footer corrected by {@link #patchFooter}. The footer's
   * length is recorded on the way, as DuckLake needs it ({@code footer_size}).
   */
  private static final class FooterPatchingOutputFile implements OutputFile {
    private final OutputFile delegate;
    private ByteArrayOutputStream held;
    private long position;
    private long footerLength = -1;
    private PositionOutputStream stream;

    FooterPatchingOutputFile(OutputFile delegate) {
      this.delegate = delegate;
    }

    /** From now on, bytes are held until the stream closes. */
    void holdFooter() {
      held = new ByteArrayOutputStream();
    }

    long position() {
      return position;
    }

    long footerLength() {
      return footerLength;
    }

    void closeQuietly(Exception pending) {
      if (stream == null) {
        return;
      }
      held = null; // an abandoned file gets no footer
      try {
        stream.close();
      } catch (IOException | RuntimeException e) {
        if (pending != null) {
          pending.addSuppressed(e);
        }
      }
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
      return wrap(delegate.create(blockSizeHint));
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
      return wrap(delegate.createOrOverwrite(blockSizeHint));
    }

    private PositionOutputStream wrap(PositionOutputStream out) {
      stream = new PositionOutputStream() {
        private boolean closed;

        @Override
        public long getPos() {
          return position; // what parquet-java records as offsets: the held bytes count too
        }

        @Override
        public void write(int b) throws IOException {
          if (held != null) {
            held.write(b);
          } else {
            out.write(b);
          }
          position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          if (held != null) {
            held.write(b, off, len);
          } else {
            out.write(b, off, len);
          }
          position += len;
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          if (closed) {
            return;
          }
          closed = true;
          try {
            if (held != null) {
              writeHeld(out);
            }
          } finally {
            out.close();
          }
        }
      };
      return stream;
    }

    /** The held bytes are page indexes, then the footer, its length (4 bytes LE) and the magic. */
    private void writeHeld(PositionOutputStream out) throws IOException {
      byte[] bytes = held.toByteArray();
      held = null;
      int n = bytes.length;
      int length = (bytes[n - 8] & 0xff) | (bytes[n - 7] & 0xff) << 8 | (bytes[n - 6] & 0xff) << 16
          | (bytes[n - 5] & 0xff) << 24;
      int footerStart = n - 8 - length;
      FileMetaData footer = Util.readFileMetaData(new ByteArrayInputStream(bytes, footerStart, length));
      ByteArrayOutputStream patched = new ByteArrayOutputStream();
      Util.writeFileMetaData(patchFooter(footer), patched);
      out.write(bytes, 0, footerStart);
      patched.writeTo(out);
      BytesUtils.writeIntLittleEndian(out, patched.size());
      out.write(ParquetFileWriter.MAGIC);
      footerLength = patched.size();
      position = position - length + patched.size();
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }

    @Override
    public String getPath() {
      return delegate.getPath();
    }
  }

  /**
   * Corrects what parquet-java writes but DuckDB reads differently:
   *
   * <ul>
   *   <li>For an INTERVAL column (converted type INTERVAL) parquet-java adds the logical type
   *       UNKNOWN (Parquet has no interval logical type), which DuckDB takes for "always NULL".
   *       DuckDB writes the converted type alone.
   *   <li>For a FLOAT or DOUBLE chunk holding NaN, parquet-java writes min/max of the other values
   *       and a {@code nan_count}, which DuckDB ignores: it would skip the chunk for {@code x > max}
   *       although NaN is greater than every number in DuckDB. DuckDB writes no min/max for such
   *       chunks; neither do we.
   * </ul>
   */
  static FileMetaData patchFooter(FileMetaData footer) {
    for (SchemaElement element : footer.getSchema()) {
      if (element.isSetConverted_type() && element.getConverted_type() == ConvertedType.INTERVAL
          && element.isSetLogicalType() && element.getLogicalType().isSetUNKNOWN()) {
        element.unsetLogicalType();
      }
    }
    for (RowGroup rowGroup : footer.getRow_groups()) {
      for (ColumnChunk chunk : rowGroup.getColumns()) {
        ColumnMetaData meta = chunk.getMeta_data();
        boolean floating = meta.getType() == Type.FLOAT || meta.getType() == Type.DOUBLE;
        Statistics stats = meta.isSetStatistics() ? meta.getStatistics() : null;
        if (floating && stats != null && (!stats.isSetNan_count() || stats.getNan_count() > 0)) {
          stats.unsetMin();
          stats.unsetMax();
          stats.unsetMin_value();
          stats.unsetMax_value();
        }
      }
    }
    return footer;
  }
}
