package dev.mallard.jdbc;

import java.sql.Connection;
import java.sql.Statement;

/**
 * One writer process of {@link MultiProcessWriteTest}: opens its own connection (its own pool) to
 * the catalog URL given, inserts {@code count} single-row commits into table {@code t} and prints
 * each commit's latency in nanoseconds, one a line. The password comes from the environment
 * (PGPASSWORD), never the command line.
 *
 * <p>Arguments: catalog URL, worker number, number of inserts.
 */
public final class InsertWorker {
  private InsertWorker() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int worker = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    try (Connection c = Mallard.connect(url); Statement s = c.createStatement()) {
      for (int n = 0; n < count; n++) {
        long start = System.nanoTime();
        s.executeUpdate("INSERT INTO t VALUES (" + worker + ", " + n + ", 'worker " + worker + " row " + n + "')");
        System.out.println(System.nanoTime() - start);
      }
    }
  }
}
