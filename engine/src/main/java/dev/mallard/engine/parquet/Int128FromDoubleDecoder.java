package dev.mallard.engine.parquet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnReader;

/**
 * {@code int128} / {@code uint128} as DuckDB 1.5 writes them: Parquet has no 128-bit integer, so
 * DuckDB stores a DOUBLE, which keeps only 53 significant bits. The exact value is lost in the
 * file; this reads what is there, rounded half-even to an integer as DuckDB's own cast does, and
 * fails, like DuckDB, on a value outside the type's range.
 */
final class Int128FromDoubleDecoder extends ColumnDecoder {
  private static final BigInteger INT128_MIN = BigInteger.ONE.shiftLeft(127).negate();
  private static final BigInteger INT128_MAX = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
  private static final BigInteger UINT128_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  private final boolean unsigned;

  Int128FromDoubleDecoder(boolean unsigned) {
    this.unsigned = unsigned;
  }

  @Override
  void readValue(ColumnReader reader, FieldVector vector, int row) {
    double d = reader.getDouble();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new ArithmeticException("value " + d + " is no " + (unsigned ? "uint128" : "int128"));
    }
    BigInteger value = new BigDecimal(d).setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
    BigInteger min = unsigned ? BigInteger.ZERO : INT128_MIN;
    BigInteger max = unsigned ? UINT128_MAX : INT128_MAX;
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new ArithmeticException("value " + d + " is out of range for " + (unsigned ? "uint128" : "int128"));
    }
    ((Decimal256Vector) vector).set(row, new BigDecimal(value));
  }

  @Override
  Object statValue(Object parquetValue, boolean upper) {
    return null; // bounds of rounded doubles are not bounds of the original integers
  }
}
