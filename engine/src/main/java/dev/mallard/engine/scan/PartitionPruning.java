package dev.mallard.engine.scan;

import dev.mallard.engine.catalog.PartitionKey;
import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Interval;
import dev.mallard.engine.types.TimeTz;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides from a data file's partition values ({@code ducklake_file_partition_value}) whether it
 * can hold a row matching a predicate. Every row of a file has the file's value under each key of
 * the partitioning the file was written with, so a key value that no matching row can have proves
 * the file irrelevant. Only "no" is acted on: a missing value, an unknown transform, a value that
 * does not parse, a type whose transform the writer computes in a way not known here: "maybe".
 */
final class PartitionPruning {
  private PartitionPruning() {}

  /** One key of the file's partitioning with the file's value for it (null text for NULL). */
  private record KeyValue(String transform, String text) {}

  /**
   * @param keys the keys of the partitioning the file was written with ({@code DataFile.partitionId})
   * @param values the file's partition values by key index; a key without an entry is unknown
   * @return false only when no row of the file can match
   */
  static boolean mightMatch(Predicate filter, List<PartitionKey> keys, Map<Integer, String> values) {
    return new PartitionPruning.File(keys, values).mightMatch(filter);
  }

  private static final class File {
    private final List<PartitionKey> keys;
    private final Map<Integer, String> values;

    File(List<PartitionKey> keys, Map<Integer, String> values) {
      this.keys = keys;
      this.values = values;
    }

    /** The keys on a column for which the file records a value. */
    private List<KeyValue> keysOf(ColumnRef column) {
      List<KeyValue> out = new ArrayList<>();
      for (PartitionKey k : keys) {
        if (k.columnId() == column.columnId() && values.containsKey(k.index())) {
          out.add(new KeyValue(k.transform(), values.get(k.index())));
        }
      }
      return out;
    }

    boolean mightMatch(Predicate p) {
      if (p instanceof Predicate.And and) {
        return and.terms().stream().allMatch(this::mightMatch);
      }
      if (p instanceof Predicate.Or or) {
        return or.terms().stream().anyMatch(this::mightMatch);
      }
      if (p instanceof Predicate.IsNull isNull) {
        return !noNulls(keysOf(isNull.column()));
      }
      if (p instanceof Predicate.Not not && not.term() instanceof Predicate.IsNull isNull) {
        return !onlyNulls(keysOf(isNull.column()));
      }
      if (p instanceof Predicate.Comparison c) {
        return comparisonMightMatch(c.column(), c.op(), c.value());
      }
      if (p instanceof Predicate.In in) {
        return in.values().stream().anyMatch(v -> comparisonMightMatch(in.column(), Predicate.Op.EQ, v));
      }
      return true;
    }

    /** Every transform maps a non-null value to a non-null value, so a non-null key value rules out NULLs. */
    private static boolean noNulls(List<KeyValue> keys) {
      return keys.stream().anyMatch(k -> k.text() != null);
    }

    /**
     * Identity and bucket give NULL only for NULL. (A date part of an infinite date is NULL too,
     * so a NULL temporal value proves nothing.)
     */
    private static boolean onlyNulls(List<KeyValue> keys) {
      return keys.stream().anyMatch(k -> k.text() == null
          && (k.transform().equals("identity") || PartitionTransforms.bucketCount(k.transform()) != null));
    }

    private boolean comparisonMightMatch(ColumnRef column, Predicate.Op op, Object value) {
      List<KeyValue> keys = keysOf(column);
      if (keys.isEmpty()) {
        return true;
      }
      if (onlyNulls(keys)) {
        return false; // a comparison with NULL is never true
      }
      DuckLakeType type = column.type();
      for (KeyValue k : keys) {
        if (k.text() == null) {
          continue;
        }
        if (k.transform().equals("identity")) {
          Object partitionValue = identityValue(type, k.text());
          if (partitionValue != null && !Predicate.compare(partitionValue, op, value)) {
            return false;
          }
        } else if (op == Predicate.Op.EQ && !equalityMightMatch(type, k, value)) {
          return false;
        }
      }
      PartitionTransforms.Range range = range(type.kind(), keys);
      Long v = PartitionTransforms.asLong(value);
      return range == null || v == null || rangeMightMatch(range, op, v);
    }

