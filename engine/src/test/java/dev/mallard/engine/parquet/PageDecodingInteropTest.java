package dev.mallard.engine.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.storage.LocalFileIO;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The page decoder ({@link PageColumnReader}) against DuckDB 1.5.5's files: every flat type it
 * covers, with NULLs, dictionary and plain pages (and a column that changes between them across
 * row groups), several pages and row groups, each codec DuckDB writes and both format versions
 * (V2 brings data pages v2, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and BYTE_STREAM_SPLIT).
 * Every value must equal what the value-at-a-time path reads, and DuckDB's own reading.
 */
class PageDecodingInteropTest extends DuckDbFileTest {

  static final int ROWS = 30_000;

  /** Name, DuckDB expression over {@code i} (0..ROWS-1), DuckLake type. */
  static final String[][] COLUMNS = {
      {"id", "i::BIGINT", "int64"},
      {"big_nulls", "CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1000003 - 5000000000 END::BIGINT", "int64"},
      {"int_dict", "(i % 10)::INTEGER", "int32"},
      {"int_plain", "CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7919 - 100000000)::INTEGER END", "int32"},
      {"tiny", "(i % 256 - 128)::TINYINT", "int8"},
      {"small", "(i * 3 % 65536 - 32768)::SMALLINT", "int16"},
      {"utiny", "(i % 256)::UTINYINT", "uint8"},
      {"usmall", "(i * 7 % 65536)::USMALLINT", "uint16"},
      {"uint", "(i::UBIGINT * 143107)::UINTEGER", "uint32"},
      {"dbl", "CASE WHEN i % 13 = 0 THEN NULL ELSE i / 3.0 - 77 END::DOUBLE", "float64"},
      {"dbl_dict", "(i % 5)::DOUBLE / 4", "float64"},
      {"flt", "(i * 1.5 - 3)::FLOAT", "float32"},
      {"flt_wide", "(i % 17)::FLOAT / 8", "float32"},
      {"bool_nulls", "CASE WHEN i % 5 = 0 THEN NULL ELSE i % 3 = 0 END", "boolean"},
      {"str_plain", "'row-' || i || repeat('x', i % 37)", "varchar"},
      {"str_dict", "CASE WHEN i % 3 = 0 THEN NULL ELSE 'kind ' || (i % 4) END", "varchar"},
      {"str_mixed", "CASE WHEN i < 12000 THEN (i % 10)::VARCHAR ELSE 'x' || i END", "varchar"},
      {"str_utf8", "CASE WHEN i % 9 = 0 THEN '' ELSE 'héllo 😀 ' || (i % 1000) END", "varchar"},
      {"dec4", "((i % 19999) / 10.0 - 999.9)::DECIMAL(4,1)", "decimal(4,1)"},
      {"dec9", "CASE WHEN i % 4 = 0 THEN NULL ELSE (i / 10000.0)::DECIMAL(9,4) END", "decimal(9,4)"},
      {"dec15", "(i * 1.37)::DECIMAL(15,2)", "decimal(15,2)"},
      {"dec18", "(i * -123456.789012)::DECIMAL(18,6)", "decimal(18,6)"},
      {"dec38", "CASE WHEN i % 6 = 0 THEN NULL ELSE i::DECIMAL(38,2) * 1e20 - 7 END::DECIMAL(38,2)",
          "decimal(38,2)"},
      {"day", "DATE '1990-01-01' + (i % 3000)::INTEGER", "date"},
      {"day_nulls", "CASE WHEN i % 8 = 0 THEN NULL ELSE DATE '1970-01-01' - i::INTEGER END", "date"},
      {"ts", "TIMESTAMP '2000-01-01' + to_microseconds(i * 1000003)", "timestamp"},
      {"ts_s", "(TIMESTAMP '2000-01-01' + to_seconds(i))::TIMESTAMP_S", "timestamp_s"},
      {"ts_ms", "(TIMESTAMP '2000-01-01' + to_milliseconds(i * 7))::TIMESTAMP_MS", "timestamp_ms"},
      {"ts_ns", "(TIMESTAMP '2000-01-01' + to_microseconds(i))::TIMESTAMP_NS", "timestamp_ns"},
      {"tstz", "CASE WHEN i % 10 = 0 THEN NULL ELSE TIMESTAMPTZ '2020-01-01 00:00:00+00' + to_seconds(i) END",
          "timestamptz"},
      {"uid", "CASE WHEN i % 9 = 0 THEN NULL ELSE md5(i::VARCHAR)::UUID END", "uuid"},
      {"blb", "CASE WHEN i % 2 = 0 THEN NULL ELSE ('b' || i)::BLOB END", "blob"},
      {"js", "('{\"k\": ' || i || '}')::JSON", "json"},
  };

