package dev.mallard.calcite.batch;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.types.Values;
import dev.mallard.engine.vector.Chunk;
import dev.mallard.engine.vector.ChunkSource;
import dev.mallard.engine.vector.Column;
import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.runtime.FlatLists;
import org.apache.calcite.sql.type.SqlTypeName;

/** Runs a batch plan for the generated code of {@link BatchToEnumerable}, handing out its rows. */
public final class BatchRows {
  private BatchRows() {}

  /**
   * Called by generated code each time the statement runs. With {@code keepRows}, the first
   * enumeration runs the plan and keeps its rows, and later ones read them again.
   */
  public static Enumerable<Object> enumerable(DataContext root, BatchPlan plan, Converter converter,
      boolean keepRows) {
    Enumerable<Object> rows = enumerable(root, plan, converter);
    if (!keepRows) {
      return rows;
    }
    return new AbstractEnumerable<>() {
      private List<Object> kept;

      @Override
      public Enumerator<Object> enumerator() {
        if (kept == null) {
          kept = rows.toList();
        }
        return Linq4j.enumerator(kept);
      }
    };
  }

  private static Enumerable<Object> enumerable(DataContext root, BatchPlan plan, Converter converter) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object> enumerator() {
        return new Enumerator<>() {
          private ChunkSource source;
          private Chunk chunk;
          private int next;
          private Object current;
          private boolean finished;

          @Override
          public Object current() {
            return current;
          }

          @Override
          public boolean moveNext() {
            try {
              if (finished) {
                return false;
              }
              if (source == null) {
                source = plan.open(root);
              }
              while (chunk == null || next >= chunk.size()) {
                chunk = source.next();
                next = 0;
                if (chunk == null) {
                  close();
                  finished = true;
                  return false;
                }
              }
              current = converter.row(chunk, next++);
              return true;
            } catch (RuntimeException e) {
              close(); // Calcite does not close an enumerator that failed
              throw e;
            }
          }

          @Override
          public void reset() {
            throw new UnsupportedOperationException("a batch plan cannot be restarted");
          }

          @Override
          public void close() {
            if (source != null) {
              source.close();
              source = null;
            }
          }
        };
      }
    };
  }

  /** Turns a chunk's row into Calcite's row: values in Calcite's internal form for their SQL type. */
  public static final class Converter {
    private final SqlTypeName[] types;
    private final int[] scales;
    private final String[] names;
    /** Whether infinite dates reach the results (Mallard's connections) or fail (plain Calcite's). */
    private final boolean infinities;

    private Converter(SqlTypeName[] types, int[] scales, String[] names, boolean infinities) {
      this.types = types;
      this.scales = scales;
      this.names = names;
      this.infinities = infinities;
    }

    static Converter of(RelDataType rowType, boolean infinities) {
      List<RelDataTypeField> fields = rowType.getFieldList();
      SqlTypeName[] types = new SqlTypeName[fields.size()];
      int[] scales = new int[fields.size()];
      String[] names = new String[fields.size()];
      for (int i = 0; i < types.length; i++) {
        types[i] = fields.get(i).getType().getSqlTypeName();
        scales[i] = fields.get(i).getType().getScale();
        names[i] = fields.get(i).getName();
      }
      return new Converter(types, scales, names, infinities);
    }

    Object row(Chunk chunk, int i) {
      if (types.length == 0) {
        return FlatLists.COMPARABLE_EMPTY_LIST;
      }
      if (types.length == 1) {
        return value(chunk.column(0), i, 0);
      }
      Object[] row = new Object[types.length];
      for (int c = 0; c < row.length; c++) {
        row[c] = value(chunk.column(c), i, c);
      }
      return row;
    }

    private Object value(Column column, int i, int c) {
      if (column.isNull(i)) {
        return null;
      }
      return switch (types[c]) {
        case BOOLEAN -> column.longs[i] != 0;
        case TINYINT -> (byte) column.longs[i];
        case SMALLINT -> (short) column.longs[i];
        case INTEGER -> (int) column.longs[i];
        case BIGINT -> column.longs[i];
        case DATE -> {
          long days = column.longs[i];
          if (!infinities && Math.abs(days) == Values.DATE_INFINITY) {
            throw new UnsupportedFeatureException("Column " + names[c] + " holds an infinite date, which SQL results"
                + " cannot show yet: Calcite and java.time have no infinite dates");
          }
          yield (int) days;
        }
        case DECIMAL -> column.longs != null ? BigDecimal.valueOf(column.longs[i], scales[c]) : column.objects[i];
        case DOUBLE, FLOAT -> column.doubles[i];
        case CHAR, VARCHAR -> column.objects[i];
        default -> throw new IllegalStateException("Batch operators do not produce " + types[c]);
      };
    }
  }
}
