package dev.mallard.spark;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.PartitionKey;
import dev.mallard.engine.scan.ScanTask;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A scan's key-grouped partitioning: when every task is a data file written under the table's
 * current partitioning and every key is {@code identity} or {@code bucket(N)}, each input partition
 * carries its file's key values, and Spark can group by (or join on) the key without a shuffle.
 * Otherwise (inlined rows, files from before the partitioning, year/month/day/hour keys) the scan
 * reports no partitioning. Spark never computes a key itself here, so DuckDB's bucket hash need not
 * be Spark's.
 *
 * @param expressions Spark's transforms of the keys, in key order
 * @param keys each task's key values, in task order
 */
record PartitionKeys(Expression[] expressions, List<InternalRow> keys) {
  private static final Pattern BUCKET = Pattern.compile("bucket\\((\\d+)\\)");

  /** The key-grouped partitioning of these tasks, or null when there is none to report. */
  static PartitionKeys of(MetadataStore metadata, DuckLakeSparkTable table, List<ScanTask> tasks) {
    List<PartitionKey> spec = metadata.partitionKeys(table.info().id(), table.snapshot().id());
    if (spec.isEmpty() || tasks.isEmpty()) {
      return null;
    }
    List<Expression> expressions = new ArrayList<>();
    List<ColumnInfo> columns = new ArrayList<>();
    for (PartitionKey k : spec) {
      ColumnInfo c = table.info().columns().stream().filter(col -> col.id() == k.columnId()).findFirst().orElse(null);
      if (c == null) {
        return null;
      }
      String name = "`" + c.name().replace("`", "``") + "`";
      Matcher bucket = BUCKET.matcher(k.transform());
      if (k.transform().equals("identity")) {
        expressions.add(Expressions.identity(name));
      } else if (bucket.matches()) {
        expressions.add(Expressions.bucket(Integer.parseInt(bucket.group(1)), name));
      } else {
        return null;
      }
      columns.add(c);
    }
    Map<Long, Map<Integer, String>> values = metadata.filePartitionValues(table.info().id());
    long partitionId = spec.get(0).partitionId();
    List<InternalRow> keys = new ArrayList<>();
    for (ScanTask t : tasks) {
      if (!(t instanceof ScanTask.DataFileTask d) || d.file().partitionId() == null
          || d.file().partitionId() != partitionId) {
        return null;
      }
      InternalRow key = key(d.file(), spec, columns, values.getOrDefault(d.file().id(), Map.of()));
      if (key == null) {
        return null;
      }
      keys.add(key);
    }
    return new PartitionKeys(expressions.toArray(new Expression[0]), keys);
  }

  int distinctKeys() {
    return (int) keys.stream().distinct().count();
  }

  private static InternalRow key(DataFile file, List<PartitionKey> spec, List<ColumnInfo> columns,
      Map<Integer, String> texts) {
    Object[] out = new Object[spec.size()];
    for (int i = 0; i < spec.size(); i++) {
      PartitionKey k = spec.get(i);
      if (!texts.containsKey(k.index())) {
        return null;
      }
      String text = texts.get(k.index());
      if (text == null) {
        out[i] = null;
      } else if (k.transform().equals("identity")) {
        out[i] = sparkValue(columns.get(i).type(), text);
        if (out[i] == null) {
          return null;
        }
      } else {
        out[i] = Integer.parseInt(text);
      }
    }
    return new GenericInternalRow(out);
  }

  /** A partition value as Spark's internal value of the column's Spark type; null for types not handled. */
  private static Object sparkValue(DuckLakeType type, String text) {
    Object v = Values.parse(type, text);
    return switch (type.kind()) {
      case BOOLEAN, INT64, UINT32, FLOAT64, DATE, TIMESTAMP, TIMESTAMPTZ -> v;
      case INT8 -> (byte) (long) (Long) v;
      case INT16, UINT8 -> (short) (long) (Long) v;
      case INT32, UINT16 -> (int) (long) (Long) v;
      case FLOAT32 -> (float) (double) (Double) v;
      case DECIMAL -> Decimal.apply((BigDecimal) v, type.precision(), type.scale());
      case VARCHAR, UUID -> UTF8String.fromString((String) v);
      default -> null;
    };
  }
}
