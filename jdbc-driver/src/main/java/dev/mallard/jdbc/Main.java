package dev.mallard.jdbc;

import dev.mallard.engine.ScanMetrics;
import dev.mallard.jdbc.server.MallardServer;
import dev.mallard.jdbc.server.ServerConfig;
import dev.mallard.jdbc.shell.Shell;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of the standalone jar.
 *
 * <pre>
 * java -jar mallard.jar demo                      query the sample lake shipped in examples/
 * java -jar mallard.jar query URL SQL [SQL...]    run statements and print their results
 * java -jar mallard.jar shell URL [SQLLine args]  an interactive SQL shell (or run a script from stdin)
 * java -jar mallard.jar server --url URL [...]    serve the lake over Avatica HTTP (see ServerConfig)
 * java -jar mallard.jar maintenance OP URL [...]  expire, clean up, merge, flush... (see MaintenanceCli)
 * </pre>
 */
public final class Main {
  static final String SAMPLE_LAKE = "examples/sample-lake/lake.sqlite";
  private static final String BINDABLE_CACHE = "calcite.bindable.cache.maxSize";

  private Main() {}

  public static void main(String[] args) throws Exception {
    // Compiled plans are reused across statements with the same generated code (off by default in
    // Calcite). Read once, when Calcite's classes load, so it must be set before any of them is.
    if (System.getProperty(BINDABLE_CACHE) == null) {
      System.setProperty(BINDABLE_CACHE, "1000");
    }
    PrintStream out = System.out;
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      usage(out);
      return;
    }
    try {
      switch (args[0]) {
        case "demo" -> demo(out);
        case "shell" -> {
          if (args.length < 2) {
            usage(System.err);
            System.exit(2);
          }
          // Interactive on a terminal; otherwise statements come from standard input.
          InputStream in = System.console() == null ? System.in : null;
          int status = Shell.run(args[1], List.of(args).subList(2, args.length), in, System.out, System.err);
          System.exit(status);
        }
        case "server" -> server(Arrays.copyOfRange(args, 1, args.length));
        case "maintenance" -> System.exit(dev.mallard.maintenance.cli.MaintenanceCli.run(
            Arrays.copyOfRange(args, 1, args.length), out, System.err));
        case "query" -> {
          if (args.length < 3) {
            usage(System.err);
            System.exit(2);
          }
          try (Connection c = Mallard.connect(args[1])) {
            for (int i = 2; i < args.length; i++) {
              run(c, args[i], out);
            }
          }
        }
        default -> {
          System.err.println("Unknown command: " + args[0]);
          usage(System.err);
          System.exit(2);
        }
      }
    } catch (SQLException e) {
      System.err.println("Error: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void usage(PrintStream out) {
    out.println("Mallard: SQL on DuckLake from the JVM");
    out.println("  java -jar mallard.jar demo                     query the sample lake in " + SAMPLE_LAKE);
    out.println("  java -jar mallard.jar query URL SQL [SQL...]   run statements against a lake");
    out.println("  java -jar mallard.jar shell URL                a SQL shell on a lake (!help lists its commands)");
    out.println("  java -jar mallard.jar server --url URL [...]   serve a lake to Avatica clients (server --help)");
    out.println("  java -jar mallard.jar maintenance OP URL [...] maintain a lake (maintenance --help)");
    out.println("URL: jdbc:ducklake:sqlite:/path/to/catalog.sqlite[?data_path=...&snapshot=N&read_only=true]");
  }

  /** Serves until the process is stopped (SIGTERM or Ctrl-C), then stops gracefully. */
  private static void server(String[] args) throws SQLException, InterruptedException {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("help"))) {
      System.out.println(ServerConfig.USAGE);
      return;
    }
    ServerConfig config;
    try {
      config = ServerConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage());
      System.err.println(ServerConfig.USAGE);
      System.exit(2);
      return;
    }
    MallardServer server = MallardServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("Mallard server stopping");
      server.close();
      System.err.println("Mallard server stopped");
    }, "mallard-server-shutdown"));
    System.err.println("Mallard server listening; connect with " + server.clientUrl());
    server.join();
  }

  private static void demo(PrintStream out) throws SQLException {
    if (!Files.isRegularFile(Path.of(SAMPLE_LAKE))) {
      throw new SQLException("The sample lake " + SAMPLE_LAKE + " is not here; run the demo from the repository root");
    }
    String url = DuckLakeDriver.PREFIX + "sqlite:" + SAMPLE_LAKE;
    out.println("Mallard demo on " + url + " (a lake written by DuckDB 1.5.5)\n");
    try (Connection c = Mallard.connect(url)) {
      out.println("Tables (from DatabaseMetaData, as JDBC tools see them):");
      try (ResultSet tables = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
        while (tables.next()) {
          out.println("  " + tables.getString("TABLE_SCHEM") + "." + tables.getString("TABLE_NAME"));
        }
      }
      out.println();
      for (String sql : List.of(
          "SELECT region, count(*) AS orders, sum(amount) AS revenue FROM sales"
              + " WHERE day >= DATE '2025-03-01' GROUP BY region ORDER BY region",
          "EXPLAIN PLAN FOR SELECT sum(amount) FROM sales WHERE day >= DATE '2025-03-01' AND region = 'north'")) {
        run(c, sql, out);
      }
      ScanMetrics metrics = Mallard.scanMetrics(c);
      long listed = metrics.dataFilesListed();
      long opened = metrics.dataFilesOpened();
      run(c, "SELECT count(*) AS march_orders FROM sales WHERE day BETWEEN DATE '2025-03-01' AND DATE '2025-03-31'", out);
      out.printf("That query opened %d of the table's %d data files: the catalog's statistics ruled out the rest.%n",
          metrics.dataFilesOpened() - opened, metrics.dataFilesListed() - listed);
    }
  }

  static void run(Connection c, String sql, PrintStream out) throws SQLException {
    out.println("> " + sql);
    try (Statement s = c.createStatement()) {
      if (!s.execute(sql)) {
        out.println("OK, " + s.getUpdateCount() + " rows affected\n");
        return;
      }
      try (ResultSet rs = s.getResultSet()) {
        print(rs, out);
      }
    }
  }

  /** Prints a result as an aligned text table. */
  static void print(ResultSet rs, PrintStream out) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[n];
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      header[i] = md.getColumnLabel(i + 1);
      width[i] = header[i].length();
    }
    while (rs.next()) {
      String[] row = new String[n];
      for (int i = 0; i < n; i++) {
        String v = rs.getString(i + 1);
        row[i] = v == null ? "NULL" : v;
        width[i] = Math.max(width[i], row[i].length());
      }
      rows.add(row);
    }
    out.println(line(header, width));
    StringBuilder rule = new StringBuilder();
    for (int w : width) {
      rule.append(rule.length() == 0 ? "" : "-+-").append("-".repeat(w));
    }
    out.println(rule);
    rows.forEach(r -> out.println(line(r, width)));
    out.println("(" + rows.size() + (rows.size() == 1 ? " row)\n" : " rows)\n"));
  }

  private static String line(String[] cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      sb.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", cells[i]));
    }
    return sb.toString().stripTrailing();
  }
}
