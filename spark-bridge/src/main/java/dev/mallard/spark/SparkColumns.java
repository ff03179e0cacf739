package dev.mallard.spark;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.types.ArrowTypes;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.GeometryText;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Turns the engine's batches into Spark's {@link ColumnarBatch}es over {@link ArrowColumnVector}s.
 * The engine marks live rows with a selection; a ColumnarBatch has none, so when some rows are
 * dead the live ones are copied into new vectors (compacted), and when all are live the engine's
 * vectors are handed to Spark as they are. Types whose Arrow form Spark does not read (see
 * {@link SparkTypes}) are converted while copying, and values Spark cannot hold fail loudly.
 */
final class SparkColumns {
  private final ColumnInfo[] columns;
  private final BufferAllocator allocator;
  /** Vectors made for the current batch, closed when the next one is made. */
  private final List<ValueVector> made = new ArrayList<>();

  /** @param columns the batch's leading vectors, which become the Spark columns */
  SparkColumns(ColumnInfo[] columns, BufferAllocator allocator) {
    this.columns = columns;
    this.allocator = allocator;
  }

  /**
   * The first {@code rows} live rows of the batch as Spark columns. They stay valid until
   * {@link #release()} and the batch's own close.
   */
  ColumnarBatch toColumnarBatch(Batch batch, int rows) {
    return new ColumnarBatch(vectors(batch, rows), rows);
  }

  /** The Spark columns of the first {@code rows} live rows, valid as those of {@link #toColumnarBatch}. */
  ColumnVector[] vectors(Batch batch, int rows) {
    boolean allLive = batch.selectedCount() == batch.rowCount();
    ColumnVector[] out = new ColumnVector[columns.length];
    for (int i = 0; i < columns.length; i++) {
      out[i] = new ArrowColumnVector(vector(columns[i], batch.vector(i), batch::selectedRow, rows, allLive));
    }
    return out;
  }

  /** Which rows of a source vector make up the rows of the vector being made: row {@code i} is {@code at(i)}. */
  @FunctionalInterface
  private interface Rows {
    int at(int i);
  }

  /** Closes the vectors made for the last batch. */
  void release() {
    made.forEach(ValueVector::close);
    made.clear();
  }

  /**
   * The Spark-readable vector of {@code rows} rows of a column, row {@code i} from row
   * {@code at(i)} of {@code from}; {@code from} itself when it is readable as it is and
   * {@code allLive} (then {@code at} is the identity).
   */
  private ValueVector vector(ColumnInfo column, FieldVector from, Rows at, int rows, boolean allLive) {
    DuckLakeType type = column.type();
    switch (type.kind()) {
      case STRUCT, LIST, MAP:
        if (needsConversion(column)) {
          return nested(column, from, at, rows);
        }
        break;
      case INT128, UINT128:
        return toDecimal38(column, (Decimal256Vector) from, at, rows);
      case TIME:
        return toText(column, from, at, rows,
            row -> Values.formatTimeOfDay(((TimeMicroVector) from).get(row), 6, false));
      case TIME_NS:
        return toText(column, from, at, rows,
            row -> Values.formatTimeOfDay(((TimeNanoVector) from).get(row), 9, false));
      case GEOMETRY:
        return toText(column, from, at, rows, row -> GeometryText.wkt(((VarBinaryVector) from).get(row)));
      case VARIANT: // DuckDB's text of it, as in SQL
        return toText(column, from, at, rows,
            row -> dev.mallard.engine.types.Variant.fromBytes(((VarBinaryVector) from).get(row)).text());
      case TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP_NS, TIMESTAMPTZ_NS:
        return toMicros(column, (TimeStampVector) from, at, rows);
      case DATE:
        checkFiniteDates(column, (DateDayVector) from, at, rows);
        break;
      case TIMESTAMP, TIMESTAMPTZ:
        checkFiniteTimestamps(column, (TimeStampVector) from, at, rows);
        break;
      default:
        break;
    }
    return allLive ? from : compact(from, at, rows);
  }

  /** Copies the live rows into a new vector of the same type. */
  private ValueVector compact(FieldVector from, Rows at, int rows) {
    TransferPair copier = from.getTransferPair(allocator);
    ValueVector to = made(copier.getTo());
    to.setInitialCapacity(rows);
    to.allocateNew();
    for (int i = 0; i < rows; i++) {
      copier.copyValueSafe(at.at(i), i);
    }
    to.setValueCount(rows);
    return to;
  }

