package dev.mallard.engine.parquet;

import static dev.mallard.engine.parquet.ParquetTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data file written by the ducklake extension itself (not by COPY), read with the table's
 * columns as the catalog lists them after schema evolution: a renamed column, widened types and
 * a column added after the file was written. The result must be what DuckDB answers for the table.
 */
class DuckLakeDataFilesTest {
  @TempDir Path dir;

  @Test
  void readsAnEvolvedTableLikeDuckDb() throws IOException {
    try (DuckDb db = DuckDb.start(DuckDb.Version.V1_5_5);
        BufferAllocator allocator = new RootAllocator()) {
      db.execute("ATTACH 'ducklake:sqlite:" + dir.resolve("lake.sqlite") + "' AS lake (DATA_PATH '"
          + dir.resolve("data") + "/', DATA_INLINING_ROW_LIMIT 0)");
      db.execute("USE lake");
      db.execute("CREATE TABLE t (" + TestLakes.ALL_TYPES_COLUMNS + ")");
      db.execute("INSERT INTO t " + TestLakes.ALL_TYPES_ROWS);
      db.execute("ALTER TABLE t RENAME v TO v_renamed");
      db.execute("ALTER TABLE t ALTER i32 SET DATA TYPE BIGINT");
      db.execute("ALTER TABLE t ALTER u8 SET DATA TYPE UINTEGER");
      db.execute("ALTER TABLE t ALTER f32 SET DATA TYPE DOUBLE");
      db.execute("ALTER TABLE t ADD COLUMN added INTEGER DEFAULT 7");
      db.execute("ALTER TABLE t ADD COLUMN added_null VARCHAR");

      List<ReadColumn> columns = new ArrayList<>();
      for (List<Object> row : db.query("SELECT c.column_id, c.column_name, c.column_type, c.initial_default"
          + " FROM __ducklake_metadata_lake.ducklake_column c JOIN __ducklake_metadata_lake.ducklake_table t"
          + " USING (table_id) WHERE t.table_name = 't' AND c.end_snapshot IS NULL AND t.end_snapshot IS NULL"
          + " ORDER BY c.column_order").rows()) {
        columns.add(new ReadColumn(Integer.parseInt(row.get(0).toString()), (String) row.get(1),
            DuckLakeType.parse((String) row.get(2)), (String) row.get(3)));
      }
      Path file;
      try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
        List<Path> parquet = files.filter(p -> p.toString().endsWith(".parquet")).collect(Collectors.toList());
        assertThat(parquet).hasSize(1);
        file = parquet.get(0);
      }

      List<List<Object>> actual = readAll(allocator, file, columns).rows();

      String select = columns.stream().map(c -> c.type().kind() == TypeKind.BLOB ? "hex(\"" + c.name() + "\")"
          : "CAST(\"" + c.name() + "\" AS VARCHAR)").collect(Collectors.joining(", "));
      List<List<Object>> expected = new ArrayList<>();
      for (List<Object> row : db.query("SELECT " + select + " FROM t ORDER BY id").rows()) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
          values.add(engineValue(columns.get(i).type(), (String) row.get(i)));
        }
        expected.add(values);
      }
      assertThat(normalized(actual)).isEqualTo(normalized(expected));
      assertThat(columns).extracting(ReadColumn::name).contains("v_renamed", "added", "added_null");
    }
  }

  private static Object engineValue(DuckLakeType type, String text) {
    if (text == null) {
      return null;
    }
    return switch (type.kind()) {
      case BLOB -> HexFormat.of().parseHex(text);
      case FLOAT32 -> (double) (float) (double) Values.parse(type, text);
      default -> Values.parse(type, text);
    };
  }

  /** Blobs as hex so that rows compare by content. */
  private static List<List<Object>> normalized(List<List<Object>> rows) {
    return rows.stream().map(r -> r.stream().map(v -> v instanceof byte[] b ? "0x" + HexFormat.of().formatHex(b) : v)
        .collect(Collectors.toList())).collect(Collectors.toList());
  }
}
