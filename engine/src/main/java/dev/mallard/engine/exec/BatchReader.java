package dev.mallard.engine.exec;

/** A source of batches. The caller closes each batch it gets, and the reader when done. */
public interface BatchReader extends AutoCloseable {
  /** The next batch, or null when there are no more. */
  Batch next();

  @Override
  void close();
}