  private ValueVector toDecimal38(ColumnInfo column, Decimal256Vector from, Rows at, int rows) {
    DecimalVector to = made(new DecimalVector(column.name(), allocator, SparkTypes.MAX_PRECISION, 0));
    to.allocateNew(rows);
    for (int i = 0; i < rows; i++) {
      int row = at.at(i);
      if (from.isNull(row)) {
        to.setNull(i);
        continue;
      }
      BigDecimal value = from.getObject(row);
      if (value.precision() > SparkTypes.MAX_PRECISION) {
        throw new UnsupportedFeatureException("Column " + column.name() + " (" + column.type() + ") holds "
            + value.toPlainString() + ", which does not fit Spark's widest DECIMAL(38,0); Mallard does not round."
            + " Filter such values out or cast them in DuckDB");
      }
      to.setSafe(i, value);
    }
    to.setValueCount(rows);
    return to;
  }

  /** DuckDB's text of each time of day, given in units of 10^-digits seconds. */
  /** A column of text: the {@code text} of each non-null source row. */
  private ValueVector toText(ColumnInfo column, FieldVector from, Rows at, int rows, IntFunction<String> text) {
    VarCharVector to = made(new VarCharVector(column.name(), allocator));
    to.allocateNew(rows);
    for (int i = 0; i < rows; i++) {
      int row = at.at(i);
      if (from.isNull(row)) {
        to.setNull(i);
      } else {
        to.setSafe(i, text.apply(row).getBytes(StandardCharsets.UTF_8));
      }
    }
    to.setValueCount(rows);
    return to;
  }

  /** Seconds, milliseconds or nanoseconds to microseconds, only where that is exact. */
  private ValueVector toMicros(ColumnInfo column, TimeStampVector from, Rows at, int rows) {
    DuckLakeType type = column.type();
    TimeStampVector to = made(switch (type.kind()) {
      case TIMESTAMPTZ_NS -> new TimeStampMicroTZVector(column.name(), allocator, "UTC");
      default -> new TimeStampMicroVector(column.name(), allocator);
    });
    to.allocateNew(rows);
    for (int i = 0; i < rows; i++) {
      int row = at.at(i);
      if (from.isNull(row)) {
        to.setNull(i);
        continue;
      }
      long raw = from.get(row);
      checkFinite(column, raw);
      long micros;
      try {
        micros = switch (type.kind()) {
          case TIMESTAMP_S -> Math.multiplyExact(raw, 1_000_000L);
          case TIMESTAMP_MS -> Math.multiplyExact(raw, 1_000L);
          default -> {
            if (raw % 1_000 != 0) {
              throw new UnsupportedFeatureException("Column " + column.name() + " (" + type + ") holds "
                  + Values.format(type, raw) + ", finer than the microseconds Spark's timestamps hold; Mallard"
                  + " does not round. Truncate it in DuckDB (e.g. to timestamp) or leave the column out");
            }
            yield raw / 1_000;
          }
        };
      } catch (ArithmeticException e) {
        throw new UnsupportedFeatureException("Column " + column.name() + " (" + type + ") holds "
            + Values.format(type, raw) + ", outside the range of Spark's timestamps");
      }
      to.set(i, micros);
    }
    to.setValueCount(rows);
    return to;
  }

  private static void checkFiniteDates(ColumnInfo column, DateDayVector v, Rows at, int rows) {
    for (int i = 0; i < rows; i++) {
      int row = at.at(i);
      if (!v.isNull(row) && Math.abs(v.get(row)) == Values.DATE_INFINITY) {
        throw infinite(column, v.get(row) > 0);
      }
    }
  }

  private static void checkFiniteTimestamps(ColumnInfo column, TimeStampVector v, Rows at, int rows) {
    for (int i = 0; i < rows; i++) {
      int row = at.at(i);
      if (!v.isNull(row)) {
        checkFinite(column, v.get(row));
      }
    }
  }

  private static void checkFinite(ColumnInfo column, long value) {
    if (value == Values.TIMESTAMP_INFINITY || value == -Values.TIMESTAMP_INFINITY) {
      throw infinite(column, value > 0);
    }
  }

  private static UnsupportedFeatureException infinite(ColumnInfo column, boolean positive) {
    return new UnsupportedFeatureException("Column " + column.name() + " (" + column.type() + ") holds "
        + (positive ? "infinity" : "-infinity") + ", which Spark's dates and timestamps cannot represent;"
        + " filter it out (the filter is evaluated by Mallard before Spark sees the value)");
  }

