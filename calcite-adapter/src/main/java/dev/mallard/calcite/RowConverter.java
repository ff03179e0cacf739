package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.RowOrigins;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanTask;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.GeometryText;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Turns a batch's rows into the {@code Object[]} rows Calcite's generated code consumes, each value
 * in Calcite's internal form for the column's SQL type (see {@link SqlTypes}).
 */
final class RowConverter {
  /** The row's columns: real ones (read by the plan, in order) and {@link VirtualColumns}. */
  private final ColumnInfo[] columns;
  /** For each of {@link #columns}: its vector in the batch, or -1 for a virtual column. */
  private final int[] vectors;
  private final int addressStart;
  private final boolean addressOut;
  private final RowOrigins origins;
  /** Timestamps in the unit of their SQL type's precision, not in milliseconds (see {@link ExactTimestamps}). */
  private final boolean exactTimestamps;

  /** For a scan's output columns, and its row addresses if it returns them. */
  RowConverter(ScanPlan plan) {
    this(plan, plan.outputColumns(), plan.withRowAddress(), null, false);
  }

  /**
   * For rows of {@code columns}, the plan's output columns in their order with virtual columns
   * among them (the plan then reads row addresses), followed by the row addresses if
   * {@code addressOut}.
   */
  RowConverter(ScanPlan plan, List<ColumnInfo> columns, boolean addressOut, RowOrigins origins,
      boolean exactTimestamps) {
    this.columns = columns.toArray(new ColumnInfo[0]);
    this.vectors = new int[this.columns.length];
    int real = 0;
    for (int c = 0; c < this.columns.length; c++) {
      vectors[c] = VirtualColumns.isVirtual(this.columns[c]) ? -1 : real++;
    }
    this.addressStart = plan.withRowAddress() ? plan.addressColumns() : -1;
    this.addressOut = addressOut;
    this.origins = origins;
    this.exactTimestamps = exactTimestamps;
  }

  /**
   * The i-th live row of the batch, read from {@code task}; the batch's first vectors are the
   * plan's output columns, in order.
   */
  Object[] row(Batch batch, int i, ScanTask task) {
    int row = batch.selectedRow(i);
    int extra = addressOut ? ScanPlan.ADDRESS_COLUMNS : 0;
    Object[] out = new Object[columns.length + extra];
    for (int c = 0; c < columns.length; c++) {
      out[c] = vectors[c] >= 0 ? value(columns[c], VectorValues.get(batch.vector(vectors[c]), row,
          columns[c])) : virtual(columns[c], batch, row, task);
    }
    for (int a = 0; a < extra; a++) {
      out[columns.length + a] = address(batch, a, row);
    }
    return out;
  }

  private Long address(Batch batch, int a, int row) {
    BigIntVector v = (BigIntVector) batch.vector(addressStart + a);
    return v.isNull(row) ? null : v.get(row);
  }

  private Object virtual(ColumnInfo column, Batch batch, int row, ScanTask task) {
    long rowId = address(batch, 2, row);
    if (column.id() == VirtualColumns.ROW_ID.id()) {
      return rowId;
    }
    return column.id() == VirtualColumns.SNAPSHOT_ID.id() ? origins.snapshotId(task, batch, row)
        : RowOrigins.filename(task);
  }

  private Object value(ColumnInfo column, Object value) {
    return toCalcite(column, value, exactTimestamps);
  }

