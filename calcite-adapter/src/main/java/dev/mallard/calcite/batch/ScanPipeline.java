package dev.mallard.calcite.batch;

import dev.mallard.calcite.DuckLakeTable;
import dev.mallard.calcite.ScanSpec;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.vector.Chunk;
import dev.mallard.engine.vector.ChunkSink;
import dev.mallard.engine.vector.ChunkSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.calcite.DataContext;

/**
 * A scan, the steps over it that work a chunk at a time (filters, projections, hash join probes),
 * and optionally a sink per scan task (the first half of an aggregate): they run on the threads
 * that decode the scan's files, in parallel with the operators above (see
 * {@link dev.mallard.engine.vector.ScanChunks}). Steps are opened in order before the scan starts,
 * so a hash join's table is built before its probe side is read.
 *
 * @param sinks null for none
 */
record ScanPipeline(DuckLakeTable table, ScanSpec spec, DuckLakeType[] types, List<Step> steps,
    Supplier<ChunkSink> sinks) implements BatchPlan {
  ScanPipeline(DuckLakeTable table, ScanSpec spec, DuckLakeType[] types) {
    this(table, spec, types, List.of(), null);
  }

  @Override
  public ChunkSource open(DataContext root) {
    List<UnaryOperator<Chunk>> opened = new ArrayList<>();
    for (Step step : steps) {
      UnaryOperator<Chunk> s = step.open(root);
      if (s == null) {
        return ChunkSource.empty();
      }
      opened.add(s);
    }
    return table.chunks(root, spec, types, opened, sinks);
  }

  @Override
  public BatchPlan then(Step step) {
    if (sinks != null) {
      return BatchPlan.super.then(step);
    }
    List<Step> more = new ArrayList<>(steps);
    more.add(step);
    return new ScanPipeline(table, spec, types, List.copyOf(more), null);
  }

  /** Whether this pipeline ends in a sink (then {@link #into} cannot end it again). */
  boolean hasSink() {
    return sinks != null;
  }

  /** This pipeline ending in a sink per task. */
  ScanPipeline into(Supplier<ChunkSink> sinks) {
    return new ScanPipeline(table, spec, types, steps, sinks);
  }
}
