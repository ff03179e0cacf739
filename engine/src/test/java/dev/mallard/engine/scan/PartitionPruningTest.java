package dev.mallard.engine.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.catalog.PartitionKey;
import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.expr.Predicate.Op;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Interval;
import dev.mallard.engine.types.TimeTz;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pruning by partition values alone, transform by transform; file statistics play no part here. */
class PartitionPruningTest {
  private static final ColumnRef D = new ColumnRef(1, "d", DuckLakeType.of(TypeKind.DATE));
  private static final ColumnRef TS = new ColumnRef(2, "ts", DuckLakeType.of(TypeKind.TIMESTAMP));
  private static final ColumnRef TS_NS = new ColumnRef(3, "ts_ns", DuckLakeType.of(TypeKind.TIMESTAMP_NS));
  private static final ColumnRef TSTZ = new ColumnRef(4, "tstz", DuckLakeType.of(TypeKind.TIMESTAMPTZ));
  private static final ColumnRef NAME = new ColumnRef(5, "name", DuckLakeType.of(TypeKind.VARCHAR));
  private static final ColumnRef ID = new ColumnRef(6, "id", DuckLakeType.of(TypeKind.INT32));

  /** A file written under keys {@code (column, transform)...} with the given values. */
  private static boolean mightMatch(Predicate filter, List<Object[]> keysAndValues) {
    List<PartitionKey> keys = new java.util.ArrayList<>();
    Map<Integer, String> values = new HashMap<>();
    for (int i = 0; i < keysAndValues.size(); i++) {
      Object[] k = keysAndValues.get(i);
      keys.add(new PartitionKey(7, i, ((ColumnRef) k[0]).columnId(), (String) k[1]));
      values.put(i, (String) k[2]);
    }
    return PartitionPruning.mightMatch(filter, keys, values);
  }

  private static List<Object[]> file(Object[]... keys) {
    return Arrays.asList(keys);
  }

  private static Object[] key(ColumnRef column, String transform, String value) {
    return new Object[] {column, transform, value};
  }

  private static int date(String iso) {
    return (int) LocalDate.parse(iso).toEpochDay();
  }

  private static long micros(String iso) {
    LocalDateTime t = LocalDateTime.parse(iso);
    return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
  }

  private static Predicate cmp(ColumnRef c, Op op, Object v) {
    return new Predicate.Comparison(c, op, v);
  }

  @Test
  void murmur3MatchesTheIcebergSpecVectorsAndTheReferenceBuckets() {
    assertThat(PartitionTransforms.hash(ID.type(), 34L)).isEqualTo(2017239379);
    assertThat(PartitionTransforms.murmur3("iceberg".getBytes(StandardCharsets.UTF_8))).isEqualTo(1210000089);
    // The reference's own bucket_partitioning.test: bucket(4) of alice, bob, charlie.
    assertThat(PartitionTransforms.bucket(NAME.type(), "alice", 4)).isEqualTo(1);
    assertThat(PartitionTransforms.bucket(NAME.type(), "bob", 4)).isEqualTo(2);
    assertThat(PartitionTransforms.bucket(NAME.type(), "charlie", 4)).isEqualTo(3);
  }

  @Test
  void yearMonthDayOfADateNarrowToOneDay() {
    List<Object[]> file = file(key(D, "year", "2024"), key(D, "month", "3"), key(D, "day", "5"));
    assertThat(mightMatch(cmp(D, Op.EQ, date("2024-03-05")), file)).isTrue();
    assertThat(mightMatch(cmp(D, Op.EQ, date("2024-03-06")), file)).isFalse();
    assertThat(mightMatch(cmp(D, Op.EQ, date("2023-03-05")), file)).isFalse();
    assertThat(mightMatch(cmp(D, Op.GE, date("2024-03-06")), file)).isFalse();
    assertThat(mightMatch(cmp(D, Op.GE, date("2024-03-05")), file)).isTrue();
    assertThat(mightMatch(cmp(D, Op.LT, date("2024-03-05")), file)).isFalse();
    assertThat(mightMatch(cmp(D, Op.LE, date("2024-03-05")), file)).isTrue();
    assertThat(mightMatch(cmp(D, Op.GT, date("2024-03-04")), file)).isTrue();
    assertThat(mightMatch(cmp(D, Op.NE, date("2024-03-05")), file)).isFalse();
    assertThat(mightMatch(new Predicate.In(D, List.of(date("2024-01-01"), date("2024-03-05"))), file)).isTrue();
    assertThat(mightMatch(new Predicate.In(D, List.of(date("2024-01-01"), date("2024-03-06"))), file)).isFalse();
    assertThat(mightMatch(new Predicate.IsNull(D), file)).isFalse();
    // Infinity has no calendar parts: never in a file with a year.
    assertThat(mightMatch(cmp(D, Op.EQ, Values.DATE_INFINITY), file)).isFalse();
  }

