package dev.mallard.engine.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ValuesTest {
  private static Object parse(String type, String text) {
    return Values.parse(DuckLakeType.parse(type), text);
  }

  @Test
  void parsesTheStatisticsStringsDuckDbWrites() {
    assertThat(parse("boolean", "1")).isEqualTo(true);
    assertThat(parse("boolean", "false")).isEqualTo(false);
    assertThat(parse("int8", "-128")).isEqualTo(-128L);
    assertThat(parse("uint64", "18446744073709551615")).isEqualTo(new BigInteger("18446744073709551615"));
    assertThat(parse("int128", "-170141183460469231731687303715884105728"))
        .isEqualTo(new BigInteger("-170141183460469231731687303715884105728"));
    assertThat(parse("float64", "-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat((Double) parse("float32", "nan")).isNaN();
    assertThat(parse("decimal(38,10)", "3.3333000000")).isEqualTo(new BigDecimal("3.3333000000"));
    assertThat(parse("decimal(4,1)", "12")).isEqualTo(new BigDecimal("12.0"));
    assertThat(parse("uuid", "11111111-2222-3333-4444-55555555555A")).isEqualTo("11111111-2222-3333-4444-55555555555a");
  }

  @Test
  void parsesDatesIncludingInfinityAndBeforeChrist() {
    assertThat(parse("date", "1970-01-02")).isEqualTo(1);
    assertThat(parse("date", "infinity")).isEqualTo(Values.DATE_INFINITY);
    assertThat(parse("date", "-infinity")).isEqualTo(-Values.DATE_INFINITY);
    // 0044-03-15 (BC) is proleptic year -43.
    assertThat(parse("date", "0044-03-15 (BC)")).isEqualTo((int) java.time.LocalDate.of(-43, 3, 15).toEpochDay());
  }

  @Test
  void parsesTimesAndTimestampsAtTheirOwnPrecision() {
    assertThat(parse("time", "01:00:00.5")).isEqualTo(3_600_500_000L);
    assertThat(parse("time", "24:00:00")).isEqualTo(86_400_000_000L);
    assertThat(parse("time_ns", "00:00:00.000000001")).isEqualTo(1L);
    assertThat(parse("timestamp", "1970-01-01 00:00:01.123456")).isEqualTo(1_123_456L);
    assertThat(parse("timestamp_s", "1970-01-01 00:01:00")).isEqualTo(60L);
    assertThat(parse("timestamp_ms", "1970-01-01 00:00:00.789")).isEqualTo(789L);
    assertThat(parse("timestamp_ns", "1970-01-01 00:00:00.345678901")).isEqualTo(345_678_901L);
    assertThat(parse("timestamp", "infinity")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void normalizesTimestampsWithTimeZoneToUtc() {
    assertThat(parse("timestamptz", "2022-03-02 22:00:00+00")).isEqualTo(1_646_258_400_000_000L);
    assertThat(parse("timestamptz", "2022-03-03 03:30:00+05:30")).isEqualTo(1_646_258_400_000_000L);
    assertThat(parse("timestamptz", "2022-03-02 21:00:00-01")).isEqualTo(1_646_258_400_000_000L);
  }

  @Test
  void parsesIntervalsAsDuckDbPrintsThem() {
    assertThat(parse("interval", "1 year 2 months 3 days 04:05:06.789"))
        .isEqualTo(new Interval(14, 3, 14_706_789_000L));
    assertThat(parse("interval", "-1 days")).isEqualTo(new Interval(0, -1, 0));
    assertThat(parse("interval", "-00:00:01")).isEqualTo(new Interval(0, 0, -1_000_000L));
    assertThat(new Interval(14, 3, 14_706_789_000L).toString()).isEqualTo("1 year 2 months 3 days 04:05:06.789");
  }

  @Test
  void unparsableStatisticsAreUnknownNotErrors() {
    assertThat(Values.parseStat(DuckLakeType.parse("int32"), "not a number")).isNull();
    assertThat(Values.parseStat(DuckLakeType.parse("blob"), "00FF")).isNull();
    assertThat(Values.parseStat(DuckLakeType.parse("interval"), "1 day")).isNull();
    assertThatThrownBy(() -> parse("int32", "x")).isInstanceOf(NumberFormatException.class);
  }

  @Test
  void ordersLikeDuckDb() {
    // Strings by code point: U+FFFD sorts before U+1F600 although its UTF-16 unit is larger.
    assertThat(Values.compare("\uFFFD", "\uD83D\uDE00")).isNegative();
    assertThat(Values.compare(Double.NaN, Double.POSITIVE_INFINITY)).isPositive();
    assertThat(Values.compare(Double.NaN, Double.NaN)).isZero();
    assertThat(Values.compare(-0.0, 0.0)).isZero();
    assertThat(Values.compare(5L, new BigInteger("5"))).isZero();
    assertThat(Values.compare(new BigDecimal("1.50"), new BigDecimal("1.5"))).isZero();
  }

  @Test
  void typeNamesRoundTripAndUnknownNamesAreKept() {
    assertThat(DuckLakeType.parse("DECIMAL(18, 3)").toString()).isEqualTo("decimal(18,3)");
    assertThat(DuckLakeType.parse("timestamp_us").kind()).isEqualTo(TypeKind.TIMESTAMP);
    DuckLakeType unknown = DuckLakeType.parse("enum('a')");
    assertThat(unknown.kind()).isEqualTo(TypeKind.UNKNOWN);
    assertThat(unknown.toString()).isEqualTo("enum('a')");
  }

  @Test
  void formatsValuesAsDuckDbPrintsThem() {
    for (String[] c : new String[][] {
        {"date", "2025-03-01"}, {"date", "0044-03-15 (BC)"}, {"date", "infinity"},
        {"time", "01:00:00.5"}, {"timestamp", "2024-01-02 03:04:05.123456"}, {"timestamp_s", "1969-12-31 23:59:59"},
        {"timestamp_ns", "2024-01-02 03:04:05.123456789"}, {"timestamptz", "2022-03-02 22:00:00+00"},
        {"timestamp", "-infinity"}, {"timestamp", "0044-03-15 (BC) 03:04:05"}}) {
      DuckLakeType type = DuckLakeType.parse(c[0]);
      assertThat(Values.format(type, Values.parse(type, c[1]))).as(c[0]).isEqualTo(c[1]);
    }
  }

  /** Each pair as DuckDB 1.5.5 orders it: -1, 0 or 1 for a < b, a = b, a > b. */
  @Test
  void intervalsAndTimesWithTimeZoneAreOrderedAsDuckDbOrdersThem() {
    String[][] intervals = {{"1 month", "30 days", "0"}, {"1 day", "24:00:00", "0"}, {"-1 day", "-24:00:00", "0"},
        {"1 month -1 day", "29 days", "1"}, {"35 days", "1 month 5 days", "0"}, {"-1 month 31 days", "1 day", "0"},
        {"47:00:00", "1 day 23:00:00", "0"}, {"1 day -01:00:00", "23:00:00", "1"}, {"-00:00:01", "00:00:00", "-1"},
        {"1 month", "29 days 24:00:00", "0"}};
    for (String[] c : intervals) {
      assertThat(Integer.signum(Values.compare(Interval.parse(c[0]), Interval.parse(c[1]))))
          .as("%s vs %s", c[0], c[1]).isEqualTo(Integer.parseInt(c[2]));
    }
    String[][] times = {{"10:00:00+01", "09:00:00+00", "-1"}, {"01:00:00+05", "02:00:00+00", "-1"},
        {"01:00:00+05", "21:00:00+00", "-1"}, {"23:00:00-05", "05:00:00+00", "1"}, {"24:00:00+00", "00:00:00+00", "1"},
        {"00:00:00+15:59:59", "00:00:00-15:59:59", "-1"}, {"01:02:03+05", "20:02:03+00", "-1"}};
    for (String[] c : times) {
      assertThat(Integer.signum(Values.compare(c[0], TimeTz.parse(c[1]))))
          .as("%s vs %s", c[0], c[1]).isEqualTo(Integer.parseInt(c[2]));
    }
  }
}
