package dev.mallard.engine.parquet;

import dev.mallard.engine.MallardException;
import dev.mallard.engine.MallardException.CatalogException;
import dev.mallard.engine.MallardException.FormatException;
import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.catalog.NameMapping;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.filter2.columnindex.RowRanges;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads one DuckLake data file into Arrow batches: the requested columns, found by Parquet field id
 * (the DuckLake column id; names in a file are the names at write time), converted to the table's
 * current types, with defaults for columns the file predates. Row groups whose footer statistics
 * rule out the filter are skipped without reading their pages.
 *
 * <p>Flat columns are decoded page by page straight into the vectors by {@link PageColumnReader};
 * layouts and encodings it does not cover are decoded with parquet-java's {@link ColumnReader}, value
 * by value, also straight into the vectors: no record assembly, no row objects. Nested columns are rebuilt from their leaves' levels by {@link
 * NestedColumnReader}, whose leaves use the same {@link ColumnDecoder}s.
 */
public final class ParquetDataReader implements AutoCloseable {
  private final ParquetFileReader reader;
  private final String location;
  private final List<ReadColumn> columns;
  private final ColumnSource[] sources;
  private final MessageType requestedSchema;
  private final Map<Integer, RowGroupStats.StatsColumn> statsColumns;
  private final Map<Integer, Type> fileFields;
  private final RowGroupFilter rowGroupFilter;
  private final BufferAllocator allocator;
  private final int batchRows;
  private final List<BlockMetaData> blocks;
  private final String createdBy;

  private int nextBlock;
  private long nextBlockStart;
  private long position;
  private long rowsLeftInGroup;
  private ColumnReader[] readers;
  /** Per requested file column: whether the current row group's chunk is read by its page reader. */
  private boolean[] pageDecoded;
  private final boolean pageDecoding;
  private long chunksPageDecoded;
  private long rowGroupsRead;
  private long rowGroupsSkipped;
  /** The chunks of every file column read, when all are decoded page by page; else null (no page skipping). */
  private final Set<ColumnPath> pageSkippablePaths;
  /** The row ranges of the current row group to read, when its page indexes ruled out the rest; else null. */
  private List<RowRanges.Range> keptRanges;
  private int keptRange;
  private long groupRows;
  private long pagesSkipped;
  private long splitStart = 0;
  private long splitEnd = Long.MAX_VALUE;
  /** Decides each batch's live rows; null when every row read is live. */
  private RowSelector selector;
  /** Per requested column: whether the selector reads it (so it is decoded before the selector runs). */
  private boolean[] selectorReads;
  private final boolean lateMaterialization = lateMaterialization();
  private long lateValuesSkipped;

  /** Decides which rows of a batch stay live, by {@link Batch#retain}: deletes, filters. */
  @FunctionalInterface
  public interface RowSelector {
    void select(Batch batch);
  }

  /** Where a requested column's values come from: a file column or one constant for the whole file. */
  private sealed interface ColumnSource permits FileColumn, Constant, NestedColumn, VariantColumn {}

  /**
   * A flat file column: decoded page by page by {@code pages} where it covers the layout and the
   * chunk's encodings (see {@link PageColumnReader}), else value by value through {@code decoder}.
   */
  private record FileColumn(int readerIndex, ColumnDescriptor descriptor, ColumnDecoder decoder,
      PageColumnReader pages) implements ColumnSource {}

  private record Constant(Object value) implements ColumnSource {}

  private record NestedColumn(NestedColumnReader reader) implements ColumnSource {}

  private record VariantColumn(VariantColumnReader reader) implements ColumnSource {}

