package dev.mallard.engine.parquet;

import dev.mallard.engine.MallardException.FormatException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Parquet value and level encodings, decoded a whole page at a time from a byte array into
 * Java arrays (see {@link PageColumnReader}). Every array passed in must have at least
 * {@link #PADDING} bytes after its last meaningful byte, so that bit unpacking can always load a
 * whole little-endian long.
 */
final class PageEncodings {
  private PageEncodings() {}

  /** Bytes a page array carries beyond its content. */
  static final int PADDING = 16;

  static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** {@code width} (0..64) bits starting at bit {@code bitPos} of {@code buf}, least significant first. */
  static long bits(byte[] buf, long bitPos, int width) {
    if (width == 0) {
      return 0;
    }
    int index = (int) (bitPos >>> 3);
    int shift = (int) (bitPos & 7);
    long v = (long) LONG_LE.get(buf, index) >>> shift;
    if (width + shift > 64) {
      v |= (buf[index + 8] & 0xffL) << (64 - shift);
    }
    return width == 64 ? v : v & ((1L << width) - 1);
  }

  /**
   * Decodes {@code count} values of the RLE / bit-packed hybrid encoding (levels, dictionary
   * indices, booleans) from {@code [pos, end)} into {@code out}.
   */
  /**
   * Whether the RLE/bit-packed hybrid data from {@code pos} starts with one run of {@code value}
   * covering all {@code count} values: the definition levels of a page without NULLs, as writers
   * encode them. A cheap test that spares decoding (and then scanning) a level per row.
   */
  static boolean isOneRun(byte[] buf, int pos, int end, int bitWidth, int count, int value) {
    long header = 0;
    for (int shift = 0; shift <= 35; shift += 7) { // unsigned LEB128
      if (pos >= end) {
        return false;
      }
      byte b = buf[pos++];
      header |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        int byteWidth = (bitWidth + 7) / 8;
        if ((header & 1) != 0 || header >>> 1 < count || pos + byteWidth > end) {
          return false;
        }
        int runValue = 0;
        for (int i = 0; i < byteWidth; i++) {
          runValue |= (buf[pos + i] & 0xff) << (8 * i);
        }
        return runValue == value;
      }
    }
    return false;
  }

  static void rleHybrid(byte[] buf, int pos, int end, int bitWidth, int[] out, int count) {
    if (bitWidth < 0 || bitWidth > 32) {
      throw new FormatException("RLE bit width " + bitWidth);
    }
    int byteWidth = (bitWidth + 7) / 8;
    int n = 0;
    while (n < count) {
      if (pos >= end) {
        throw new FormatException("RLE data ends after " + n + " of " + count + " values");
      }
      long header = 0;
      int shift = 0;
      while (true) { // unsigned LEB128
        byte b = buf[pos++];
        header |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          break;
        }
        shift += 7;
        if (shift > 35) {
          throw new FormatException("RLE run header is too long");
        }
      }
      if ((header & 1) == 0) {
        int runLength = (int) Math.min(header >>> 1, count - n);
        int value = 0;
        for (int i = 0; i < byteWidth; i++) {
          value |= (buf[pos + i] & 0xff) << (8 * i);
        }
        pos += byteWidth;
        java.util.Arrays.fill(out, n, n + runLength, value);
        n += runLength;
      } else {
        long values = (header >>> 1) * 8;
        if (pos + (header >>> 1) * bitWidth > end) {
          throw new FormatException("bit-packed run runs past the end of its data");
        }
        int take = (int) Math.min(values, count - n);
        unpack(buf, pos, bitWidth, out, n, take);
        n += take;
        pos += (int) ((header >>> 1) * bitWidth);
      }
    }
  }

  /**
   * Unpacks {@code count} values of {@code bitWidth} (0..32) bits, packed least significant bit
   * first from byte {@code pos}, into {@code out[at..]}. Groups of 8 values fill exactly {@code
   * bitWidth} bytes, so each group starts on a byte: up to 8 bits wide, one little-endian long holds
   * a whole group; wider values each sit within one long loaded at their first byte (a shift of at
   * most 7 plus 32 bits). Relies on the {@link #PADDING} after the data for the last loads.
   */
  static void unpack(byte[] buf, int pos, int bitWidth, int[] out, int at, int count) {
    if (bitWidth == 0) {
      java.util.Arrays.fill(out, at, at + count, 0);
      return;
    }
    int mask = (int) ((1L << bitWidth) - 1);
    int groups = count >>> 3;
    if (bitWidth <= 8) {
      int w = bitWidth;
      for (int g = 0; g < groups; g++, pos += w, at += 8) {
        long word = (long) LONG_LE.get(buf, pos);
        out[at] = (int) word & mask;
        out[at + 1] = (int) (word >>> w) & mask;
        out[at + 2] = (int) (word >>> 2 * w) & mask;
        out[at + 3] = (int) (word >>> 3 * w) & mask;
        out[at + 4] = (int) (word >>> 4 * w) & mask;
        out[at + 5] = (int) (word >>> 5 * w) & mask;
        out[at + 6] = (int) (word >>> 6 * w) & mask;
        out[at + 7] = (int) (word >>> 7 * w) & mask;
      }
    } else {
      long bit = (long) pos << 3;
      int end = at + (groups << 3);
      for (; at < end; at++, bit += bitWidth) {
        out[at] = (int) ((long) LONG_LE.get(buf, (int) (bit >>> 3)) >>> (bit & 7)) & mask;
      }
      pos += groups * bitWidth;
    }
    long bit = (long) pos << 3;
    for (int i = 0; i < (count & 7); i++, bit += bitWidth) { // the last, partial group
      out[at + i] = (int) ((long) LONG_LE.get(buf, (int) (bit >>> 3)) >>> (bit & 7)) & mask;
    }
  }

  /** The deprecated BIT_PACKED level encoding: {@code count} values, most significant bit first. */
  static void bitPackedMsbFirst(byte[] buf, int pos, int bitWidth, int[] out, int count) {
    long bitPos = (long) pos * 8;
    for (int i = 0; i < count; i++) {
      int v = 0;
      for (int b = 0; b < bitWidth; b++, bitPos++) {
        v = (v << 1) | ((buf[(int) (bitPos >>> 3)] >>> (7 - (int) (bitPos & 7))) & 1);
      }
      out[i] = v;
    }
  }

  /** A cursor for the variable-length integers of DELTA_BINARY_PACKED headers. */
  static final class Cursor {
    final byte[] buf;
    int pos;

    Cursor(byte[] buf, int pos) {
      this.buf = buf;
      this.pos = pos;
    }

    long unsignedVarLong() {
      long v = 0;
      for (int shift = 0; shift < 70; shift += 7) {
        byte b = buf[pos++];
        v |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return v;
        }
      }
      throw new FormatException("variable-length integer is too long");
    }

    long zigZagVarLong() {
      long v = unsignedVarLong();
      return (v >>> 1) ^ -(v & 1);
    }
  }

  /**
   * Decodes one DELTA_BINARY_PACKED run starting at {@code pos} into {@code out} (grown as
   * needed; the value count comes from the header) and returns the position after it. Arithmetic
   * wraps, so INT32 columns get their values by narrowing the longs.
   */
  static int deltaBinaryPacked(byte[] buf, int pos, int end, LongArray out) {
    Cursor c = new Cursor(buf, pos);
    int blockSize = (int) c.unsignedVarLong();
    int miniBlocks = (int) c.unsignedVarLong();
    long total = c.unsignedVarLong();
    long value = c.zigZagVarLong();
    if (miniBlocks <= 0 || blockSize <= 0 || blockSize % miniBlocks != 0 || total < 0 || total > Integer.MAX_VALUE) {
      throw new FormatException("invalid DELTA_BINARY_PACKED header (block " + blockSize + ", miniblocks "
          + miniBlocks + ", values " + total + ")");
    }
    int perMini = blockSize / miniBlocks;
    int count = (int) total;
    long[] values = out.ensure(count);
    if (count == 0) {
      out.size = 0;
      return c.pos;
    }
    values[0] = value;
    int n = 1;
    while (n < count) {
      long minDelta = c.zigZagVarLong();
      int widthsAt = c.pos;
      c.pos += miniBlocks;
      for (int m = 0; m < miniBlocks && n < count; m++) {
        int width = buf[widthsAt + m] & 0xff;
        if (width > 64) {
          throw new FormatException("DELTA_BINARY_PACKED bit width " + width);
        }
        if (c.pos + (long) perMini * width / 8 > end) {
          throw new FormatException("DELTA_BINARY_PACKED data runs past the end of its page");
        }
        long bitPos = (long) c.pos * 8;
        int take = Math.min(perMini, count - n);
        for (int i = 0; i < take; i++) {
          value += minDelta + bits(buf, bitPos, width);
          values[n++] = value;
          bitPos += width;
        }
        c.pos += perMini * width / 8;
      }
    }
    out.size = count;
    return c.pos;
  }

  /** A growable long array. */
  static final class LongArray {
    long[] values = new long[0];
    int size;

    long[] ensure(int n) {
      if (values.length < n) {
        values = new long[Math.max(n, values.length * 2)];
      }
      return values;
    }
  }
}
