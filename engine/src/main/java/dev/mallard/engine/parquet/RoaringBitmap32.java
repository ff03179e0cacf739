package dev.mallard.engine.parquet;

import dev.mallard.engine.MallardException.FormatException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The portable serialization of a 32-bit Roaring bitmap (the format of the RoaringFormatSpec that
 * CRoaring's {@code roaring_bitmap_portable_serialize} and Java's {@code RoaringBitmap.serialize}
 * share), which Iceberg's {@code deletion-vector-v1} blobs hold. Only what deletion vectors need:
 * decoding every container kind, encoding with array and bitmap containers (no run containers,
 * which every reader accepts). Values are unsigned 32-bit ints, kept in {@code long}s.
 */
final class RoaringBitmap32 {
  private static final int SERIAL_COOKIE_NO_RUNCONTAINER = 12346;
  private static final int SERIAL_COOKIE = 12347;
  /** With run containers, the offset header is only written from this many containers on. */
  private static final int NO_OFFSET_THRESHOLD = 4;
  /** A container of more values than this is a bitmap of 2^16 bits. */
  private static final int ARRAY_MAX = 4096;
  private static final int BITMAP_BYTES = 8192;

  private RoaringBitmap32() {}

  /**
   * Decodes one bitmap starting at the buffer's position (little-endian), adds {@code high << 32}
   * to each value and hands it to {@code out} in ascending order; leaves the position after the bitmap.
   */
  static void read(ByteBuffer in, long high, java.util.function.LongConsumer out, String location) {
    in.order(ByteOrder.LITTLE_ENDIAN);
    try {
      int cookie = in.getInt();
      int containers;
      byte[] runFlags = null;
      if ((cookie & 0xFFFF) == SERIAL_COOKIE) {
        containers = (cookie >>> 16) + 1;
        runFlags = new byte[(containers + 7) / 8];
        in.get(runFlags);
      } else if (cookie == SERIAL_COOKIE_NO_RUNCONTAINER) {
        containers = in.getInt();
      } else {
        throw new FormatException("Deletion vector in " + location + " is not a Roaring bitmap (cookie " + cookie + ")");
      }
      if (containers < 0 || containers > 65536) {
        throw new FormatException("Deletion vector in " + location + " has " + containers + " containers");
      }
      int[] keys = new int[containers];
      int[] cardinalities = new int[containers];
      for (int i = 0; i < containers; i++) {
        keys[i] = Short.toUnsignedInt(in.getShort());
        cardinalities[i] = Short.toUnsignedInt(in.getShort()) + 1;
      }
      if (runFlags == null || containers >= NO_OFFSET_THRESHOLD) {
        in.position(in.position() + 4 * containers); // offsets: the containers follow each other anyway
      }
      long base = high << 32;
      for (int i = 0; i < containers; i++) {
        long upper = base | ((long) keys[i] << 16);
        if (runFlags != null && (runFlags[i / 8] & (1 << (i % 8))) != 0) {
          int runs = Short.toUnsignedInt(in.getShort());
          for (int r = 0; r < runs; r++) {
            int start = Short.toUnsignedInt(in.getShort());
            int length = Short.toUnsignedInt(in.getShort());
            for (int v = start; v <= start + length; v++) {
              out.accept(upper | v);
            }
          }
        } else if (cardinalities[i] > ARRAY_MAX) {
          for (int word = 0; word < BITMAP_BYTES / 8; word++) {
            long bits = in.getLong();
            while (bits != 0) {
              out.accept(upper | (word * 64L + Long.numberOfTrailingZeros(bits)));
              bits &= bits - 1;
            }
          }
        } else {
          for (int v = 0; v < cardinalities[i]; v++) {
            out.accept(upper | Short.toUnsignedInt(in.getShort()));
          }
        }
      }
    } catch (BufferUnderflowException e) {
      throw new FormatException("Deletion vector in " + location + " is truncated");
    }
  }

  /** The serialized size of {@code values} (ascending unsigned 32-bit ints), for {@link #write}. */
  static int size(long[] values, int from, int to) {
    int size = 8;
    for (int i = from; i < to; ) {
      int end = containerEnd(values, i, to);
      int n = end - i;
      size += 4 + 4 + (n > ARRAY_MAX ? BITMAP_BYTES : 2 * n);
      i = end;
    }
    return size;
  }

  /** Writes {@code values[from, to)} (ascending, distinct, each below 2^32) in the portable format without runs. */
  static void write(ByteBuffer out, long[] values, int from, int to) {
    out.order(ByteOrder.LITTLE_ENDIAN);
    int containers = 0;
    for (int i = from; i < to; i = containerEnd(values, i, to)) {
      containers++;
    }
    out.putInt(SERIAL_COOKIE_NO_RUNCONTAINER);
    out.putInt(containers);
    for (int i = from; i < to; ) {
      int end = containerEnd(values, i, to);
      out.putShort((short) (values[i] >>> 16));
      out.putShort((short) (end - i - 1));
      i = end;
    }
    int offset = 8 + 8 * containers;
    for (int i = from; i < to; ) {
      int end = containerEnd(values, i, to);
      out.putInt(offset);
      offset += end - i > ARRAY_MAX ? BITMAP_BYTES : 2 * (end - i);
      i = end;
    }
    for (int i = from; i < to; ) {
      int end = containerEnd(values, i, to);
      if (end - i > ARRAY_MAX) {
        long[] words = new long[BITMAP_BYTES / 8];
        for (int v = i; v < end; v++) {
          int low = (int) (values[v] & 0xFFFF);
          words[low >>> 6] |= 1L << (low & 63);
        }
        Arrays.stream(words).forEach(out::putLong);
      } else {
        for (int v = i; v < end; v++) {
          out.putShort((short) values[v]);
        }
      }
      i = end;
    }
  }

  /** The end of the container starting at {@code i}: the values sharing its upper 16 bits. */
  private static int containerEnd(long[] values, int i, int to) {
    long key = values[i] >>> 16;
    int end = i + 1;
    while (end < to && values[end] >>> 16 == key) {
      end++;
    }
    return end;
  }
}
