package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;

/**
 * Drops the rows of a batch for which a filter is not TRUE. Comparisons of integer, date and decimal
 * columns with a literal read the vectors directly; everything else goes through {@link
 * Predicate#evaluate} on each row's engine values, the reference the direct forms must agree with.
 */
final class RowFilter {
  private static final int NULL = -1;
  private static final int FALSE = 0;
  private static final int TRUE = 1;

  private final Predicate filter;
  private final Map<Long, Integer> vectorIndex = new HashMap<>();

  /** @param columns the columns of the batches, in vector order */
  RowFilter(Predicate filter, List<ColumnInfo> columns) {
    this.filter = filter;
    for (int i = 0; i < columns.size(); i++) {
      vectorIndex.put(columns.get(i).id(), i);
    }
  }

  void apply(Batch batch) {
    if (filter == null) {
      return;
    }
    RowTest test = compile(filter, batch);
    batch.retain(row -> test.test(row) == TRUE);
  }

  /** One row's three-valued answer: {@link #TRUE}, {@link #FALSE} or {@link #NULL}. */
  @FunctionalInterface
  private interface RowTest {
    int test(int row);
  }

  private RowTest compile(Predicate p, Batch batch) {
    if (p instanceof Predicate.And and) {
      RowTest[] terms = and.terms().stream().map(t -> compile(t, batch)).toArray(RowTest[]::new);
      return row -> {
        int result = TRUE;
        for (RowTest t : terms) {
          int r = t.test(row);
          if (r == FALSE) {
            return FALSE;
          }
          if (r == NULL) {
            result = NULL;
          }
        }
        return result;
      };
    }
    if (p instanceof Predicate.Or or) {
      RowTest[] terms = or.terms().stream().map(t -> compile(t, batch)).toArray(RowTest[]::new);
      return row -> {
        int result = FALSE;
        for (RowTest t : terms) {
          int r = t.test(row);
          if (r == TRUE) {
            return TRUE;
          }
          if (r == NULL) {
            result = NULL;
          }
        }
        return result;
      };
    }
    if (p instanceof Predicate.Not not) {
      RowTest inner = compile(not.term(), batch);
      return row -> {
        int r = inner.test(row);
        return r == NULL ? NULL : TRUE - r;
      };
    }
    if (p instanceof Predicate.IsNull isNull) {
      FieldVector v = vector(batch, isNull.column());
      return row -> v.isNull(row) ? TRUE : FALSE;
    }
    if (p instanceof Predicate.Comparison c) {
      RowTest direct = comparison(c, vector(batch, c.column()));
      if (direct != null) {
        return direct;
      }
    }
    return row -> {
      Boolean r = p.evaluate(ref -> value(batch, row, ref));
      return r == null ? NULL : r ? TRUE : FALSE;
    };
  }

  /** A comparison read straight from the vector, or null where only the engine values serve. */
  private static RowTest comparison(Predicate.Comparison c, FieldVector vector) {
    Predicate.Op op = c.op();
    Object literal = c.value();
    switch (c.column().type().kind()) {
      case INT32, UINT16 -> {
        if (vector instanceof IntVector v && literal instanceof Long l) {
          long x = l;
          return row -> v.isNull(row) ? NULL : op.test(Long.compare(v.get(row), x)) ? TRUE : FALSE;
        }
      }
      case INT64, UINT32 -> {
        if (vector instanceof BigIntVector v && literal instanceof Long l) {
          long x = l;
          return row -> v.isNull(row) ? NULL : op.test(Long.compare(v.get(row), x)) ? TRUE : FALSE;
        }
      }
      case DATE -> {
        if (vector instanceof DateDayVector v && literal instanceof Integer d) {
          int x = d;
          return row -> v.isNull(row) ? NULL : op.test(Integer.compare(v.get(row), x)) ? TRUE : FALSE;
        }
      }
      case DECIMAL -> {
        if (vector instanceof DecimalVector v && literal instanceof BigDecimal d) {
          Long unscaled = unscaledAt(d, v.getScale());
          if (unscaled == null) {
            return null;
          }
          long x = unscaled;
          ArrowBuf data = v.getDataBuffer();
          return row -> {
            if (v.isNull(row)) {
              return NULL;
            }
            long at = (long) row * DecimalVector.TYPE_WIDTH;
            long low = data.getLong(at);
            long high = data.getLong(at + 8);
            int cmp = high == (low >> 63) ? Long.compare(low, x) : (high < 0 ? -1 : 1); // else beyond a long
            return op.test(cmp) ? TRUE : FALSE;
          };
        }
      }
      default -> {
        return null;
      }
    }
    return null;
  }

  /** The literal as an unscaled long at the column's scale, or null if it has more digits or does not fit. */
  private static Long unscaledAt(BigDecimal literal, int scale) {
    try {
      return literal.setScale(scale).unscaledValue().longValueExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private FieldVector vector(Batch batch, ColumnRef ref) {
    return batch.vector(vectorIndex.get(ref.columnId()));
  }

  private Object value(Batch batch, int row, ColumnRef ref) {
    return VectorValues.get(batch.vector(vectorIndex.get(ref.columnId())), row, ref.type());
  }
}