  /**
   * Whether a nested column holds a leaf that Spark cannot read in its Arrow form (or whose values
   * must be checked): then the column is rebuilt, level by level, with converted leaves.
   */
  private static boolean needsConversion(ColumnInfo column) {
    return switch (column.type().kind()) {
      case STRUCT, LIST, MAP -> column.children().stream().anyMatch(SparkColumns::needsConversion);
      case INT128, UINT128, TIME, TIME_NS, TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP_NS, TIMESTAMPTZ_NS, DATE, TIMESTAMP,
          TIMESTAMPTZ, GEOMETRY, VARIANT -> true;
      default -> false;
    };
  }

  /**
   * A nested column rebuilt columnar: each child vector is made (converted or compacted) over the
   * child rows the selected rows reach, then moved into the new parent, whose validity and offsets
   * are those of the selected rows.
   */
  private ValueVector nested(ColumnInfo column, FieldVector from, Rows at, int rows) {
    if (column.type().kind() == TypeKind.STRUCT) {
      StructVector source = (StructVector) from;
      List<ValueVector> children = new ArrayList<>();
      for (int c = 0; c < column.children().size(); c++) {
        children.add(vector(column.children().get(c), (FieldVector) source.getChildByOrdinal(c), at, rows, false));
      }
      StructVector to = made((StructVector) newParent(column, children));
      to.setInitialCapacity(rows);
      to.allocateNew();
      adopt(to, children);
      for (int i = 0; i < rows; i++) {
        if (source.isNull(at.at(i))) {
          to.setNull(i);
        } else {
          to.setIndexDefined(i);
        }
      }
      to.setValueCount(rows);
      return to;
    }
    ListVector source = (ListVector) from;
    int elements = 0;
    for (int i = 0; i < rows; i++) {
      int row = at.at(i);
      elements += source.isNull(row) ? 0 : source.getElementEndIndex(row) - source.getElementStartIndex(row);
    }
    int[] elementRows = new int[elements];
    int n = 0;
    for (int i = 0; i < rows; i++) {
      int row = at.at(i);
      if (!source.isNull(row)) {
        for (int e = source.getElementStartIndex(row); e < source.getElementEndIndex(row); e++) {
          elementRows[n++] = e;
        }
      }
    }
    List<ValueVector> children = new ArrayList<>();
    if (column.type().kind() == TypeKind.LIST) {
      children.add(vector(column.children().get(0), source.getDataVector(), r -> elementRows[r], elements, false));
    } else {
      StructVector entries = (StructVector) source.getDataVector();
      for (int c = 0; c < 2; c++) {
        children.add(vector(column.children().get(c), (FieldVector) entries.getChildByOrdinal(c), r -> elementRows[r],
            elements, false));
      }
    }
    ListVector to = made((ListVector) newParent(column, children));
    to.setInitialCapacity(rows);
    to.allocateNew();
    for (int i = 0; i < rows; i++) {
      int row = at.at(i);
      if (source.isNull(row)) {
        to.setNull(i);
      } else {
        to.startNewValue(i);
        to.endValue(i, source.getElementEndIndex(row) - source.getElementStartIndex(row));
      }
    }
    if (column.type().kind() == TypeKind.LIST) {
      adopt(to, children);
    } else {
      StructVector entries = (StructVector) to.getDataVector();
      entries.setInitialCapacity(elements);
      entries.allocateNew();
      adopt(entries, children);
      for (int e = 0; e < elements; e++) {
        entries.setIndexDefined(e);
      }
      entries.setValueCount(elements);
    }
    to.setValueCount(rows);
    return to;
  }

  /** An empty parent vector of the column's kind whose children have the made children's types. */
  private FieldVector newParent(ColumnInfo column, List<ValueVector> children) {
    List<Field> fields = new ArrayList<>();
    for (ValueVector child : children) {
      fields.add(child.getField());
    }
    return ArrowTypes.nullableField(column.name(), column.type(), fields).createVector(allocator);
  }

  /** Moves the made children's buffers into the parent's (a struct's fields, or a list's one element). */
  private static void adopt(FieldVector parent, List<ValueVector> children) {
    if (parent instanceof ListVector list) {
      children.get(0).makeTransferPair(list.getDataVector()).transfer();
      return;
    }
    StructVector struct = (StructVector) parent;
    for (int c = 0; c < children.size(); c++) {
      children.get(c).makeTransferPair(struct.getChildByOrdinal(c)).transfer();
    }
  }

  private <V extends ValueVector> V made(V vector) {
    made.add(vector);
    return vector;
  }
}