  /**
   * The value in Calcite's internal form. Calcite keeps times and timestamps to the millisecond,
   * unless {@code exactTimestamps} (see {@link ExactTimestamps}): then a TIMESTAMP(6) or
   * TIMESTAMP(9) value stays in DuckDB's micro- or nanoseconds, the unit {@link SqlTypes} gives it.
   * A value that would lose digits (or an infinite date or timestamp) fails instead of rounding.
   */
  static Object toCalcite(ColumnInfo column, Object value, boolean exactTimestamps) {
    if (value == null) {
      return null;
    }
    DuckLakeType type = column.type();
    if (type.kind().isNested()) {
      return nestedToCalcite(column, value, exactTimestamps);
    }
    if (exactTimestamps && (type.kind() == TypeKind.TIME || type.kind() == TypeKind.TIME_NS)) {
      return value; // a long of micro- or nanoseconds of the day, as TIME(6) and TIME(9) are kept
    }
    if (exactTimestamps && switch (type.kind()) {
      case TIMESTAMP, TIMESTAMPTZ, TIMESTAMP_NS, TIMESTAMPTZ_NS -> true;
      default -> false;
    }) {
      return value; // infinities too: Long.MAX_VALUE and -Long.MAX_VALUE order as DuckDB orders them
    }
    return switch (type.kind()) {
      case INT8 -> (byte) (long) (Long) value;
      case INT16, UINT8 -> (short) (long) (Long) value;
      case INT32, UINT16 -> (int) (long) (Long) value;
      case UINT64, INT128, UINT128 -> new BigDecimal((BigInteger) value);
      case FLOAT32 -> (float) (double) (Double) value;
      case BLOB -> new ByteString((byte[]) value);
      case GEOMETRY -> GeometryText.wkt((byte[]) value); // WKT, as DuckDB prints it
      case VARIANT -> LakeVariant.of((dev.mallard.engine.types.Variant) value);
      case INTERVAL -> value.toString();
      case DATE -> {
        if (!exactTimestamps && Math.abs((Integer) value) == Values.DATE_INFINITY) {
          throw notRepresentable(column, value);
        }
        yield value; // an infinity is Integer.MAX_VALUE or -Integer.MAX_VALUE days, ordered as DuckDB orders it
      }
      case TIME -> (int) toMillis(column, (Long) value, 1000L);
      case TIME_NS -> (int) toMillis(column, (Long) value, 1_000_000L);
      case TIMESTAMP_S -> Values.isInfinite((Long) value) ? infinite(column, (Long) value, exactTimestamps)
          : Math.multiplyExact((Long) value, 1000L);
      case TIMESTAMP_MS -> Values.isInfinite((Long) value) ? infinite(column, (Long) value, exactTimestamps) : value;
      case TIMESTAMP, TIMESTAMPTZ -> toMillis(column, (Long) value, 1000L);
      case TIMESTAMP_NS, TIMESTAMPTZ_NS -> toMillis(column, (Long) value, 1_000_000L);
      default -> value;
    };
  }

  /**
   * A struct as an {@code Object[]} of its fields (the form Calcite's generated code casts ROW values
   * to; Avatica hands them out as {@code java.sql.Struct}), a list as a {@code List}, a map as a
   * {@code Map}; the values inside in Calcite's internal forms.
   */
  private static Object nestedToCalcite(ColumnInfo column, Object value, boolean exactTimestamps) {
    List<ColumnInfo> children = column.children();
    switch (column.type().kind()) {
      case STRUCT -> {
        List<?> fields = (List<?>) value;
        Object[] out = new Object[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
          out[i] = toCalcite(children.get(i), fields.get(i), exactTimestamps);
        }
        return out;
      }
      case LIST -> {
        List<Object> out = new ArrayList<>();
        for (Object element : (List<?>) value) {
          out.add(toCalcite(children.get(0), element, exactTimestamps));
        }
        return out;
      }
      case MAP -> {
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          out.put(toCalcite(children.get(0), e.getKey(), exactTimestamps),
              toCalcite(children.get(1), e.getValue(), exactTimestamps));
        }
        return out;
      }
      default -> throw new IllegalArgumentException(column.type() + " is not nested");
    }
  }

  /** An infinite timestamp: the same sentinel in every unit, in Mallard's connections. */
  private static long infinite(ColumnInfo column, long value, boolean exactTimestamps) {
    if (!exactTimestamps) {
      throw notRepresentable(column, value);
    }
    return value;
  }

  private static long toMillis(ColumnInfo column, long value, long unitsPerMilli) {
    if (value % unitsPerMilli != 0 || Math.abs(value) == Values.TIMESTAMP_INFINITY) {
      throw notRepresentable(column, value);
    }
    return value / unitsPerMilli;
  }

  private static UnsupportedFeatureException notRepresentable(ColumnInfo column, Object value) {
    boolean infinite = value instanceof Integer days && Math.abs(days) == Values.DATE_INFINITY
        || value instanceof Long units && Math.abs(units) == Values.TIMESTAMP_INFINITY;
    if (infinite) {
      String sign = ((Number) value).longValue() < 0 ? "-infinity" : "infinity";
      return new UnsupportedFeatureException("Column " + column.name() + " (" + column.type() + ") holds " + sign
          + ", which SQL results cannot show yet: Calcite and java.time have no infinite dates or timestamps."
          + " Filters on the column are exact, so such rows can be left out (e.g. WHERE " + column.name()
          + " < DATE '9999-01-01'); selecting other columns works.");
    }
    return new UnsupportedFeatureException("Column " + column.name() + " (" + column.type() + ") holds a value ("
        + value + " in the column's unit) that SQL results cannot show exactly yet: they keep dates, times and"
        + " timestamps to the millisecond, without infinities. Mallard fails rather than round it; filters on the"
        + " column are still exact, and selecting other columns works.");
  }
}
