package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.arrow.vector.BigIntVector;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Turns a batch's rows into the {@code Object[]} rows Calcite's generated code consumes, each value
 * in Calcite's internal form for the column's SQL type (see {@link SqlTypes}).
 */
final class RowConverter {
  private final ColumnInfo[] columns;
  private final int addressStart;

  /** For a scan's output columns, and its row addresses if it returns them. */
  RowConverter(ScanPlan plan) {
    this.columns = plan.outputColumns().toArray(new ColumnInfo[0]);
    this.addressStart = plan.withRowAddress() ? plan.addressColumns() : -1;
  }

  /** The i-th live row of the batch; the batch's first vectors are the output columns, in order. */
  Object[] row(Batch batch, int i) {
    int row = batch.selectedRow(i);
    int extra = addressStart < 0 ? 0 : ScanPlan.ADDRESS_COLUMNS;
    Object[] out = new Object[columns.length + extra];
    for (int c = 0; c < columns.length; c++) {
      out[c] = toCalcite(columns[c], VectorValues.get(batch.vector(c), row, columns[c].type()));
    }
    for (int a = 0; a < extra; a++) {
      BigIntVector v = (BigIntVector) batch.vector(addressStart + a);
      out[columns.length + a] = v.isNull(row) ? null : v.get(row);
    }
    return out;
  }

  /**
   * The value in Calcite's internal form. Calcite keeps times and timestamps to the millisecond;
   * a value that would lose digits (or an infinite date or timestamp) fails instead of rounding.
   */
  static Object toCalcite(ColumnInfo column, Object value) {
    if (value == null) {
      return null;
    }
    DuckLakeType type = column.type();
    return switch (type.kind()) {
      case INT8 -> (byte) (long) (Long) value;
      case INT16, UINT8 -> (short) (long) (Long) value;
      case INT32, UINT16 -> (int) (long) (Long) value;
      case UINT64, INT128, UINT128 -> new BigDecimal((BigInteger) value);
      case FLOAT32 -> (float) (double) (Double) value;
      case BLOB, GEOMETRY -> new ByteString((byte[]) value);
      case INTERVAL -> value.toString();
      case DATE -> {
        if (Math.abs((Integer) value) == Values.DATE_INFINITY) {
          throw notRepresentable(column, value);
        }
        yield value;
      }
      case TIME -> (int) toMillis(column, (Long) value, 1000L);
      case TIME_NS -> (int) toMillis(column, (Long) value, 1_000_000L);
      case TIMESTAMP_S -> Math.multiplyExact((Long) value, 1000L);
      case TIMESTAMP_MS -> value;
      case TIMESTAMP, TIMESTAMPTZ -> toMillis(column, (Long) value, 1000L);
      case TIMESTAMP_NS, TIMESTAMPTZ_NS -> toMillis(column, (Long) value, 1_000_000L);
      default -> value;
    };
  }

  private static long toMillis(ColumnInfo column, long value, long unitsPerMilli) {
    if (value % unitsPerMilli != 0 || Math.abs(value) == Values.TIMESTAMP_INFINITY) {
      throw notRepresentable(column, value);
    }
    return value / unitsPerMilli;
  }

  private static UnsupportedFeatureException notRepresentable(ColumnInfo column, Object value) {
    return new UnsupportedFeatureException("Column " + column.name() + " (" + column.type() + ") holds a value ("
        + value + " in the column's unit) that SQL results cannot show exactly yet: they keep dates, times and"
        + " timestamps to the millisecond, without infinities. Mallard fails rather than round it; filters on the"
        + " column are still exact, and selecting other columns works.");
  }
}