  @Test
  void aYearAloneIsARange() {
    List<Object[]> file = file(key(TS, "year", "2020"));
    assertThat(mightMatch(cmp(TS, Op.GE, micros("2021-01-01T00:00:00")), file)).isFalse();
    assertThat(mightMatch(cmp(TS, Op.GE, micros("2020-12-31T23:59:59.999999")), file)).isTrue();
    assertThat(mightMatch(cmp(TS, Op.LT, micros("2020-01-01T00:00:00")), file)).isFalse();
    assertThat(mightMatch(cmp(TS, Op.LT, micros("2020-01-01T00:00:00.000001")), file)).isTrue();
  }

  @Test
  void aMonthOrDayWithoutItsYearOnlyRulesOutEqualities() {
    List<Object[]> month = file(key(D, "month", "3"));
    assertThat(mightMatch(cmp(D, Op.EQ, date("1999-03-31")), month)).isTrue();
    assertThat(mightMatch(cmp(D, Op.EQ, date("1999-04-01")), month)).isFalse();
    assertThat(mightMatch(cmp(D, Op.GT, date("2099-04-01")), month)).isTrue();
    List<Object[]> day = file(key(D, "day", "31"));
    assertThat(mightMatch(cmp(D, Op.EQ, date("2024-01-31")), day)).isTrue();
    assertThat(mightMatch(cmp(D, Op.EQ, date("2024-02-01")), day)).isFalse();
  }

  @Test
  void hoursOfTimestamps() {
    List<Object[]> file = file(key(TS, "year", "2024"), key(TS, "month", "1"), key(TS, "day", "2"),
        key(TS, "hour", "13"));
    assertThat(mightMatch(cmp(TS, Op.EQ, micros("2024-01-02T13:59:59.999999")), file)).isTrue();
    assertThat(mightMatch(cmp(TS, Op.EQ, micros("2024-01-02T14:00:00")), file)).isFalse();
    assertThat(mightMatch(new Predicate.And(List.of(cmp(TS, Op.GE, micros("2024-01-02T14:00:00")),
        cmp(TS, Op.LT, micros("2024-01-02T15:00:00")))), file)).isFalse();
    List<Object[]> hourOnly = file(key(TS, "hour", "13"));
    assertThat(mightMatch(cmp(TS, Op.EQ, micros("1999-05-05T13:30:00")), hourOnly)).isTrue();
    assertThat(mightMatch(cmp(TS, Op.EQ, micros("1999-05-05T12:30:00")), hourOnly)).isFalse();
  }

  @Test
  void nanosecondsAreCutToMicrosecondsTowardZeroAsDuckDbCutsThem() {
    // DuckDB 1.5.5: hour(TIMESTAMP_NS '2024-01-02 10:59:59.999999999') = 10, and
    // hour(TIMESTAMP_NS '1969-12-31 23:59:59.9999999') = 0 (the microsecond 0 holds -999 to 999 ns).
    long justBeforeEleven = micros("2024-01-02T10:59:59.999999") * 1000 + 999;
    assertThat(mightMatch(cmp(TS_NS, Op.EQ, justBeforeEleven), file(key(TS_NS, "hour", "10")))).isTrue();
    assertThat(mightMatch(cmp(TS_NS, Op.EQ, justBeforeEleven), file(key(TS_NS, "hour", "11")))).isFalse();
    long justBeforeEpoch = -100;
    assertThat(mightMatch(cmp(TS_NS, Op.EQ, justBeforeEpoch), file(key(TS_NS, "hour", "0")))).isTrue();
    assertThat(mightMatch(cmp(TS_NS, Op.EQ, justBeforeEpoch), file(key(TS_NS, "hour", "23")))).isFalse();
    List<Object[]> hour1970 = file(key(TS_NS, "year", "1970"), key(TS_NS, "month", "1"), key(TS_NS, "day", "1"),
        key(TS_NS, "hour", "0"));
    assertThat(mightMatch(cmp(TS_NS, Op.EQ, -999L), hour1970)).isTrue();
    assertThat(mightMatch(cmp(TS_NS, Op.LE, -1000L), hour1970)).isFalse();
    assertThat(mightMatch(cmp(TS_NS, Op.GE, 3_600_000_000_000L), hour1970)).isFalse();
    List<Object[]> hour1969 = file(key(TS_NS, "year", "1969"), key(TS_NS, "month", "12"), key(TS_NS, "day", "31"),
        key(TS_NS, "hour", "23"));
    assertThat(mightMatch(cmp(TS_NS, Op.EQ, -1000L), hour1969)).isTrue();
    assertThat(mightMatch(cmp(TS_NS, Op.GE, -999L), hour1969)).isFalse();
    // 22:59:59.999999001 is cut to 23:00:00, 22:59:59.999999 stays in hour 22
    assertThat(mightMatch(cmp(TS_NS, Op.LE, -3_600_000_000_000L - 999), hour1969)).isTrue();
    assertThat(mightMatch(cmp(TS_NS, Op.LE, -3_600_000_000_000L - 1000), hour1969)).isFalse();
  }

