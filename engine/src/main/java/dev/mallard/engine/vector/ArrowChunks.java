package dev.mallard.engine.vector;

import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.BatchReader;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
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

/** Reads the live rows of the engine's Arrow {@link Batch}es into {@link Chunk}s. */
public final class ArrowChunks implements ChunkSource {
  private final BatchReader reader;
  private final DuckLakeType[] types;
  private final Runnable checkStop;

  /**
   * @param types the types of the batches' vectors, each one {@link #readable}
   * @param checkStop run before each batch is read; throws to stop the scan
   */
  public ArrowChunks(BatchReader reader, DuckLakeType[] types, Runnable checkStop) {
    this.reader = reader;
    this.types = types.clone();
    this.checkStop = checkStop;
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

  @Override
  public Chunk next() {
    while (true) {
      checkStop.run();
      Batch batch = reader.next();
      if (batch == null) {
        return null;
      }
      try (batch) {
        int n = batch.selectedCount();
        if (n == 0) {
          continue;
        }
        Column[] columns = new Column[types.length];
        for (int c = 0; c < types.length; c++) {
          columns[c] = read(batch, batch.vector(c), types[c].kind(), n);
        }
        return new Chunk(columns, n);
      }
    }
  }

  private static Column read(Batch batch, FieldVector vector, TypeKind kind, int n) {
    if (kind == TypeKind.VARCHAR) {
      return Column.ofObjects(strings(batch, (VarCharVector) vector, n), n);
    }
    boolean[] nulls = null;
    if (vector.getNullCount() > 0) {
      nulls = new boolean[n];
      for (int i = 0; i < n; i++) {
        nulls[i] = vector.isNull(batch.selectedRow(i));
      }
    }
    if (kind == TypeKind.FLOAT64) {
      Float8Vector v = (Float8Vector) vector;
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        out[i] = v.getDataBuffer().getDouble((long) batch.selectedRow(i) * Float8Vector.TYPE_WIDTH);
      }
      return Column.ofDoubles(out, nulls, n);
    }
    long[] out = new long[n];
    // Straight from the data buffers: the vectors' getters check for NULL on every call.
    var data = ((BaseFixedWidthVector) vector).getDataBuffer();
    switch (kind) {
      case BOOLEAN -> {
        for (int i = 0; i < n; i++) {
          out[i] = isSet(data, batch.selectedRow(i)) ? 1 : 0;
        }
      }
      case INT8 -> {
        for (int i = 0; i < n; i++) {
          out[i] = data.getByte((long) batch.selectedRow(i) * TinyIntVector.TYPE_WIDTH);
        }
      }
      case INT16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = data.getShort((long) batch.selectedRow(i) * SmallIntVector.TYPE_WIDTH);
        }
      }
      case INT32 -> {
        for (int i = 0; i < n; i++) {
          out[i] = data.getInt((long) batch.selectedRow(i) * IntVector.TYPE_WIDTH);
        }
      }
      case DATE -> {
        for (int i = 0; i < n; i++) {
          out[i] = data.getInt((long) batch.selectedRow(i) * DateDayVector.TYPE_WIDTH);
        }
      }
      case INT64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = data.getLong((long) batch.selectedRow(i) * BigIntVector.TYPE_WIDTH);
        }
      }
      case DECIMAL -> {
        // Little-endian 128-bit two's complement; a value of at most 18 digits is its low 64 bits.
        for (int i = 0; i < n; i++) {
          out[i] = data.getLong((long) batch.selectedRow(i) * DecimalVector.TYPE_WIDTH);
        }
      }
      default -> throw new IllegalArgumentException("Cannot read " + kind + " into a chunk");
    }
    return Column.ofLongs(out, nulls, n);
  }

  /** Short strings seen in a batch are remembered in a table of this many entries. */
  private static final int STRING_TABLE = 256;
  /** Longer strings are rarely repeated (comments, names): never looked up. */
  private static final int SHORT_STRING = 32;

  /**
   * The live rows' strings. A short string equal to one met before in the batch is that same String
   * (a small table keyed by the bytes' hash): low-cardinality columns (flags, modes, nations) then
   * allocate one String per distinct value, not per row, and a String's cached hash serves every row
   * that shares it when the rows are grouped or joined.
   */
  private static Object[] strings(Batch batch, VarCharVector v, int n) {
    ArrowBuf offsets = v.getOffsetBuffer();
    ArrowBuf data = v.getDataBuffer();
    byte[][] seenBytes = new byte[STRING_TABLE][];
    String[] seen = new String[STRING_TABLE];
    byte[] scratch = new byte[SHORT_STRING];
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      int row = batch.selectedRow(i);
      if (v.isNull(row)) {
        continue;
      }
      int start = offsets.getInt((long) row * 4);
      int length = offsets.getInt((long) row * 4 + 4) - start;
      if (length > SHORT_STRING) {
        byte[] bytes = new byte[length];
        data.getBytes(start, bytes, 0, length);
        out[i] = new String(bytes, StandardCharsets.UTF_8);
        continue;
      }
      data.getBytes(start, scratch, 0, length);
      int hash = length;
      for (int b = 0; b < length; b++) {
        hash = 31 * hash + scratch[b];
      }
      int slot = (hash ^ (hash >>> 8) ^ (hash >>> 16)) & (STRING_TABLE - 1);
      byte[] known = seenBytes[slot];
      if (known == null || !Arrays.equals(known, 0, known.length, scratch, 0, length)) {
        known = Arrays.copyOf(scratch, length);
        seenBytes[slot] = known;
        seen[slot] = new String(known, StandardCharsets.UTF_8);
      }
      out[i] = seen[slot];
    }
    return out;
  }

  private static boolean isSet(org.apache.arrow.memory.ArrowBuf bits, int row) {
    return (bits.getByte(row >> 3) >> (row & 7) & 1) != 0;
  }

  @Override
  public void close() {
    reader.close();
  }
}
