package dev.mallard.engine.vector;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Keeps the rows where {@code filter} is true (if there is one), then computes {@code projects} (if
 * any), a chunk at a time; it holds no state, so one serves several threads at once.
 */
public final class Calc implements UnaryOperator<Chunk> {
  private final VectorExpr filter;
  private final List<VectorExpr> common;
  private final List<VectorExpr> projects;

  public Calc(VectorExpr filter, List<VectorExpr> projects) {
    this(filter, List.of(), projects);
  }

  /**
   * @param common computed first, in order, each one a column after the input's (and the common
   *     ones before it) that the projects and later common ones may read: what several projects share
   */
  public Calc(VectorExpr filter, List<VectorExpr> common, List<VectorExpr> projects) {
    this.filter = filter;
    this.common = List.copyOf(common);
    this.projects = projects == null ? null : List.copyOf(projects);
  }

  /**
   * For each column it gives that is an input column passed on as it is, that input column's entry
   * in {@code sources}; -1 for a column it computes. {@code sources} has an entry for each of the
   * first input columns (a scan's column, say); the input columns after them count as -1.
   */
  public int[] passedOn(int[] sources) {
    if (projects == null) {
      return sources;
    }
    int[] out = new int[projects.size()];
    for (int i = 0; i < out.length; i++) {
      // a common column's index is past the input's, so past sources too
      out[i] = projects.get(i) instanceof Exprs.Input input && input.index() < sources.length
          ? sources[input.index()] : -1;
    }
    return out;
  }

  /** What the chunk gives: its rows that pass, computed; null if none pass. */
  @Override
  public Chunk apply(Chunk in) {
    if (filter != null) {
      in = filter(in);
      if (in == null) {
        return null;
      }
    }
    if (projects == null) {
      return in;
    }
    if (!common.isEmpty()) {
      Column[] columns = java.util.Arrays.copyOf(in.columns(), in.columns().length + common.size());
      Chunk extended = new Chunk(columns, in.size());
      for (int c = 0; c < common.size(); c++) {
        columns[in.columns().length + c] = common.get(c).eval(extended); // reads only the columns set before it
      }
      in = extended;
    }
    Column[] out = new Column[projects.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = projects.get(i).eval(in);
    }
    return new Chunk(out, in.size());
  }

  /** The rows of {@code in} where the filter is true (not false, not NULL), or null if none. */
  private Chunk filter(Chunk in) {
    Column keep = filter.eval(in);
    long[] values = keep.longs;
    boolean[] nulls = keep.nulls; // a boolean: held as longs
    int size = in.size();
    int[] rows = new int[size];
    int n = 0;
    // No branch per row (a filter that keeps about half the rows would mispredict one per row).
    if (nulls == null) {
      for (int i = 0; i < size; i++) {
        rows[n] = i;
        n += values[i] != 0 ? 1 : 0;
      }
    } else {
      for (int i = 0; i < size; i++) {
        rows[n] = i;
        n += values[i] != 0 & !nulls[i] ? 1 : 0;
      }
    }
    return n == 0 ? null : n == size ? in : in.select(rows, n);
  }
}