  static Stream<Arguments> files() {
    List<Arguments> cases = new ArrayList<>();
    for (String codec : List.of("uncompressed", "snappy", "zstd", "gzip", "lz4_raw")) {
      for (String version : List.of("V1", "V2")) {
        cases.add(Arguments.of(codec, version));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("files")
  void readsWhatDuckDbWritesAsTheValuePathDoes(String codec, String version) {
    Path file = dir.resolve("t.parquet");
    List<String> selects = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<ReadColumn> columns = new ArrayList<>();
    for (int c = 0; c < COLUMNS.length; c++) {
      selects.add(COLUMNS[c][1] + " AS " + COLUMNS[c][0]);
      ids.add(COLUMNS[c][0] + ": " + (c + 1));
      columns.add(new ReadColumn(c + 1, COLUMNS[c][0], DuckLakeType.parse(COLUMNS[c][2]), null));
    }
    db.execute("COPY (SELECT " + String.join(", ", selects) + " FROM range(" + ROWS + ") t(i) ORDER BY i) TO '"
        + file + "' (FORMAT parquet, FIELD_IDS {" + String.join(", ", ids) + "}, PARQUET_VERSION " + version
        + ", COMPRESSION " + codec + ", ROW_GROUP_SIZE 10240)");
    long rowGroups = ((Number) db.query("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + file
        + "')").scalar()).longValue();
    assertThat(rowGroups).isGreaterThan(1);
    Set<String> encodings = new HashSet<>();
    for (List<Object> row : db.query("SELECT DISTINCT unnest(string_split(encodings, ', ')) FROM parquet_metadata('"
        + file + "')").rows()) {
      encodings.add((String) row.get(0));
    }
    if (version.equals("V2")) {
      assertThat(encodings).contains("DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "BYTE_STREAM_SPLIT",
          "RLE_DICTIONARY", "PLAIN");
    } else {
      assertThat(encodings).contains("PLAIN", "PLAIN_DICTIONARY");
    }

    Read paged = read(file, columns, true, 1000);
    Read valueByValue = read(file, columns, false, 1000);
    // every chunk went through the page decoder (DuckDB writes pages of up to 100 MB: one per chunk
    // here; readsParquetJavaPages covers chunks of several pages)
    assertThat(paged.chunksPageDecoded).isEqualTo(rowGroups * COLUMNS.length);
    assertThat(paged.pagesDecoded).isGreaterThanOrEqualTo(rowGroups * COLUMNS.length);
    assertThat(valueByValue.chunksPageDecoded).isZero();
    assertThat(paged.rows).hasSize(ROWS);
    for (int c = 0; c < COLUMNS.length; c++) {
      // Text read from dictionary pages comes with its codes too: every row of the dictionary
      // columns, some of the column whose writer gave up its dictionary, none of the others.
      String name = COLUMNS[c][0];
      long coded = paged.dictionaryRows[c];
      if (name.equals("str_dict")) {
        assertThat(coded).as(name).isEqualTo(ROWS);
      } else if (name.equals("str_mixed")) {
        assertThat(coded).as(name).isBetween(1L, ROWS - 1L);
      } else if (!name.equals("str_utf8")) {
        assertThat(coded).as(name).isZero();
      }
      assertThat(valueByValue.dictionaryRows[c]).isZero();
      List<Object> got = column(paged.rows, c);
      assertThat(normalized(got)).as(COLUMNS[c][0]).isEqualTo(normalized(column(valueByValue.rows, c)));
      // DuckDB's reading of every 7th row, through its text
      DuckLakeType type = columns.get(c).type();
      List<Object> duck = WriterTestSupport.engineValues(db, type, "SELECT "
          + WriterTestSupport.text(type, COLUMNS[c][0]) + " FROM (SELECT row_number() OVER () - 1 AS rn, "
          + COLUMNS[c][0] + " FROM read_parquet('" + file + "')) WHERE rn % 7 = 0 ORDER BY rn");
      List<Object> sample = new ArrayList<>();
      for (int r = 0; r < ROWS; r += 7) {
        sample.add(got.get(r));
      }
      assertThat(normalized(sample)).as(COLUMNS[c][0] + " against DuckDB").isEqualTo(normalized(duck));
    }
  }

  @Test
  void batchesOfOneRowAndBatchesLargerThanPages() {
    Path file = dir.resolve("small.parquet");
    db.execute("COPY (SELECT CASE WHEN i % 3 = 0 THEN NULL ELSE 'v' || (i % 5) END AS s, i::INTEGER AS n"
        + " FROM range(5000) t(i)) TO '" + file + "' (FORMAT parquet, FIELD_IDS {s: 1, n: 2}, ROW_GROUP_SIZE 2048)");
    List<ReadColumn> columns = List.of(new ReadColumn(1, "s", DuckLakeType.of(TypeKind.VARCHAR), null),
        new ReadColumn(2, "n", DuckLakeType.of(TypeKind.INT32), null));
    Read expected = read(file, columns, false, 4096);
    for (int batchRows : new int[] {1, 3, 4096, 100_000}) {
      Read got = read(file, columns, true, batchRows);
      assertThat(got.chunksPageDecoded).isPositive();
      assertThat(got.rows).as("batches of %d", batchRows).isEqualTo(expected.rows);
    }
  }

  /**
   * Files Mallard's own writer (parquet-java) makes: pages of at most 20,000 rows, so chunks of
   * several pages and batches that straddle them; with format version 2, strings that fall back
   * from their dictionary are DELTA_BYTE_ARRAY, which DuckDB does not write.
   */
  @ParameterizedTest
  @MethodSource("versions")
  void readsParquetJavaPages(WriterOptions.FormatVersion version) {
    List<WriteColumn> writeColumns = List.of(new WriteColumn(1, "s", DuckLakeType.of(TypeKind.VARCHAR), true),
        new WriteColumn(2, "n", DuckLakeType.of(TypeKind.INT64), true),
        new WriteColumn(3, "d", DuckLakeType.of(TypeKind.FLOAT64), true),
        new WriteColumn(4, "b", DuckLakeType.of(TypeKind.BOOLEAN), true),
        new WriteColumn(5, "k", DuckLakeType.of(TypeKind.INT32), true));
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < 70_000; i++) {
      rows.add(Arrays.asList(i % 10 == 0 ? null : "common-prefix-" + (i * 7919L % 100_000) + "-é",
          i % 6 == 0 ? null : (long) i * i, i % 4 == 0 ? null : i / 7.0, i % 3 == 0 ? null : i % 2 == 0,
          (long) (i % 100)));
    }
    String path;
    try (ParquetDataWriter writer = ParquetDataWriter.open(new LocalFileIO(), dir + "/", writeColumns,
        WriterOptions.DEFAULTS.withFormatVersion(version))) {
      for (int i = 0; i < rows.size(); i += 5000) {
        try (Batch batch = WriterTestSupport.batch(allocator, writeColumns, rows.subList(i, i + 5000))) {
          writer.write(batch);
        }
      }
      path = writer.finish().get(0).path();
    }
    if (version == WriterOptions.FormatVersion.V2) {
      assertThat(db.query("SELECT DISTINCT encodings FROM parquet_metadata('" + path + "') WHERE path_in_schema = 's'")
          .rows().toString()).contains("DELTA_BYTE_ARRAY");
    }
    List<ReadColumn> columns = new ArrayList<>();
    for (WriteColumn c : writeColumns) {
      columns.add(new ReadColumn(c.fieldId(), c.name(), c.type(), null));
    }
    Read got = read(Path.of(path), columns, true, 4096);
    assertThat(got.chunksPageDecoded).isEqualTo(columns.size());
    assertThat(got.pagesDecoded).isGreaterThan(2L * columns.size());
    assertThat(got.rows).isEqualTo(rows);
    assertThat(got.rows).isEqualTo(read(Path.of(path), columns, false, 4096).rows);
  }

  static Stream<WriterOptions.FormatVersion> versions() {
    return Stream.of(WriterOptions.FormatVersion.values());
  }

  /** @param dictionaryRows per column, the rows read whose text the batch had as dictionary codes */
  private record Read(List<List<Object>> rows, long chunksPageDecoded, long pagesDecoded, long[] dictionaryRows) {}

  private Read read(Path file, List<ReadColumn> columns, boolean pageDecoding, int batchRows) {
    String location = file.toString();
    List<List<Object>> rows = new ArrayList<>();
    long[] dictionaryRows = new long[columns.size()];
    try (ParquetDataReader reader = ParquetDataReader.open(new LocalFileIO().newInputFile(location), location,
        columns, null, RowGroupFilter.ALL, allocator, batchRows, pageDecoding)) {
      for (Batch next = reader.next(); next != null; next = reader.next()) {
        try (Batch batch = next) {
          for (int row = 0; row < batch.rowCount(); row++) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
              Object value = VectorValues.get(batch.vector(i), row, columns.get(i).type());
              values.add(value);
              Batch.Dictionary dictionary = batch.dictionary(i);
              if (dictionary != null) { // the codes say the same as the vector
                int code = dictionary.codes()[row];
                assertThat(code < 0 ? null : dictionary.text().strings()[code]).as("row %d of %s", row,
                    columns.get(i).name()).isEqualTo(value);
                dictionaryRows[i]++;
              }
            }
            rows.add(values);
          }
        }
      }
      return new Read(rows, reader.chunksPageDecoded(), reader.pagesDecoded(), dictionaryRows);
    }
  }

  private static List<Object> column(List<List<Object>> rows, int c) {
    List<Object> values = new ArrayList<>();
    rows.forEach(r -> values.add(r.get(c)));
    return values;
  }

  private static List<Object> normalized(List<Object> values) {
    return WriterTestSupport.normalized(values);
  }
}
