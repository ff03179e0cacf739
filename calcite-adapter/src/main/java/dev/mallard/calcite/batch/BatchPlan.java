package dev.mallard.calcite.batch;

import dev.mallard.engine.vector.ChunkSource;
import org.apache.calcite.DataContext;

/** Opens a batch operator tree each time its statement runs (stashed in the generated code). */
@FunctionalInterface
public interface BatchPlan {
  ChunkSource open(DataContext root);
}
