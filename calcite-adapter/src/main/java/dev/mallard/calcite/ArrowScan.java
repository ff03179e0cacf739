package dev.mallard.calcite;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.ScanReader;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.types.ArrowTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.rel.RelNode;

/**
 * A query whose whole plan is one {@link DuckLakeTableScan} (its projection and filters pushed in)
 * read as the engine's Arrow batches, with no conversion to rows: each batch's vectors are handed
 * over as they are, or, where deletes or filters dropped rows, the live rows copied vector to vector.
 */
public final class ArrowScan {
  private ArrowScan() {}

  /**
   * The rows of {@code plan} as Arrow batches allocated from {@code allocator}, or null when the plan
   * is not a plain scan (then the caller converts rows). The scan reads the snapshot reads see now.
   */
  public static ArrowReader reader(RelNode plan, BufferAllocator allocator) {
    if (!(plan instanceof DuckLakeTableScan scan) || scan.hasTravel() || scan.hasRowAddress()
        || !scan.parameterFilters().isEmpty() || scan.columns().stream().anyMatch(VirtualColumns::isVirtual)
        // a variant goes out as DuckDB's text of it (through JDBC), not as the engine's variant encoding
        || scan.columns().stream().anyMatch(c -> c.type().kind() == dev.mallard.engine.types.TypeKind.VARIANT)) {
      return null;
    }
    ScanPlan scanPlan = scan.duckLakeTable().planNow(scan.spec());
    return new BatchReader(allocator, scanPlan, scan.duckLakeTable().lake());
  }

  private static final class BatchReader extends ArrowReader {
    private final ScanPlan plan;
    private final ScanReader scan;

    BatchReader(BufferAllocator allocator, ScanPlan plan, LakeContext lake) {
      super(allocator);
      this.plan = plan;
      this.scan = new ScanReader(plan, lake.catalog());
    }

    @Override
    protected Schema readSchema() {
      List<Field> fields = new ArrayList<>();
      for (ColumnInfo c : plan.outputColumns()) {
        fields.add(ArrowTypes.nullableField(c.name(), c.type(), childFields(c)));
      }
      return new Schema(fields);
    }

    private static List<Field> childFields(ColumnInfo c) {
      List<Field> children = new ArrayList<>();
      for (ColumnInfo child : c.children()) {
        children.add(ArrowTypes.nullableField(child.name(), child.type(), childFields(child)));
      }
      return children;
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
      VectorSchemaRoot out = getVectorSchemaRoot();
      Batch batch;
      do {
        batch = scan.next();
        if (batch == null) {
          return false;
        }
        if (batch.selectedCount() == 0) {
          batch.close();
          batch = null;
        }
      } while (batch == null);
      try (Batch b = batch) {
        int columns = plan.outputColumns().size();
        for (int i = 0; i < columns; i++) {
          FieldVector from = b.vector(i);
          FieldVector to = out.getVector(i);
          if (b.selectedCount() == b.rowCount()) {
            from.makeTransferPair(to).transfer();
          } else {
            to.clear();
            to.setInitialCapacity(b.selectedCount());
            to.allocateNew();
            for (int r = 0; r < b.selectedCount(); r++) {
              to.copyFromSafe(b.selectedRow(r), r, from);
            }
            to.setValueCount(b.selectedCount());
          }
        }
        out.setRowCount(b.selectedCount());
      }
      return true;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    protected void closeReadSource() {
      scan.close();
    }
  }
}
