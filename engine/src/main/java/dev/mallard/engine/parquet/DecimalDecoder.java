package dev.mallard.engine.parquet;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decimals stored as INT32, INT64 (unscaled value) or FIXED_LEN_BYTE_ARRAY / BINARY (big-endian
 * two's complement unscaled value). A file may hold a narrower decimal(P',S') than the table's
 * decimal(P,S) when S' <= S and the integer digits fit: values are rescaled exactly.
 */
final class DecimalDecoder extends ColumnDecoder {
  private final PrimitiveTypeName physical;
  private final int sourceScale;
  private final int targetScale;
  private final long factor; // 10^(S - S'), or 0 when that overflows a long
  private final BigInteger bigFactor;

  private DecimalDecoder(PrimitiveTypeName physical, int sourceScale, int targetScale) {
    this.physical = physical;
    this.sourceScale = sourceScale;
    this.targetScale = targetScale;
    this.bigFactor = BigInteger.TEN.pow(targetScale - sourceScale);
    this.factor = bigFactor.bitLength() < 63 ? bigFactor.longValue() : 0;
  }

  /** A decoder, or null when the column is no decimal or does not fit decimal(precision, scale). */
  static DecimalDecoder create(PrimitiveType type, int precision, int scale) {
    if (!(type.getLogicalTypeAnnotation() instanceof DecimalLogicalTypeAnnotation d)) {
      return null;
    }
    boolean fits = d.getScale() <= scale && d.getPrecision() - d.getScale() <= precision - scale;
    return switch (type.getPrimitiveTypeName()) {
      case INT32, INT64, FIXED_LEN_BYTE_ARRAY, BINARY ->
          fits ? new DecimalDecoder(type.getPrimitiveTypeName(), d.getScale(), scale) : null;
      default -> null;
    };
  }

  @Override
  void readValue(ColumnReader reader, FieldVector vector, int row) {
    DecimalVector out = (DecimalVector) vector;
    switch (physical) {
      case INT32 -> setUnscaled(out, row, reader.getInteger());
      case INT64 -> setUnscaled(out, row, reader.getLong());
      default -> {
        byte[] bytes = reader.getBinary().getBytesUnsafe();
        if (factor == 1 && bytes.length <= 16 && bytes.length > 0) {
          out.setBigEndian(row, bytes); // sign-extends, no rescaling needed
        } else {
          out.set(row, new BigDecimal(new BigInteger(bytes).multiply(bigFactor), targetScale));
        }
      }
    }
  }

  private void setUnscaled(DecimalVector out, int row, long unscaled) {
    if (factor == 1) {
      out.set(row, unscaled);
      return;
    }
    if (factor != 0) {
      long high = Math.multiplyHigh(unscaled, factor);
      long low = unscaled * factor;
      if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
        out.set(row, low);
        return;
      }
    }
    out.set(row, new BigDecimal(BigInteger.valueOf(unscaled).multiply(bigFactor), targetScale));
  }

  @Override
  Object statValue(Object parquetValue, boolean upper) {
    BigInteger unscaled = parquetValue instanceof Binary b
        ? new BigInteger(b.getBytesUnsafe())
        : BigInteger.valueOf(((Number) parquetValue).longValue());
    return new BigDecimal(unscaled, sourceScale).setScale(targetScale);
  }
}
