package dev.mallard.engine.parquet;

import java.math.BigInteger;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * {@code int128} / {@code uint128} from a DECIMAL(P,0) column: the exact form Mallard writes them in
 * (FIXED_LEN_BYTE_ARRAY(16) DECIMAL(38,0), see {@code ColumnEncoder.Int128Encoder}) and DuckDB
 * reads back into HUGEINT; INT32/INT64/BINARY decimals of scale 0 are read alike. A negative value
 * in a uint128 column fails, as DuckDB's cast does.
 */
final class Int128FromDecimalDecoder extends ColumnDecoder {
  private final PrimitiveTypeName physical;
  private final boolean unsigned;

  private Int128FromDecimalDecoder(PrimitiveTypeName physical, boolean unsigned) {
    this.physical = physical;
    this.unsigned = unsigned;
  }

  /** A decoder, or null when the column is no decimal of scale 0 (every such decimal fits 128 bits). */
  static Int128FromDecimalDecoder create(PrimitiveType type, boolean unsigned) {
    if (type.getLogicalTypeAnnotation() instanceof DecimalLogicalTypeAnnotation d && d.getScale() == 0
        && d.getPrecision() <= 38) {
      return new Int128FromDecimalDecoder(type.getPrimitiveTypeName(), unsigned);
    }
    return null;
  }

  @Override
  void readValue(ColumnReader reader, FieldVector vector, int row) {
    Decimal256Vector out = (Decimal256Vector) vector;
    switch (physical) {
      case INT32 -> set(out, row, reader.getInteger());
      case INT64 -> set(out, row, reader.getLong());
      default -> {
        byte[] bytes = reader.getBinary().getBytes();
        if (unsigned && bytes.length > 0 && bytes[0] < 0) {
          throw new ArithmeticException("negative value " + new BigInteger(bytes) + " for uint128");
        }
        out.setBigEndian(row, bytes);
      }
    }
  }

  private void set(Decimal256Vector out, int row, long v) {
    if (unsigned && v < 0) {
      throw new ArithmeticException("negative value " + v + " for uint128");
    }
    out.set(row, v);
  }

  @Override
  Object statValue(Object parquetValue, boolean upper) {
    return parquetValue instanceof Binary b ? new BigInteger(b.getBytes())
        : BigInteger.valueOf(((Number) parquetValue).longValue());
  }

}
