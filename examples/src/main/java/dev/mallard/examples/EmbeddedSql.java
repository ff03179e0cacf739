package dev.mallard.examples;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * SQL on a lake inside a Java application: the engine runs in this JVM, no server. Run from the
 * repository root: {@code java -cp jdbc-driver/target/mallard.jar:examples/target/classes
 * dev.mallard.examples.EmbeddedSql examples/sample-lake/lake.sqlite}.
 */
public final class EmbeddedSql {
  private EmbeddedSql() {}

  public static void main(String[] args) throws SQLException {
    String catalog = args.length > 0 ? args[0] : "examples/sample-lake/lake.sqlite";
    report("jdbc:ducklake:sqlite:" + catalog, "north", System.out);
  }

  /** Prints one region's monthly revenue, with a PreparedStatement reused for each month. */
  public static void report(String url, String region, PrintStream out) throws SQLException {
    // The driver registers itself: DriverManager finds it in the jar's META-INF/services.
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement monthly = c.prepareStatement(
            "SELECT count(*) AS orders, sum(amount) AS revenue FROM sales"
                + " WHERE region = ? AND day >= ? AND day < ?")) {
      out.println("Revenue of region " + region + ":");
      for (int month = 1; month <= 6; month++) {
        monthly.setString(1, region);
        monthly.setDate(2, java.sql.Date.valueOf(String.format("2025-%02d-01", month)));
        monthly.setDate(3, java.sql.Date.valueOf(String.format("2025-%02d-01", month + 1)));
        // The plan is made once; each execution reads the lake's newest snapshot.
        try (ResultSet rs = monthly.executeQuery()) {
          rs.next();
          out.printf("  2025-%02d  %4d orders  %12s%n", month, rs.getLong("orders"), rs.getBigDecimal("revenue"));
        }
      }
    }
  }
}
