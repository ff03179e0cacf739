package dev.mallard.spark;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanRequest;
import dev.mallard.engine.scan.StatsAggregates;
import dev.mallard.engine.types.DuckLakeType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.aggregate.AggregateFunc;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.expressions.aggregate.Count;
import org.apache.spark.sql.connector.expressions.aggregate.CountStar;
import org.apache.spark.sql.connector.expressions.aggregate.Max;
import org.apache.spark.sql.connector.expressions.aggregate.Min;
import org.apache.spark.sql.connector.read.LocalScan;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code count(*)}, {@code count(col)}, {@code min(col)} and {@code max(col)} without a GROUP BY
 * or a filter, answered by the engine's {@link StatsAggregates} from the catalog alone; the engine
 * decides when its numbers are exact. Anything else is left to Spark, which reads the rows.
 */
final class StatsAggregateScan {
  private StatsAggregateScan() {}

  /** The one result row as a scan, or empty when the catalog cannot answer exactly. */
  static Optional<LocalScan> answer(DuckLakeSparkTable table, Aggregation aggregation) {
    if (aggregation.groupByExpressions().length > 0) {
      return Optional.empty();
    }
    List<StatsAggregates.Call> calls = new ArrayList<>();
    List<ColumnInfo> columns = new ArrayList<>();
    List<StructField> fields = new ArrayList<>();
    for (AggregateFunc f : aggregation.aggregateExpressions()) {
      StatsAggregates.Call call = call(table, f);
      if (call == null) {
        return Optional.empty();
      }
      calls.add(call);
      if (call.column() != null && !columns.contains(call.column())) {
        columns.add(call.column());
      }
      fields.add(new StructField(f.toString(), isCount(call) ? DataTypes.LongType : SparkTypes.dataType(call.column()),
          true, Metadata.empty()));
    }
    OpenLakes.OpenLake lake = OpenLakes.get(table.lake());
    ScanPlan plan = lake.planner().plan(new ScanRequest(table.info(), table.snapshot(), columns, List.of(), null));
    Object[] answers = StatsAggregates.answer(plan, lake.catalog().metadata(), calls);
    if (answers == null) {
      return Optional.empty();
    }
    Object[] values = new Object[answers.length];
    for (int i = 0; i < values.length; i++) {
      StatsAggregates.Call call = calls.get(i);
      values[i] = isCount(call) || answers[i] == null ? answers[i] : sparkValue(call.column().type(), answers[i]);
    }
    StructType schema = new StructType(fields.toArray(new StructField[0]));
    InternalRow row = new GenericInternalRow(values);
    String description = "DuckLakeStatsAggregates(" + table.info().qualifiedName() + ", snapshot="
        + table.snapshot().id() + ", " + fields.stream().map(StructField::name).toList() + ")";
    return Optional.of(new LocalScan() {
      @Override
      public InternalRow[] rows() {
        return new InternalRow[] {row};
      }

      @Override
      public StructType readSchema() {
        return schema;
      }

      @Override
      public String description() {
        return description;
      }
    });
  }

  private static boolean isCount(StatsAggregates.Call call) {
    return call.kind() == StatsAggregates.Kind.COUNT_STAR || call.kind() == StatsAggregates.Kind.COUNT;
  }

  /** The engine's call for an aggregate of a plain column (or count(*)), or null for any other. */
  private static StatsAggregates.Call call(DuckLakeSparkTable table, AggregateFunc f) {
    if (f instanceof CountStar) {
      return new StatsAggregates.Call(StatsAggregates.Kind.COUNT_STAR, null);
    }
    StatsAggregates.Kind kind;
    Expression e;
    if (f instanceof Count c && !c.isDistinct()) {
      kind = StatsAggregates.Kind.COUNT;
      e = c.column();
    } else if (f instanceof Min m) {
      kind = StatsAggregates.Kind.MIN;
      e = m.column();
    } else if (f instanceof Max m) {
      kind = StatsAggregates.Kind.MAX;
      e = m.column();
    } else {
      return null;
    }
    if (!(e instanceof NamedReference ref) || ref.fieldNames().length != 1) {
      return null;
    }
    return table.info().columns().stream().filter(c -> c.name().equals(ref.fieldNames()[0])).findFirst()
        .filter(SparkTypes::filterable).map(c -> new StatsAggregates.Call(kind, c)).orElse(null);
  }

  /**
   * An engine value of a type whose extremes statistics give ({@link StatsAggregates#extremesExact})
   * as Spark's internal value.
   */
  static Object sparkValue(DuckLakeType type, Object v) {
    return switch (type.kind()) {
      case INT8 -> (byte) (long) (Long) v;
      case INT16, UINT8 -> (short) (long) (Long) v;
      case INT32, UINT16 -> (int) (long) (Long) v;
      case DECIMAL -> Decimal.apply((BigDecimal) v, type.precision(), type.scale());
      case INT64, UINT32, DATE, TIMESTAMP, TIMESTAMPTZ -> v; // long, int days, long microseconds
      default -> throw new IllegalArgumentException("no statistics value of type " + type);
    };
  }
}
