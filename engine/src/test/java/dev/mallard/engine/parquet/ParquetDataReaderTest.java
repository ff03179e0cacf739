package dev.mallard.engine.parquet;

import static dev.mallard.engine.parquet.ParquetTestSupport.column;
import static dev.mallard.engine.parquet.ParquetTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.FormatException;
import dev.mallard.engine.MallardException.StorageException;
import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.storage.LocalFileIO;
import dev.mallard.engine.types.ColumnStats;
import dev.mallard.engine.types.DuckLakeType;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParquetDataReaderTest extends DuckDbFileTest {

  private Path write(String query, String options) {
    Path file = dir.resolve("f" + System.nanoTime() + ".parquet");
    db.execute("COPY (" + query + ") TO '" + file + "' (FORMAT parquet, " + options + ")");
    return file;
  }

  private ParquetDataReader open(Path file, List<ReadColumn> columns) {
    return ParquetDataReader.open(new LocalInputFile(file), file.toString(), columns, RowGroupFilter.ALL, allocator,
        1024);
  }

  private List<Long> rowGroupSizes(Path file) {
    return db.query("SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata('" + file
        + "') ORDER BY 1").rows().stream().map(r -> ((BigInteger) r.get(1)).longValue()).collect(Collectors.toList());
  }

  @Test
  void readsColumnsByFieldIdInRequestedOrder() {
    Path file = write("SELECT i AS a, i * 10 AS b FROM range(5) t(i)", "FIELD_IDS {a: 7, b: 3}");
    var result = readAll(allocator, file, List.of(column(3, "renamed_b", "int64"), column(7, "a", "int64")));
    assertThat(result.rows()).containsExactly(List.of(0L, 0L), List.of(10L, 1L), List.of(20L, 2L), List.of(30L, 3L),
        List.of(40L, 4L));
    assertThat(result.batchStarts()).containsExactly(0L);
  }

  @Test
  void ignoresColumnNamesWhenFieldIdsDiffer() {
    // the file's column "a" is another DuckLake column than the table's "a" (dropped and re-added)
    Path file = write("SELECT 1 AS a, 2 AS b", "FIELD_IDS {a: 1, b: 2}");
    var result = readAll(allocator, file, List.of(column(5, "a", "int32"), column(2, "a_renamed", "int32")));
    assertThat(result.rows()).containsExactly(Arrays.asList(null, 2L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"snappy", "zstd", "gzip", "lz4_raw", "uncompressed"})
  void decodesEveryCodecDuckDbWrites(String codec) {
    Path file = write("SELECT i AS id, 'value ' || (i % 7) AS s, CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 1.5)::DOUBLE END AS d"
        + " FROM range(5000) t(i)", "FIELD_IDS {id: 1, s: 2, d: 3}, COMPRESSION " + codec);
    assertThat(db.query("SELECT DISTINCT compression FROM parquet_metadata('" + file + "')").scalar())
        .isEqualTo(codec.toUpperCase());
    var result = readAll(allocator, file, List.of(column(1, "id", "int64"), column(2, "s", "varchar"),
        column(3, "d", "float64")));
    assertThat(result.rows()).hasSize(5000);
    for (int i = 0; i < 5000; i++) {
      assertThat(result.rows().get(i)).containsExactly((long) i, "value " + (i % 7), i % 5 == 0 ? null : i * 1.5);
    }
  }

  @Test
  void rejectsBrotliNamingTheCodec() {
    Path file = write("SELECT 1 AS a", "FIELD_IDS {a: 1}, COMPRESSION brotli");
    assertThatThrownBy(() -> readAll(allocator, file, List.of(column(1, "a", "int32"))))
        .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("BROTLI");
  }

  @Test
  void readsDictionaryAndPlainPages() {
    String query = "SELECT 'k' || (i % 3) AS s, i % 4 AS n FROM range(3000) t(i)";
    Path dictionary = write(query, "FIELD_IDS {s: 1, n: 2}");
    Path plain = write(query, "FIELD_IDS {s: 1, n: 2}, DICTIONARY_SIZE_LIMIT 1");
    assertThat(encodings(dictionary)).allMatch(e -> e.contains("DICTIONARY"));
    assertThat(encodings(plain)).allMatch(e -> e.equals("PLAIN"));
    List<ReadColumn> columns = List.of(column(1, "s", "varchar"), column(2, "n", "int64"));
    List<List<Object>> expected = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      expected.add(List.of("k" + (i % 3), (long) (i % 4)));
    }
    assertThat(readAll(allocator, dictionary, columns).rows()).isEqualTo(expected);
    assertThat(readAll(allocator, plain, columns).rows()).isEqualTo(expected);
  }

  private List<String> encodings(Path file) {
    return db.query("SELECT encodings FROM parquet_metadata('" + file + "')").rows().stream()
        .map(r -> (String) r.get(0)).collect(Collectors.toList());
  }

  @Test
  void splitsRowGroupsIntoBatchesAtFilePositions() {
    Path file = write("SELECT i AS id FROM range(5000) t(i)", "FIELD_IDS {id: 1}, ROW_GROUP_SIZE 2048");
    List<Long> groups = rowGroupSizes(file);
    assertThat(groups).hasSizeGreaterThan(1);
    var result = readAll(allocator, file, List.of(column(1, "id", "int64")), RowGroupFilter.ALL, 1000);
    // batches never span row groups: each group is cut into pieces of at most 1000 rows
    List<Long> expectedStarts = new ArrayList<>();
    long groupStart = 0;
    for (long size : groups) {
      for (long offset = 0; offset < size; offset += 1000) {
        expectedStarts.add(groupStart + offset);
      }
      groupStart += size;
    }
    assertThat(result.batchStarts()).isEqualTo(expectedStarts);
    assertThat(result.batchSizes()).allMatch(n -> n <= 1000);
    assertThat(result.column(0)).isEqualTo(LongStream.range(0, 5000).boxed().collect(Collectors.toList()));
    assertThat(result.rowGroupsRead()).isEqualTo(groups.size());
    assertThat(result.rowGroupsSkipped()).isZero();
  }

  @Test
  void skipsRowGroupsRuledOutByStatisticsKeepingFilePositions() {
    Path file = write("SELECT i AS id, i % 2 = 0 AS even FROM range(10000) t(i)",
        "FIELD_IDS {id: 1, even: 2}, ROW_GROUP_SIZE 2048");
    List<Long> groups = rowGroupSizes(file);
    // keep rows 4500..4600: only the row group that holds them can match
    RowGroupFilter filter = (rowCount, stats) -> {
      ColumnStats id = stats.apply(1);
      return (Long) id.min() <= 4600 && (Long) id.max() >= 4500;
    };
    var result = readAll(allocator, file, List.of(column(1, "id", "int64")), filter, 100_000);
    long start = 0;
    int index = 0;
    while (start + groups.get(index) <= 4500) {
      start += groups.get(index++);
    }
    assertThat(result.rowGroupsRead()).isEqualTo(1);
    assertThat(result.rowGroupsSkipped()).isEqualTo(groups.size() - 1);
    assertThat(result.batchStarts()).containsExactly(start);
    assertThat(result.column(0)).first().isEqualTo(start);
    assertThat(result.column(0)).hasSize(groups.get(index).intValue());
  }

  @Test
  void givesStatisticsOfEachRowGroupAsEngineValues() {
    Path file = write("SELECT i AS id, CASE WHEN i < 2048 THEN NULL ELSE 'v' || i END AS s,"
        + " (i / 10)::DECIMAL(9,1) AS d, i::UINTEGER + 4000000000 AS u FROM range(4096) t(i)",
        "FIELD_IDS {id: 1, s: 2, d: 3, u: 4}, ROW_GROUP_SIZE 2048");
    List<List<ColumnStats>> seen = new ArrayList<>();
    RowGroupFilter capture = (rowCount, stats) -> {
      seen.add(Arrays.asList(stats.apply(1), stats.apply(2), stats.apply(3), stats.apply(4), stats.apply(99)));
      return false;
    };
    var result = readAll(allocator, file, List.of(column(1, "id", "int64"), column(2, "s", "varchar"),
        column(3, "d", "decimal(12,2)"), column(4, "u", "uint32")), capture, 1024);
    assertThat(result.rows()).isEmpty();
    assertThat(result.rowGroupsSkipped()).isEqualTo(2);
    assertThat(seen.get(0)).containsExactly(new ColumnStats(0L, 2047L, 0L, 2048L, null),
        new ColumnStats(null, null, 2048L, 0L, null),
        new ColumnStats(new BigDecimal("0.00"), new BigDecimal("204.70"), 0L, 2048L, null),
        new ColumnStats(4_000_000_000L, 4_000_002_047L, 0L, 2048L, null), null);
    assertThat(seen.get(1).get(1)).isEqualTo(new ColumnStats("v2048", "v4095", 0L, 2048L, null));
  }

  @Test
  void keepsTruncatedStringStatisticsAsBounds() {
    // DuckDB cuts string statistics at 256 bytes and raises the last byte of a cut maximum
    String longest = "b".repeat(300);
    Path file = write("SELECT * FROM (VALUES ('" + "a".repeat(300) + "'), ('" + longest + "')) t(s)", "FIELD_IDS {s: 1}");
    ColumnStats[] seen = new ColumnStats[1];
    readAll(allocator, file, List.of(column(1, "s", "varchar")), (rows, stats) -> {
      seen[0] = stats.apply(1);
      return true;
    }, 1024);
    assertThat((String) seen[0].min()).hasSizeLessThanOrEqualTo(256);
    assertThat(dev.mallard.engine.types.Values.compare(seen[0].min(), "a".repeat(300))).isLessThanOrEqualTo(0);
    assertThat(dev.mallard.engine.types.Values.compare(seen[0].max(), longest)).isGreaterThanOrEqualTo(0);
  }

  @Test
  void fillsColumnsMissingFromTheFileWithTheirDefault() {
    Path file = write("SELECT i AS id FROM range(3) t(i)", "FIELD_IDS {id: 1}");
    List<ReadColumn> columns = List.of(column(1, "id", "int64"),
        new ReadColumn(2, "n", DuckLakeType.parse("int32"), "42"),
        new ReadColumn(3, "s", DuckLakeType.parse("varchar"), "hello"),
        new ReadColumn(4, "t", DuckLakeType.parse("timestamp"), "2020-01-01 00:00:00"),
        new ReadColumn(5, "nothing", DuckLakeType.parse("decimal(10,2)"), null));
    var result = readAll(allocator, file, columns);
    assertThat(result.rows()).containsExactly(Arrays.asList(0L, 42L, "hello", 1_577_836_800_000_000L, null),
        Arrays.asList(1L, 42L, "hello", 1_577_836_800_000_000L, null),
        Arrays.asList(2L, 42L, "hello", 1_577_836_800_000_000L, null));
  }

  @Test
  void readsOnlyDefaultsWhenNoRequestedColumnIsInTheFile() {
    Path file = write("SELECT i AS id FROM range(3000) t(i)", "FIELD_IDS {id: 1}, ROW_GROUP_SIZE 2048");
    var result = readAll(allocator, file, List.of(new ReadColumn(9, "x", DuckLakeType.parse("boolean"), "true")),
        RowGroupFilter.ALL, 10_000);
    assertThat(result.rows()).hasSize(3000).allMatch(r -> r.equals(List.of(true)));
    assertThat(result.batchStarts()).first().isEqualTo(0L);
  }

  @Test
  void readsNoColumnsAsRowCountsOnly() {
    Path file = write("SELECT i AS id FROM range(10) t(i)", "FIELD_IDS {id: 1}");
    var result = readAll(allocator, file, List.of());
    assertThat(result.batchSizes()).containsExactly(10);
  }

  @Test
  void promotesNarrowerTypesOfOlderFiles() {
    Path file = write("SELECT -5::TINYINT AS a, 200::UTINYINT AS b, 4000000000::UINTEGER AS c, 1.5::FLOAT AS f,"
        + " -123.4::DECIMAL(4,1) AS d, 12345678.12::DECIMAL(18,2) AS e, (-9223372036854775807 - 1)::BIGINT AS g,"
        + " 18446744073709551615::UBIGINT AS h, TIME '01:02:03.123456' AS t, 3::USMALLINT AS i",
        "FIELD_IDS {a: 1, b: 2, c: 3, f: 4, d: 5, e: 6, g: 7, h: 8, t: 9, i: 10}");
    var result = readAll(allocator, file, List.of(column(1, "a", "int64"), column(2, "b", "int16"),
        column(3, "c", "int64"), column(4, "f", "float64"), column(5, "d", "decimal(10,3)"),
        column(6, "e", "decimal(38,5)"), column(7, "g", "int128"), column(8, "h", "uint128"),
        column(9, "t", "time_ns"), column(10, "i", "uint64")));
    assertThat(result.rows()).containsExactly(List.of(-5L, 200L, 4_000_000_000L, 1.5, new BigDecimal("-123.400"),
        new BigDecimal("12345678.12000"), BigInteger.valueOf(Long.MIN_VALUE), new BigInteger("18446744073709551615"),
        3_723_123_456_000L, BigInteger.valueOf(3)));
  }

  @Test
  void rejectsLayoutsThatCannotHoldTheTableType() {
    Path file = write("SELECT 1::BIGINT AS big, 'x' AS s, 1.25::DECIMAL(10,2) AS d, -1::TINYINT AS neg",
        "FIELD_IDS {big: 1, s: 2, d: 3, neg: 4}");
    assertThatThrownBy(() -> readAll(allocator, file, List.of(column(1, "big", "int32"))))
        .isInstanceOf(FormatException.class).hasMessageContaining("'big'").hasMessageContaining(file.toString());
    assertThatThrownBy(() -> readAll(allocator, file, List.of(column(2, "s", "int64"))))
        .isInstanceOf(FormatException.class).hasMessageContaining("'s'");
    assertThatThrownBy(() -> readAll(allocator, file, List.of(column(3, "d", "decimal(10,1)"))))
        .isInstanceOf(FormatException.class).hasMessageContaining("'d'");
    assertThatThrownBy(() -> readAll(allocator, file, List.of(column(4, "neg", "uint64"))))
        .isInstanceOf(FormatException.class).hasMessageContaining("'neg'");
  }

  @Test
  void readsRowIdAndSnapshotIdColumnsAsBigints() {
    Path file = write("SELECT i AS v, 100 + i AS _ducklake_internal_row_id, 7 AS _ducklake_internal_snapshot_id"
        + " FROM range(2) t(i)", "FIELD_IDS {v: 1, _ducklake_internal_row_id: 2147483540,"
        + " _ducklake_internal_snapshot_id: 2147483539}");
    var result = readAll(allocator, file, List.of(
        column(ReadColumn.ROW_ID_FIELD_ID, "_ducklake_internal_row_id", "int64"),
        column(ReadColumn.SNAPSHOT_ID_FIELD_ID, "_ducklake_internal_snapshot_id", "int64")));
    assertThat(result.rows()).containsExactly(List.of(100L, 7L), List.of(101L, 7L));
  }

  @Test
  void reportsFileShape() {
    Path file = write("SELECT i AS id FROM range(5000) t(i)", "FIELD_IDS {id: 1}, ROW_GROUP_SIZE 2048");
    try (ParquetDataReader reader = open(file, List.of(column(1, "id", "int64")))) {
      assertThat(reader.rowCount()).isEqualTo(5000);
      assertThat(reader.hasField(1)).isTrue();
      assertThat(reader.hasField(ReadColumn.ROW_ID_FIELD_ID)).isFalse();
    }
  }

  @Test
  void readsAFileWithoutRows() {
    Path file = write("SELECT i AS id FROM range(0) t(i)", "FIELD_IDS {id: 1}");
    var result = readAll(allocator, file, List.of(column(1, "id", "int64")));
    assertThat(result.rows()).isEmpty();
  }

  @Test
  void rejectsFilesWithoutFieldIds() {
    Path file = write("SELECT 1 AS a", "COMPRESSION snappy");
    assertThatThrownBy(() -> readAll(allocator, file, List.of(column(1, "a", "int32"))))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("has no Parquet field ids").hasMessageContaining("no name mapping");
  }

  @Test
  void rejectsNestedColumnsOfAnotherShapeThanTheTable() {
    Path file = write("SELECT {'x': 1} AS s, [1, 2] AS l", "FIELD_IDS {s: {__duckdb_field_id: 1, x: 2}, l: 3}");
    ReadColumn listAsStruct = new ReadColumn(3, "l", DuckLakeType.parse("struct"), null,
        List.of(column(4, "x", "int32")));
    assertThatThrownBy(() -> readAll(allocator, file, List.of(listAsStruct)))
        .isInstanceOf(FormatException.class).hasMessageContaining("not a struct");
    // a nested column of the file read as a primitive type is a mismatch, not a gap
    assertThatThrownBy(() -> readAll(allocator, file, List.of(column(1, "s", "int32"))))
        .isInstanceOf(FormatException.class).hasMessageContaining("'s'");
  }

  @Test
  void failsOnTruncatedFilesWithFormatException() throws IOException {
    Path file = write("SELECT i AS id FROM range(1000) t(i)", "FIELD_IDS {id: 1}");
    byte[] bytes = Files.readAllBytes(file);
    Path truncated = dir.resolve("truncated.parquet");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> readAll(allocator, truncated, List.of(column(1, "id", "int64"))))
        .isInstanceOf(FormatException.class).hasMessageContaining(truncated.toString());
    Path garbage = dir.resolve("garbage.parquet");
    Files.writeString(garbage, "this is not parquet at all, not even close");
    assertThatThrownBy(() -> readAll(allocator, garbage, List.of(column(1, "id", "int64"))))
        .isInstanceOf(FormatException.class).hasMessageContaining(garbage.toString());
  }

  @Test
  void failsOnCorruptPagesWithFormatException() throws IOException {
    Path file = write("SELECT 'row number ' || i AS s FROM range(20000) t(i)", "FIELD_IDS {s: 1}, COMPRESSION zstd");
    byte[] bytes = Files.readAllBytes(file);
    for (int i = 200; i < bytes.length / 2; i++) {
      bytes[i] = (byte) (bytes[i] ^ 0x5a); // the column's pages, far from the footer
    }
    Path corrupt = dir.resolve("corrupt.parquet");
    Files.write(corrupt, bytes);
    assertThatThrownBy(() -> readAll(allocator, corrupt, List.of(column(1, "s", "varchar"))))
        .isInstanceOf(FormatException.class).hasMessageContaining(corrupt.toString());
  }

  @Test
  void failsOnMissingFilesWithStorageException() {
    Path missing = dir.resolve("missing.parquet");
    assertThatThrownBy(() -> new LocalFileIO().newInputFile(missing.toString()))
        .isInstanceOf(StorageException.class).hasMessageContaining(missing.toString());
    assertThatThrownBy(() -> open(missing, List.of(column(1, "id", "int64"))))
        .isInstanceOf(StorageException.class).hasMessageContaining(missing.toString());
  }

  @Test
  void failsOnInt128ValuesOutOfRangeLikeDuckDb() {
    // DuckDB stores int128 as DOUBLE; the maximum rounds up to 2^127, which is no int128 any more
    Path file = write("SELECT 170141183460469231731687303715884105727::HUGEINT AS h", "FIELD_IDS {h: 1}");
    assertThatThrownBy(() -> readAll(allocator, file, List.of(column(1, "h", "int128"))))
        .isInstanceOf(FormatException.class).hasMessageContaining("'h'").hasMessageContaining("out of range");
  }

  @Test
  void closesBatchesIndependentlyOfTheReader() {
    Path file = write("SELECT i AS id FROM range(10) t(i)", "FIELD_IDS {id: 1}");
    Batch batch;
    try (ParquetDataReader reader = open(file, List.of(column(1, "id", "int64")))) {
      batch = reader.next();
    }
    try (batch) {
      assertThat(batch.rowCount()).isEqualTo(10);
      assertThat(batch.firstRowPosition()).isZero();
    }
  }
}
