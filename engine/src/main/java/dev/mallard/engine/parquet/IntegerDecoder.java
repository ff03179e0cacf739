package dev.mallard.engine.parquet;

import dev.mallard.engine.types.TypeKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Integer columns of every DuckLake width, signed or not, from INT32/INT64 with or without an
 * integer annotation. A file may hold a narrower integer than the table (the column was widened
 * later): accepted whenever every value of the file's type fits the table's type.
 */
final class IntegerDecoder extends ColumnDecoder {
  private final boolean int64;
  private final boolean unsigned;
  private final TypeKind target;

  private IntegerDecoder(boolean int64, boolean unsigned, TypeKind target) {
    this.int64 = int64;
    this.unsigned = unsigned;
    this.target = target;
  }

  /** A decoder, or null when the Parquet column is no integer or does not fit the target. */
  static IntegerDecoder create(PrimitiveType type, TypeKind target) {
    PrimitiveTypeName physical = type.getPrimitiveTypeName();
    if (physical != PrimitiveTypeName.INT32 && physical != PrimitiveTypeName.INT64) {
      return null;
    }
    LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
    int bits = physical == PrimitiveTypeName.INT32 ? 32 : 64;
    boolean signed = true;
    if (annotation instanceof IntLogicalTypeAnnotation i) {
      bits = i.getBitWidth();
      signed = i.isSigned();
    } else if (annotation != null) {
      return null; // a date, decimal, time... stored as an integer
    }
    BigInteger sourceMin = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
    BigInteger sourceMax = (signed ? BigInteger.ONE.shiftLeft(bits - 1) : BigInteger.ONE.shiftLeft(bits))
        .subtract(BigInteger.ONE);
    if (sourceMin.compareTo(min(target)) < 0 || sourceMax.compareTo(max(target)) > 0) {
      return null;
    }
    return new IntegerDecoder(physical == PrimitiveTypeName.INT64, !signed, target);
  }

  private static BigInteger min(TypeKind kind) {
    return switch (kind) {
      case INT8 -> BigInteger.valueOf(Byte.MIN_VALUE);
      case INT16 -> BigInteger.valueOf(Short.MIN_VALUE);
      case INT32 -> BigInteger.valueOf(Integer.MIN_VALUE);
      case INT64 -> BigInteger.valueOf(Long.MIN_VALUE);
      case INT128 -> BigInteger.ONE.shiftLeft(127).negate();
      default -> BigInteger.ZERO;
    };
  }

  private static BigInteger max(TypeKind kind) {
    int bits = switch (kind) {
      case INT8 -> 7;
      case UINT8 -> 8;
      case INT16 -> 15;
      case UINT16 -> 16;
      case INT32 -> 31;
      case UINT32 -> 32;
      case INT64 -> 63;
      case UINT64 -> 64;
      case INT128 -> 127;
      case UINT128 -> 128;
      default -> throw new IllegalArgumentException("not an integer type: " + kind);
    };
    return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
  }

  @Override
  void readValue(ColumnReader reader, FieldVector vector, int row) {
    long v = int64 ? reader.getLong() : unsigned ? Integer.toUnsignedLong(reader.getInteger()) : reader.getInteger();
    switch (target) {
      case INT8 -> ((TinyIntVector) vector).set(row, (byte) v);
      case INT16, UINT8 -> ((SmallIntVector) vector).set(row, (short) v);
      case INT32, UINT16 -> ((IntVector) vector).set(row, (int) v);
      case INT64, UINT32 -> ((BigIntVector) vector).set(row, v);
      case UINT64 -> {
        if (unsigned && v < 0) {
          ((DecimalVector) vector).set(row, new BigDecimal(unsignedBig(v)));
        } else {
          ((DecimalVector) vector).set(row, v);
        }
      }
      default -> { // INT128, UINT128
        if (unsigned && v < 0) {
          ((Decimal256Vector) vector).set(row, new BigDecimal(unsignedBig(v)));
        } else {
          ((Decimal256Vector) vector).set(row, v);
        }
      }
    }
  }

  @Override
  Object statValue(Object parquetValue, boolean upper) {
    long v = ((Number) parquetValue).longValue();
    if (!int64 && unsigned) {
      v = Integer.toUnsignedLong((Integer) parquetValue);
    }
    return switch (target) {
      case UINT64, INT128, UINT128 -> unsigned ? unsignedBig(v) : BigInteger.valueOf(v);
      default -> v;
    };
  }

  private static BigInteger unsignedBig(long v) {
    BigInteger b = BigInteger.valueOf(v);
    return v < 0 ? b.add(BigInteger.ONE.shiftLeft(64)) : b;
  }
}
