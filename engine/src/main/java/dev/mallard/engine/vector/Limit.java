package dev.mallard.engine.vector;

/** Skips {@code offset} rows, then hands out at most {@code fetch} (or all, when negative). */
public final class Limit implements ChunkSource {
  private final ChunkSource input;
  private long toSkip;
  private long left;

  public Limit(ChunkSource input, long offset, long fetch) {
    this.input = input;
    this.toSkip = offset;
    this.left = fetch < 0 ? Long.MAX_VALUE : fetch;
  }

  @Override
  public Chunk next() {
    while (left > 0) {
      Chunk in = input.next();
      if (in == null) {
        return null;
      }
      int from = (int) Math.min(toSkip, in.size());
      toSkip -= from;
      int n = (int) Math.min(left, in.size() - from);
      if (n <= 0) {
        continue;
      }
      left -= n;
      if (from == 0 && n == in.size()) {
        return in;
      }
      int[] rows = new int[n];
      for (int i = 0; i < n; i++) {
        rows[i] = from + i;
      }
      return in.select(rows, n);
    }
    return null;
  }

  @Override
  public void close() {
    input.close();
  }
}
