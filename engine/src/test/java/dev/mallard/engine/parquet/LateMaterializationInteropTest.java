package dev.mallard.engine.parquet;

import static dev.mallard.engine.parquet.PageDecodingInteropTest.COLUMNS;
import static dev.mallard.engine.parquet.PageDecodingInteropTest.ROWS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.storage.LocalFileIO;
import dev.mallard.engine.types.DuckLakeType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.arrow.vector.BigIntVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Late materialization ({@link ParquetDataReader#selectRows}) against DuckDB 1.5.5's files: every
 * flat type the page decoder covers, with NULLs, plain and dictionary pages, each codec and both
 * format versions. The selector reads two columns (one with NULLs) and keeps scattered rows in the
 * first row group, a run in the second, and none in the third; every other column is decoded after
 * it. The kept rows must hold what the eager read holds and what DuckDB reads; the values of the
 * dropped rows are never copied, and the pages of the third row group's other columns never decoded.
 */
class LateMaterializationInteropTest extends DuckDbFileTest {

  /** The rows kept, by id and big_nulls (NULL in every 7th row): as SQL over DuckDB's columns too. */
  private static boolean kept(long id, boolean bigNullsIsNull) {
    return ((id < 10240 && id % 97 == 5) || (id >= 20000 && id < 20050)) && !(bigNullsIsNull && id % 2 == 0);
  }

  private static final String KEPT_SQL =
      "((id < 10240 AND id % 97 = 5) OR (id >= 20000 AND id < 20050)) AND NOT (big_nulls IS NULL AND id % 2 = 0)";

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
  void decodesTheOtherColumnsOnlyAtTheKeptRows(String codec, String version) {
    Path file = dir.resolve("t.parquet");
    List<String> selects = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<ReadColumn> columns = new ArrayList<>();
    for (int c = 0; c < COLUMNS.length; c++) {
      selects.add(COLUMNS[c][1] + " AS " + COLUMNS[c][0]);
      ids.add(COLUMNS[c][0] + ": " + (c + 1));
      columns.add(new ReadColumn(c + 1, COLUMNS[c][0], DuckLakeType.parse(COLUMNS[c][2]), null));
    }
    assertThat(COLUMNS[0][0]).isEqualTo("id");
    assertThat(COLUMNS[1][0]).isEqualTo("big_nulls");
    db.execute("COPY (SELECT " + String.join(", ", selects) + " FROM range(" + ROWS + ") t(i) ORDER BY i) TO '"
        + file + "' (FORMAT parquet, FIELD_IDS {" + String.join(", ", ids) + "}, PARQUET_VERSION " + version
        + ", COMPRESSION " + codec + ", ROW_GROUP_SIZE 10240)");

    Read eager = read(file, columns, false);
    Read late = read(file, columns, true);
    assertThat(eager.lateValuesSkipped).isZero();
    assertThat(late.rows).hasSize(eager.rows.size());
    int keptCount = 0;
    for (List<Object> row : eager.rows) {
      keptCount += kept((Long) row.get(0), row.get(1) == null) ? 1 : 0;
    }
    assertThat(keptCount).isBetween(100, 200);
    // every dropped row is skipped but for the few inside the run of rows 20000..20049, written with it
    int lateColumns = COLUMNS.length - 2;
    assertThat(late.lateValuesSkipped).isBetween((long) (ROWS - keptCount - 50) * lateColumns,
        (long) (ROWS - keptCount) * lateColumns);
    // the third row group keeps no row: its other columns' pages are never decoded
    assertThat(late.pagesDecoded).isLessThan(eager.pagesDecoded);

    for (int c = 0; c < COLUMNS.length; c++) {
      List<Object> got = column(late.rows, c);
      assertThat(normalized(got)).as(COLUMNS[c][0]).isEqualTo(normalized(column(eager.rows, c)));
      DuckLakeType type = columns.get(c).type();
      List<Object> duck = WriterTestSupport.engineValues(db, type, "SELECT " + WriterTestSupport.text(type,
          COLUMNS[c][0]) + " FROM read_parquet('" + file + "') WHERE " + KEPT_SQL + " ORDER BY id");
      assertThat(normalized(got)).as(COLUMNS[c][0] + " against DuckDB").isEqualTo(normalized(duck));
    }
  }

  private record Read(List<List<Object>> rows, long pagesDecoded, long lateValuesSkipped) {}

  /** The kept rows, read with late materialization on or off. */
  private Read read(Path file, List<ReadColumn> columns, boolean lateMaterialization) {
    String location = file.toString();
    List<List<Object>> rows = new ArrayList<>();
    String before = System.getProperty("mallard.parquet.lateMaterialization");
    System.setProperty("mallard.parquet.lateMaterialization", String.valueOf(lateMaterialization));
    ParquetDataReader opened;
    try {
      opened = ParquetDataReader.open(new LocalFileIO().newInputFile(location), location, columns, null,
          RowGroupFilter.ALL, allocator, 1000, true);
    } finally {
      if (before == null) {
        System.clearProperty("mallard.parquet.lateMaterialization");
      } else {
        System.setProperty("mallard.parquet.lateMaterialization", before);
      }
    }
    try (ParquetDataReader reader = opened) {
      reader.selectRows(batch -> {
        BigIntVector id = (BigIntVector) batch.vector(0);
        BigIntVector bigNulls = (BigIntVector) batch.vector(1);
        batch.retain(row -> kept(id.get(row), bigNulls.isNull(row)));
      }, Set.of(0, 1));
      for (Batch next = reader.next(); next != null; next = reader.next()) {
        try (Batch batch = next) {
          for (int i = 0; i < batch.selectedCount(); i++) {
            int row = batch.selectedRow(i);
            List<Object> values = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
              values.add(VectorValues.get(batch.vector(c), row, columns.get(c).type()));
            }
            rows.add(values);
          }
        }
      }
      return new Read(rows, reader.pagesDecoded(), reader.lateValuesSkipped());
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
