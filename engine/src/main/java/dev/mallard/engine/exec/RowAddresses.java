package dev.mallard.engine.exec;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Adds the address of each row to a batch (data file id, position, row id) for DELETE and
 * UPDATE, as three BIGINT vectors after the batch's own, then a fourth: the snapshot that inserted
 * the row, when the reader knows it (for the {@code snapshot_id} virtual column; see
 * {@link RowOrigins}).
 */
final class RowAddresses {
  private RowAddresses() {}

  /** A source of one row's address. */
  interface Source {
    /** The data file id, or null for a row kept inline in the catalog. */
    Long fileId(int row);

    long position(int row);

    long rowId(int row);

    /** The snapshot that inserted the row, or null when this source does not know it. */
    default Long snapshotId(int row) {
      return null;
    }
  }

  /**
   * The batch's first {@code keep} vectors followed by the addresses; any other vector (columns
   * read only to compute the address) is released.
   */
  static Batch append(Batch batch, int keep, Source source, BufferAllocator allocator) {
    int n = batch.rowCount();
    BigIntVector file = new BigIntVector("_file", allocator);
    BigIntVector position = new BigIntVector("_position", allocator);
    BigIntVector rowId = new BigIntVector("_rowid", allocator);
    BigIntVector snapshot = new BigIntVector("_snapshot", allocator);
    snapshot.allocateNew(n);
    file.allocateNew(n);
    position.allocateNew(n);
    rowId.allocateNew(n);
    for (int i = 0; i < n; i++) {
      Long f = source.fileId(i);
      if (f == null) {
        file.setNull(i);
      } else {
        file.set(i, f);
      }
      position.set(i, source.position(i));
      rowId.set(i, source.rowId(i));
      Long s = source.snapshotId(i);
      if (s == null) {
        snapshot.setNull(i);
      } else {
        snapshot.set(i, s);
      }
    }
    snapshot.setValueCount(n);
    file.setValueCount(n);
    position.setValueCount(n);
    rowId.setValueCount(n);
    List<FieldVector> vectors = new ArrayList<>(batch.vectors().subList(0, keep));
    for (FieldVector extra : batch.vectors().subList(keep, batch.vectors().size())) {
      extra.close();
    }
    vectors.add(file);
    vectors.add(position);
    vectors.add(rowId);
    vectors.add(snapshot);
    return batch.withVectors(new VectorSchemaRoot(vectors));
  }
}
