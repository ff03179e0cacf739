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

  /** The rows of {@code chunks} one after the other, in one chunk of columns of {@code types}. */
  public static Chunk concat(java.util.List<Chunk> chunks, VType[] types) {
    if (chunks.size() == 1) {
      return chunks.get(0);
    }
    int n = 0;
    for (Chunk c : chunks) {
      n += c.size();
    }
    Column[] out = new Column[types.length];
    for (int c = 0; c < types.length; c++) {
      Column[] parts = new Column[chunks.size()];
      for (int i = 0; i < parts.length; i++) {
        parts[i] = chunks.get(i).column(c);
      }
      out[c] = Column.concat(parts, types[c], n);
    }
    return new Chunk(out, n);
  }
}
