package dev.mallard.spark;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.RowOrigins;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanTask;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.spark.sql.connector.catalog.MetadataColumn;
import org.apache.spark.sql.execution.vectorized.ConstantColumnVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * DuckDB's virtual columns of a DuckLake table, as Spark metadata columns ({@code SELECT rowid,
 * snapshot_id, filename, * FROM lake.main.t}): the row's id, the snapshot that inserted it, and
 * the data file it lives in (for inlined rows: the inlined data table's name), as DuckDB gives them.
 */
final class MetadataColumns {
  static final String ROW_ID = "rowid";
  static final String SNAPSHOT_ID = "snapshot_id";
  static final String FILENAME = "filename";
  static final List<String> NAMES = List.of(ROW_ID, SNAPSHOT_ID, FILENAME);

  private final List<String> names;
  private final ScanTask task;
  private final BufferAllocator allocator;
  /** Inserting snapshots of inlined rows, read once per task. */
  private RowOrigins origins;
  /** Vectors made for the current batch, closed when the next one is made. */
  private final List<BigIntVector> made = new java.util.ArrayList<>();

  MetadataColumns(List<String> names, ScanTask task, BufferAllocator allocator) {
    this.names = names;
    this.task = task;
    this.allocator = allocator;
  }

  static DataType type(String name) {
    return name.equals(FILENAME) ? DataTypes.StringType : DataTypes.LongType;
  }

  static StructField field(String name) {
    return new StructField(name, type(name), !name.equals(ROW_ID), org.apache.spark.sql.types.Metadata.empty());
  }

  static MetadataColumn[] spark() {
    return NAMES.stream().map(n -> new MetadataColumn() {
      @Override
      public String name() {
        return n;
      }

      @Override
      public DataType dataType() {
        return type(n);
      }

      @Override
      public boolean isNullable() {
        return !n.equals(ROW_ID);
      }

      @Override
      public String comment() {
        return switch (n) {
          case ROW_ID -> "the row's DuckLake row id";
          case SNAPSHOT_ID -> "the snapshot that inserted the row";
          default -> "the data file holding the row, or the inlined data table";
        };
      }
    }).toArray(MetadataColumn[]::new);
  }

  /** The metadata vectors for the first {@code rows} live rows of a batch read with row addresses. */
  ColumnVector[] vectors(Batch batch, int rows, ScanPlan plan, DuckLakeCatalog catalog) {
    release();
    BigIntVector rowIds = (BigIntVector) batch.vector(plan.addressColumns() + 2);
    ColumnVector[] out = new ColumnVector[names.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = switch (names.get(i)) {
        case ROW_ID -> new ArrowColumnVector(perRow(batch, rows, row -> rowIds.get(row)));
        case SNAPSHOT_ID -> new ArrowColumnVector(perRow(batch, rows,
            row -> origins(catalog, plan).snapshotId(task, batch, row)));
        default -> {
          ConstantColumnVector v = new ConstantColumnVector(rows, DataTypes.StringType);
          v.setUtf8String(UTF8String.fromString(RowOrigins.filename(task)));
          yield v;
        }
      };
    }
    return out;
  }

  /** A vector of {@code f} of each of the first {@code rows} live rows (given their physical index). */
  private BigIntVector perRow(Batch batch, int rows, java.util.function.IntFunction<Long> f) {
    BigIntVector to = new BigIntVector("metadata", allocator);
    to.allocateNew(rows);
    for (int i = 0; i < rows; i++) {
      Long v = f.apply(batch.selectedRow(i));
      if (v == null) {
        to.setNull(i);
      } else {
        to.set(i, v);
      }
    }
    to.setValueCount(rows);
    made.add(to);
    return to;
  }

  private RowOrigins origins(DuckLakeCatalog catalog, ScanPlan plan) {
    if (origins == null) {
      origins = new RowOrigins(plan, catalog);
    }
    return origins;
  }

  void release() {
    made.forEach(BigIntVector::close);
    made.clear();
  }
}
