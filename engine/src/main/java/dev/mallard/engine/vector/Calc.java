package dev.mallard.engine.vector;

import java.util.List;

/** Keeps the rows where {@code filter} is true (if there is one), then computes {@code projects} (if any). */
public final class Calc implements ChunkSource {
  private final ChunkSource input;
  private final VectorExpr filter;
  private final List<VectorExpr> projects;

  public Calc(ChunkSource input, VectorExpr filter, List<VectorExpr> projects) {
    this.input = input;
    this.filter = filter;
    this.projects = projects == null ? null : List.copyOf(projects);
  }

  @Override
  public Chunk next() {
    Chunk in;
    while ((in = input.next()) != null) {
      if (filter != null) {
        in = filter(in);
        if (in == null) {
          continue;
        }
      }
      if (projects == null) {
        return in;
      }
      Column[] out = new Column[projects.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = projects.get(i).eval(in);
      }
      return new Chunk(out, in.size());
    }
    return null;
  }

  /** The rows of {@code in} where the filter is true (not false, not NULL), or null if none. */
  private Chunk filter(Chunk in) {
    Column keep = filter.eval(in);
    int[] rows = new int[in.size()];
    int n = 0;
    for (int i = 0; i < in.size(); i++) {
      if (keep.longs[i] != 0 && !keep.isNull(i)) {
        rows[n++] = i;
      }
    }
    return n == 0 ? null : n == in.size() ? in : in.select(rows, n);
  }

  @Override
  public void close() {
    input.close();
  }
}
