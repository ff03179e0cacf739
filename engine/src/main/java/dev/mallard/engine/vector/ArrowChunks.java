package dev.mallard.engine.vector;

import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Reads the live rows of the engine's Arrow {@link Batch}es into {@link Chunk}s, closing each batch.
 * One instance per scan task: it keeps the short strings met lately, and is used by one thread at a
 * time (see {@link dev.mallard.engine.exec.StagedScan}).
 */
public final class ArrowChunks implements Function<Batch, Chunk> {
  private final DuckLakeType[] types;
  /** Per column (null but for strings): the short strings met lately, read again as the same Strings. */
  private final ShortStrings[] shortStrings;

  /** @param types the types of the batches' vectors, each one {@link #readable} */
  public ArrowChunks(DuckLakeType[] types) {
    this.types = types.clone();
    this.shortStrings = new ShortStrings[types.length];
    for (int c = 0; c < types.length; c++) {
      if (types[c].kind() == TypeKind.VARCHAR) {
        shortStrings[c] = new ShortStrings();
      }
    }
  }

  /** Whether a column of {@code type} can be read into a chunk, and as what. */
  public static VType readable(DuckLakeType type) {
    return switch (type.kind()) {
      case BOOLEAN, INT8, INT16, INT32, INT64, DATE -> VType.LONG;
      case FLOAT64 -> VType.DOUBLE;
      case VARCHAR -> VType.STRING;
      case DECIMAL -> type.precision() <= 18 ? VType.decimal(type.scale()) : null;
      default -> null;
    };
  }

  /** The batch's live rows as a chunk (null if it has none); the batch is closed. */
  @Override
  public Chunk apply(Batch batch) {
    try (batch) {
      int n = batch.selectedCount();
      if (n == 0) {
        return null;
      }
      Column[] columns = new Column[types.length];
      for (int c = 0; c < types.length; c++) {
        columns[c] = read(batch, batch.vector(c), c, n);
      }
      return new Chunk(columns, n);
    }
  }

