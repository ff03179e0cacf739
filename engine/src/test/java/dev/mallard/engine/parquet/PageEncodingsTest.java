package dev.mallard.engine.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.FormatException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bulk bit unpacking of {@link PageEncodings#unpack} and the RLE / bit-packed hybrid decoder
 * built on it, against values packed here bit by bit (the format's definition), for every width a
 * dictionary index or level can have and for counts that end inside a group of 8.
 */
class PageEncodingsTest {
  private final Random random = new Random(7);

  @Test
  void unpacksEveryWidthAndPartialGroups() {
    for (int width = 0; width <= 32; width++) {
      for (int count : new int[] {0, 1, 7, 8, 9, 63, 64, 1001}) {
        int[] values = randomValues(width, count);
        byte[] packed = pack(values, width);
        int[] out = new int[count + 3];
        out[0] = 99;
        PageEncodings.unpack(packed, 1, width, out, 1, count); // starts at byte 1, writes from index 1
        assertThat(Arrays.copyOfRange(out, 1, count + 1)).as("width %d, count %d", width, count).containsExactly(values);
        assertThat(out[0]).isEqualTo(99);
        assertThat(out[count + 1]).isZero(); // nothing written past the count
      }
    }
  }

  @Test
  void decodesMixedRleAndBitPackedRuns() {
    for (int width : new int[] {1, 2, 3, 5, 8, 9, 13, 17, 20, 31, 32}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int[] expected = new int[0];
      for (int run = 0; run < 6; run++) {
        if (run % 2 == 0) { // bit-packed: 3 groups of 8
          int[] values = randomValues(width, 24);
          writeVarInt(out, (3 << 1) | 1);
          byte[] packed = pack(values, width);
          out.write(packed, 1, 3 * width);
          expected = concat(expected, values);
        } else { // repeated: 100 times one value
          int value = randomValues(width, 1)[0];
          writeVarInt(out, 100 << 1);
          for (int b = 0; b < (width + 7) / 8; b++) {
            out.write(value >>> (8 * b));
          }
          int[] values = new int[100];
          Arrays.fill(values, value);
          expected = concat(expected, values);
        }
      }
      byte[] data = Arrays.copyOf(out.toByteArray(), out.size() + PageEncodings.PADDING);
      int take = expected.length - 5; // the last run is cut short
      int[] decoded = new int[take];
      PageEncodings.rleHybrid(data, 0, out.size(), width, decoded, take);
      assertThat(decoded).as("width %d", width).containsExactly(Arrays.copyOf(expected, take));
    }
  }

  @Test
  void recognizesOneRunOfAValueCoveringEveryValue() {
    for (int width : new int[] {1, 2, 9}) {
      for (int runLength : new int[] {99, 100, 101, 300}) { // 300 takes a two-byte header
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarInt(out, runLength << 1);
        for (int b = 0; b < (width + 7) / 8; b++) {
          out.write(1 >>> (8 * b));
        }
        byte[] data = Arrays.copyOf(out.toByteArray(), out.size() + PageEncodings.PADDING);
        int end = out.size();
        assertThat(PageEncodings.isOneRun(data, 0, end, width, 100, 1)).as("width %d, run %d", width, runLength)
            .isEqualTo(runLength >= 100);
        assertThat(PageEncodings.isOneRun(data, 0, end, width, 100, 0)).isFalse(); // another value
        assertThat(PageEncodings.isOneRun(data, 0, end - 1, width, 99, 1)).isFalse(); // the value cut off
      }
      byte[] bitPacked = Arrays.copyOf(new byte[] {(byte) ((13 << 1) | 1), -1}, 2 + PageEncodings.PADDING);
      assertThat(PageEncodings.isOneRun(bitPacked, 0, 2, width, 100, 1)).isFalse();
    }
  }

  @Test
  void rejectsWidthsBeyond32Bits() {
    byte[] data = new byte[PageEncodings.PADDING + 4];
    assertThatThrownBy(() -> PageEncodings.rleHybrid(data, 0, 4, 33, new int[1], 1))
        .isInstanceOf(FormatException.class).hasMessageContaining("bit width 33");
  }

  @Test
  void rejectsBitPackedRunPastItsData() {
    byte[] data = new byte[PageEncodings.PADDING + 3];
    data[0] = (byte) ((4 << 1) | 1); // 4 groups of 8 at 8 bits: 32 bytes, only 2 there
    assertThatThrownBy(() -> PageEncodings.rleHybrid(data, 0, 3, 8, new int[32], 32))
        .isInstanceOf(FormatException.class).hasMessageContaining("past the end");
  }

  private int[] randomValues(int width, int count) {
    int[] values = new int[count];
    for (int i = 0; i < count; i++) {
      values[i] = width == 0 ? 0 : (int) (random.nextLong() & ((1L << width) - 1));
    }
    // the extremes of the width too
    if (count > 1 && width > 0) {
      values[0] = (int) ((1L << width) - 1);
      values[count - 1] = 0;
    }
    return values;
  }

  /** Packs least significant bit first, one bit at a time, after one leading byte; padded. */
  private static byte[] pack(int[] values, int width) {
    byte[] out = new byte[1 + (values.length * width + 7) / 8 + PageEncodings.PADDING];
    long bit = 8;
    for (int v : values) {
      for (int b = 0; b < width; b++, bit++) {
        if (((v >>> b) & 1) != 0) {
          out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
        }
      }
    }
    return out;
  }

  private static void writeVarInt(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7f) != 0) {
      out.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
