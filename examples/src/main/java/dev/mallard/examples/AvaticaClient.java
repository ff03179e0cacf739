package dev.mallard.examples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A client of a Mallard server ({@code java -jar mallard.jar server --url jdbc:ducklake:...}): it
 * needs only Avatica's thin driver ({@code org.apache.calcite.avatica:avatica}), not the engine.
 * Run: {@code java -cp avatica-1.28.0.jar:slf4j-api.jar:examples/target/classes
 * dev.mallard.examples.AvaticaClient http://127.0.0.1:8765 [user password]}.
 */
public final class AvaticaClient {
  private AvaticaClient() {}

  public static void main(String[] args) throws SQLException {
    String server = args.length > 0 ? args[0] : "http://127.0.0.1:8765";
    Properties credentials = new Properties();
    String url = "jdbc:avatica:remote:url=" + server + ";serialization=protobuf";
    if (args.length > 2) {
      // For a server started with --auth basic --users FILE.
      url += ";authentication=BASIC";
      credentials.setProperty("avatica_user", args[1]);
      credentials.setProperty("avatica_password", args[2]);
    }
    ordersByRegion(url, credentials, System.out);
  }

  /** Prints the orders over 100 of each region, as the server computes them. */
  public static void ordersByRegion(String url, Properties credentials, java.io.PrintStream out)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url, credentials);
        PreparedStatement ps = c.prepareStatement(
            "SELECT region, count(*) AS orders FROM sales WHERE amount > ? GROUP BY region ORDER BY region")) {
      ps.setBigDecimal(1, new java.math.BigDecimal("100"));
      ps.setFetchSize(1000); // rows come in frames of this many
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.println(rs.getString("region") + ": " + rs.getLong("orders"));
        }
      }
    }
  }
}
