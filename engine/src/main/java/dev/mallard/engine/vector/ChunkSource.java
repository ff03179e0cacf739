package dev.mallard.engine.vector;

/** A batch operator: hands out chunks until it returns null. Close it when done. */
public interface ChunkSource extends AutoCloseable {
  /** The next chunk (never empty), or null at the end. */
  Chunk next();

  @Override
  void close();
}
