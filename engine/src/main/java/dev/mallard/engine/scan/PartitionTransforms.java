package dev.mallard.engine.scan;

import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TimeTz;
import dev.mallard.engine.types.TypeKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckLake's partition transforms as the reference computes them, for pruning and for writing
 * partitioned files (the txn package's {@code Partitioning}): the bucket hash, and the range of column values a temporal partition value stands for. Every method answers null
 * for "not known", which callers treat as "might match".
 *
 * <p>Temporal transforms: {@code year}, {@code month}, {@code day}, {@code hour} are DuckDB's
 * calendar functions (month 1..12, day of month, hour of day); the 1.1 {@code epoch_*} transforms
 * are {@code date_diff(part, DATE '1970-01-01', value)} on the UTC instant, nanoseconds floored to
 * microseconds. Calendar transforms of {@code timestamptz} depend on the writer's session time zone,
 * so they are never used. {@code bucket(N)} is {@code (murmur3_x86_32(value) & 0x7fffffff) % N}
 * over the value's bytes as the reference hashes its physical type.
 */
public final class PartitionTransforms {
  private static final Pattern BUCKET = Pattern.compile("bucket\\((\\d+)\\)");
  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final long MICROS_PER_HOUR = 3_600L * MICROS_PER_SECOND;
  private static final long MICROS_PER_DAY = 24 * MICROS_PER_HOUR;
  private static final List<String> CALENDAR = List.of("year", "month", "day", "hour");

  private PartitionTransforms() {}

  /** A half-open range of column values {@code [low, high)}, in the column's engine units. */
  record Range(long low, long high) {
    boolean contains(long v) {
      return low <= v && v < high;
    }

    Range intersect(Range other) {
      return other == null ? this : new Range(Math.max(low, other.low), Math.min(high, other.high));
    }
  }

  static boolean isCalendar(String transform) {
    return CALENDAR.contains(transform);
  }

  static boolean isEpoch(String transform) {
    return transform.startsWith("epoch_") && CALENDAR.contains(transform.substring("epoch_".length()));
  }

  /** The bucket count of a {@code bucket(N)} transform, or null for other transforms. */
  public static Integer bucketCount(String transform) {
    Matcher m = BUCKET.matcher(transform);
    if (!m.matches()) {
      return null;
    }
    try {
      int n = Integer.parseInt(m.group(1));
      return n > 0 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The bucket of a non-null engine value, or null when its hash is not known for the type. */
  public static Integer bucket(DuckLakeType type, Object value, int buckets) {
    Integer hash = hash(type, value);
    return hash == null ? null : (hash & Integer.MAX_VALUE) % buckets;
  }

  /**
   * The reference's {@code murmur3_32} of a value: integers of up to 64 bits (booleans, dates,
   * times, timestamps and decimals of up to 18 digits as their stored integer) as an 8-byte
   * little-endian long; floats as the bits of the double (-0.0 as 0.0, NaN as Java's one NaN, as
   * DuckDB's); a TIMETZ as DuckDB's 64-bit form of it; strings and blobs as their bytes; unsigned
   * and 128-bit integers, wider decimals, intervals and UUIDs as their text. Everything else: null.
   */
  static Integer hash(DuckLakeType type, Object value) {
    return switch (type.kind()) {
      case BOOLEAN -> hashLong((Boolean) value ? 1 : 0);
      case INT8, INT16, INT32, INT64, TIME, TIME_NS, TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS,
          TIMESTAMPTZ, TIMESTAMPTZ_NS -> hashLong((Long) value);
      case DATE -> hashLong((Integer) value);
      case DECIMAL -> type.precision() <= 18
          ? hashLong(((BigDecimal) value).unscaledValue().longValueExact())
          : murmur3(((BigDecimal) value).setScale(type.scale()).toPlainString().getBytes(StandardCharsets.UTF_8));
      case FLOAT32 -> hashDouble((float) ((Number) value).doubleValue());
      case FLOAT64 -> hashDouble(((Number) value).doubleValue());
      case TIMETZ -> {
        Long bits = timeTzBits(value.toString());
        yield bits == null ? null : hashLong(bits);
      }
      case VARCHAR, JSON -> murmur3(((String) value).getBytes(StandardCharsets.UTF_8));
      case BLOB -> murmur3((byte[]) value);
      case UINT8, UINT16, UINT32, UINT64, INT128, UINT128, UUID, INTERVAL ->
          murmur3(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
      default -> null;
    };
  }

  private static int hashDouble(double d) {
    return hashLong(Double.doubleToLongBits(d == 0.0 ? 0.0 : d));
  }

  /** DuckDB's 64-bit form of a TIMETZ (see {@link TimeTz#bits}); null if the text is not a TIMETZ. */
  private static Long timeTzBits(String text) {
    try {
      return TimeTz.parse(text).bits();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static int hashLong(long v) {
    return murmur3(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
  }

  /** MurmurHash3 x86 32-bit, seed 0 (the 32-bit hash of the Iceberg spec). */
  static int murmur3(byte[] data) {
    int h = 0;
    int blocks = data.length / 4;
    ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < blocks; i++) {
      h ^= mixK(in.getInt(i * 4));
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int k = 0;
    int tail = blocks * 4;
    switch (data.length & 3) {
      case 3:
        k ^= (data[tail + 2] & 0xff) << 16;
        // fall through
      case 2:
        k ^= (data[tail + 1] & 0xff) << 8;
        // fall through
      case 1:
        k ^= data[tail] & 0xff;
        h ^= mixK(k);
        break;
      default:
        break;
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  private static int mixK(int k) {
    k *= 0xcc9e2d51;
    k = Integer.rotateLeft(k, 15);
    return k * 0x1b873593;
  }

  /** Whether a calendar transform of this type is computed the same by every writer. */
  static boolean calendarUsable(TypeKind kind) {
    return switch (kind) {
      case DATE, TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS -> true;
      default -> false;
    };
  }

  static boolean epochUsable(TypeKind kind) {
    return calendarUsable(kind) || kind == TypeKind.TIMESTAMPTZ || kind == TypeKind.TIMESTAMPTZ_NS;
  }

  /**
   * The values a file can hold given its calendar partition values of one column: the year, then
   * as far as they go the month, day and hour (a month without its year says nothing about the
   * range). Null when the year is missing or a value is not a valid date part.
   */
  static Range calendarRange(TypeKind kind, Long year, Long month, Long day, Long hour) {
    if (year == null || !calendarUsable(kind)) {
      return null;
    }
    try {
      LocalDateTime start = LocalDateTime.of(Math.toIntExact(year), 1, 1, 0, 0);
      ChronoUnit unit = ChronoUnit.YEARS;
      if (month != null) {
        start = start.withMonth(Math.toIntExact(month));
        unit = ChronoUnit.MONTHS;
        if (day != null) {
          start = start.withDayOfMonth(Math.toIntExact(day));
          unit = ChronoUnit.DAYS;
          if (hour != null) {
            start = start.withHour(Math.toIntExact(hour));
            unit = ChronoUnit.HOURS;
          }
        }
      }
      long low = micros(start);
      long high = micros(start.plus(1, unit));
      if (kind == TypeKind.TIMESTAMP_NS) {
        return new Range(firstNanosOf(low), firstNanosOf(high));
      }
      return inColumnUnits(kind, low, high, false);
    } catch (java.time.DateTimeException | ArithmeticException e) {
      return null;
    }
  }

  /** The values a file can hold given an epoch partition value of one column. */
  static Range epochRange(TypeKind kind, String transform, long n) {
    if (!epochUsable(kind)) {
      return null;
    }
    try {
      LocalDateTime epoch = LocalDateTime.of(1970, 1, 1, 0, 0);
      long low;
      long high;
      switch (transform) {
        case "epoch_year" -> {
          low = micros(epoch.plusYears(n));
          high = micros(epoch.plusYears(n + 1));
        }
        case "epoch_month" -> {
          low = micros(epoch.plusMonths(n));
          high = micros(epoch.plusMonths(n + 1));
        }
        case "epoch_day" -> {
          low = Math.multiplyExact(n, MICROS_PER_DAY);
          high = Math.multiplyExact(n + 1, MICROS_PER_DAY);
        }
        case "epoch_hour" -> {
          // date_diff('hour') divides the difference, which truncates toward zero before 1970:
          // hour 0 then holds an hour either side of the epoch, and negative hours one hour more.
          low = Math.multiplyExact(n <= 0 ? n - 1 : n, MICROS_PER_HOUR);
          high = Math.multiplyExact(n + 1, MICROS_PER_HOUR) + (n <= 0 ? 1 : 0);
        }
        default -> {
          return null;
        }
      }
      return inColumnUnits(kind, low, high, true);
    } catch (java.time.DateTimeException | ArithmeticException e) {
      return null;
    }
  }

  /** {@code [lowMicros, highMicros)} in the column's units, widened to whole units. */
  private static Range inColumnUnits(TypeKind kind, long lowMicros, long highMicros, boolean nanosFloored) {
    return switch (kind) {
      case DATE -> new Range(Math.floorDiv(lowMicros, MICROS_PER_DAY), ceilDiv(highMicros, MICROS_PER_DAY));
      case TIMESTAMP_S -> new Range(Math.floorDiv(lowMicros, MICROS_PER_SECOND), ceilDiv(highMicros, MICROS_PER_SECOND));
      case TIMESTAMP_MS -> new Range(Math.floorDiv(lowMicros, 1000L), ceilDiv(highMicros, 1000L));
      case TIMESTAMP, TIMESTAMPTZ -> new Range(lowMicros, highMicros);
      case TIMESTAMP_NS, TIMESTAMPTZ_NS -> new Range(Math.multiplyExact(lowMicros, 1000L),
          Math.multiplyExact(highMicros, 1000L));
      default -> null;
    };
  }

  /**
   * The first nanosecond timestamp that DuckDB's calendar functions count in the given microsecond:
   * they cut nanoseconds to microseconds toward zero, so the microsecond 0 holds the nanoseconds
   * -999 to 999, and a negative microsecond the 1,000 nanoseconds after its own start.
   */
  private static long firstNanosOf(long micros) {
    return micros <= 0 ? Math.addExact(Math.multiplyExact(micros - 1, 1000L), 1) : Math.multiplyExact(micros, 1000L);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static long micros(LocalDateTime t) {
    return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), MICROS_PER_SECOND),
        t.getNano() / 1000);
  }

  /**
   * The calendar part ({@code year}, {@code month}, {@code day}, {@code hour}) of a date or
   * timestamp value as DuckDB computes it (nanoseconds cut to microseconds toward zero first:
   * {@code hour(TIMESTAMP_NS '1969-12-31 23:59:59.9999999')} is 0). Null when not known.
   */
  static long[] calendarParts(TypeKind kind, String transform, Object value) {
    Long v = asLong(value);
    if (v == null || !calendarUsable(kind)) {
      return null;
    }
    try {
      long[] micros = switch (kind) {
        case DATE -> new long[] {Math.multiplyExact(v, MICROS_PER_DAY)};
        case TIMESTAMP_S -> new long[] {Math.multiplyExact(v, MICROS_PER_SECOND)};
        case TIMESTAMP_MS -> new long[] {Math.multiplyExact(v, 1000L)};
        case TIMESTAMP -> new long[] {v};
        default -> new long[] {v / 1000L}; // TIMESTAMP_NS, cut toward zero as DuckDB cuts it
      };
      long[] out = new long[micros.length];
      for (int i = 0; i < micros.length; i++) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros[i], MICROS_PER_SECOND), 0, ZoneOffset.UTC);
        out[i] = switch (transform) {
          case "year" -> t.getYear();
          case "month" -> t.getMonthValue();
          case "day" -> t.getDayOfMonth();
          case "hour" -> t.getHour();
          default -> throw new IllegalArgumentException(transform);
        };
      }
      return out;
    } catch (java.time.DateTimeException | ArithmeticException e) {
      return null; // infinities, and values beyond Java's calendar
    }
  }

  /** An engine value of a date or timestamp column as a long in the column's units, or null. */
  static Long asLong(Object value) {
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    return null;
  }
}