  private Column read(Batch batch, FieldVector vector, int c, int n) {
    TypeKind kind = types[c].kind();
    if (kind == TypeKind.VARCHAR) {
      // From the dictionary when it is decoded already or not larger than the rows read.
      Batch.Dictionary dictionary = batch.dictionary(c);
      boolean fromDictionary = dictionary != null && (dictionary.text().decoded() || dictionary.text().size() <= n);
      return fromDictionary ? strings(batch, vector, n, dictionary)
          : Column.ofObjects(strings(batch, (VarCharVector) vector, n, shortStrings[c]), n);
    }
    boolean[] nulls = vector.getNullCount() > 0 ? nulls(batch, vector.getValidityBuffer().memoryAddress(), n) : null;
    // Straight from the data buffers' memory: the vectors' getters check for NULL, and the
    // buffers' for bounds and liveness, on every call. The rows are the batch's own.
    long data = ((BaseFixedWidthVector) vector).getDataBuffer().memoryAddress();
    if (kind == TypeKind.FLOAT64) {
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        out[i] = Double.longBitsToDouble(MemoryUtil.getLong(data + (long) batch.selectedRow(i) * Float8Vector.TYPE_WIDTH));
      }
      return Column.ofDoubles(out, nulls, n);
    }
    long[] out = new long[n];
    switch (kind) {
      case BOOLEAN -> {
        for (int i = 0; i < n; i++) {
          out[i] = isSet(data, batch.selectedRow(i)) ? 1 : 0;
        }
      }
      case INT8 -> {
        for (int i = 0; i < n; i++) {
          out[i] = MemoryUtil.getByte(data + (long) batch.selectedRow(i) * TinyIntVector.TYPE_WIDTH);
        }
      }
      case INT16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = MemoryUtil.getShort(data + (long) batch.selectedRow(i) * SmallIntVector.TYPE_WIDTH);
        }
      }
      case INT32 -> {
        for (int i = 0; i < n; i++) {
          out[i] = MemoryUtil.getInt(data + (long) batch.selectedRow(i) * IntVector.TYPE_WIDTH);
        }
      }
      case DATE -> {
        for (int i = 0; i < n; i++) {
          out[i] = MemoryUtil.getInt(data + (long) batch.selectedRow(i) * DateDayVector.TYPE_WIDTH);
        }
      }
      case INT64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = MemoryUtil.getLong(data + (long) batch.selectedRow(i) * BigIntVector.TYPE_WIDTH);
        }
      }
      case DECIMAL -> {
        // Little-endian 128-bit two's complement; a value of at most 18 digits is its low 64 bits.
        for (int i = 0; i < n; i++) {
          out[i] = MemoryUtil.getLong(data + (long) batch.selectedRow(i) * DecimalVector.TYPE_WIDTH);
        }
      }
      default -> throw new IllegalArgumentException("Cannot read " + kind + " into a chunk");
    }
    return Column.ofLongs(out, nulls, n);
  }

  /**
   * The live rows' strings. A string of at most 16 bytes equal to one met lately in the column is
   * that same String, found by its bytes read as two words (no copy): low-cardinality columns (flags,
   * modes, nations, brands) then allocate one String per distinct value, not per row, and a String's
   * cached hash serves every row that shares it when the rows are grouped or joined.
   */
  private static Object[] strings(Batch batch, VarCharVector v, int n, ShortStrings seen) {
    long offsets = v.getOffsetBuffer().memoryAddress();
    ArrowBuf data = v.getDataBuffer();
    long address = data.memoryAddress();
    long capacity = data.capacity();
    long validity = v.getNullCount() > 0 ? v.getValidityBuffer().memoryAddress() : 0;
    Object[] out = new Object[n];
    // The previous short string's words: a run of equal strings (a sorted or clustered column) takes
    // the same String without a lookup.
    long previousLow = 0;
    long previousHigh = 0;
    int previousLength = -1;
    Object previous = null;
    for (int i = 0; i < n; i++) {
      int row = batch.selectedRow(i);
      if (validity != 0 && !isSet(validity, row)) {
        continue;
      }
      int start = MemoryUtil.getInt(offsets + (long) row * 4);
      int length = MemoryUtil.getInt(offsets + (long) row * 4 + 4) - start;
      if (length > ShortStrings.MAX_LENGTH || start + 16L > capacity) {
        out[i] = string(data, start, length);
        continue;
      }
      // The 16 bytes from the string's start are in the buffer; those past its end are masked off.
      long low = MemoryUtil.getLong(address + start);
      long high = MemoryUtil.getLong(address + start + 8);
      if (length < 8) {
        low &= (1L << (length << 3)) - 1;
        high = 0;
      } else if (length < 16) {
        high &= (1L << ((length - 8) << 3)) - 1;
      }
      if (low != previousLow || high != previousHigh || length != previousLength) {
        previous = seen.get(low, high, length, data, start);
        previousLow = low;
        previousHigh = high;
        previousLength = length;
      }
      out[i] = previous;
    }
    return out;
  }

  /** The live rows' strings, taken from the dictionary they came from: equal values are one String. */
  private static Column strings(Batch batch, FieldVector v, int n, Batch.Dictionary dictionary) {
    long validity = v.getNullCount() > 0 ? v.getValidityBuffer().memoryAddress() : 0;
    int[] codes = dictionary.codes();
    String[] values = dictionary.text().strings();
    Object[] out = new Object[n];
    int[] outCodes = new int[n];
    for (int i = 0; i < n; i++) {
      int row = batch.selectedRow(i);
      int code = validity == 0 || isSet(validity, row) ? codes[row] : -1;
      outCodes[i] = code;
      out[i] = code < 0 ? null : values[code];
    }
    return Column.ofDictionaryStrings(out, outCodes, dictionary.text(), n);
  }

  private static String string(ArrowBuf data, int start, int length) {
    byte[] bytes = new byte[length];
    data.getBytes(start, bytes, 0, length);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The Strings of short byte strings met lately: a table of one String per slot. */
  private static final class ShortStrings {
    static final int MAX_LENGTH = 16;
    private static final int SLOTS = 512;
    private final long[] lows = new long[SLOTS];
    private final long[] highs = new long[SLOTS];
    private final int[] lengths = new int[SLOTS];
    private final String[] strings = new String[SLOTS];

    String get(long low, long high, int length, ArrowBuf data, int start) {
      long h = (low * 0x9E3779B97F4A7C15L) ^ (high * 0xC2B2AE3D27D4EB4FL) ^ length;
      int slot = (int) (h >>> 55); // the top 9 bits: 0 .. SLOTS - 1
      String known = strings[slot];
      if (known != null && lows[slot] == low && highs[slot] == high && lengths[slot] == length) {
        return known;
      }
      String s = string(data, start, length);
      lows[slot] = low;
      highs[slot] = high;
      lengths[slot] = length;
      strings[slot] = s;
      return s;
    }
  }

  /** Bit {@code row} of the bitmap at {@code address}. */
  /**
   * The live rows' NULL flags, or null when none is NULL: the rows a scan filter dropped are left
   * unset by late materialization, so a vector's null count says little about its live rows.
   */
  private static boolean[] nulls(Batch batch, long validity, int n) {
    boolean[] nulls = new boolean[n];
    boolean any = false;
    for (int i = 0; i < n; i++) {
      nulls[i] = !isSet(validity, batch.selectedRow(i));
      any |= nulls[i];
    }
    return any ? nulls : null;
  }

  private static boolean isSet(long address, int row) {
    return (MemoryUtil.getByte(address + (row >> 3)) >> (row & 7) & 1) != 0;
  }
}