    /** Whether a row equal to {@code value} could have the key's value. */
    private static boolean equalityMightMatch(DuckLakeType type, KeyValue k, Object value) {
      Long expected = parseLong(k.text());
      if (expected == null) {
        return true;
      }
      Integer buckets = PartitionTransforms.bucketCount(k.transform());
      if (buckets != null) {
        Integer bucket = PartitionTransforms.bucket(type, value, buckets);
        return bucket == null || bucket == expected.longValue();
      }
      if (PartitionTransforms.isCalendar(k.transform())) {
        long[] parts = PartitionTransforms.calendarParts(type.kind(), k.transform(), value);
        if (parts == null) {
          return true;
        }
        for (long part : parts) {
          if (part == expected) {
            return true;
          }
        }
        return false;
      }
      return true; // epoch transforms are checked through their range
    }

    /** The range of values the file's temporal keys on one column allow, or null for unknown. */
    private static PartitionTransforms.Range range(TypeKind kind, List<KeyValue> keys) {
      Long year = null;
      Long month = null;
      Long day = null;
      Long hour = null;
      PartitionTransforms.Range range = null;
      for (KeyValue k : keys) {
        Long n = k.text() == null ? null : parseLong(k.text());
        if (n == null) {
          continue;
        }
        switch (k.transform()) {
          case "year" -> year = n;
          case "month" -> month = n;
          case "day" -> day = n;
          case "hour" -> hour = n;
          default -> {
            if (PartitionTransforms.isEpoch(k.transform())) {
              PartitionTransforms.Range r = PartitionTransforms.epochRange(kind, k.transform(), n);
              range = r == null ? range : r.intersect(range);
            }
          }
        }
      }
      PartitionTransforms.Range calendar = PartitionTransforms.calendarRange(kind, year, month, day, hour);
      return calendar == null ? range : calendar.intersect(range);
    }

    private static boolean rangeMightMatch(PartitionTransforms.Range r, Predicate.Op op, long v) {
      if (r.low() >= r.high()) {
        return true; // the keys contradict each other: trust none of them
      }
      return switch (op) {
        case EQ -> r.contains(v);
        case NE -> !(r.low() == v && r.high() == v + 1);
        case LT -> r.low() < v;
        case LE -> r.low() <= v;
        case GT -> r.high() - 1 > v;
        case GE -> r.high() - 1 >= v;
      };
    }
  }

  /**
   * An identity partition value as the engine value every row of the file reads back as; null
   * for types whose text is not known to round-trip (floats, blobs, nested values...), which are
   * never pruned on. DuckDB writes a TIMESTAMPTZ in UTC ({@code 2024-03-10 12:34:56.789+00})
   * whatever its session's zone; an INTERVAL's microseconds, which Parquet keeps in milliseconds,
   * are cut to the millisecond in the file but not in the partition value; a TIMETZ's partition
   * value keeps its offset ({@code 01:02:03+05}) while the file holds its UTC time
   * ({@code 20:02:03+00}).
   */
  private static Object identityValue(DuckLakeType type, String text) {
    try {
      return switch (type.kind()) {
        case BOOLEAN, INT8, INT16, INT32, INT64, INT128, UINT8, UINT16, UINT32, UINT64, UINT128, DECIMAL, VARCHAR,
            UUID, DATE, TIME, TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS, TIMESTAMPTZ,
            TIMESTAMPTZ_NS -> Values.parse(type, text);
        case INTERVAL -> {
          Interval i = Interval.parse(text);
          yield new Interval(i.months(), i.days(), i.micros() - i.micros() % 1000);
        }
        case TIMETZ -> new TimeTz(TimeTz.parse(text).utcMicros(), 0);
        default -> null;
      };
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
