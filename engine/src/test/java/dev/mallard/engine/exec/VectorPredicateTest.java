package dev.mallard.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.junit.jupiter.api.Test;

/**
 * The scan filter's loops over integer, date and decimal vectors keep exactly the rows for which
 * {@link Predicate#evaluate}, the reference semantics, is TRUE: every operator, literals at and past
 * the type's ends, with and without NULLs.
 */
class VectorPredicateTest {
  private static final int ROWS = 300;

  @Test
  void integerComparisonsKeepTheRowsTheReferenceFindsTrue() {
    Random random = new Random(11);
    try (BufferAllocator allocator = new RootAllocator()) {
      for (TypeKind kind : new TypeKind[] {TypeKind.INT8, TypeKind.INT16, TypeKind.INT32, TypeKind.INT64,
          TypeKind.DATE, TypeKind.DECIMAL}) {
        DuckLakeType type = kind == TypeKind.DECIMAL ? DuckLakeType.decimal(18, 2) : DuckLakeType.of(kind);
        long min = switch (kind) {
          case INT8 -> Byte.MIN_VALUE;
          case INT16 -> Short.MIN_VALUE;
          case INT32, DATE -> Integer.MIN_VALUE;
          case DECIMAL -> -999_999_999_999_999_999L;
          default -> Long.MIN_VALUE;
        };
        long max = -(min + 1) + (kind == TypeKind.DECIMAL ? 1 : 0);
        for (boolean withNulls : new boolean[] {false, true}) {
          Long[] values = new Long[ROWS];
          for (int i = 0; i < ROWS; i++) {
            int pick = random.nextInt(10);
            values[i] = withNulls && pick == 0 ? null
                : pick == 1 ? min : pick == 2 ? max : random.nextInt(7) - 3L;
          }
          try (FieldVector vector = vector(allocator, kind, values)) {
            ColumnRef column = new ColumnRef(1, "c", type);
            for (long literal : new long[] {min, max, -1, 0, 1, Long.MIN_VALUE, Long.MAX_VALUE}) {
              if (kind == TypeKind.DECIMAL && (literal < min || literal > max)) {
                continue; // a decimal literal of more digits is bound differently
              }
              Object value = kind == TypeKind.DECIMAL ? BigDecimal.valueOf(literal, 2) : (Object) literal;
              for (Predicate.Op op : Predicate.Op.values()) {
                Predicate p = new Predicate.Comparison(column, op, value);
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < ROWS; i++) {
                  Object v = VectorValues.get(vector, i, type);
                  if (Boolean.TRUE.equals(p.evaluate(c -> v))) {
                    expected.add(i);
                  }
                }
                VectorPredicate bound = VectorPredicate.bind(p, List.of(vector), Map.of(1L, 0));
                int[] rows = new int[ROWS];
                for (int i = 0; i < ROWS; i++) {
                  rows[i] = i;
                }
                int kept = bound.keepTrue(rows, ROWS);
                List<Integer> actual = new ArrayList<>();
                for (int i = 0; i < kept; i++) {
                  actual.add(rows[i]);
                }
                assertThat(actual).as("%s %s %s, NULLs: %s", kind, op, value, withNulls).isEqualTo(expected);
              }
            }
          }
        }
      }
    }
  }

  private static FieldVector vector(BufferAllocator allocator, TypeKind kind, Long[] values) {
    FieldVector vector = switch (kind) {
      case INT8 -> new TinyIntVector("c", allocator);
      case INT16 -> new SmallIntVector("c", allocator);
      case INT32 -> new IntVector("c", allocator);
      case INT64 -> new BigIntVector("c", allocator);
      case DATE -> new DateDayVector("c", allocator);
      default -> new DecimalVector("c", allocator, 18, 2);
    };
    vector.allocateNew();
    for (int i = 0; i < values.length; i++) {
      Long v = values[i];
      if (v == null) {
        ((BaseFixedWidthVector) vector).setNull(i);
        continue;
      }
      if (vector instanceof TinyIntVector t) {
        t.setSafe(i, v.byteValue());
      } else if (vector instanceof SmallIntVector t) {
        t.setSafe(i, v.shortValue());
      } else if (vector instanceof IntVector t) {
        t.setSafe(i, v.intValue());
      } else if (vector instanceof BigIntVector t) {
        t.setSafe(i, v);
      } else if (vector instanceof DateDayVector t) {
        t.setSafe(i, v.intValue());
      } else {
        ((DecimalVector) vector).setSafe(i, BigDecimal.valueOf(v, 2));
      }
    }
    vector.setValueCount(values.length);
    return vector;
  }
}
