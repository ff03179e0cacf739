package dev.mallard.engine.txn;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.PartitionKey;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.exec.NestedText;
import dev.mallard.engine.scan.PartitionTransforms;
import dev.mallard.engine.types.FloatText;
import dev.mallard.engine.types.TimeTz;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A table's partition spec ({@code SET PARTITIONED BY}): the keys new files are split by, and the
 * partition value of a row as the reference computes and records it
 * ({@code ducklake_file_partition_value}): identity keeps the value's text; year, month, day and
 * hour are DuckDB's {@code year()}, {@code month()}, {@code day()}, {@code hour()} of it.
 *
 * @param id the spec's {@code partition_id}; transaction-local until committed
 * @param keys in key order
 */
public record Partitioning(long id, List<Key> keys) {
  private static final Set<String> TEMPORAL = Set.of("year", "month", "day", "hour");

  /** A partition key: the column (by id) and its transform. */
  record Key(ColumnInfo column, String transform) {
    /** The directory name part of a file's path, as DuckDB names them ({@code year=2024}, {@code region=eu}). */
    String directoryName() {
      return transform.equals("identity") ? column.name() : transform.replaceAll("\\(.*", "");
    }
  }

  public Partitioning {
    keys = List.copyOf(keys);
  }

  /** Checks the keys of a SET PARTITIONED BY against the table. */
  static List<Key> keys(TableInfo table, List<String> columns, List<String> transforms) {
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      String name = columns.get(i);
      ColumnInfo column = table.column(name).orElseThrow(() -> new UserException("Cannot partition by \"" + name
          + "\": table " + table.qualifiedName() + " has no such column"));
      String transform = transforms.get(i).toLowerCase(Locale.ROOT).replace(" ", "");
      if (!transform.equals("identity") && !TEMPORAL.contains(transform) && !transform.matches("bucket\\(\\d+\\)")) {
        throw new UserException("Unknown partition transform '" + transforms.get(i) + "'; DuckLake has identity,"
            + " year, month, day, hour and bucket(n)");
      }
      if (TEMPORAL.contains(transform) && !isTemporal(column.type().kind())) {
        throw new UserException("Cannot partition by " + transform + "(" + name + "): " + name + " is "
            + column.type() + ", not a date or timestamp");
      }
      if (column.type().kind().isNested()) {
        throw new UserException("Cannot partition by nested column \"" + name + "\"");
      }
      keys.add(new Key(column, transform));
    }
    return keys;
  }

  private static boolean isTemporal(TypeKind kind) {
    return switch (kind) {
      case DATE, TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS, TIMESTAMPTZ, TIMESTAMPTZ_NS -> true;
      default -> false;
    };
  }

  /** The table's spec at a snapshot, or null when it is not partitioned then. */
  public static Partitioning at(MetadataStore metadata, TableInfo table, long snapshotId) {
    List<PartitionKey> stored = metadata.partitionKeys(table.id(), snapshotId);
    if (stored.isEmpty()) {
      return null;
    }
    List<Key> keys = new ArrayList<>();
    for (PartitionKey key : stored) {
      ColumnInfo column = table.columns().stream().filter(col -> col.id() == key.columnId()).findFirst()
          .orElseThrow(() -> new UnsupportedFeatureException("Table " + table.qualifiedName()
              + " is partitioned by a column that is not top-level (" + key.columnId() + "); writing to it is not"
              + " supported"));
      keys.add(new Key(column, key.transform()));
    }
    return new Partitioning(stored.get(0).partitionId(), keys);
  }

  /**
   * The partition values of a row (engine values in column order), as the catalog records them;
   * calendar parts of TIMESTAMPTZ values are taken in {@code zone}, as DuckDB takes them in its
   * session's {@code TimeZone}.
   */
  List<String> values(TableInfo table, Object[] row, ZoneId zone) {
    return values(table.columns(), row, zone);
  }

  /**
   * The same for a row of {@code columns} (e.g. the columns inlined rows were written with); a key
   * column missing from them cannot be computed.
   */
  public List<String> values(List<ColumnInfo> columns, Object[] row, ZoneId zone) {
    List<String> out = new ArrayList<>(keys.size());
    for (Key key : keys) {
      int index = -1;
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).id() == key.column().id()) {
          index = i;
        }
      }
      if (index < 0) {
        throw new UnsupportedFeatureException("Rows without the partition key column " + key.column().name()
            + " cannot be written partitioned");
      }
      Object value = row[index];
      out.add(value == null ? null : value(key, value, zone));
    }
    return out;
  }

  private static String value(Key key, Object value, ZoneId zone) {
    TypeKind kind = key.column().type().kind();
    if (key.transform().equals("identity")) {
      return switch (kind) {
        // DuckDB's text of the value (-0.0 is 0.0 there: it falls in the partition of 0.0).
        case FLOAT32, FLOAT64 -> {
          boolean single = kind == TypeKind.FLOAT32;
          double d = ((Number) value).doubleValue();
          yield FloatText.format(d == 0.0 ? 0.0 : single ? (float) d : d, single);
        }
        case BLOB -> NestedText.blobText((byte[]) value);
        // DuckDB's text, with the offset written (the file itself holds the UTC time: see TimeTzEncoder).
        case TIMETZ -> TimeTz.parse(value.toString()).toString();
        // Zoned timestamps as DuckDB's cast to text without a time zone gives them, in UTC whatever
        // the session's zone: 2024-03-10 12:34:56.789+00, infinity. Intervals as DuckDB prints them.
        default -> Values.format(key.column().type(), value);
      };
    }
    Integer buckets = PartitionTransforms.bucketCount(key.transform());
    if (buckets != null) {
      // The same hash DuckDB's pruning folds a constant through: another bucket would hide the row.
      Integer bucket = PartitionTransforms.bucket(key.column().type(), value, buckets);
      if (bucket == null) {
        throw new UnsupportedFeatureException("Writing files partitioned by " + key.transform() + " of "
            + key.column().name() + " (" + key.column().type() + ") is not supported: not a value DuckDB hashes"
            + " (e.g. text that is not a TIMETZ)");
      }
      return String.valueOf(bucket);
    }
    if (isInfinite(kind, value)) {
      return null; // DuckDB's year(), month(), day(), hour() of an infinity are NULL
    }
    LocalDateTime t = switch (kind) {
      case DATE -> LocalDate.ofEpochDay((Integer) value).atStartOfDay();
      case TIMESTAMP_S -> LocalDateTime.ofEpochSecond((Long) value, 0, ZoneOffset.UTC);
      case TIMESTAMP_MS -> micros((Long) value * 1000);
      case TIMESTAMP -> micros((Long) value);
      case TIMESTAMP_NS -> micros(Math.floorDiv((Long) value, 1000L));
      // The instant's wall-clock time in the session zone (not UTC): what DuckDB's ICU functions give.
      case TIMESTAMPTZ -> LocalDateTime.ofInstant(Instant.EPOCH.plus((Long) value, ChronoUnit.MICROS), zone);
      case TIMESTAMPTZ_NS -> LocalDateTime.ofInstant(Instant.EPOCH.plus((Long) value, ChronoUnit.NANOS), zone);
      default -> throw new IllegalStateException("not temporal: " + kind);
    };
    return String.valueOf(switch (key.transform()) {
      case "year" -> t.getYear();
      case "month" -> t.getMonthValue();
      case "day" -> t.getDayOfMonth();
      default -> t.getHour();
    });
  }

  private static boolean isInfinite(TypeKind kind, Object value) {
    if (kind == TypeKind.DATE) {
      return Math.abs((long) (Integer) value) == Values.DATE_INFINITY;
    }
    return Math.abs((Long) value) == Values.TIMESTAMP_INFINITY;
  }

  private static LocalDateTime micros(long micros) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000,
        ZoneOffset.UTC);
  }

  /**
   * The directory of a partition's files under the table's, e.g. {@code year=2024/region=eu/}. A
   * name already taken (case-insensitively) gets the column's name appended, as the reference does:
   * {@code year(a), year(b)} gives {@code year=.../year_b=.../}.
   */
  public String directory(List<String> values) {
    StringBuilder out = new StringBuilder();
    Set<String> used = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < keys.size(); i++) {
      String name = keys.get(i).directoryName();
      if (!used.add(name)) {
        name = name + "_" + keys.get(i).column().name();
        used.add(name);
      }
      // NULL as DuckDB writes it; its reader takes this name for NULL.
      String v = values.get(i) == null ? "__HIVE_DEFAULT_PARTITION__" : escape(values.get(i));
      out.append(escape(name)).append('=').append(v).append('/');
    }
    return out.toString();
  }

  /**
   * A directory name part as DuckDB's hive partitioning escapes it: every UTF-8 byte other than
   * {@code A-Z a-z 0-9 - _ . ~} as {@code %XX}, so no value can change the path.
   */
  private static String escape(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char ch = (char) (b & 0xff);
      if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || "-_.~".indexOf(ch) >= 0) {
        out.append(ch);
      } else {
        out.append('%').append(String.format("%02X", (int) ch));
      }
    }
    return out.toString();
  }
}
