package dev.mallard.engine.parquet;

import static dev.mallard.engine.parquet.ParquetTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.types.ColumnStats;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every primitive DuckLake type as DuckDB 1.5.5 writes it, extremes and NULL included, read back
 * and compared with what DuckDB itself reads from the same file (cast to the column's type, as
 * the ducklake extension does), and with the values written where the Parquet form is lossless.
 */
class ParquetTypesTest extends DuckDbFileTest {

  /** Types whose Parquet form loses information: compared with DuckDB's reading only. */
  private static final Set<String> LOSSY = Set.of("int128", "uint128", "interval", "timetz");
  /** Types DuckDB writes no min/max for (timetz and interval: no statistics at all). */
  private static final Set<String> NO_STATS = Set.of("int128", "uint128", "interval", "timetz", "blob");

  /** Every type with both writer versions: V2 brings data page v2 and the DELTA / BYTE_STREAM_SPLIT encodings. */
  static Stream<Arguments> types() {
    return cases().flatMap(c -> Stream.of("V1", "V2").map(v -> Arguments.of(c.get()[0], c.get()[1], c.get()[2], v)));
  }

  private static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("BOOLEAN", "boolean", List.of("true", "false")),
        Arguments.of("TINYINT", "int8", List.of("-128", "127", "0")),
        Arguments.of("SMALLINT", "int16", List.of("-32768", "32767")),
        Arguments.of("INTEGER", "int32", List.of("-2147483648", "2147483647")),
        Arguments.of("BIGINT", "int64", List.of("-9223372036854775808", "9223372036854775807")),
        Arguments.of("UTINYINT", "uint8", List.of("0", "255", "128")),
        Arguments.of("USMALLINT", "uint16", List.of("0", "65535", "32768")),
        Arguments.of("UINTEGER", "uint32", List.of("0", "4294967295", "2147483648")),
        Arguments.of("UBIGINT", "uint64", List.of("0", "18446744073709551615", "9223372036854775808")),
        Arguments.of("HUGEINT", "int128", List.of("-170141182192818631503457902219180900352",
            "170141182192818631503457902219180900352", "12345678901234567891", "-3", "0")),
        Arguments.of("UHUGEINT", "uint128", List.of("0", "340281068846723829756467474807685906432",
            "9007199254740993")),
        Arguments.of("FLOAT", "float32", List.of("1.1", "-3.4028235e38", "1.4e-45", "inf", "-inf", "-0.0")),
        Arguments.of("DOUBLE", "float64", List.of("1.1", "1.7976931348623157e308", "4.9e-324", "inf", "-inf")),
        Arguments.of("FLOAT", "float32", List.of("nan", "1", "2")),
        Arguments.of("DECIMAL(4,1)", "decimal(4,1)", List.of("-999.9", "999.9", "0.1")),
        Arguments.of("DECIMAL(9,4)", "decimal(9,4)", List.of("-99999.9999", "99999.9999")),
        Arguments.of("DECIMAL(18,6)", "decimal(18,6)", List.of("-999999999999.999999", "999999999999.999999")),
        Arguments.of("DECIMAL(38,10)", "decimal(38,10)", List.of("-9999999999999999999999999999.9999999999",
            "9999999999999999999999999999.9999999999", "0.0000000001")),
        Arguments.of("DECIMAL(38,0)", "decimal(38,0)", List.of("-99999999999999999999999999999999999999", "1")),
        Arguments.of("VARCHAR", "varchar", List.of("", "a", "héllo 😀", "z".repeat(1000))),
        Arguments.of("JSON", "json", List.of("{\"a\": [1, 2]}", "null", "\"s\"")),
        Arguments.of("BLOB", "blob", List.of("\\x00\\xFF\\x80", "", "abc")),
        Arguments.of("UUID", "uuid", List.of("00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff", "80000000-0000-0000-0000-000000000001",
            "7FFFFFFF-AAAA-BBBB-CCCC-DDDDDDDDDDDD")),
        Arguments.of("DATE", "date", List.of("infinity", "-infinity", "0044-03-15 (BC)", "9999-12-31", "1970-01-01")),
        Arguments.of("TIME", "time", List.of("00:00:00", "23:59:59.999999", "24:00:00", "12:00:00.5")),
        Arguments.of("TIME_NS", "time_ns", List.of("00:00:00", "23:59:59.999999999", "12:00:00.000000001")),
        Arguments.of("TIMETZ", "timetz", List.of("01:02:03+05", "23:59:59.999999-15:59", "00:00:00+15:59",
            "12:30:00.5+00")),
        Arguments.of("TIMESTAMP_S", "timestamp_s", List.of("2020-01-01 00:00:01", "0001-01-01 00:00:00",
            "9999-12-31 23:59:59", "1969-12-31 23:59:59")),
        Arguments.of("TIMESTAMP_MS", "timestamp_ms", List.of("2020-01-01 00:00:00.123", "0001-01-01 00:00:00",
            "9999-12-31 23:59:59.999", "1969-12-31 23:59:59.999")),
        Arguments.of("TIMESTAMP", "timestamp", List.of("infinity", "-infinity", "2020-01-01 01:02:03.123456",
            "0001-01-01 00:00:00", "1969-12-31 23:59:59.999999")),
        Arguments.of("TIMESTAMP_NS", "timestamp_ns", List.of("2262-04-11 23:47:16.854775806",
            "1677-09-22 00:00:00.000000001", "2020-01-01 00:00:00.000000001", "infinity")),
        Arguments.of("TIMESTAMPTZ", "timestamptz", List.of("infinity", "2020-01-01 01:02:03.123456+05:30",
            "1969-12-31 23:59:59.999999+00")),
        Arguments.of("INTERVAL", "interval", List.of("1 year 2 months 3 days 04:05:06.789",
            "0 days", "3 days 00:00:00.000999", "999 months 999 days 100:00:00",
            "1000:00:00", "100000:00:00")));
  }

  @ParameterizedTest(name = "{1} {3} {2}")
  @MethodSource("types")
  void readsWhatDuckDbWrites(String duckdbType, String ducklakeType, List<String> literals, String parquetVersion) {
    DuckLakeType type = DuckLakeType.parse(ducklakeType);
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < literals.size(); i++) {
      rows.add("('" + literals.get(i).replace("'", "''") + "', " + i + ")");
    }
    rows.add("(NULL, " + literals.size() + ")");
    Path file = dir.resolve("t.parquet");
    db.execute("COPY (SELECT CAST(v AS " + duckdbType + ") AS c, i FROM (VALUES " + String.join(", ", rows)
        + ") t(v, i) ORDER BY i) TO '" + file + "' (FORMAT parquet, FIELD_IDS {c: 1, i: 2}, PARQUET_VERSION " + parquetVersion + ")");

    ColumnStats[] stats = new ColumnStats[1];
    RowGroupFilter capture = (rowCount, s) -> {
      stats[0] = s.apply(1);
      return true;
    };
    List<Object> actual = readAll(allocator, file, List.of(new ReadColumn(1, "c", type, null)), capture, 1024)
        .column(0);

    List<Object> fromFile = expected(type, "SELECT " + text(type, "CAST(c AS " + duckdbType + ")")
        + " FROM read_parquet('" + file + "') ORDER BY i");
    assertThat(normalized(actual)).isEqualTo(normalized(fromFile));
    if (!LOSSY.contains(ducklakeType)) {
      List<Object> written = expected(type, "SELECT " + text(type, "CAST(v AS " + duckdbType + ")") + " FROM (VALUES "
          + String.join(", ", rows) + ") t(v, i) ORDER BY i");
      assertThat(normalized(actual)).isEqualTo(normalized(written));
    }
    assertStatsAreBounds(type, stats[0], actual);
  }

  private static void assertStatsAreBounds(DuckLakeType type, ColumnStats stats, List<Object> values) {
    assertThat(stats).isNotNull();
    if (!NO_STATS.contains(type.kind().typeName()) || stats.nullCount() != null) {
      assertThat(stats.nullCount()).isEqualTo(1L);
      assertThat(stats.valueCount()).isEqualTo((long) values.size() - 1);
    }
    List<Object> nonNull = values.stream().filter(v -> v != null).collect(Collectors.toList());
    boolean hasNan = nonNull.stream().anyMatch(v -> v instanceof Double d && d.isNaN());
    if (NO_STATS.contains(type.kind().typeName()) || hasNan || type.kind() == TypeKind.VARCHAR) {
      // DuckDB leaves these out (NaN, strings over its length limit); when given they must be bounds
      for (Object v : nonNull) {
        if (stats.min() != null && !(v instanceof Double d && d.isNaN())) {
          assertThat(Values.compare(stats.min(), v)).isLessThanOrEqualTo(0);
          assertThat(Values.compare(stats.max(), v)).isGreaterThanOrEqualTo(0);
        }
      }
      return;
    }
    Object min = nonNull.stream().min(Values::compare).orElseThrow();
    Object max = nonNull.stream().max(Values::compare).orElseThrow();
    assertThat(Values.compare(stats.min(), min)).as("min %s vs %s", stats.min(), min).isZero();
    assertThat(Values.compare(stats.max(), max)).as("max %s vs %s", stats.max(), max).isZero();
  }

  /** DuckDB's text for an expression; blobs as hex. */
  private static String text(DuckLakeType type, String expression) {
    return type.kind() == TypeKind.BLOB ? "hex(" + expression + ")" : "CAST(" + expression + " AS VARCHAR)";
  }

  /** DuckDB's texts parsed into engine values, as the stats strings of the catalog are. */
  private static List<Object> expected(DuckLakeType type, String sql) {
    List<Object> values = new ArrayList<>();
    for (List<Object> row : db.query(sql).rows()) {
      String s = (String) row.get(0);
      if (s == null) {
        values.add(null);
      } else if (type.kind() == TypeKind.BLOB) {
        values.add(HexFormat.of().parseHex(s));
      } else if (type.kind() == TypeKind.FLOAT32) {
        values.add((double) (float) (double) Values.parse(type, s));
      } else {
        values.add(Values.parse(type, s));
      }
    }
    return values;
  }

  /** Blobs as hex so that lists compare by content. */
  private static List<Object> normalized(List<Object> values) {
    return values.stream().map(v -> v instanceof byte[] b ? "0x" + HexFormat.of().formatHex(b) : v)
        .collect(ArrayList::new, ArrayList::add, ArrayList::addAll);
  }
}
