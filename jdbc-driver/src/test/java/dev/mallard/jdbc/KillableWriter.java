package dev.mallard.jdbc;

import java.sql.Connection;
import java.sql.Statement;

/**
 * The writer process of {@link KilledWriterTest}: commits {@code count} inserts into table
 * {@code t (commit_no, k)} numbered from {@code first}, and prints {@code committed N} once commit N
 * has returned, so that every line it printed is a commit the catalog acknowledged. Every fifth
 * commit has more rows than the inlining limit, so it writes a Parquet file too; the others stay
 * inlined in the catalog. The password comes from the environment, never the command line.
 *
 * <p>Arguments: catalog URL, first commit number, number of commits.
 */
public final class KillableWriter {
  /** Rows of commit {@code n}: a Parquet file every fifth commit, one inlined row otherwise. */
  static int rowsOf(int n) {
    return n % 5 == 4 ? 25 : 1;
  }

  private KillableWriter() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int first = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    try (Connection c = Mallard.connect(url); Statement s = c.createStatement()) {
      for (int n = first; n < first + count; n++) {
        StringBuilder values = new StringBuilder();
        for (int k = 0; k < rowsOf(n); k++) {
          values.append(k == 0 ? "" : ", ").append('(').append(n).append(", ").append(k).append(')');
        }
        s.executeUpdate("INSERT INTO t VALUES " + values);
        System.out.println("committed " + n);
      }
    }
  }
}
