package dev.mallard.engine.parquet;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.io.api.Binary;

/** FIXED_LEN_BYTE_ARRAY(16) UUID into the canonical lower-case text of {@code uuid}. */
final class UuidDecoder extends ColumnDecoder {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private final byte[] text = new byte[36];

  @Override
  void readValue(ColumnReader reader, FieldVector vector, int row) {
    format(reader.getBinary(), text);
    ((VarCharVector) vector).setSafe(row, text, 0, 36);
  }

  @Override
  Object statValue(Object parquetValue, boolean upper) {
    byte[] out = new byte[36];
    format((Binary) parquetValue, out);
    return new String(out, StandardCharsets.US_ASCII);
  }

  /** Writes 8-4-4-4-12 hex digits; the 16 bytes are the UUID in big-endian order. */
  private static void format(Binary binary, byte[] out) {
    ByteBuffer bytes = binary.toByteBuffer();
    if (bytes.remaining() != 16) {
      throw new IllegalStateException("uuid of " + bytes.remaining() + " bytes instead of 16");
    }
    int p = bytes.position();
    int o = 0;
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        out[o++] = '-';
      }
      int b = bytes.get(p + i) & 0xff;
      out[o++] = HEX[b >>> 4];
      out[o++] = HEX[b & 0xf];
    }
  }
}
