package dev.mallard.calcite.batch;

import dev.mallard.engine.vector.Chunk;
import dev.mallard.engine.vector.ChunkSource;
import java.util.function.UnaryOperator;
import org.apache.calcite.DataContext;

/** Opens a batch operator tree each time its statement runs (stashed in the generated code). */
@FunctionalInterface
public interface BatchPlan {
  ChunkSource open(DataContext root);

  /**
   * Work done a chunk at a time: made each time the statement runs, it returns what a chunk gives
   * (null for no rows), holds no state, and may be called from several threads at once.
   */
  @FunctionalInterface
  interface Step {
    /** The step for this execution, or null if no row can pass it (then nothing is read). */
    UnaryOperator<Chunk> open(DataContext root);
  }

  /** This plan's chunks through {@code step}; over a scan, it runs where the scan decodes (see {@link ScanPipeline}). */
  default BatchPlan then(Step step) {
    return root -> {
      UnaryOperator<Chunk> opened = step.open(root);
      return opened == null ? ChunkSource.empty() : ChunkSource.map(open(root), opened);
    };
  }
}
