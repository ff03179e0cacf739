package dev.mallard.calcite.batch;

import dev.mallard.engine.vector.Chunk;
import dev.mallard.engine.vector.ChunkSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.calcite.DataContext;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;

/**
 * A batch subtree that the plan reads more than once (TPC-H Q15's view {@code revenue0}, joined and
 * also aggregated for its maximum): each time the statement runs, the first reader computes its
 * chunks and keeps them, the others read the kept chunks. Batch operators never change the chunks
 * they read, so readers can share them. The rows are the same as computing the subtree again, as
 * both are the same expression of the same statement (over the same snapshot).
 */
final class BatchShared extends SingleRel implements BatchRel {
  /** How many places of the plan read it: the kept chunks are let go after the last. */
  private final int readers;
  /** Made once, so that every reader gets the same (see {@link #plan}). */
  private BatchPlan plan;

  BatchShared(RelOptCluster cluster, RelTraitSet traits, RelNode input, int readers) {
    super(cluster, traits, input);
    this.readers = readers;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new BatchShared(getCluster(), traitSet, sole(inputs), readers);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("readers", readers);
  }

  @Override
  public synchronized BatchPlan plan() {
    if (plan == null) {
      plan = new Kept(((BatchRel) getInput()).plan(), readers);
    }
    return plan;
  }

  /** The chunks of one run of the input, per statement execution (its DataContext). */
  private static final class Kept implements BatchPlan {
    private final BatchPlan input;
    private final int readers;
    /** Weak keys: an execution that fails before its last reader does not keep its chunks. */
    private final Map<DataContext, Run> runs = new WeakHashMap<>();

    Kept(BatchPlan input, int readers) {
      this.input = input;
      this.readers = readers;
    }

    private static final class Run {
      List<Chunk> chunks;
      int opened;
    }

    @Override
    public ChunkSource open(DataContext root) {
      Run run;
      synchronized (runs) {
        run = runs.computeIfAbsent(root, r -> new Run());
        if (++run.opened >= readers) {
          runs.remove(root);
        }
      }
      synchronized (run) {
        if (run.chunks == null) {
          List<Chunk> chunks = new ArrayList<>();
          try (ChunkSource source = input.open(root)) {
            for (Chunk c = source.next(); c != null; c = source.next()) {
              chunks.add(c);
            }
          }
          run.chunks = chunks;
        }
      }
      Iterator<Chunk> chunks = run.chunks.iterator();
      return new ChunkSource() {
        @Override
        public Chunk next() {
          return chunks.hasNext() ? chunks.next() : null;
        }

        @Override
        public void close() {}
      };
    }
  }
}