  private ParquetDataReader(ParquetFileReader reader, String location, List<ReadColumn> columns,
      NameMapping mapping, RowGroupFilter rowGroupFilter, BufferAllocator allocator, int batchRows,
      boolean pageDecoding) {
    this.reader = reader;
    this.pageDecoding = pageDecoding;
    this.location = location;
    this.columns = List.copyOf(columns);
    this.rowGroupFilter = rowGroupFilter == null ? RowGroupFilter.ALL : rowGroupFilter;
    this.allocator = allocator;
    this.batchRows = batchRows;
    this.blocks = reader.getRowGroups();
    this.createdBy = reader.getFileMetaData().getCreatedBy();

    MessageType schema = reader.getFileMetaData().getSchema();
    Map<Integer, String> hiveValues = Map.of();
    if (mapping != null && (!mapping.positional() || !ParquetFiles.hasAnyFieldId(schema))) {
      NameMappedSchema mapped = NameMappedSchema.map(schema, mapping, location);
      schema = mapped.schema();
      hiveValues = mapped.hiveValues();
    }
    this.fileFields = topLevelFieldsById(schema, location);
    this.sources = new ColumnSource[columns.size()];
    this.statsColumns = new HashMap<>();
    List<Type> requested = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      ReadColumn column = columns.get(i);
      for (int j = 0; j < i; j++) {
        if (columns.get(j).fieldId() == column.fieldId()) {
          // one Parquet column is decoded once; the caller can copy the vector if it needs two
          throw new IllegalArgumentException("field id " + column.fieldId() + " requested twice");
        }
      }
      NestedColumnReader.arrowField(column); // fails early on types without a vector form
      if (hiveValues.containsKey(column.fieldId())) {
        sources[i] = new Constant(hiveValue(column, hiveValues.get(column.fieldId())));
        continue;
      }
      Type field = fileFields.get(column.fieldId());
      if (field == null) {
        sources[i] = new Constant(missingValue(column));
        continue;
      }
      if (column.type().kind().isNested()) {
        sources[i] = new NestedColumn(new NestedColumnReader(column, field, schema, location));
        requested.add(field);
        continue;
      }
      if (column.type().kind() == TypeKind.VARIANT) {
        sources[i] = new VariantColumn(new VariantColumnReader(column, field, location));
        requested.add(field);
        continue;
      }
      PrimitiveType primitive = primitiveColumn(field, column);
      ColumnDecoder decoder = ColumnDecoders.create(primitive, column.type());
      if (decoder == null) {
        throw new FormatException("Column '" + column.name() + "' (field id " + column.fieldId() + ") of " + location
            + " is stored as " + describe(primitive) + ", which cannot hold values of type " + column.type());
      }
      ColumnDescriptor descriptor = schema.getColumnDescription(new String[] {field.getName()});
      PageColumnReader pages = pageDecoding
          ? PageColumnReader.create(primitive, column.type(), decoder, descriptor.getMaxDefinitionLevel()) : null;
      sources[i] = new FileColumn(requested.size(), descriptor, decoder, pages);
      requested.add(field);
      statsColumns.put(column.fieldId(), new RowGroupStats.StatsColumn(ColumnPath.get(field.getName()), decoder,
          RowGroupStats.isFloatingPoint(primitive.getPrimitiveTypeName())));
    }
    this.requestedSchema = new MessageType(schema.getName(), requested);
    this.pageSkippablePaths =
        pageSkippablePaths(pageDecoding && pageSkipping() && this.rowGroupFilter != RowGroupFilter.ALL);
    reader.setRequestedSchema(requestedSchema);
  }

  /**
   * Opens a data file. Nothing but the footer is read here.
   *
   * @param location the file's location, for messages
   * @param rowGroupFilter decides from statistics which row groups to skip; {@link RowGroupFilter#ALL} reads all
   * @param batchRows the most rows per batch
   */
  public static ParquetDataReader open(InputFile file, String location, List<ReadColumn> columns,
      RowGroupFilter rowGroupFilter, BufferAllocator allocator, int batchRows) {
    return open(file, location, columns, null, rowGroupFilter, allocator, batchRows);
  }

  /**
   * Opens a data file registered with {@code ducklake_add_data_files}, whose columns are found by
   * name through its mapping. Nothing but the footer is read here.
   *
   * @param mapping the file's name mapping; null for files DuckLake wrote (columns found by field id); a
   *     {@linkplain NameMapping#byPosition positional} one applies only if the file has no field ids
   */
  public static ParquetDataReader open(InputFile file, String location, List<ReadColumn> columns,
      NameMapping mapping, RowGroupFilter rowGroupFilter, BufferAllocator allocator, int batchRows) {
    return open(file, location, columns, mapping, rowGroupFilter, allocator, batchRows, PAGE_DECODING);
  }

  /**
   * Whether flat columns are decoded page by page ({@link PageColumnReader}); the system property
   * {@code mallard.parquet.pageDecoding=false} turns it off, leaving parquet-java's value-at-a-time
   * column readers for every column (to compare, or to work around a decoding problem).
   */
  static final boolean PAGE_DECODING = !"false".equals(System.getProperty("mallard.parquet.pageDecoding"));

  /**
   * Whether row ranges that the page indexes of a filter's columns rule out are skipped (see {@link
   * PageIndexFilter}); the system property {@code mallard.parquet.pageSkipping=false} turns it off.
   * Applies only where every column read is decoded page by page. Read at each open, so that tests
   * can compare both ways in one JVM.
   */
  static boolean pageSkipping() {
    return !"false".equals(System.getProperty("mallard.parquet.pageSkipping"));
  }

  /**
   * Whether the columns a {@linkplain #selectRows row selector} does not read are decoded only at
   * the rows it keeps (late materialization); the system property {@code
   * mallard.parquet.lateMaterialization=false} turns it off (to compare). Read at each open.
   */
  static boolean lateMaterialization() {
    return !"false".equals(System.getProperty("mallard.parquet.lateMaterialization"));
  }

  /**
   * Has every batch go through {@code selector} before it is returned. The columns it reads are
   * decoded first; the others, where they are flat and decoded page by page, are then decoded only
   * at the rows it kept (late materialization): the other rows of those columns are left NULL, never
   * copied, and their pages never decoded when no row of them is kept. Nested, variant and
   * value-by-value columns, and constants, are always read whole.
   *
   * @param columnsRead the indexes (in the requested columns) of the columns the selector reads
   */
  public void selectRows(RowSelector selector, Set<Integer> columnsRead) {
    if (rowGroupsRead > 0) {
      throw new IllegalStateException("set the row selector before reading");
    }
    this.selector = selector;
    this.selectorReads = new boolean[columns.size()];
    for (int i : columnsRead) {
      selectorReads[i] = true;
    }
  }

  /**
   * As above, choosing the decoding path: {@code pageDecoding} false reads every column value by
   * value (for benchmarks and tests that compare the two).
   */
  public static ParquetDataReader open(InputFile file, String location, List<ReadColumn> columns,
      NameMapping mapping, RowGroupFilter rowGroupFilter, BufferAllocator allocator, int batchRows,
      boolean pageDecoding) {
    if (batchRows <= 0) {
      throw new IllegalArgumentException("batchRows must be positive: " + batchRows);
    }
    ParquetFileReader reader = ParquetFiles.open(file, location);
    try {
      return new ParquetDataReader(reader, location, columns, mapping, rowGroupFilter, allocator, batchRows,
          pageDecoding);
    } catch (RuntimeException e) {
      ParquetFiles.closeQuietly(reader, e);
      throw e;
    }
  }

  /** The next batch, or null after the last one. The caller owns (and closes) the batch. */
  public Batch next() {
    while (true) {
      while (rowsLeftInGroup == 0) {
        if (!nextRowGroup()) {
          return null;
        }
      }
      if (keptRanges == null) {
        break;
      }
      long row = groupRows - rowsLeftInGroup;
      while (keptRange < keptRanges.size() && keptRanges.get(keptRange).to < row) {
        keptRange++;
      }
      long next = keptRange < keptRanges.size() ? Math.max(row, keptRanges.get(keptRange).from) : groupRows;
      if (next > row) {
        skipRows(next - row);
      }
      if (rowsLeftInGroup > 0) {
        break;
      }
    }
    long limit = keptRanges == null ? rowsLeftInGroup
        : keptRanges.get(keptRange).to + 1 - (groupRows - rowsLeftInGroup); // a batch's rows are consecutive
    int rows = (int) Math.min(batchRows, limit);
    VectorSchemaRoot root = newRoot(rows);
    Batch batch = new Batch(root, position);
    try {
      boolean late = selector != null && lateMaterialization;
      for (int i = 0; i < sources.length; i++) {
        if (!late || !decodedLate(i)) {
          fill(i, root.getVector(i), rows);
          noteDictionary(i, batch);
        } else if (root.getVector(i) instanceof BaseVariableWidthVector v) {
          v.setLastSet(rows - 1); // else setRowCount zeroes the offsets that fillSelected then writes
        }
      }
      root.setRowCount(rows);
      if (selector != null) {
        selector.select(batch);
      }
      if (late) {
        for (int i = 0; i < sources.length; i++) {
          if (decodedLate(i)) {
            fillSelected(i, root.getVector(i), rows, batch);
            noteDictionary(i, batch);
          }
        }
        root.setRowCount(rows); // again: variable-width vectors set their data's end from their offsets
      }
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
    position += rows;
    rowsLeftInGroup -= rows;
    return batch;
  }

  /** Skips rows of the current row group that the page indexes ruled out. */
  private void skipRows(long rows) {
    for (ColumnSource source : sources) {
      if (source instanceof FileColumn f) {
        f.pages().skip(rows);
      }
    }
    position += rows;
    rowsLeftInGroup -= rows;
  }

  /**
   * The chunks read, when page skipping is on and every requested column is a flat file column
   * decoded page by page (in every row group, {@link #pageSkippable} checks the encodings) or a
   * constant; else null.
   */
  private Set<ColumnPath> pageSkippablePaths(boolean enabled) {
    if (!enabled || requestedSchema.getFieldCount() == 0) {
      return null;
    }
    Set<ColumnPath> paths = new HashSet<>();
    for (ColumnSource source : sources) {
      if (source instanceof FileColumn f && f.pages() != null) {
        paths.add(ColumnPath.get(f.descriptor().getPath()));
      } else if (!(source instanceof Constant)) {
        return null;
      }
    }
    return paths;
  }

  private boolean pageSkippable(BlockMetaData block) {
    if (pageSkippablePaths == null) {
      return false;
    }
    for (ColumnSource source : sources) {
      if (source instanceof FileColumn f && !pageEncodingsOnly(block, f.descriptor())) {
        return false;
      }
    }
    return true;
  }

  private VectorSchemaRoot newRoot(int rows) {
    List<FieldVector> vectors = new ArrayList<>(columns.size());
    try {
      for (ReadColumn column : columns) {
        Field field = NestedColumnReader.arrowField(column);
        FieldVector vector = field.createVector(allocator);
        vectors.add(vector);
        vector.setInitialCapacity(rows);
        vector.allocateNew();
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return new VectorSchemaRoot(vectors);
  }

  private void fill(int i, FieldVector vector, int rows) {
    ReadColumn column = columns.get(i);
    if (sources[i] instanceof Constant constant) {
      if (constant.value() != null) {
        for (int row = 0; row < rows; row++) {
          VectorValues.set(vector, row, column.type(), constant.value());
        }
      }
      return; // a freshly allocated vector is all NULL
    }
    try {
      if (sources[i] instanceof NestedColumn nested) {
        nested.reader().read(vector, rows);
        return;
      }
      if (sources[i] instanceof VariantColumn variant) {
        variant.reader().read(vector, rows);
        return;
      }
      FileColumn source = (FileColumn) sources[i];
      if (pageDecoded[source.readerIndex()]) {
        try {
          source.pages().read(vector, rows);
        } catch (RuntimeException e) { // its FormatExceptions too: they do not name the column
          throw new FormatException("Cannot read column '" + column.name() + "' (field id " + column.fieldId()
              + ") of " + location + ": " + e.getMessage(), e);
        }
        return;
      }
      source.decoder().read(readers[source.readerIndex()], vector, rows, source.descriptor().getMaxDefinitionLevel());
    } catch (MallardException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new FormatException("Cannot read column '" + column.name() + "' (field id " + column.fieldId() + ") of "
          + location + ": " + e.getMessage(), e);
    }
  }

  /** Tells the batch if the text just read into its vector {@code i} came from a dictionary. */
  private void noteDictionary(int i, Batch batch) {
    if (sources[i] instanceof FileColumn f && pageDecoded[f.readerIndex()]) {
      Batch.Dictionary dictionary = f.pages().dictionaryCodes();
      if (dictionary != null) {
        batch.setDictionary(i, dictionary);
      }
    }
  }

  /** Whether column {@code i} is decoded after the selector ran, at the rows it kept only. */
  private boolean decodedLate(int i) {
    return !selectorReads[i] && sources[i] instanceof FileColumn f && pageDecoded[f.readerIndex()];
  }

  private void fillSelected(int i, FieldVector vector, int rows, Batch batch) {
    try {
      lateValuesSkipped += ((FileColumn) sources[i]).pages().readSelected(vector, rows, batch);
    } catch (RuntimeException e) {
      ReadColumn column = columns.get(i);
      throw new FormatException("Cannot read column '" + column.name() + "' (field id " + column.fieldId() + ") of "
          + location + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads only the row groups whose middle byte lies in {@code [start, end)} (see
   * {@code ScanTask.DataFileTask}); row positions stay those of the whole file.
   */
  public void restrictToByteRange(long start, long end) {
    if (rowGroupsRead > 0 || rowGroupsSkipped > 0) {
      throw new IllegalStateException("restrict the byte range before reading");
    }
    this.splitStart = start;
    this.splitEnd = end;
  }

  private boolean inByteRange(BlockMetaData block) {
    long middle = block.getStartingPos() + block.getCompressedSize() / 2;
    return middle >= splitStart && middle < splitEnd;
  }

  /** Moves to the next row group the filter does not rule out; false at the end of the file. */
  private boolean nextRowGroup() {
    while (nextBlock < blocks.size()) {
      BlockMetaData block = blocks.get(nextBlock++);
      long start = nextBlockStart;
      nextBlockStart += block.getRowCount();
      if (block.getRowCount() == 0 || !inByteRange(block)) {
        reader.skipNextRowGroup(); // parquet-java would skip it silently too; keep our count in step
        continue;
      }
      if (!rowGroupFilter.mightMatch(block.getRowCount(), new RowGroupStats(block, statsColumns))) {
        reader.skipNextRowGroup();
        rowGroupsSkipped++;
        continue;
      }
      PageIndexFilter.Result pages = null;
      if (pageSkippable(block)) {
        try {
          pages = PageIndexFilter.matchingRows(reader, nextBlock - 1, rowGroupFilter, statsColumns,
              pageSkippablePaths);
        } catch (RuntimeException e) {
          throw ParquetFiles.readFailure(location, e);
        }
      }
      if (pages != null && pages.rows().rowCount() == 0) {
        reader.skipNextRowGroup();
        rowGroupsSkipped++;
        pagesSkipped += pages.pagesSkipped();
        continue;
      }
      startRowGroup(block, pages);
      rowGroupsRead++;
      position = start;
      rowsLeftInGroup = block.getRowCount();
      groupRows = block.getRowCount();
      keptRanges = pages == null ? null : pages.rows().getRanges();
      keptRange = 0;
      if (pages != null) {
        pagesSkipped += pages.pagesSkipped();
      }
      return true;
    }
    return false;
  }

  /** Starts reading a row group: all its pages, or only those of the rows in {@code part}. */
  private void startRowGroup(BlockMetaData block, PageIndexFilter.Result part) {
    if (requestedSchema.getFieldCount() == 0) {
      reader.skipNextRowGroup(); // only defaults: the row count is all we need
      readers = new ColumnReader[0];
      pageDecoded = new boolean[0];
      return;
    }
    PageReadStore pages;
    try {
      if (part == null) {
        pages = reader.readNextRowGroup();
      } else {
        pages = reader.readFilteredRowGroup(nextBlock - 1, part.rows());
        reader.skipNextRowGroup(); // keep parquet-java's row group count in step
      }
    } catch (IOException | RuntimeException e) {
      throw ParquetFiles.readFailure(location, e);
    }
    long expectedRows = part == null ? block.getRowCount() : part.rows().rowCount();
    if (pages == null || pages.getRowCount() != expectedRows) {
      throw new FormatException("Row group " + (nextBlock - 1) + " of " + location + " is missing or truncated");
    }
    ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, NoOpConverters.forSchema(requestedSchema),
        requestedSchema, createdBy);
    readers = new ColumnReader[requestedSchema.getFieldCount()];
    pageDecoded = new boolean[requestedSchema.getFieldCount()];
    for (int i = 0; i < sources.length; i++) {
      if (sources[i] instanceof VariantColumn variant) {
        variant.reader().startRowGroup(pages);
      }
      if (sources[i] instanceof NestedColumn nested) {
        try {
          nested.reader().startRowGroup(store);
        } catch (MallardException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new FormatException("Cannot read column '" + columns.get(i).name() + "' of " + location + ": "
              + e.getMessage(), e);
        }
      }
      if (sources[i] instanceof FileColumn f) {
        if (f.pages() != null && pageEncodingsOnly(block, f.descriptor())) {
          PageReader chunk = pages.getPageReader(f.descriptor());
          if (part == null && chunk.getTotalValueCount() != block.getRowCount()) {
            throw new FormatException("Column '" + columns.get(i).name() + "' of " + location + " has "
                + chunk.getTotalValueCount() + " values in a row group of " + block.getRowCount() + " rows");
          }
          try {
            f.pages().startChunk(chunk, chunk.getTotalValueCount());
          } catch (RuntimeException e) {
            throw new FormatException("Cannot read column '" + columns.get(i).name() + "' of " + location + ": "
                + e.getMessage(), e);
          }
          pageDecoded[f.readerIndex()] = true;
          chunksPageDecoded++;
          continue;
        }
        try {
          readers[f.readerIndex()] = store.getColumnReader(f.descriptor());
        } catch (MallardException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new FormatException("Cannot read column '" + columns.get(i).name() + "' of " + location + ": "
              + e.getMessage(), e);
        }
        if (readers[f.readerIndex()].getTotalValueCount() != block.getRowCount()) {
          throw new FormatException("Column '" + columns.get(i).name() + "' of " + location + " has "
              + readers[f.readerIndex()].getTotalValueCount() + " values in a row group of " + block.getRowCount()
              + " rows");
        }
      }
    }
  }

  /** Whether every encoding the footer lists for the column's chunk is one the page reader decodes. */
  private static boolean pageEncodingsOnly(BlockMetaData block, ColumnDescriptor descriptor) {
    ColumnPath path = ColumnPath.get(descriptor.getPath());
    for (ColumnChunkMetaData chunk : block.getColumns()) {
      if (chunk.getPath().equals(path)) {
        return PageColumnReader.ENCODINGS.containsAll(chunk.getEncodings());
      }
    }
    return false;
  }

  private Object missingValue(ReadColumn column) {
    if (column.missingValue() == null) {
      return null;
    }
    try {
      return Values.parse(column.type(), column.missingValue());
    } catch (RuntimeException e) {
      throw new CatalogException("Cannot read the default '" + column.missingValue() + "' of column '"
          + column.name() + "' as " + column.type(), e);
    }
  }

  /** A hive partition value from the file's path, read as DuckDB casts text to the column's type. */
  private Object hiveValue(ReadColumn column, String text) {
    if (text == null) {
      return null;
    }
    try {
      return Values.parse(column.type(), text);
    } catch (RuntimeException e) {
      throw new FormatException("Column '" + column.name() + "' of " + location + " has the hive partition value '"
          + text + "', which cannot be read as " + column.type(), e);
    }
  }

  private PrimitiveType primitiveColumn(Type field, ReadColumn column) {
    if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
      throw new FormatException("Column '" + column.name() + "' (field id " + column.fieldId() + ") of " + location
          + " is nested in the file (" + field + ") but has type " + column.type() + " in the table");
    }
    return field.asPrimitiveType();
  }

  private static String describe(PrimitiveType type) {
    String s = type.getPrimitiveTypeName().toString();
    if (type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
      s += "(" + type.getTypeLength() + ")";
    }
    return type.getLogicalTypeAnnotation() == null ? s : s + " " + type.getLogicalTypeAnnotation();
  }

  /**
   * Top-level columns by field id. DuckLake writes a field id on every column; a file without any
   * was registered from elsewhere ({@code ducklake_add_data_files}) and is read through its name
   * mapping, which gives it ids.
   */
  private static Map<Integer, Type> topLevelFieldsById(MessageType schema, String location) {
    if (!ParquetFiles.hasAnyFieldId(schema)) {
      throw new UnsupportedFeatureException("Data file " + location + " has no Parquet field ids: the catalog gives"
          + " it no name mapping either (ducklake_name_mapping), so its columns cannot be matched to the table's");
    }
    Map<Integer, Type> byId = new HashMap<>();
    for (Type field : schema.getFields()) {
      if (field.getId() != null && byId.put(field.getId().intValue(), field) != null) {
        throw new FormatException("Data file " + location + " has two columns with field id " + field.getId());
      }
    }
    return byId;
  }

  public long rowGroupsRead() {
    return rowGroupsRead;
  }

  public long rowGroupsSkipped() {
    return rowGroupsSkipped;
  }

  /** Data pages never read or decoded because the page indexes ruled out all their rows. */
  public long pagesSkipped() {
    return pagesSkipped;
  }

  /**
   * Values of late-materialized columns (see {@link #selectRows}) never copied because the selector
   * dropped their rows.
   */
  public long lateValuesSkipped() {
    return lateValuesSkipped;
  }

  /** Column chunks read by {@link PageColumnReader} so far (the others went value by value). */
  long chunksPageDecoded() {
    return chunksPageDecoded;
  }

  /** Data pages {@link PageColumnReader} decoded so far. */
  long pagesDecoded() {
    long n = 0;
    for (ColumnSource source : sources) {
      if (source instanceof FileColumn f && f.pages() != null) {
        n += f.pages().pagesRead();
      }
    }
    return n;
  }

  /** Whether the file has a top-level column with this field id. */
  public boolean hasField(int fieldId) {
    return fileFields.containsKey(fieldId);
  }

  /** Rows in the file, from its footer. */
  public long rowCount() {
    long n = 0;
    for (BlockMetaData block : blocks) {
      n += block.getRowCount();
    }
    return n;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new MallardException.StorageException("Cannot close " + location, e);
    }
  }
}