  @Test
  void identityOfIntervalsTimesWithTimeZoneAndInstantsPrunesByTheValueTheFileHolds() {
    ColumnRef iv = new ColumnRef(8, "iv", DuckLakeType.of(TypeKind.INTERVAL));
    ColumnRef tz = new ColumnRef(9, "tz", DuckLakeType.of(TypeKind.TIMETZ));
    // 30 days equals 1 month; the file of 00:00:00.001999 holds 00:00:00.001 (Parquet's milliseconds)
    assertThat(mightMatch(cmp(iv, Op.EQ, Interval.parse("1 month")), file(key(iv, "identity", "30 days")))).isTrue();
    assertThat(mightMatch(cmp(iv, Op.GT, Interval.parse("1 month")), file(key(iv, "identity", "30 days")))).isFalse();
    assertThat(mightMatch(cmp(iv, Op.EQ, Interval.parse("00:00:00.001")),
        file(key(iv, "identity", "00:00:00.001999")))).isTrue();
    assertThat(mightMatch(cmp(iv, Op.EQ, Interval.parse("00:00:00.001999")),
        file(key(iv, "identity", "00:00:00.001999")))).isFalse();
    // the file of 01:02:03+05 holds 20:02:03+00
    assertThat(mightMatch(cmp(tz, Op.EQ, TimeTz.parse("20:02:03+00")), file(key(tz, "identity", "01:02:03+05")))).isTrue();
    assertThat(mightMatch(cmp(tz, Op.EQ, TimeTz.parse("01:02:03+05")), file(key(tz, "identity", "01:02:03+05")))).isFalse();
    assertThat(mightMatch(cmp(tz, Op.LT, TimeTz.parse("20:02:03+00")), file(key(tz, "identity", "01:02:03+05")))).isFalse();
    // TIMESTAMPTZ values in UTC, whatever offset their text has
    assertThat(mightMatch(cmp(TSTZ, Op.EQ, micros("2024-03-10T06:00:00")),
        file(key(TSTZ, "identity", "2024-03-10 01:00:00-05")))).isTrue();
    assertThat(mightMatch(cmp(TSTZ, Op.GT, micros("2024-03-10T06:00:00")),
        file(key(TSTZ, "identity", "2024-03-10 06:00:00+00")))).isFalse();
    assertThat(mightMatch(cmp(TSTZ, Op.GT, micros("2024-03-10T06:00:00")),
        file(key(TSTZ, "identity", "infinity")))).isTrue();
  }

  @Test
  void calendarPartsOfTimestampsWithTimeZoneAreNeverTrusted() {
    // DuckDB computes them in the writer's session time zone, which the catalog does not record.
    List<Object[]> file = file(key(TSTZ, "year", "2024"), key(TSTZ, "month", "1"), key(TSTZ, "day", "2"));
    assertThat(mightMatch(cmp(TSTZ, Op.EQ, micros("2030-06-01T00:00:00")), file)).isTrue();
    // The 1.1 epoch transforms are taken on the UTC instant, so they are.
    assertThat(mightMatch(cmp(TSTZ, Op.EQ, micros("2030-06-01T00:00:00")), file(key(TSTZ, "epoch_day", "0"))))
        .isFalse();
  }

  @Test
  void epochTransforms() {
    long day = date("2024-03-05");
    List<Object[]> epochDay = file(key(D, "epoch_day", Long.toString(day)));
    assertThat(mightMatch(cmp(D, Op.EQ, (int) day), epochDay)).isTrue();
    assertThat(mightMatch(cmp(D, Op.EQ, (int) day + 1), epochDay)).isFalse();
    assertThat(mightMatch(cmp(D, Op.GT, (int) day), epochDay)).isFalse();
    List<Object[]> epochMonth = file(key(TS, "epoch_month", Long.toString((2024 - 1970) * 12 + 2)));
    assertThat(mightMatch(cmp(TS, Op.EQ, micros("2024-03-31T23:00:00")), epochMonth)).isTrue();
    assertThat(mightMatch(cmp(TS, Op.EQ, micros("2024-04-01T00:00:00")), epochMonth)).isFalse();
    List<Object[]> epochYear = file(key(TS, "epoch_year", "54"));
    assertThat(mightMatch(cmp(TS, Op.EQ, micros("2024-12-31T23:59:59")), epochYear)).isTrue();
    assertThat(mightMatch(cmp(TS, Op.EQ, micros("2025-01-01T00:00:00")), epochYear)).isFalse();
    long hour = micros("2024-03-05T07:00:00") / 3_600_000_000L;
    List<Object[]> epochHour = file(key(TS, "epoch_hour", Long.toString(hour)));
    assertThat(mightMatch(cmp(TS, Op.EQ, micros("2024-03-05T07:59:59")), epochHour)).isTrue();
    assertThat(mightMatch(cmp(TS, Op.EQ, micros("2024-03-05T08:00:00")), epochHour)).isFalse();
    // Before 1970 date_diff('hour') truncates toward zero: hour 0 spans an hour either side.
    List<Object[]> hourZero = file(key(TS, "epoch_hour", "0"));
    assertThat(mightMatch(cmp(TS, Op.EQ, micros("1969-12-31T23:30:00")), hourZero)).isTrue();
    assertThat(mightMatch(cmp(TS, Op.EQ, micros("1969-12-31T22:30:00")), hourZero)).isFalse();
  }

