package dev.mallard.engine.parquet;

import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.storage.LocalFileIO;
import dev.mallard.engine.types.ArrowTypes;
import dev.mallard.engine.types.DuckLakeType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/** Reads files with {@link ParquetDataReader} into engine values, recording how the batches came. */
final class ParquetTestSupport {
  private ParquetTestSupport() {}

  /** Everything a read produced. */
  record ReadResult(List<List<Object>> rows, List<Long> batchStarts, List<Integer> batchSizes, long rowGroupsRead,
      long rowGroupsSkipped) {
    List<Object> column(int i) {
      List<Object> values = new ArrayList<>();
      rows.forEach(r -> values.add(r.get(i)));
      return values;
    }
  }

  static ReadColumn column(int fieldId, String name, String type) {
    return new ReadColumn(fieldId, name, DuckLakeType.parse(type), null);
  }

  static ReadResult readAll(BufferAllocator allocator, Path file, List<ReadColumn> columns) {
    return readAll(allocator, file, columns, RowGroupFilter.ALL, 1024);
  }

  static ReadResult readAll(BufferAllocator allocator, Path file, List<ReadColumn> columns, RowGroupFilter filter,
      int batchRows) {
    String location = file.toString();
    List<List<Object>> rows = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    try (ParquetDataReader reader = ParquetDataReader.open(new LocalFileIO().newInputFile(location), location,
        columns, filter, allocator, batchRows)) {
      for (Batch next = reader.next(); next != null; next = reader.next()) {
        try (Batch batch = next) {
          starts.add(batch.firstRowPosition());
          sizes.add(batch.rowCount());
          for (int i = 0; i < columns.size(); i++) {
            ReadColumn c = columns.get(i);
            if (!batch.vector(i).getField().getType().equals(ArrowTypes.arrowType(c.type()))
                || !batch.vector(i).getField().getName().equals(c.name())) {
              throw new AssertionError("vector " + batch.vector(i).getField() + " for " + c);
            }
          }
          for (int row = 0; row < batch.rowCount(); row++) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
              values.add(VectorValues.get(batch.vector(i), row, columns.get(i).type()));
            }
            rows.add(values);
          }
        }
      }
      return new ReadResult(rows, starts, sizes, reader.rowGroupsRead(), reader.rowGroupsSkipped());
    }
  }
}
