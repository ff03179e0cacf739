package dev.mallard.engine.exec;

import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Rows held column by column in Arrow vectors, plus the selection of rows still alive after
 * deletes and filters. Rows are never copied to drop them: the selection lists the live ones.
 * A batch owns its vectors; close it when done.
 */
public final class Batch implements AutoCloseable {
  private final VectorSchemaRoot root;
  private final long firstRowPosition;
  /** The physical indexes of the live rows, in order; null while every row is live. */
  private int[] selection;
  /** Per vector, the dictionary its text came from, if it did (see {@link #dictionary}); null if none did. */
  private Dictionary[] dictionaries;

  /**
   * Text in a vector as indexes into a dictionary: {@code text.strings()[codes[row]]} is the string
   * at a physical row (NULL rows have code -1; rows a reader skipped have none).
   */
  public record Dictionary(int[] codes, TextDictionary text) {}

  /** A column chunk's dictionary of UTF-8 strings, decoded into Strings when first asked for. */
  public static final class TextDictionary {
    private final byte[] data;
    private final int[] start;
    private final int[] length;
    private final int size;
    private volatile String[] strings;

    /** Value i is {@code data[start[i] .. start[i] + length[i])}; the arrays are not changed after. */
    public TextDictionary(byte[] data, int[] start, int[] length, int size) {
      this.data = data;
      this.start = start;
      this.length = length;
      this.size = size;
    }

    public int size() {
      return size;
    }

    /** Whether {@link #strings} is made already. */
    public boolean decoded() {
      return strings != null;
    }

    public String[] strings() {
      String[] s = strings;
      if (s == null) {
        s = new String[size];
        for (int i = 0; i < size; i++) {
          s[i] = new String(data, start[i], length[i], java.nio.charset.StandardCharsets.UTF_8);
        }
        strings = s;
      }
      return s;
    }
  }

  /**
   * @param firstRowPosition the position in its data file of the batch's first row, which delete
   *     files refer to; -1 when the rows do not come from one file
   */
  public Batch(VectorSchemaRoot root, long firstRowPosition) {
    this.root = root;
    this.firstRowPosition = firstRowPosition;
  }

  public VectorSchemaRoot root() {
    return root;
  }

  public List<FieldVector> vectors() {
    return root.getFieldVectors();
  }

  public FieldVector vector(int i) {
    return root.getVector(i);
  }

  /** Physical rows in the vectors, selected or not. */
  public int rowCount() {
    return root.getRowCount();
  }

  public long firstRowPosition() {
    return firstRowPosition;
  }

  /** Rows alive after deletes and filters. */
  public int selectedCount() {
    return selection == null ? root.getRowCount() : selection.length;
  }

  /** The physical index of the i-th live row. */
  public int selectedRow(int i) {
    return selection == null ? i : selection[i];
  }

  /**
   * The same rows over a root holding this batch's vectors and more; the new batch owns them all,
   * and this one must not be closed.
   */
  public Batch withVectors(VectorSchemaRoot wider) {
    wider.setRowCount(root.getRowCount());
    Batch b = new Batch(wider, firstRowPosition);
    b.selection = selection;
    if (dictionaries != null) { // each vector the wider root still holds at its index keeps its dictionary
      b.dictionaries = new Dictionary[wider.getFieldVectors().size()];
      for (int i = 0; i < Math.min(dictionaries.length, b.dictionaries.length); i++) {
        b.dictionaries[i] = wider.getVector(i) == root.getVector(i) ? dictionaries[i] : null;
      }
    }
    return b;
  }

  /** Vector {@code i}'s text as dictionary indexes, or null when it is not known to be. */
  public Dictionary dictionary(int i) {
    return dictionaries == null || i >= dictionaries.length ? null : dictionaries[i];
  }

  /** Records that vector {@code i}'s text is {@code dictionary}'s (see {@link Dictionary}). */
  public void setDictionary(int i, Dictionary dictionary) {
    if (dictionaries == null) {
      dictionaries = new Dictionary[root.getFieldVectors().size()];
    }
    dictionaries[i] = dictionary;
  }

  /** Keeps only the live rows for which {@code keep} is true. */
  public void retain(RowPredicate keep) {
    int count = selectedCount();
    int[] next = new int[count];
    int n = 0;
    for (int i = 0; i < count; i++) {
      int row = selectedRow(i);
      if (keep.test(row)) {
        next[n++] = row;
      }
    }
    if (n != count) {
      selection = Arrays.copyOf(next, n);
    }
  }

  /**
   * Keeps only the live rows a filter keeps: {@code filter} gets the live rows' physical indexes
   * (an array it may overwrite) and their count, moves the rows it keeps to the front, in order,
   * and returns how many it kept.
   */
  public void retainAll(RowsFilter filter) {
    int count = selectedCount();
    int[] rows;
    if (selection == null) {
      rows = new int[count];
      for (int i = 0; i < count; i++) {
        rows[i] = i;
      }
    } else {
      rows = selection.clone();
    }
    int n = filter.keep(rows, count);
    if (n != count) {
      selection = Arrays.copyOf(rows, n);
    }
  }

  @Override
  public void close() {
    root.close();
  }

  /** Moves the rows to keep of {@code rows[0..n)} to the front, in order; returns how many. */
  @FunctionalInterface
  public interface RowsFilter {
    int keep(int[] rows, int n);
  }

  /** A test on a physical row index. */
  @FunctionalInterface
  public interface RowPredicate {
    boolean test(int row);
  }
}