  @Test
  void bucketsRuleOutEqualitiesAndInLists() {
    List<Object[]> bucketOne = file(key(NAME, "bucket(4)", "1"));
    assertThat(mightMatch(cmp(NAME, Op.EQ, "alice"), bucketOne)).isTrue();
    assertThat(mightMatch(cmp(NAME, Op.EQ, "bob"), bucketOne)).isFalse();
    assertThat(mightMatch(new Predicate.In(NAME, List.of("bob", "charlie")), bucketOne)).isFalse();
    assertThat(mightMatch(new Predicate.In(NAME, List.of("bob", "alice")), bucketOne)).isTrue();
    assertThat(mightMatch(cmp(NAME, Op.GT, "zzz"), bucketOne)).isTrue(); // a bucket says nothing of order
    Integer bucketOf34 = PartitionTransforms.bucket(ID.type(), 34L, 16);
    assertThat(mightMatch(cmp(ID, Op.EQ, 34L), file(key(ID, "bucket(16)", bucketOf34.toString())))).isTrue();
    assertThat(mightMatch(cmp(ID, Op.EQ, 34L), file(key(ID, "bucket(16)", Integer.toString((bucketOf34 + 1) % 16)))))
        .isFalse();
  }

  @Test
  void identityValuesAndNulls() {
    List<Object[]> eu = file(key(NAME, "identity", "eu"));
    assertThat(mightMatch(cmp(NAME, Op.EQ, "eu"), eu)).isTrue();
    assertThat(mightMatch(cmp(NAME, Op.EQ, "us"), eu)).isFalse();
    assertThat(mightMatch(cmp(NAME, Op.GT, "eu"), eu)).isFalse();
    assertThat(mightMatch(new Predicate.IsNull(NAME), eu)).isFalse();
    Object[] nullKey = key(NAME, "identity", null);
    List<Object[]> nulls = file(nullKey);
    assertThat(mightMatch(cmp(NAME, Op.EQ, "eu"), nulls)).isFalse();
    assertThat(mightMatch(new Predicate.IsNull(NAME), nulls)).isTrue();
    assertThat(mightMatch(new Predicate.Not(new Predicate.IsNull(NAME)), nulls)).isFalse();
    // A NULL year may hold infinite dates, which have no year: it proves nothing.
    List<Object[]> nullYear = file(key(D, "year", null));
    assertThat(mightMatch(cmp(D, Op.EQ, Values.DATE_INFINITY), nullYear)).isTrue();
    assertThat(mightMatch(new Predicate.Not(new Predicate.IsNull(D)), nullYear)).isTrue();
  }

  @Test
  void unknownsNeverPrune() {
    assertThat(mightMatch(cmp(D, Op.EQ, date("2024-01-01")), file(key(D, "weekday", "3")))).isTrue();
    assertThat(mightMatch(cmp(D, Op.EQ, date("2024-01-01")), file(key(D, "year", "not a year")))).isTrue();
    assertThat(mightMatch(cmp(D, Op.EQ, date("2024-01-01")), file(key(D, "month", "13")))).isFalse();
    // A key whose value the file does not record.
    List<PartitionKey> keys = List.of(new PartitionKey(7, 0, D.columnId(), "year"));
    assertThat(PartitionPruning.mightMatch(cmp(D, Op.EQ, date("2024-01-01")), keys, Map.of())).isTrue();
    // A filter on another column.
    assertThat(mightMatch(cmp(ID, Op.EQ, 1L), file(key(D, "year", "2020")))).isTrue();
    // Float identity values are not compared.
    ColumnRef f = new ColumnRef(9, "f", DuckLakeType.of(TypeKind.FLOAT64));
    assertThat(mightMatch(cmp(f, Op.EQ, 2.0), file(key(f, "identity", "1.0")))).isTrue();
  }
}
