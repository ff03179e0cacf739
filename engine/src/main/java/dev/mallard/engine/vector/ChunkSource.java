package dev.mallard.engine.vector;

import java.util.function.UnaryOperator;

/** A batch operator: hands out chunks until it returns null. Close it when done. */
public interface ChunkSource extends AutoCloseable {
  /** The next chunk (never empty), or null at the end. */
  Chunk next();

  @Override
  void close();

  /** The chunks of {@code input} through {@code step} (which returns null for a chunk that gives no rows). */
  static ChunkSource map(ChunkSource input, UnaryOperator<Chunk> step) {
    return new ChunkSource() {
      @Override
      public Chunk next() {
        Chunk in;
        while ((in = input.next()) != null) {
          Chunk out = step.apply(in);
          if (out != null) {
            return out;
          }
        }
        return null;
      }

      @Override
      public void close() {
        input.close();
      }
    };
  }

  /** A source of no chunks. */
  static ChunkSource empty() {
    return new ChunkSource() {
      @Override
      public Chunk next() {
        return null;
      }

      @Override
      public void close() {}
    };
  }
}
