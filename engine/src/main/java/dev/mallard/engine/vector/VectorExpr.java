package dev.mallard.engine.vector;

/**
 * A scalar expression computed a whole chunk at a time, with SQL's NULL semantics. Booleans are
 * LONG columns of 0 and 1. Build them with {@link Exprs}.
 */
public interface VectorExpr {
  VType type();

  /** The expression's value for each row of {@code in}. */
  Column eval(Chunk in);
}
