package dev.mallard.engine.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.types.DuckLakeType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;

/**
 * Reads nested columns of Parquet files DuckDB 1.5.5 wrote with DuckLake's field ids, batch by
 * batch, and compares the Arrow vectors' values with DuckDB's.
 */
class NestedColumnReaderTest extends DuckDbFileTest {

  private static ReadColumn col(int id, String name, String type, ReadColumn... children) {
    return new ReadColumn(id, name, DuckLakeType.parse(type), null, List.of(children));
  }

  /** Each row's Arrow value as text, read in batches of {@code batchRows}. */
  private List<String> read(Path file, ReadColumn column, int batchRows) {
    List<String> out = new ArrayList<>();
    try (ParquetDataReader reader = ParquetDataReader.open(new LocalInputFile(file), file.toString(),
        List.of(column), RowGroupFilter.ALL, allocator, batchRows)) {
      for (Batch next = reader.next(); next != null; next = reader.next()) {
        try (Batch b = next) {
          for (int r = 0; r < b.rowCount(); r++) {
            Object v = b.vector(0).getObject(r);
            out.add(String.valueOf(v));
          }
        }
      }
    }
    return out;
  }

  private Path write(String values, String fieldIds) {
    Path file = dir.resolve("f" + System.nanoTime() + ".parquet");
    db.execute("COPY (SELECT * FROM (" + values + ") t(c)) TO '" + file + "' (FORMAT parquet, FIELD_IDS {c: "
        + fieldIds + "})");
    return file;
  }

  @Test
  void readsStructsWithNullsAtEveryLevel() {
    Path file = write("VALUES ({'a': 1, 'b': 'x'}), (NULL), ({'a': NULL, 'b': NULL}), ({'a': -7, 'b': 'q'})",
        "{__duckdb_field_id: 2, a: 3, b: 4}");
    ReadColumn s = col(2, "s", "struct", col(3, "a", "int32"), col(4, "b", "varchar"));
    assertThat(read(file, s, 1024)).containsExactly("{\"a\":1,\"b\":\"x\"}", "null", "{}", "{\"a\":-7,\"b\":\"q\"}");
    assertThat(read(file, s, 1)).containsExactly("{\"a\":1,\"b\":\"x\"}", "null", "{}", "{\"a\":-7,\"b\":\"q\"}");
  }

  @Test
  void readsListsWithNullAndEmptyLists() {
    Path file = write("VALUES ([1, NULL, 3]), (NULL), ([]), ([42])", "{__duckdb_field_id: 5, element: 6}");
    ReadColumn l = col(5, "l", "list", col(6, "element", "int32"));
    assertThat(read(file, l, 1024)).containsExactly("[1,null,3]", "null", "[]", "[42]");
    assertThat(read(file, l, 3)).containsExactly("[1,null,3]", "null", "[]", "[42]");
  }
}
