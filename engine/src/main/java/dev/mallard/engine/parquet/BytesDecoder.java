package dev.mallard.engine.parquet;

import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.io.api.Binary;

/**
 * BYTE_ARRAY (or FIXED_LEN_BYTE_ARRAY) values copied as they are into {@code varchar}, {@code json},
 * {@code blob}; and the text forms some DuckDB versions write instead of a native type:
 * {@code time_ns} as VARCHAR (DuckDB 1.5's COPY) and {@code uuid} as VARCHAR.
 */
final class BytesDecoder extends ColumnDecoder {
  private final DuckLakeType target;

  BytesDecoder(DuckLakeType target) {
    this.target = target;
  }

  @Override
  void readValue(ColumnReader reader, FieldVector vector, int row) {
    Binary value = reader.getBinary();
    switch (target.kind()) {
      case TIME_NS -> ((TimeNanoVector) vector).set(row, (Long) Values.parse(target, value.toStringUsingUTF8()));
      case UUID -> {
        byte[] text = value.toStringUsingUTF8().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        ((BaseVariableWidthVector) vector).setSafe(row, text, 0, text.length);
      }
      default -> {
        ByteBuffer bytes = value.toByteBuffer();
        ((BaseVariableWidthVector) vector).setSafe(row, bytes, bytes.position(), bytes.remaining());
      }
    }
  }

  @Override
  Object statValue(Object parquetValue, boolean upper) {
    if (target.kind() == TypeKind.BLOB) {
      return null; // the engine does not prune on blobs
    }
    // A bound cut inside a UTF-8 sequence would decode to U+FFFD, which orders wrongly: unknown.
    ByteBuffer bytes = ((Binary) parquetValue).toByteBuffer();
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
      return Values.parseStat(target, text);
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
