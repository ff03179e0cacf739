package dev.mallard.engine.vector;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.StagedScan;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.types.DuckLakeType;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The chunks of a scan, each batch read into a chunk and passed through per-chunk steps (filters,
 * projections, hash join probes) and then, if there is one, a per-task sink (the first half of an
 * aggregate), on the thread that decoded it: for the tasks read ahead, that is the scan pool, so
 * this work runs in parallel with the operators above.
 */
public final class ScanChunks implements ChunkSource {
  private final StagedScan<Chunk> scan;

  /**
   * @param types the types of the plan's read columns, each one {@link ArrowChunks#readable}
   * @param steps applied in order to each chunk; each returns the chunk's rows that go on (null for
   *     none), and may be called from several threads at once
   * @param sinks makes the sink of each task, which takes what the steps give; null for none
   * @param checkStop run before each part of a task is waited for and before each batch is read, on
   *     any thread (see {@link StagedScan}); throws to stop
   */
  public ScanChunks(ScanPlan plan, DuckLakeCatalog catalog, DuckLakeType[] types, List<UnaryOperator<Chunk>> steps,
      Supplier<ChunkSink> sinks, Runnable checkStop) {
    List<UnaryOperator<Chunk>> chain = List.copyOf(steps);
    this.scan = new StagedScan<>(plan, catalog,
        () -> new TaskStage(new ArrowChunks(types), chain, sinks == null ? null : sinks.get()), chunk -> {},
        checkStop);
  }

  /** One task's batches into chunks, through the steps, into the sink. */
  private record TaskStage(ArrowChunks read, List<UnaryOperator<Chunk>> steps, ChunkSink sink)
      implements StagedScan.Stage<Chunk> {
    @Override
    public Chunk apply(Batch batch) {
      Chunk chunk = read.apply(batch);
      for (int i = 0; i < steps.size() && chunk != null; i++) {
        chunk = steps.get(i).apply(chunk);
      }
      return chunk == null || sink == null ? chunk : sink.add(chunk);
    }

    @Override
    public Chunk finish() {
      return sink == null ? null : sink.finish();
    }
  }

  @Override
  public Chunk next() {
    return scan.next();
  }

  @Override
  public void close() {
    scan.close();
  }
}
