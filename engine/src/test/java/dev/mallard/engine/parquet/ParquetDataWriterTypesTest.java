package dev.mallard.engine.parquet;

import static dev.mallard.engine.parquet.ParquetTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.storage.LocalFileIO;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Interval;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.testing.DuckDb;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every primitive DuckLake type, extremes and NULL included, written by Mallard and checked against
 * DuckDB 1.5.5: read back by Mallard's reader and by DuckDB's {@code read_parquet} (both must give
 * the values written), the Parquet layout compared with the file DuckDB's ducklake extension
 * writes for the same rows, and Mallard's statistics strings compared with the ones the extension
 * records in {@code ducklake_file_column_stats} for that file.
 */
class ParquetDataWriterTypesTest extends DuckDbFileTest {
  private static final AtomicInteger TABLES = new AtomicInteger();
  @TempDir static Path lakeDir;

  @BeforeAll
  static void attachLake() {
    db.execute("ATTACH 'ducklake:sqlite:" + lakeDir.resolve("cat.sqlite") + "' AS lake (DATA_PATH '"
        + lakeDir.resolve("data") + "/', DATA_INLINING_ROW_LIMIT 0)");
  }

  static Stream<Arguments> types() {
    return cases().flatMap(c -> Stream.of("V1", "V2").map(v -> Arguments.of(c.get()[0], c.get()[1], c.get()[2], v)));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("BOOLEAN", "boolean", List.of("true", "false", "true")),
        Arguments.of("BOOLEAN", "boolean", List.of("true")),
        Arguments.of("TINYINT", "int8", List.of("-128", "127", "0")),
        Arguments.of("SMALLINT", "int16", List.of("-32768", "32767")),
        Arguments.of("INTEGER", "int32", List.of("-2147483648", "2147483647")),
        Arguments.of("BIGINT", "int64", List.of("-9223372036854775808", "9223372036854775807")),
        Arguments.of("UTINYINT", "uint8", List.of("0", "255", "128")),
        Arguments.of("USMALLINT", "uint16", List.of("0", "65535", "32768")),
        Arguments.of("UINTEGER", "uint32", List.of("0", "4294967295", "2147483648")),
        Arguments.of("UBIGINT", "uint64", List.of("0", "18446744073709551615", "9223372036854775808")),
        Arguments.of("UBIGINT", "uint64", List.of("5", "9223372036854775807")),
        Arguments.of("HUGEINT", "int128", List.of("-99999999999999999999999999999999999999",
            "99999999999999999999999999999999999999", "12345678901234567891", "-3", "0", "9007199254740993")),
        Arguments.of("UHUGEINT", "uint128", List.of("0", "99999999999999999999999999999999999999",
            "9007199254740993", "18446744073709551616")),
        Arguments.of("FLOAT", "float32", List.of("1.1", "-3.4028235e38", "1.4e-45", "inf", "-inf", "-0.0", "16777216",
            "1e-5", "0.0001", "1e15", "1e16")),
        Arguments.of("FLOAT", "float32", List.of("nan", "1", "2", "-0.0", "0.0")),
        Arguments.of("FLOAT", "float32", List.of("nan")),
        Arguments.of("FLOAT", "float32", List.of("inf")),
        Arguments.of("DOUBLE", "float64", List.of("1.1", "1.7976931348623157e308", "4.9e-324", "inf", "-inf",
            "0.30000000000000004", "123456789012345680000", "1e-7", "2.2250738585072014E-308")),
        Arguments.of("DOUBLE", "float64", List.of("0.0", "-0.0", "nan", "-1")),
        Arguments.of("DECIMAL(4,1)", "decimal(4,1)", List.of("-999.9", "999.9", "0.1", "0.0", "-0.5")),
        Arguments.of("DECIMAL(9,4)", "decimal(9,4)", List.of("-99999.9999", "99999.9999")),
        Arguments.of("DECIMAL(18,6)", "decimal(18,6)", List.of("-999999999999.999999", "999999999999.999999")),
        Arguments.of("DECIMAL(18,0)", "decimal(18,0)", List.of("1", "-5")),
        Arguments.of("DECIMAL(20,2)", "decimal(20,2)", List.of("1.5", "-123456789012345678.91")),
        Arguments.of("DECIMAL(38,10)", "decimal(38,10)", List.of("-9999999999999999999999999999.9999999999",
            "9999999999999999999999999999.9999999999", "0.0000000001", "1")),
        Arguments.of("DECIMAL(38,0)", "decimal(38,0)", List.of("-99999999999999999999999999999999999999", "1")),
        Arguments.of("VARCHAR", "varchar", List.of("", "a", "héllo 😀", "z".repeat(1000), "b" + "é".repeat(300))),
        Arguments.of("VARCHAR", "varchar", List.of("a".repeat(255) + "é", "b".repeat(254) + "éz",
            "b".repeat(255) + "\u007fx")),
        Arguments.of("VARCHAR", "varchar", List.of("é".repeat(300), "a")),
        Arguments.of("VARCHAR", "varchar", List.of("a\u0000b", "b")),
        Arguments.of("VARCHAR", "varchar", List.of("b\u0000", "a")),
        Arguments.of("JSON", "json", List.of("{\"a\": [1, 2]}", "null", "\"s\"", "[" + "1,".repeat(200) + "1]")),
        Arguments.of("BLOB", "blob", List.of("\\x00\\xFF\\x80", "", "abc", "\\xFF".repeat(255) + "a".repeat(10))),
        Arguments.of("BLOB", "blob", List.of("\\xFF".repeat(300), "a")),
        Arguments.of("UUID", "uuid", List.of("00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff", "80000000-0000-0000-0000-000000000001",
            "7FFFFFFF-AAAA-BBBB-CCCC-DDDDDDDDDDDD")),
        Arguments.of("DATE", "date", List.of("infinity", "-infinity", "0044-03-15 (BC)", "9999-12-31", "1970-01-01")),
        Arguments.of("DATE", "date", List.of("0001-01-01", "0000-01-01", "99999-12-31", "1969-12-31")),
        Arguments.of("TIME", "time", List.of("00:00:00", "23:59:59.999999", "24:00:00", "12:00:00.5")),
        Arguments.of("TIMETZ", "timetz", List.of("12:30:00.5+00", "00:00:00+00", "23:59:59.999999+00")),
        Arguments.of("TIMESTAMP_S", "timestamp_s", List.of("2020-01-01 00:00:01", "0001-01-01 00:00:00",
            "9999-12-31 23:59:59", "1969-12-31 23:59:59")),
        Arguments.of("TIMESTAMP_MS", "timestamp_ms", List.of("2020-01-01 00:00:00.123", "0001-01-01 00:00:00",
            "9999-12-31 23:59:59.999", "1969-12-31 23:59:59.999", "2020-01-01 01:02:03.5")),
        Arguments.of("TIMESTAMP", "timestamp", List.of("infinity", "-infinity", "2020-01-01 01:02:03.123456",
            "0001-01-01 00:00:00", "1969-12-31 23:59:59.999999", "0044-03-15 (BC) 01:02:03", "294246-12-31 00:00:00")),
        Arguments.of("TIMESTAMP_NS", "timestamp_ns", List.of("2262-04-11 23:47:16.854775806",
            "1677-09-22 00:00:00.000000001", "2020-01-01 00:00:00.000000001", "infinity")),
        Arguments.of("TIMESTAMPTZ", "timestamptz", List.of("infinity", "2020-01-01 01:02:03.123456+05:30",
            "1969-12-31 23:59:59.999999+00")),
        Arguments.of("TIMESTAMPTZ", "timestamptz", List.of("-infinity", "2020-01-01 00:00:00+00")),
        Arguments.of("INTERVAL", "interval", List.of("1 year 2 months 3 days 04:05:06.789", "0 days",
            "999 months 999 days 100:00:00", "1000:00:00", "1193:02:47.295")));
  }

  @ParameterizedTest(name = "{1} {3} {2}")
  @MethodSource("types")
  void writesWhatDuckDbReadsAndRecords(String duckdbType, String ducklakeType, List<String> literals,
      String version) {
    DuckLakeType type = DuckLakeType.parse(ducklakeType);
    String source = WriterTestSupport.values(literals);
    List<Object> values = WriterTestSupport.engineValues(db, type, "SELECT " + WriterTestSupport.text(type, "CAST(v AS " + duckdbType + ")") + " FROM "
        + source + " ORDER BY i");
    List<WriteColumn> columns = List.of(new WriteColumn(1, "c", type, true),
        new WriteColumn(2, "i", DuckLakeType.of(TypeKind.INT64), false));
    WrittenFile file = writeOne(columns, rows(values), WriterOptions.DEFAULTS.withFormatVersion(
        WriterOptions.FormatVersion.valueOf(version)));
    Path path = Path.of(file.path());

    // (a) Mallard's reader gives the values written
    List<Object> read = readAll(allocator, path, List.of(new ReadColumn(1, "c", type, null))).column(0);
    assertThat(WriterTestSupport.normalized(read)).isEqualTo(WriterTestSupport.normalized(values));
    // (b) so does DuckDB
    List<Object> duckdb = WriterTestSupport.engineValues(db, type, "SELECT " + WriterTestSupport.text(type, "c") + " FROM read_parquet('" + path
        + "') ORDER BY i");
    assertThat(WriterTestSupport.normalized(duckdb)).isEqualTo(WriterTestSupport.normalized(values));
    assertThat(file.recordCount()).isEqualTo(values.size());

    // (c) DuckDB's ducklake extension writes the same rows: same layout, same statistics
    String table = "t" + TABLES.incrementAndGet();
    db.execute("CREATE TABLE lake." + table + "(c " + duckdbType + ", i BIGINT NOT NULL)");
    db.execute("INSERT INTO lake." + table + " SELECT CAST(v AS " + duckdbType + "), i FROM " + source
        + " ORDER BY i");
    DuckDb.Result reference = db.query("SELECT s.column_size_bytes, s.value_count, s.null_count, s.min_value,"
        + " s.max_value, s.contains_nan, t.path || f.path FROM __ducklake_metadata_lake.ducklake_file_column_stats s"
        + " JOIN __ducklake_metadata_lake.ducklake_data_file f USING (data_file_id)"
        + " JOIN __ducklake_metadata_lake.ducklake_table t ON t.table_id = f.table_id AND t.end_snapshot IS NULL"
        + " WHERE t.table_name = '" + table + "' AND s.column_id = 1");
    assertThat(reference.rows()).hasSize(1);
    List<Object> ref = reference.rows().get(0);
    FileColumnStats stats = file.stats().get(1);
    assertThat(stats.valueCount()).as("value_count").isEqualTo(((BigInteger) ref.get(1)).longValue());
    assertThat(stats.nullCount()).as("null_count").isEqualTo(((BigInteger) ref.get(2)).longValue());
    assertThat(stats.minValue()).as("min_value").isEqualTo(ref.get(3));
    assertThat(stats.maxValue()).as("max_value").isEqualTo(ref.get(4));
    // the SQLite catalog stores booleans as integers
    assertThat(stats.containsNan()).as("contains_nan").isEqualTo(ref.get(5) == null ? null
        : ((BigInteger) ref.get(5)).signum() != 0);
    assertThat(stats.columnSizeBytes() > 0).as("column_size_bytes").isEqualTo(((BigInteger) ref.get(0)).signum() > 0);
    if (version.equals("V1")) { // the ducklake extension writes V1 by default
      Path referenceFile = lakeDir.resolve("data").resolve("main").resolve((String) ref.get(6));
      assertSameLayout(type, path, referenceFile);
    }
  }

  /**
   * The Parquet schema of column c, as DuckDB describes it, is the same in both files. parquet-java
   * writes a logical type next to each converted type where DuckDB writes the converted type alone;
   * both mean the same, so logical types are compared where DuckDB writes one. int128 is the one
   * layout that differs on purpose (see ColumnEncoder.Int128Encoder).
   */
  private static void assertSameLayout(DuckLakeType type, Path mallard, Path reference) {
    String sql = "SELECT type, type_length, repetition_type, converted_type, scale, precision, field_id,"
        + " logical_type FROM parquet_schema('%s') WHERE name = 'c'";
    List<Object> ours = db.query(String.format(sql, mallard)).rows().get(0);
    List<Object> theirs = db.query(String.format(sql, reference)).rows().get(0);
    if (type.kind() == TypeKind.INT128 || type.kind() == TypeKind.UINT128) {
      assertThat(theirs.get(0)).isEqualTo("DOUBLE");
      assertThat(ours.subList(0, 7)).isEqualTo(Arrays.asList("FIXED_LEN_BYTE_ARRAY", "16",
          "OPTIONAL", "DECIMAL", BigInteger.ZERO, BigInteger.valueOf(38), BigInteger.ONE));
      return;
    }
    assertThat(ours.subList(0, 7)).isEqualTo(theirs.subList(0, 7));
    if (theirs.get(7) != null) {
      assertThat(ours.get(7)).isEqualTo(theirs.get(7));
    }
  }

  /**
   * TIMETZ values with any offset are written as DuckDB writes them: their UTC time of day, the
   * offset dropped (DuckDB reads {@code 01:02:03+05} back as {@code 20:02:03+00}, 24:00:00+00 as
   * 00:00:00+00), so DuckDB reads from Mallard's file what it reads from its own.
   */
  @Test
  void timeTzWithAnyOffsetIsWrittenAsDuckDbWritesIt() {
    List<String> literals = List.of("01:02:03+05", "24:00:00+00", "00:00:00+15:59", "23:59:59.5-08",
        "12:00:00-00:30:15", "10:00:00+00");
    DuckLakeType type = DuckLakeType.parse("timetz");
    List<WriteColumn> columns = List.of(new WriteColumn(1, "c", type, true),
        new WriteColumn(2, "i", DuckLakeType.of(TypeKind.INT64), false));
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < literals.size(); i++) {
      rows.add(List.of(literals.get(i), (long) i));
    }
    rows.add(java.util.Arrays.asList(null, (long) literals.size())); // as the reference's VALUES
    Path path = Path.of(writeOne(columns, rows, WriterOptions.DEFAULTS).path());
    Path reference = dir.resolve("duckdb-timetz.parquet");
    db.execute("COPY (SELECT CAST(v AS TIMETZ) AS c, i FROM " + WriterTestSupport.values(literals) + ") TO '"
        + reference + "'");
    String read = "SELECT c::VARCHAR, i FROM read_parquet('%s') ORDER BY i";
    assertThat(db.query(String.format(read, path)).rows()).hasSize(literals.size() + 1)
        .isEqualTo(db.query(String.format(read, reference)).rows());
    List<Object> ours = readAll(allocator, path, List.of(new ReadColumn(1, "c", type, null))).column(0);
    assertThat(ours).containsExactly("20:02:03+00", "00:00:00+00", "08:01:00+00", "07:59:59.5+00", "12:30:15+00",
        "10:00:00+00", null);
  }

  @Test
  void refusesValuesItsLayoutsCannotHoldExactly() {
    assertRefused("int128", new BigInteger("100000000000000000000000000000000000000"), "38 digits");
    assertRefused("int128", BigInteger.ONE.shiftLeft(127).negate(), "38 digits");
    assertRefused("uint128", BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE), "38 digits");
    assertRefused("interval", new Interval(0, 0, 1), "whole milliseconds");
    assertRefused("interval", new Interval(-1, 0, 0), "negative");
    assertRefused("interval", new Interval(0, 0, 1_193L * 3_600_000_000L + 2_967_296_000L), "2^32");
    assertRefused("timetz", "01:02:03 +5", "not a time with time zone");
    assertRefused("uuid", "not-a-uuid", "not a UUID");
    assertThatThrownBy(() -> ParquetDataWriter.open(new LocalFileIO(), dir + "/",
        List.of(new WriteColumn(1, "t", DuckLakeType.of(TypeKind.TIME_NS), true)), WriterOptions.DEFAULTS))
        .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("time_ns");
    assertThatThrownBy(() -> ParquetDataWriter.open(new LocalFileIO(), dir + "/",
        List.of(new WriteColumn(1, "s", DuckLakeType.of(TypeKind.STRUCT), true)), WriterOptions.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no fields");
  }

  private void assertRefused(String type, Object value, String message) {
    List<WriteColumn> columns = List.of(new WriteColumn(1, "c", DuckLakeType.parse(type), true));
    List<Object> row = new ArrayList<>();
    row.add(value);
    try (ParquetDataWriter writer = ParquetDataWriter.open(new LocalFileIO(), dir + "/", columns,
        WriterOptions.DEFAULTS); Batch batch = WriterTestSupport.batch(allocator, columns, List.of(row))) {
      assertThatThrownBy(() -> writer.write(batch)).isInstanceOf(UserException.class)
          .hasMessageContaining(message);
      assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class);
    }
    assertThat(dir.toFile().list()).isEmpty(); // close() aborted
  }

  // --- helpers -----------------------------------------------------------------------------------

  private WrittenFile writeOne(List<WriteColumn> columns, List<List<Object>> rows, WriterOptions options) {
    try (ParquetDataWriter writer = ParquetDataWriter.open(new LocalFileIO(), dir + "/", columns, options);
        Batch batch = WriterTestSupport.batch(allocator, columns, rows)) {
      writer.write(batch);
      List<WrittenFile> files = writer.finish();
      assertThat(files).hasSize(1);
      return files.get(0);
    }
  }

  /** Rows (value, index), the last value being NULL. */
  private static List<List<Object>> rows(List<Object> values) {
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      rows.add(Arrays.asList(values.get(i), (long) i));
    }
    return rows;
  }
}
