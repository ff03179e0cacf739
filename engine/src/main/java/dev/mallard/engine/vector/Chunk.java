package dev.mallard.engine.vector;

/** Rows held as columns, all of {@code size} values: what batch operators hand each other. */
public record Chunk(Column[] columns, int size) {
  public Column column(int i) {
    return columns[i];
  }

  /** The rows {@code rows[0..n)}, every column compacted. */
  public Chunk select(int[] rows, int n) {
    Column[] out = new Column[columns.length];
    for (int c = 0; c < columns.length; c++) {
      out[c] = columns[c].select(rows, n);
    }
    return new Chunk(out, n);
  }
}
