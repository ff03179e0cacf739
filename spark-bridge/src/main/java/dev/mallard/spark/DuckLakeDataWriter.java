package dev.mallard.spark;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.ScanReader;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.parquet.ParquetDataWriter;
import dev.mallard.engine.parquet.WriteColumn;
import dev.mallard.engine.parquet.WriterOptions;
import dev.mallard.engine.txn.TableAppender;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * Writes one Spark task's rows into new Parquet data files of the table with the engine's
 * {@link ParquetDataWriter}, which lays them out as DuckDB does and collects the statistics
 * DuckLake records. Rows are gathered into Arrow batches of {@link ScanReader#BATCH_ROWS}.
 */
final class DuckLakeDataWriter implements DataWriter<InternalRow> {
  private final ColumnInfo[] columns;
  private final BufferAllocator allocator;
  private final VectorSchemaRoot root;
  private final ParquetDataWriter writer;
  private int rows;

  DuckLakeDataWriter(LakeRef lake, String directory, List<ColumnInfo> columns) {
    DuckLakeCatalog catalog = OpenLakes.get(lake).catalog();
    this.columns = columns.toArray(new ColumnInfo[0]);
    List<Field> fields = new ArrayList<>();
    List<WriteColumn> writeColumns = new ArrayList<>();
    for (ColumnInfo c : columns) {
      fields.add(VectorValues.arrowField(c));
      writeColumns.add(TableAppender.writeColumn(c));
    }
    this.writer = ParquetDataWriter.open(catalog.fileIO(), directory, writeColumns, WriterOptions.DEFAULTS);
    this.allocator = catalog.allocator().newChildAllocator("spark-writer " + directory, 0, Long.MAX_VALUE);
    this.root = VectorSchemaRoot.create(new Schema(fields), allocator);
    root.allocateNew();
  }

  @Override
  public void write(InternalRow row) {
    for (int i = 0; i < columns.length; i++) {
      ColumnInfo c = columns[i];
      VectorValues.set(root.getVector(i), rows, c, SparkValues.value(row, i, c));
    }
    rows++;
    if (rows == ScanReader.BATCH_ROWS) {
      flush();
    }
  }

  private void flush() {
    if (rows == 0) {
      return;
    }
    root.setRowCount(rows);
    writer.write(new Batch(root, -1));
    for (FieldVector v : root.getFieldVectors()) {
      v.reset();
    }
    rows = 0;
  }

  @Override
  public WriterCommitMessage commit() {
    flush();
    return new DuckLakeWrite.Written(writer.finish().stream().map(DuckLakeWrite.FileForm::of).toList());
  }

  @Override
  public void abort() {
    writer.abort();
  }

  @Override
  public void close() {
    try {
      writer.close(); // aborts unless committed
    } finally {
      root.close();
      allocator.close();
    }
  }

  /** Sent to executors: the lake, the table's directory and its columns. */
  record Factory(LakeRef lake, String directory, List<PlanForms.ColumnForm> columns) implements DataWriterFactory {
    @Override
    public DataWriter<InternalRow> createWriter(int partitionId, long taskId) {
      return new DuckLakeDataWriter(lake, directory, columns.stream().map(PlanForms.ColumnForm::toColumn).toList());
    }
  }
}
