package dev.mallard.engine.vector;

/**
 * Takes the chunks of one part of an input (a scan task) in order, keeping state over them, on one
 * thread at a time; one per part.
 */
public interface ChunkSink {
  /** Takes a chunk; returns what to hand on now, or null for nothing. */
  Chunk add(Chunk in);

  /** After the part's last chunk: what to hand on, or null for nothing. */
  Chunk finish();
}
