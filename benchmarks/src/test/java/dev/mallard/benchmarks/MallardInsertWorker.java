package dev.mallard.benchmarks;

import dev.mallard.jdbc.Mallard;
import java.sql.Connection;
import java.sql.Statement;

/**
 * One Mallard writer process of {@link ConcurrentInsertBenchmark}: its own connection and pool,
 * {@code count} single-row INSERTs (each its own commit), printing "start EPOCH_MS", one latency
 * in nanoseconds a line, then "end EPOCH_MS". The password comes from PGPASSWORD.
 *
 * <p>Arguments: catalog URL, worker number, number of inserts.
 */
public final class MallardInsertWorker {
  private MallardInsertWorker() {}

  public static void main(String[] args) throws Exception {
    int worker = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    try (Connection c = Mallard.connect(args[0]); Statement s = c.createStatement()) {
      s.executeQuery("SELECT count(*) FROM t").close(); // connected and planned before the clock starts
      System.out.println("start " + System.currentTimeMillis());
      for (int n = 0; n < count; n++) {
        long start = System.nanoTime();
        s.executeUpdate("INSERT INTO t VALUES (" + worker + ", " + n + ", 'mallard')");
        System.out.println(System.nanoTime() - start);
      }
      System.out.println("end " + System.currentTimeMillis());
    }
  }
}
