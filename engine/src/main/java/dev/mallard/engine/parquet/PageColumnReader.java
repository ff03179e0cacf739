package dev.mallard.engine.parquet;

import static dev.mallard.engine.parquet.PageEncodings.INT_LE;
import static dev.mallard.engine.parquet.PageEncodings.LONG_LE;
import static dev.mallard.engine.parquet.PageEncodings.PADDING;

import dev.mallard.engine.MallardException.FormatException;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Values;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes one flat (non-repeated) column chunk page by page straight into Arrow buffers, instead
 * of value by value through parquet-java's {@code ColumnReader}. Each data page's definition levels
 * are decoded whole when the page is reached; its non-NULL values (PLAIN, dictionary, RLE,
 * DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT) into Java
 * arrays when a first row of it is written, and batches are then copied out of them in tight loops.
 * Fixed-width PLAIN and dictionary values are decoded range by range as rows are written, so that
 * {@link #readSelected} (late materialization) reads or looks up only the rows it writes. Decompression is parquet-java's (its page reader
 * decompresses with {@link Codecs}).
 *
 * <p>Only the common layouts are covered ({@link #create} says which); the others, and column
 * chunks with an encoding not listed in {@link #ENCODINGS}, keep the {@link ColumnDecoder} path.
 * String values from a dictionary are copied from the one dictionary array, never materialized
 * per value.
 */
final class PageColumnReader {
  /** The encodings this reader decodes; a column chunk using any other takes the old path. */
  static final Set<Encoding> ENCODINGS = EnumSet.of(Encoding.PLAIN, Encoding.PLAIN_DICTIONARY,
      Encoding.RLE_DICTIONARY, Encoding.RLE, Encoding.BIT_PACKED, Encoding.DELTA_BINARY_PACKED,
      Encoding.DELTA_LENGTH_BYTE_ARRAY, Encoding.DELTA_BYTE_ARRAY, Encoding.BYTE_STREAM_SPLIT);

  /** How stored values become vector values. */
  private enum Sink {
    INT32, // IntVector, DateDayVector: INT32 as it is
    INT8, // TinyIntVector from INT32
    INT16, // SmallIntVector from INT32
    INT64_FROM_INT32, // BigIntVector from signed INT32
    INT64_FROM_UINT32, // BigIntVector from unsigned INT32
    INT64, // BigIntVector from INT64
    TIMESTAMP, // TimeStampVector from INT64, with unit conversion
    DECIMAL_FROM_INT32,
    DECIMAL_FROM_INT64,
    DECIMAL_FROM_FIXED, // big-endian two's complement of at most 16 bytes
    FLOAT32,
    FLOAT64_FROM_FLOAT,
    FLOAT64,
    BOOLEAN,
    BYTES, // VarChar / VarBinary
    UUID_TEXT // FIXED_LEN_BYTE_ARRAY(16) as canonical text
  }

  /** The sinks {@link #writeRange} decodes into straight from a page. */
  private static final Set<Sink> DIRECT_SINKS = EnumSet.of(Sink.INT32, Sink.INT64_FROM_INT32, Sink.INT64,
      Sink.DECIMAL_FROM_INT32, Sink.DECIMAL_FROM_INT64, Sink.FLOAT64);

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final Sink sink;
  private final PrimitiveTypeName physical;
  private final int typeLength;
  private final int maxDefinitionLevel;
  private final UnitConversion timestampConversion;

  private PageReader pages;
  private long valuesLeftInChunk;

  // the dictionary of the current column chunk, decoded
  private int dictionarySize = -1;
  private int[] dictInts;
  private long[] dictLongs;
  private float[] dictFloats;
  private double[] dictDoubles;
  private byte[] dictData;
  private int[] dictStart;
  private int[] dictLen;
  /** The dictionary of a text column chunk, for {@link #dictionaryCodes}. */
  private Batch.TextDictionary textDictionary;
  /**
   * While a text vector is read: each written row's dictionary index (-1 for NULL), as long as every
   * value written came from the dictionary; else null.
   */
  private int[] codes;

  // the current page, decoded: rows [0, pageRows), of which rowCursor are consumed; its row 0 is
  // row pageFirstRow of the row group
  private long pageFirstRow;
  private long nextPageFirstRow; // where the next page starts when it does not say (no offset index)
  private long wantedRow; // the row group's row the next read starts at
  private int pageRows;
  private int rowCursor;
  private int valueCursor;
  private byte[] present; // 1 where the row has a value; null when every row has one
  private int[] ints = new int[0];
  private long[] longs = new long[0];
  private float[] floats = new float[0];
  private double[] doubles = new double[0];
  private byte[] booleans = new byte[0];
  private byte[] binData; // the array binStart / binLen point into
  private int[] binStart = new int[0];
  private int[] binLen = new int[0];

  // scratch
  private int[] levels = new int[0];
  private int[] indices = new int[0];
  private final PageEncodings.LongArray deltas = new PageEncodings.LongArray();
  private final PageEncodings.LongArray deltas2 = new PageEncodings.LongArray();
  private final byte[] uuidText = new byte[36];
  private long varDataEnd;
  private long pagesRead;
  private long pagesDecoded;
  // the current page's values, not decoded yet (pendingBuf null once they are)
  private byte[] pendingBuf;
  private int pendingPos;
  private Encoding pendingEncoding;
  private int pendingValues;
  // the current page's values when they are decoded range by range (rangeBuf null otherwise)
  private byte[] rangeBuf;
  private int rangePos;
  private boolean rangeDictionary;

  private PageColumnReader(Sink sink, PrimitiveType column, int maxDefinitionLevel, UnitConversion timestampConversion) {
    this.sink = sink;
    this.physical = column.getPrimitiveTypeName();
    this.typeLength = column.getTypeLength();
    this.maxDefinitionLevel = maxDefinitionLevel;
    this.timestampConversion = timestampConversion;
  }

  /**
   * A page reader for a flat column read through {@code decoder} (already chosen by {@link
   * ColumnDecoders}), or null when this layout keeps the value-at-a-time path.
   */
  static PageColumnReader create(PrimitiveType column, DuckLakeType type, ColumnDecoder decoder,
      int maxDefinitionLevel) {
    if (maxDefinitionLevel > 1 || column.isRepetition(org.apache.parquet.schema.Type.Repetition.REPEATED)) {
      return null;
    }
    PrimitiveTypeName physical = column.getPrimitiveTypeName();
    Sink sink = null;
    UnitConversion conversion = null;
    if (decoder instanceof IntegerDecoder) {
      boolean unsigned = column.getLogicalTypeAnnotation() instanceof IntLogicalTypeAnnotation i && !i.isSigned();
      if (physical == PrimitiveTypeName.INT32) {
        sink = switch (type.kind()) {
          case INT8 -> Sink.INT8;
          case INT16, UINT8 -> Sink.INT16;
          case INT32, UINT16 -> Sink.INT32;
          case INT64, UINT32 -> unsigned ? Sink.INT64_FROM_UINT32 : Sink.INT64_FROM_INT32;
          default -> null;
        };
      } else if (physical == PrimitiveTypeName.INT64 && !unsigned && type.kind() == dev.mallard.engine.types.TypeKind.INT64) {
        sink = Sink.INT64;
      }
    } else if (decoder instanceof DateDecoder) {
      sink = Sink.INT32;
    } else if (decoder instanceof TimestampDecoder && physical == PrimitiveTypeName.INT64
        && column.getLogicalTypeAnnotation() instanceof TimestampLogicalTypeAnnotation t) {
      int target = switch (type.kind()) {
        case TIMESTAMP_S -> 0;
        case TIMESTAMP_MS -> 3;
        case TIMESTAMP, TIMESTAMPTZ -> 6;
        default -> 9;
      };
      conversion = new UnitConversion(UnitConversion.digits(t.getUnit()), target);
      sink = Sink.TIMESTAMP;
    } else if (decoder instanceof DecimalDecoder
        && column.getLogicalTypeAnnotation() instanceof org.apache.parquet.schema.LogicalTypeAnnotation
            .DecimalLogicalTypeAnnotation d
        && d.getScale() == type.scale() && type.precision() <= 38) {
      sink = switch (physical) {
        case INT32 -> Sink.DECIMAL_FROM_INT32;
        case INT64 -> Sink.DECIMAL_FROM_INT64;
        case FIXED_LEN_BYTE_ARRAY -> column.getTypeLength() <= 16 ? Sink.DECIMAL_FROM_FIXED : null;
        default -> null;
      };
    } else if (decoder instanceof FloatDecoder) {
      sink = switch (type.kind()) {
        case FLOAT32 -> Sink.FLOAT32;
        case FLOAT64 -> physical == PrimitiveTypeName.FLOAT ? Sink.FLOAT64_FROM_FLOAT : Sink.FLOAT64;
        default -> null;
      };
    } else if (decoder instanceof BooleanDecoder) {
      sink = Sink.BOOLEAN;
    } else if (decoder instanceof BytesDecoder) {
      sink = switch (type.kind()) {
        case VARCHAR, JSON, BLOB -> Sink.BYTES;
        default -> null; // text forms of other types are parsed per value
      };
    } else if (decoder instanceof UuidDecoder) {
      sink = Sink.UUID_TEXT;
    }
    return sink == null ? null : new PageColumnReader(sink, column, maxDefinitionLevel, conversion);
  }

  /** Starts a column chunk of {@code values} values (rows: the column is flat). */
  void startChunk(PageReader pages, long values) {
    this.pages = pages;
    this.valuesLeftInChunk = values;
    this.pageRows = 0;
    this.rowCursor = 0;
    this.pageFirstRow = 0;
    this.nextPageFirstRow = 0;
    this.wantedRow = 0;
    this.dictionarySize = -1;
    this.pendingBuf = null;
    this.rangeBuf = null;
    DictionaryPage dictionary = pages.readDictionaryPage();
    if (dictionary != null) {
      readDictionary(dictionary);
    }
  }

  /** Reads the next {@code rows} values into positions {@code 0..rows-1} of a freshly allocated vector. */
  void read(FieldVector vector, int rows) {
    varDataEnd = 0;
    startCodes(vector, rows);
    int done = 0;
    while (done < rows) {
      seekToWantedRow();
      int n = Math.min(rows - done, pageRows - rowCursor);
      write(vector, done, n);
      rowCursor += n;
      done += n;
      wantedRow += n;
    }
    if (sink == Sink.BYTES || sink == Sink.UUID_TEXT) {
      ((BaseVariableWidthVector) vector).setLastSet(rows - 1);
    }
  }

  /**
   * Reads the next {@code rows} rows, writing only the live rows of {@code batch} (whose physical
   * rows are these) at their positions in the vector and leaving the others NULL (but for dropped
   * rows between close live ones, see {@link #RUN_GAP}): their values are never copied, and a page
   * none of whose rows is written is never decoded.
   *
   * @return the rows not written
   */
  int readSelected(FieldVector vector, int rows, Batch batch) {
    varDataEnd = 0;
    startCodes(vector, rows);
    boolean variableWidth = sink == Sink.BYTES || sink == Sink.UUID_TEXT;
    int count = batch.selectedCount();
    int done = 0;
    int written = 0;
    int k = 0;
    while (k < count) {
      int start = batch.selectedRow(k++);
      int end = start + 1;
      while (k < count && batch.selectedRow(k) - end < RUN_GAP) {
        end = batch.selectedRow(k++) + 1;
      }
      written += end - start;
      if (start > done) {
        wantedRow += start - done;
        if (variableWidth) {
          emptyValues((BaseVariableWidthVector) vector, done, start);
        }
      }
      for (int at = start; at < end; ) {
        seekToWantedRow();
        int n = Math.min(end - at, pageRows - rowCursor);
        write(vector, at, n);
        rowCursor += n;
        at += n;
        wantedRow += n;
      }
      done = end;
    }
    if (rows > done) {
      wantedRow += rows - done;
      if (variableWidth) {
        emptyValues((BaseVariableWidthVector) vector, done, rows);
      }
    }
    if (variableWidth) {
      ((BaseVariableWidthVector) vector).setLastSet(rows - 1);
    }
    return rows - written;
  }

  /**
   * Kept rows fewer than this many rows apart are written as one run, the dropped rows between them
   * included: each run costs a seek and a call, which is worth more than copying a few values.
   */
  private static final int RUN_GAP = 32;

  /** Gives rows {@code [from, to)} of a variable-width vector no bytes (they stay NULL). */
  private void emptyValues(BaseVariableWidthVector vector, int from, int to) {
    ArrowBuf offsetBuf = vector.getOffsetBuffer();
    checkCapacity(offsetBuf, ((long) to + 1) << 2);
    long offsets = offsetBuf.memoryAddress();
    for (int row = from; row < to; row++) {
      MemoryUtil.putInt(offsets + ((long) (row + 1) << 2), (int) varDataEnd);
    }
  }

  /**
   * Skips the next {@code rows} rows. Pages that end before the next row read are then never
   * decoded; with a row group read in part ({@code readFilteredRowGroup}) the pages of skipped rows
   * may be missing altogether, and the pages present say where they start.
   */
  void skip(long rows) {
    wantedRow += rows;
  }

  /** Makes rowCursor point at wantedRow, reading (and decoding) pages as needed. */
  private void seekToWantedRow() {
    while (pageFirstRow + pageRows <= wantedRow) {
      nextPage();
    }
    long inPage = wantedRow - pageFirstRow;
    if (inPage < rowCursor) {
      throw new FormatException("data pages out of order: row " + wantedRow + " wanted, page starts at row "
          + pageFirstRow);
    }
    int skip = (int) inPage - rowCursor;
    if (skip > 0) {
      byte[] p = present;
      int values = skip;
      if (p != null) {
        values = 0;
        for (int i = rowCursor; i < rowCursor + skip; i++) {
          values += p[i];
        }
      }
      valueCursor += values;
      rowCursor += skip;
    }
  }

  /** Data pages whose levels were decoded so far, for tests. */
  long pagesRead() {
    return pagesRead;
  }

  /** Data pages whose values were decoded so far (a page none of whose rows was written is not). */
  long pagesDecoded() {
    return pagesDecoded;
  }

  private void readDictionary(DictionaryPage page) {
    if (page.getEncoding() != Encoding.PLAIN_DICTIONARY && page.getEncoding() != Encoding.PLAIN) {
      throw new FormatException("dictionary page encoded as " + page.getEncoding());
    }
    byte[] buf = bytes(page.getBytes());
    int count = page.getDictionarySize();
    decodePlain(buf, 0, buf.length - PADDING, count);
    // move the decoded values to the dictionary; the page arrays get fresh ones on demand
    dictInts = ints;
    dictLongs = longs;
    dictFloats = floats;
    dictDoubles = doubles;
    dictData = binData;
    dictStart = binStart;
    dictLen = binLen;
    ints = new int[0];
    longs = new long[0];
    floats = new float[0];
    doubles = new double[0];
    binStart = new int[0];
    binLen = new int[0];
    dictionarySize = count;
    textDictionary = new Batch.TextDictionary(dictData, dictStart, dictLen, count);
  }

  /**
   * After {@link #read} or {@link #readSelected} of a VARCHAR vector whose every written value came
   * from the column chunk's dictionary: each written row's index into it; else null. A reader of the
   * vector can then take a row's String without decoding its bytes, and equal values are one String.
   */
  Batch.Dictionary dictionaryCodes() {
    return codes == null ? null : new Batch.Dictionary(codes, textDictionary);
  }

  /** Starts collecting {@link #dictionaryCodes} for a vector of {@code rows} rows, if it is text. */
  private void startCodes(FieldVector vector, int rows) {
    codes = sink == Sink.BYTES && vector instanceof VarCharVector && dictionarySize >= 0 ? new int[rows] : null;
  }

  private void nextPage() {
    DataPage page = pages.readPage();
    if (page == null) {
      throw new FormatException("column chunk ends " + valuesLeftInChunk + " values early");
    }
    int rows = page.getValueCount();
    if (rows <= 0 || rows > valuesLeftInChunk) {
      throw new FormatException("data page of " + rows + " values where " + valuesLeftInChunk + " are left");
    }
    valuesLeftInChunk -= rows;
    long first = page.getFirstRowIndex().orElse(nextPageFirstRow);
    if (first > wantedRow) {
      throw new FormatException("no data page holds row " + wantedRow + " (the next starts at row " + first + ")");
    }
    nextPageFirstRow = first + rows;
    pageFirstRow = first;
    if (first + rows <= wantedRow) { // every row of this page is skipped: leave it undecoded
      pageRows = rows;
      rowCursor = rows;
      pendingBuf = null;
      rangeBuf = null;
      return;
    }
    pagesRead++;
    int[] lv = ensure(levels, rows);
    levels = lv;
    int bitWidth = 32 - Integer.numberOfLeadingZeros(maxDefinitionLevel);
    boolean allPresent = maxDefinitionLevel == 0;
    byte[] buf;
    int pos;
    Encoding encoding;
    if (page instanceof DataPageV1 v1) {
      buf = bytes(v1.getBytes());
      pos = 0;
      if (maxDefinitionLevel > 0) {
        if (v1.getDlEncoding() == Encoding.RLE) {
          int length = (int) INT_LE.get(buf, pos);
          if (length < 0 || pos + 4 + length > buf.length - PADDING) {
            throw new FormatException("definition levels of " + length + " bytes do not fit their page");
          }
          allPresent = PageEncodings.isOneRun(buf, pos + 4, pos + 4 + length, bitWidth, rows, maxDefinitionLevel);
          if (!allPresent) {
            PageEncodings.rleHybrid(buf, pos + 4, pos + 4 + length, bitWidth, lv, rows);
          }
          pos += 4 + length;
        } else if (v1.getDlEncoding() == Encoding.BIT_PACKED) {
          PageEncodings.bitPackedMsbFirst(buf, pos, bitWidth, lv, rows);
          pos += (int) (((long) rows * bitWidth + 7) / 8);
        } else {
          throw new FormatException("definition levels encoded as " + v1.getDlEncoding());
        }
      }
      encoding = v1.getValueEncoding();
    } else {
      DataPageV2 v2 = (DataPageV2) page;
      if (maxDefinitionLevel > 0) {
        byte[] levelBytes = bytes(v2.getDefinitionLevels());
        int end = levelBytes.length - PADDING;
        allPresent = PageEncodings.isOneRun(levelBytes, 0, end, bitWidth, rows, maxDefinitionLevel);
        if (!allPresent) {
          PageEncodings.rleHybrid(levelBytes, 0, end, bitWidth, lv, rows);
        }
      }
      buf = bytes(v2.getData());
      pos = 0;
      encoding = v2.getDataEncoding();
    }
    int nonNull = rows;
    present = null;
    if (!allPresent) {
      nonNull = 0;
      for (int i = 0; i < rows; i++) {
        nonNull += lv[i] == maxDefinitionLevel ? 1 : 0;
      }
      if (nonNull < rows) {
        byte[] p = present = new byte[rows];
        for (int i = 0; i < rows; i++) {
          p[i] = lv[i] == maxDefinitionLevel ? (byte) 1 : 0;
        }
      }
    }
    // values are decoded when a row of the page is first written: late-materialized columns may
    // write none
    rangeBuf = null;
    pendingEncoding = encoding;
    pendingBuf = buf;
    pendingPos = pos;
    pendingValues = nonNull;
    pageRows = rows;
    rowCursor = 0;
    valueCursor = 0;
  }

  private void decodeValues(Encoding encoding, byte[] buf, int pos, int end, int count) {
    switch (encoding) {
      case PLAIN -> decodePlain(buf, pos, end, count);
      case PLAIN_DICTIONARY, RLE_DICTIONARY -> decodeDictionary(buf, pos, end, count);
      case RLE -> {
        if (physical != PrimitiveTypeName.BOOLEAN) {
          throw new FormatException("RLE values in a " + physical + " column");
        }
        int length = (int) INT_LE.get(buf, pos);
        int[] bits = indices = ensure(indices, count);
        PageEncodings.rleHybrid(buf, pos + 4, Math.min(end, pos + 4 + length), 1, bits, count);
        byte[] out = booleans = ensure(booleans, count);
        for (int i = 0; i < count; i++) {
          out[i] = (byte) bits[i];
        }
      }
      case DELTA_BINARY_PACKED -> {
        PageEncodings.deltaBinaryPacked(buf, pos, end, deltas);
        checkCount(deltas.size, count);
        if (physical == PrimitiveTypeName.INT32) {
          int[] out = ints = ensure(ints, count);
          for (int i = 0; i < count; i++) {
            out[i] = (int) deltas.values[i];
          }
        } else if (physical == PrimitiveTypeName.INT64) {
          longs = ensure(longs, count);
          System.arraycopy(deltas.values, 0, longs, 0, count);
        } else {
          throw new FormatException("DELTA_BINARY_PACKED values in a " + physical + " column");
        }
      }
      case DELTA_LENGTH_BYTE_ARRAY -> {
        int at = PageEncodings.deltaBinaryPacked(buf, pos, end, deltas);
        checkCount(deltas.size, count);
        int[] start = binStart = ensure(binStart, count);
        int[] len = binLen = ensure(binLen, count);
        for (int i = 0; i < count; i++) {
          long l = deltas.values[i];
          if (l < 0 || at + l > end) {
            throw new FormatException("DELTA_LENGTH_BYTE_ARRAY value runs past the end of its page");
          }
          start[i] = at;
          len[i] = (int) l;
          at += (int) l;
        }
        binData = buf;
      }
      case DELTA_BYTE_ARRAY -> decodeDeltaByteArray(buf, pos, end, count);
      case BYTE_STREAM_SPLIT -> decodeByteStreamSplit(buf, pos, end, count);
      default -> throw new FormatException("values encoded as " + encoding);
    }
  }

  private static void checkCount(int found, int expected) {
    if (found != expected) {
      throw new FormatException("page holds " + found + " values where its levels call for " + expected);
    }
  }

  private void decodePlain(byte[] buf, int pos, int end, int count) {
    int width = switch (physical) {
      case INT32, FLOAT -> 4;
      case INT64, DOUBLE -> 8;
      case FIXED_LEN_BYTE_ARRAY -> typeLength;
      default -> 0;
    };
    if (width > 0 && pos + (long) width * count > end) {
      throw new FormatException("PLAIN page holds fewer than " + count + " values");
    }
    switch (physical) {
      case INT32 -> {
        int[] out = ints = ensure(ints, count);
        for (int i = 0; i < count; i++) {
          out[i] = (int) INT_LE.get(buf, pos + 4 * i);
        }
      }
      case INT64 -> {
        long[] out = longs = ensure(longs, count);
        for (int i = 0; i < count; i++) {
          out[i] = (long) LONG_LE.get(buf, pos + 8 * i);
        }
      }
      case FLOAT -> {
        float[] out = floats = ensure(floats, count);
        for (int i = 0; i < count; i++) {
          out[i] = Float.intBitsToFloat((int) INT_LE.get(buf, pos + 4 * i));
        }
      }
      case DOUBLE -> {
        double[] out = doubles = ensure(doubles, count);
        for (int i = 0; i < count; i++) {
          out[i] = Double.longBitsToDouble((long) LONG_LE.get(buf, pos + 8 * i));
        }
      }
      case BOOLEAN -> {
        if (pos + (count + 7L) / 8 > end) {
          throw new FormatException("PLAIN page holds fewer than " + count + " values");
        }
        byte[] out = booleans = ensure(booleans, count);
        for (int i = 0; i < count; i++) {
          out[i] = (byte) ((buf[pos + (i >>> 3)] >>> (i & 7)) & 1);
        }
      }
      case BINARY -> {
        int[] start = binStart = ensure(binStart, count);
        int[] len = binLen = ensure(binLen, count);
        int at = pos;
        for (int i = 0; i < count; i++) {
          int l = at + 4 <= end ? (int) INT_LE.get(buf, at) : -1;
          if (l < 0 || at + 4L + l > end) {
            throw new FormatException("PLAIN BYTE_ARRAY value runs past the end of its page");
          }
          start[i] = at + 4;
          len[i] = l;
          at += 4 + l;
        }
        binData = buf;
      }
      case FIXED_LEN_BYTE_ARRAY -> {
        int[] start = binStart = ensure(binStart, count);
        int[] len = binLen = ensure(binLen, count);
        for (int i = 0; i < count; i++) {
          start[i] = pos + typeLength * i;
          len[i] = typeLength;
        }
        binData = buf;
      }
      default -> throw new FormatException("PLAIN values of type " + physical);
    }
  }

  private void decodeDictionary(byte[] buf, int pos, int end, int count) {
    decodeDictionaryIndexes(buf, pos, end, count);
    gatherDictionary(count);
  }

  /** The dictionary indexes of a page into {@code indices}, not checked against the dictionary's size yet. */
  private void decodeDictionaryIndexes(byte[] buf, int pos, int end, int count) {
    if (dictionarySize < 0) {
      throw new FormatException("dictionary-encoded page without a dictionary page");
    }
    int[] idx = indices = ensure(indices, count);
    if (count > 0) {
      int bitWidth = buf[pos] & 0xff;
      if (bitWidth > 32) {
        throw new FormatException("dictionary index bit width " + bitWidth);
      }
      PageEncodings.rleHybrid(buf, pos + 1, end, bitWidth, idx, count);
    }
  }

  private void gatherDictionary(int count) {
    int[] idx = indices;
    checkIndexes(0, count);
    switch (physical) {
      case INT32 -> {
        int[] out = ints = ensure(ints, count);
        for (int i = 0; i < count; i++) {
          out[i] = dictInts[idx[i]];
        }
      }
      case INT64 -> {
        long[] out = longs = ensure(longs, count);
        for (int i = 0; i < count; i++) {
          out[i] = dictLongs[idx[i]];
        }
      }
      case FLOAT -> {
        float[] out = floats = ensure(floats, count);
        for (int i = 0; i < count; i++) {
          out[i] = dictFloats[idx[i]];
        }
      }
      case DOUBLE -> {
        double[] out = doubles = ensure(doubles, count);
        for (int i = 0; i < count; i++) {
          out[i] = dictDoubles[idx[i]];
        }
      }
      case BINARY, FIXED_LEN_BYTE_ARRAY -> {
        int[] start = binStart = ensure(binStart, count);
        int[] len = binLen = ensure(binLen, count);
        for (int i = 0; i < count; i++) {
          start[i] = dictStart[idx[i]];
          len[i] = dictLen[idx[i]];
        }
        binData = dictData;
      }
      default -> throw new FormatException("dictionary-encoded values of type " + physical);
    }
  }

  /** Prefix lengths, suffix lengths (both DELTA_BINARY_PACKED), then the suffixes. */
  private void decodeDeltaByteArray(byte[] buf, int pos, int end, int count) {
    if (physical != PrimitiveTypeName.BINARY && physical != PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
      throw new FormatException("DELTA_BYTE_ARRAY values in a " + physical + " column");
    }
    int at = PageEncodings.deltaBinaryPacked(buf, pos, end, deltas);
    checkCount(deltas.size, count);
    at = PageEncodings.deltaBinaryPacked(buf, at, end, deltas2);
    checkCount(deltas2.size, count);
    long total = 0;
    long previous = 0;
    for (int i = 0; i < count; i++) {
      long prefix = deltas.values[i];
      long suffix = deltas2.values[i];
      if (prefix < 0 || suffix < 0 || prefix > previous) {
        throw new FormatException("invalid DELTA_BYTE_ARRAY lengths");
      }
      previous = prefix + suffix;
      total += previous;
    }
    if (total > Integer.MAX_VALUE - PADDING) {
      throw new FormatException("DELTA_BYTE_ARRAY page too large");
    }
    byte[] data = new byte[(int) total + PADDING];
    int[] start = binStart = ensure(binStart, count);
    int[] len = binLen = ensure(binLen, count);
    int out = 0;
    int previousStart = 0;
    for (int i = 0; i < count; i++) {
      int prefix = (int) deltas.values[i];
      int suffix = (int) deltas2.values[i];
      if (at + (long) suffix > end) {
        throw new FormatException("DELTA_BYTE_ARRAY value runs past the end of its page");
      }
      System.arraycopy(data, previousStart, data, out, prefix);
      System.arraycopy(buf, at, data, out + prefix, suffix);
      at += suffix;
      start[i] = out;
      len[i] = prefix + suffix;
      previousStart = out;
      out += prefix + suffix;
    }
    binData = data;
  }

  /** Byte k of value i is at {@code k * count + i}. */
  private void decodeByteStreamSplit(byte[] buf, int pos, int end, int count) {
    int width = switch (physical) {
      case INT32, FLOAT -> 4;
      case INT64, DOUBLE -> 8;
      case FIXED_LEN_BYTE_ARRAY -> typeLength;
      default -> throw new FormatException("BYTE_STREAM_SPLIT values in a " + physical + " column");
    };
    if (pos + (long) width * count > end) {
      throw new FormatException("BYTE_STREAM_SPLIT page holds fewer than " + count + " values");
    }
    if (physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
      byte[] data = new byte[width * count + PADDING];
      for (int k = 0; k < width; k++) {
        int from = pos + k * count;
        for (int i = 0; i < count; i++) {
          data[i * width + k] = buf[from + i];
        }
      }
      int[] start = binStart = ensure(binStart, count);
      int[] len = binLen = ensure(binLen, count);
      for (int i = 0; i < count; i++) {
        start[i] = i * width;
        len[i] = width;
      }
      binData = data;
      return;
    }
    long[] raw = deltas.ensure(count);
    Arrays.fill(raw, 0, count, 0L);
    for (int k = 0; k < width; k++) {
      int from = pos + k * count;
      int shift = 8 * k;
      for (int i = 0; i < count; i++) {
        raw[i] |= (buf[from + i] & 0xffL) << shift;
      }
    }
    switch (physical) {
      case INT32 -> {
        int[] out = ints = ensure(ints, count);
        for (int i = 0; i < count; i++) {
          out[i] = (int) raw[i];
        }
      }
      case INT64 -> {
        longs = ensure(longs, count);
        System.arraycopy(raw, 0, longs, 0, count);
      }
      case FLOAT -> {
        float[] out = floats = ensure(floats, count);
        for (int i = 0; i < count; i++) {
          out[i] = Float.intBitsToFloat((int) raw[i]);
        }
      }
      default -> {
        double[] out = doubles = ensure(doubles, count);
        for (int i = 0; i < count; i++) {
          out[i] = Double.longBitsToDouble(raw[i]);
        }
      }
    }
  }

  /**
   * Decodes the current page's values, or, for fixed-width PLAIN and dictionary pages, prepares them
   * to be decoded range by range as rows are written ({@link #decodeRange}): a late-materialized
   * column then copies or looks up only the values of the rows it keeps.
   */
  private void startValues() {
    byte[] buf = pendingBuf;
    pendingBuf = null;
    pagesDecoded++;
    int end = buf.length - PADDING;
    int count = pendingValues;
    int pos = pendingPos;
    rangeBuf = null;
    boolean dictionary = pendingEncoding == Encoding.PLAIN_DICTIONARY || pendingEncoding == Encoding.RLE_DICTIONARY;
    int width = switch (physical) {
      case INT32, FLOAT -> 4;
      case INT64, DOUBLE -> 8;
      default -> 0;
    };
    if (dictionary && physical != PrimitiveTypeName.BOOLEAN && physical != PrimitiveTypeName.INT96) {
      decodeDictionaryIndexes(buf, pos, end, count);
    } else if (pendingEncoding == Encoding.PLAIN && width > 0) {
      if (pos + (long) width * count > end) {
        throw new FormatException("PLAIN page holds fewer than " + count + " values");
      }
    } else {
      decodeValues(pendingEncoding, buf, pos, end, count);
      return;
    }
    switch (physical) {
      case INT32 -> ints = ensure(ints, count);
      case INT64 -> longs = ensure(longs, count);
      case FLOAT -> floats = ensure(floats, count);
      case DOUBLE -> doubles = ensure(doubles, count);
      default -> { // BINARY, FIXED_LEN_BYTE_ARRAY from a dictionary
        binStart = ensure(binStart, count);
        binLen = ensure(binLen, count);
        binData = dictData;
      }
    }
    rangeBuf = buf;
    rangePos = pos;
    rangeDictionary = dictionary;
  }

  /** Non-NULL values among rows {@code [from, from + n)} of the page. */
  private int valuesIn(int from, int n) {
    byte[] p = present;
    if (p == null) {
      return n;
    }
    int values = 0;
    for (int i = from; i < from + n; i++) {
      values += p[i];
    }
    return values;
  }

  /** Decodes values {@code [from, to)} of a page {@link #startValues} left to decode by range. */
  private void decodeRange(int from, int to) {
    if (rangeDictionary) {
      int[] idx = indices;
      checkIndexes(from, to);
      switch (physical) {
        case INT32 -> {
          int[] out = ints;
          int[] dict = dictInts;
          for (int i = from; i < to; i++) {
            out[i] = dict[idx[i]];
          }
        }
        case INT64 -> {
          long[] out = longs;
          long[] dict = dictLongs;
          for (int i = from; i < to; i++) {
            out[i] = dict[idx[i]];
          }
        }
        case FLOAT -> {
          float[] out = floats;
          float[] dict = dictFloats;
          for (int i = from; i < to; i++) {
            out[i] = dict[idx[i]];
          }
        }
        case DOUBLE -> {
          double[] out = doubles;
          double[] dict = dictDoubles;
          for (int i = from; i < to; i++) {
            out[i] = dict[idx[i]];
          }
        }
        case BINARY, FIXED_LEN_BYTE_ARRAY -> {
          int[] start = binStart;
          int[] len = binLen;
          for (int i = from; i < to; i++) {
            start[i] = dictStart[idx[i]];
            len[i] = dictLen[idx[i]];
          }
        }
        default -> throw new FormatException("dictionary-encoded values of type " + physical);
      }
      return;
    }
    byte[] buf = rangeBuf;
    int pos = rangePos;
    switch (physical) {
      case INT32 -> {
        int[] out = ints;
        for (int i = from; i < to; i++) {
          out[i] = (int) INT_LE.get(buf, pos + 4 * i);
        }
      }
      case INT64 -> {
        long[] out = longs;
        for (int i = from; i < to; i++) {
          out[i] = (long) LONG_LE.get(buf, pos + 8 * i);
        }
      }
      case FLOAT -> {
        float[] out = floats;
        for (int i = from; i < to; i++) {
          out[i] = Float.intBitsToFloat((int) INT_LE.get(buf, pos + 4 * i));
        }
      }
      default -> {
        double[] out = doubles;
        for (int i = from; i < to; i++) {
          out[i] = Double.longBitsToDouble((long) LONG_LE.get(buf, pos + 8 * i));
        }
      }
    }
  }

  /** Fails unless dictionary indexes {@code [from, to)} of the page are within the dictionary. */
  private void checkIndexes(int from, int to) {
    int[] idx = indices;
    int size = dictionarySize;
    int outOfRange = 0; // its sign bit ends up set if some index is negative or at least size
    for (int i = from; i < to; i++) {
      outOfRange |= idx[i] | (size - 1 - idx[i]);
    }
    if (outOfRange < 0) {
      for (int i = from; i < to; i++) {
        if (idx[i] < 0 || idx[i] >= size) {
          throw new FormatException("dictionary index " + idx[i] + " in a dictionary of " + size + " values");
        }
      }
    }
  }

  /**
   * For a page without NULLs left to decode by range: decodes values {@code [valueCursor, valueCursor
   * + n)} straight into rows {@code [at, at + n)} of the vector's data, in one pass where {@link
   * #decodeRange} and {@link #write}'s copy take two. False (nothing done) for the sinks it does not take.
   */
  private boolean writeRange(long data, int at, int n) {
    int from = valueCursor;
    if (rangeDictionary) {
      int[] idx = indices;
      switch (sink) {
        case INT32 -> {
          checkIndexes(from, from + n);
          int[] dict = dictInts;
          for (int i = 0; i < n; i++) {
            MemoryUtil.putInt(data + ((long) (at + i) << 2), dict[idx[from + i]]);
          }
        }
        case INT64_FROM_INT32 -> {
          checkIndexes(from, from + n);
          int[] dict = dictInts;
          for (int i = 0; i < n; i++) {
            MemoryUtil.putLong(data + ((long) (at + i) << 3), dict[idx[from + i]]);
          }
        }
        case INT64 -> {
          checkIndexes(from, from + n);
          long[] dict = dictLongs;
          for (int i = 0; i < n; i++) {
            MemoryUtil.putLong(data + ((long) (at + i) << 3), dict[idx[from + i]]);
          }
        }
        case DECIMAL_FROM_INT32, DECIMAL_FROM_INT64 -> {
          checkIndexes(from, from + n);
          boolean fromInts = sink == Sink.DECIMAL_FROM_INT32;
          int[] ints = dictInts;
          long[] longs = dictLongs;
          for (int i = 0; i < n; i++) {
            long x = fromInts ? ints[idx[from + i]] : longs[idx[from + i]];
            long address = data + ((long) (at + i) << 4);
            MemoryUtil.putLong(address, x);
            MemoryUtil.putLong(address + 8, x >> 63);
          }
        }
        case FLOAT64 -> {
          checkIndexes(from, from + n);
          double[] dict = dictDoubles;
          for (int i = 0; i < n; i++) {
            MemoryUtil.putLong(data + ((long) (at + i) << 3), Double.doubleToRawLongBits(dict[idx[from + i]]));
          }
        }
        default -> {
          return false;
        }
      }
      return true;
    }
    byte[] buf = rangeBuf;
    int pos = rangePos;
    switch (sink) {
      case INT32 -> MemoryUtil.copyToMemory(buf, pos + 4L * from, data + ((long) at << 2), 4L * n);
      case INT64, FLOAT64 -> MemoryUtil.copyToMemory(buf, pos + 8L * from, data + ((long) at << 3), 8L * n);
      case INT64_FROM_INT32 -> {
        for (int i = 0; i < n; i++) {
          MemoryUtil.putLong(data + ((long) (at + i) << 3), (int) INT_LE.get(buf, pos + 4 * (from + i)));
        }
      }
      case DECIMAL_FROM_INT32, DECIMAL_FROM_INT64 -> {
        boolean fromInts = sink == Sink.DECIMAL_FROM_INT32;
        for (int i = 0; i < n; i++) {
          long x = fromInts ? (int) INT_LE.get(buf, pos + 4 * (from + i)) : (long) LONG_LE.get(buf, pos + 8 * (from + i));
          long address = data + ((long) (at + i) << 4);
          MemoryUtil.putLong(address, x);
          MemoryUtil.putLong(address + 8, x >> 63);
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /**
   * Copies rows {@code [rowCursor, rowCursor + n)} of the page into rows {@code [at, at + n)} of
   * the vector. Writes go straight to the buffers' memory (ArrowBuf's per-call checks cost more than
   * the values here); each buffer's capacity is checked once per call instead.
   */
  private void write(FieldVector vector, int at, int n) {
    if (pendingBuf != null) {
      startValues();
    }
    byte[] p = present;
    // A page without NULLs whose sink writeRange takes is decoded into the vector below.
    boolean direct = rangeBuf != null && p == null && DIRECT_SINKS.contains(sink);
    if (rangeBuf != null && !direct) {
      decodeRange(valueCursor, valueCursor + valuesIn(rowCursor, n));
    }
    int first = rowCursor;
    ArrowBuf validityBuf = vector.getValidityBuffer();
    checkCapacity(validityBuf, ((long) at + n + 7) >>> 3);
    long validity = validityBuf.memoryAddress();
    if (p == null) {
      setValidRange(validityBuf, at, n);
    }
    if (sink == Sink.BYTES) {
      if (codes != null) {
        writeCodes(at, n);
      }
      valueCursor = writeBytes((BaseVariableWidthVector) vector, at, n, valueCursor, validity);
      return;
    }
    if (sink == Sink.UUID_TEXT) {
      valueCursor = writeUuids((BaseVariableWidthVector) vector, at, n, valueCursor, validity);
      return;
    }
    ArrowBuf dataBuf = vector.getDataBuffer();
    int width = switch (sink) {
      case INT8 -> 1;
      case INT16 -> 2;
      case INT32, FLOAT32 -> 4;
      case DECIMAL_FROM_INT32, DECIMAL_FROM_INT64, DECIMAL_FROM_FIXED -> 16;
      case BOOLEAN -> 0;
      default -> 8;
    };
    checkCapacity(dataBuf, width == 0 ? ((long) at + n + 7) >>> 3 : ((long) at + n) * width);
    long data = dataBuf.memoryAddress();
    if (direct && writeRange(data, at, n)) {
      valueCursor += n;
      return;
    }
    int v = valueCursor;
    switch (sink) {
      case INT32 -> {
        int[] src = ints;
        for (int i = 0; i < n; i++) {
          if (p == null || p[first + i] != 0) {
            MemoryUtil.putInt(data + ((long) (at + i) << 2), src[v++]);
            setValid(validity, p, at + i);
          }
        }
      }
      case INT8 -> {
        int[] src = ints;
        for (int i = 0; i < n; i++) {
          if (p == null || p[first + i] != 0) {
            MemoryUtil.putByte(data + at + i, (byte) src[v++]);
            setValid(validity, p, at + i);
          }
        }
      }
      case INT16 -> {
        int[] src = ints;
        for (int i = 0; i < n; i++) {
          if (p == null || p[first + i] != 0) {
            MemoryUtil.putShort(data + ((long) (at + i) << 1), (short) src[v++]);
            setValid(validity, p, at + i);
          }
        }
      }
      case INT64_FROM_INT32, INT64_FROM_UINT32 -> {
        int[] src = ints;
        boolean unsigned = sink == Sink.INT64_FROM_UINT32;
        for (int i = 0; i < n; i++) {
          if (p == null || p[first + i] != 0) {
            int x = src[v++];
            MemoryUtil.putLong(data + ((long) (at + i) << 3), unsigned ? Integer.toUnsignedLong(x) : x);
            setValid(validity, p, at + i);
          }
        }
      }
      case INT64 -> {
        long[] src = longs;
        for (int i = 0; i < n; i++) {
          if (p == null || p[first + i] != 0) {
            MemoryUtil.putLong(data + ((long) (at + i) << 3), src[v++]);
            setValid(validity, p, at + i);
          }
        }
      }
      case TIMESTAMP -> {
        long[] src = longs;
        boolean same = timestampConversion.from() == timestampConversion.to();
        for (int i = 0; i < n; i++) {
          if (p == null || p[first + i] != 0) {
            long raw = src[v++];
            long t = same || raw == Values.TIMESTAMP_INFINITY || raw == -Values.TIMESTAMP_INFINITY ? raw
                : timestampConversion.convert(raw, false);
            MemoryUtil.putLong(data + ((long) (at + i) << 3), t);
            setValid(validity, p, at + i);
          }
        }
      }
      case DECIMAL_FROM_INT32 -> {
        int[] src = ints;
        for (int i = 0; i < n; i++) {
          if (p == null || p[first + i] != 0) {
            long x = src[v++];
            long address = data + ((long) (at + i) << 4);
            MemoryUtil.putLong(address, x);
            MemoryUtil.putLong(address + 8, x >> 63);
            setValid(validity, p, at + i);
          }
        }
      }
      case DECIMAL_FROM_INT64 -> {
        long[] src = longs;
        for (int i = 0; i < n; i++) {
          if (p == null || p[first + i] != 0) {
            long x = src[v++];
            long address = data + ((long) (at + i) << 4);
            MemoryUtil.putLong(address, x);
            MemoryUtil.putLong(address + 8, x >> 63);
            setValid(validity, p, at + i);
          }
        }
      }
      case DECIMAL_FROM_FIXED -> {
        byte[] src = binData;
        for (int i = 0; i < n; i++) {
          if (p == null || p[first + i] != 0) {
            int s = binStart[v];
            int l = binLen[v++];
            long high = l > 0 && src[s] < 0 ? -1 : 0;
            long low = high;
            for (int b = 0; b < l; b++) {
              high = (high << 8) | (low >>> 56);
              low = (low << 8) | (src[s + b] & 0xff);
            }
            long address = data + ((long) (at + i) << 4);
            MemoryUtil.putLong(address, low);
            MemoryUtil.putLong(address + 8, high);
            setValid(validity, p, at + i);
          }
        }
      }
      case FLOAT32 -> {
        float[] src = floats;
        for (int i = 0; i < n; i++) {
          if (p == null || p[first + i] != 0) {
            MemoryUtil.putInt(data + ((long) (at + i) << 2), Float.floatToRawIntBits(src[v++]));
            setValid(validity, p, at + i);
          }
        }
      }
      case FLOAT64_FROM_FLOAT -> {
        float[] src = floats;
        for (int i = 0; i < n; i++) {
          if (p == null || p[first + i] != 0) {
            MemoryUtil.putLong(data + ((long) (at + i) << 3), Double.doubleToRawLongBits(src[v++]));
            setValid(validity, p, at + i);
          }
        }
      }
      case FLOAT64 -> {
        double[] src = doubles;
        for (int i = 0; i < n; i++) {
          if (p == null || p[first + i] != 0) {
            MemoryUtil.putLong(data + ((long) (at + i) << 3), Double.doubleToRawLongBits(src[v++]));
            setValid(validity, p, at + i);
          }
        }
      }
      case BOOLEAN -> {
        byte[] src = booleans;
        for (int i = 0; i < n; i++) {
          if (p == null || p[first + i] != 0) {
            if (src[v++] != 0) {
              setBit(data, at + i);
            }
            setValid(validity, p, at + i);
          }
        }
      }
      default -> throw new IllegalStateException(sink.toString());
    }
    valueCursor = v;
  }

  /** The dictionary indexes of rows {@code [at, at + n)}, which {@link #write} is writing. */
  private void writeCodes(int at, int n) {
    if (rangeBuf == null || !rangeDictionary) {
      codes = null; // a page of plain values: a writer's dictionary grew too large
      return;
    }
    byte[] p = present;
    int first = rowCursor;
    int[] idx = indices;
    int v = valueCursor;
    for (int i = 0; i < n; i++) {
      codes[at + i] = p == null || p[first + i] != 0 ? idx[v++] : -1;
    }
  }

  private int writeBytes(BaseVariableWidthVector vector, int at, int n, int v, long validity) {
    byte[] p = present;
    int first = rowCursor;
    long need = varDataEnd;
    int values = 0;
    for (int i = 0; i < n; i++) {
      if (p == null || p[first + i] != 0) {
        need += binLen[v + values++];
      }
    }
    if (need > Integer.MAX_VALUE) {
      throw new FormatException("a batch of more than 2 GB of text");
    }
    need += 16; // short values are copied as one or two whole longs, which may write up to 15 bytes past them
    while (vector.getDataBuffer().capacity() < need) {
      vector.reallocDataBuffer();
    }
    ArrowBuf offsetBuf = vector.getOffsetBuffer();
    checkCapacity(offsetBuf, ((long) at + n + 1) << 2);
    long data = vector.getDataBuffer().memoryAddress();
    long offsets = offsetBuf.memoryAddress();
    byte[] src = binData;
    int[] starts = binStart;
    int[] lengths = binLen;
    long end = varDataEnd;
    for (int i = 0; i < n; i++) {
      if (p == null || p[first + i] != 0) {
        int l = lengths[v];
        int s = starts[v++];
        if (l <= 8) { // the source has PADDING bytes after its last value
          MemoryUtil.putLong(data + end, (long) LONG_LE.get(src, s));
        } else if (l <= 16) {
          MemoryUtil.putLong(data + end, (long) LONG_LE.get(src, s));
          MemoryUtil.putLong(data + end + 8, (long) LONG_LE.get(src, s + 8));
        } else {
          MemoryUtil.copyToMemory(src, s, data + end, l);
        }
        end += l;
        setValid(validity, p, at + i);
      }
      MemoryUtil.putInt(offsets + ((long) (at + i + 1) << 2), (int) end);
    }
    varDataEnd = end;
    return v;
  }

  private int writeUuids(BaseVariableWidthVector vector, int at, int n, int v, long validity) {
    byte[] p = present;
    int first = rowCursor;
    long need = varDataEnd + 36L * n;
    while (vector.getDataBuffer().capacity() < need) {
      vector.reallocDataBuffer();
    }
    ArrowBuf data = vector.getDataBuffer();
    ArrowBuf offsets = vector.getOffsetBuffer();
    long end = varDataEnd;
    byte[] text = uuidText;
    for (int i = 0; i < n; i++) {
      if (p == null || p[first + i] != 0) {
        if (binLen[v] != 16) {
          throw new FormatException("uuid of " + binLen[v] + " bytes instead of 16");
        }
        int s = binStart[v++];
        int o = 0;
        for (int b = 0; b < 16; b++) {
          if (b == 4 || b == 6 || b == 8 || b == 10) {
            text[o++] = '-';
          }
          int x = binData[s + b] & 0xff;
          text[o++] = HEX[x >>> 4];
          text[o++] = HEX[x & 0xf];
        }
        data.setBytes(end, text, 0, 36);
        end += 36;
        setValid(validity, p, at + i);
      }
      offsets.setInt((long) (at + i + 1) << 2, (int) end);
    }
    varDataEnd = end;
    return v;
  }

  private static void checkCapacity(ArrowBuf buf, long bytes) {
    if (buf.capacity() < bytes) {
      throw new IllegalStateException("vector buffer of " + buf.capacity() + " bytes where " + bytes + " are needed");
    }
  }

  /** Marks a row valid unless the whole range was marked already (no NULLs in the page). */
  private static void setValid(long validity, byte[] present, int row) {
    if (present != null) {
      setBit(validity, row);
    }
  }

  private static void setBit(long address, int row) {
    long at = address + (row >>> 3);
    MemoryUtil.putByte(at, (byte) (MemoryUtil.getByte(at) | (1 << (row & 7))));
  }

  private static void setValidRange(ArrowBuf validity, int from, int n) {
    int row = from;
    int end = from + n;
    while (row < end && (row & 7) != 0) {
      BitVectorHelper.setBit(validity, row++);
    }
    int fullBytes = (end - row) >>> 3;
    if (fullBytes > 0) {
      validity.setOne(row >>> 3, fullBytes);
      row += fullBytes << 3;
    }
    while (row < end) {
      BitVectorHelper.setBit(validity, row++);
    }
  }

  /** A page's bytes with {@link PageEncodings#PADDING} zero bytes after them. */
  private static byte[] bytes(BytesInput input) {
    try {
      long size = input.size();
      if (size > Integer.MAX_VALUE - PADDING) {
        throw new FormatException("page of " + size + " bytes");
      }
      ByteBuffer bytes = input.toByteBuffer();
      if (bytes.hasArray() && bytes.arrayOffset() + bytes.position() == 0 && bytes.array().length == size + PADDING) {
        // A page Codecs decompressed, padded already. (A page read in place from its column chunk
        // does not start at index 0: its header comes before it.)
        return bytes.array();
      }
      byte[] padded = new byte[(int) size + PADDING];
      bytes.get(padded, 0, (int) size);
      return padded;
    } catch (IOException e) {
      throw new FormatException("Cannot read a page: " + e.getMessage(), e);
    }
  }

  private static int[] ensure(int[] a, int n) {
    return a.length >= n ? a : new int[Math.max(n, a.length + a.length / 2)];
  }

  private static long[] ensure(long[] a, int n) {
    return a.length >= n ? a : new long[Math.max(n, a.length + a.length / 2)];
  }

  private static float[] ensure(float[] a, int n) {
    return a.length >= n ? a : new float[Math.max(n, a.length + a.length / 2)];
  }

  private static double[] ensure(double[] a, int n) {
    return a.length >= n ? a : new double[Math.max(n, a.length + a.length / 2)];
  }

  private static byte[] ensure(byte[] a, int n) {
    return a.length >= n ? a : new byte[Math.max(n, a.length + a.length / 2)];
  }
}
