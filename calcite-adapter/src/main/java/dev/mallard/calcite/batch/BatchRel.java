package dev.mallard.calcite.batch;

import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;

/**
 * An operator of the batch convention: it works on {@link dev.mallard.engine.vector.Chunk}s of
 * column vectors, and {@link BatchToEnumerable} turns its output into rows at the top.
 */
public interface BatchRel extends RelNode {
  Convention CONVENTION = new Convention.Impl("BATCH", BatchRel.class);

  /** What runs this operator (and its inputs) when the statement executes. */
  BatchPlan plan();

  /** The part of the cost of Enumerable operators that batch operators keep: they handle no boxed rows. */
  double COST_FACTOR = 0.1;
}
