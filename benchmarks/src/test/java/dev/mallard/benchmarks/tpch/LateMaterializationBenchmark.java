package dev.mallard.benchmarks.tpch;

import dev.mallard.engine.ScanMetrics;
import dev.mallard.jdbc.Mallard;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Selective TPC-H queries on the cached lake ({@code -Dtpch.sf}, default 1) with late
 * materialization on and off ({@code mallard.parquet.lateMaterialization}), alternating in one
 * JVM: 1 warm-up and {@code -Dlatemat.runs} (default 5) timed runs per side; both sides' answers
 * must be equal. Not a test: prints and writes {@code target/late-materialization.md}, with the load
 * average before and after (the machine is shared).
 */
class LateMaterializationBenchmark {
  private static final double SCALE = Double.parseDouble(System.getProperty("tpch.sf", "1"));
  private static final int RUNS = Integer.getInteger("latemat.runs", 5);

  @Test
  void lateMaterialization() throws Exception {
    Map<String, String> queries = new LinkedHashMap<>();
    for (String name : List.of("q06", "q12", "q14", "q19")) {
      try (InputStream in = LateMaterializationBenchmark.class.getResourceAsStream(name + ".sql")) {
        queries.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    // l_partkey is not sorted: no row group is pruned, about 30 rows of 6 M match
    queries.put("point", "SELECT * FROM lineitem WHERE l_partkey = 123456 ORDER BY l_orderkey, l_linenumber");
    String selected = System.getProperty("latemat.queries", "");
    if (!selected.isBlank()) {
      queries.keySet().retainAll(List.of(selected.split(",")));
    }
    Path catalog = TpchData.ensure(SCALE);
    List<String> report = new ArrayList<>();
    report.add("Load average before: " + Files.readString(Path.of("/proc/loadavg")).trim());
    report.add("");
    report.add("| query | off: wall (s) | CPU (s) | on: wall (s) | CPU (s) | on / off (wall) | on / off (CPU) |"
        + " values skipped per run |");
    report.add("|---|---:|---:|---:|---:|---:|---:|---:|");
    try (Connection c = Mallard.connect("jdbc:ducklake:sqlite:" + catalog)) {
      ScanMetrics metrics = Mallard.scanMetrics(c);
      for (Map.Entry<String, String> q : queries.entrySet()) {
        double[][] off = new double[2][RUNS];
        double[][] on = new double[2][RUNS];
        long skipped = 0;
        for (int i = -1; i < RUNS; i++) {
          List<String> without = run(c, q.getValue(), false, off, i);
          long before = metrics.lateValuesSkipped();
          List<String> with = run(c, q.getValue(), true, on, i);
          skipped = metrics.lateValuesSkipped() - before;
          if (!with.equals(without)) {
            throw new AssertionError(q.getKey() + ": late materialization changed the answer: " + with + " vs "
                + without);
          }
        }
        report.add(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.2f | %.2f | %,d |", q.getKey(),
            median(off[0]), median(off[1]), median(on[0]), median(on[1]), median(on[0]) / median(off[0]),
            median(on[1]) / median(off[1]), skipped));
        System.out.println(report.get(report.size() - 1));
      }
    } finally {
      System.clearProperty("mallard.parquet.lateMaterialization");
    }
    report.add("");
    report.add("Load average after: " + Files.readString(Path.of("/proc/loadavg")).trim());
    report.forEach(System.out::println);
    Path out = Path.of("target", "late-materialization.md");
    Files.createDirectories(out.getParent());
    Files.write(out, report);
  }

  /**
   * Runs the query once; records its wall seconds and the JVM's CPU seconds (all threads: the scan
   * runs on a pool) at run {@code i} (not at the warm-up, -1).
   */
  private static List<String> run(Connection c, String sql, boolean late, double[][] times, int i)
      throws Exception {
    System.setProperty("mallard.parquet.lateMaterialization", String.valueOf(late));
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int k = 1; k <= n; k++) {
          row.append(rs.getObject(k)).append('|');
        }
        rows.add(row.toString());
      }
    }
    if (i >= 0) {
      times[0][i] = (System.nanoTime() - start) / 1e9;
      times[1][i] = (os.getProcessCpuTime() - cpuStart) / 1e9;
    }
    return rows;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
