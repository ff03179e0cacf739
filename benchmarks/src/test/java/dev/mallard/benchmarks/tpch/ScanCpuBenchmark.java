package dev.mallard.benchmarks.tpch;

import dev.mallard.jdbc.Mallard;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The CPU time Mallard alone spends on chosen TPC-H queries: the process's CPU time (all threads,
 * the scan pool's included, and GC and JIT) around each run of execute plus fetching every row. On a
 * machine shared with other work, CPU time moves far less than wall time, so this is the number to
 * compare before and after a change to the read path. Uses the cached lake of {@link TpchBenchmark}.
 *
 * <p>Properties: {@code tpch.sf} (default 0.1), {@code cpu.queries} (default {@code 1,3,6,12,14,19}),
 * {@code cpu.warmup} (untimed runs, default 3), {@code cpu.runs} (timed runs, default 15). Not a test;
 * prints and writes {@code target/scan-cpu-sf<SF>.md}.
 */
class ScanCpuBenchmark {
  private static final double SCALE = Double.parseDouble(System.getProperty("tpch.sf", "0.1"));
  private static final int WARMUP = Integer.getInteger("cpu.warmup", 3);
  private static final int RUNS = Integer.getInteger("cpu.runs", 15);
  private static final String QUERIES = System.getProperty("cpu.queries", "1,3,6,12,14,19");

  @Test
  void cpu() throws Exception {
    Path catalog = TpchData.ensure(SCALE);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<String> report = new ArrayList<>();
    report.add(String.format(Locale.ROOT, "TPC-H SF %s, Mallard only; process CPU seconds per run (all threads),"
        + " mean and median of %d runs after %d warm-up", TpchData.scaleText(SCALE), RUNS, WARMUP));
    report.add("");
    report.add("| query | rows | CPU mean (s) | CPU median (s) | wall median (s) |");
    report.add("|---|---:|---:|---:|---:|");
    try (Connection connection = Mallard.connect("jdbc:ducklake:sqlite:" + catalog)) {
      for (String q : QUERIES.split(",")) {
        String name = String.format(Locale.ROOT, "q%02d", Integer.parseInt(q.trim()));
        String sql;
        try (InputStream in = TpchBenchmark.class.getResourceAsStream(name + ".sql")) {
          sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        long rows = 0;
        for (int i = 0; i < WARMUP; i++) {
          rows = run(connection, sql);
        }
        double[] cpu = new double[RUNS];
        double[] wall = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
          long cpuStart = os.getProcessCpuTime();
          long start = System.nanoTime();
          run(connection, sql);
          wall[i] = (System.nanoTime() - start) / 1e9;
          cpu[i] = (os.getProcessCpuTime() - cpuStart) / 1e9;
        }
        double mean = Arrays.stream(cpu).sum() / RUNS; // the clock ticks in 10 ms: the mean is the finer number
        Arrays.sort(cpu);
        Arrays.sort(wall);
        String line = String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f |", name.toUpperCase(Locale.ROOT),
            rows, mean, cpu[RUNS / 2], wall[RUNS / 2]);
        System.out.println(line);
        report.add(line);
      }
    }
    Path out = Path.of("target", "scan-cpu-sf" + TpchData.scaleText(SCALE) + ".md");
    Files.createDirectories(out.getParent());
    Files.write(out, report);
  }

  private static long run(Connection connection, String sql) throws Exception {
    long rows = 0;
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          rs.getObject(i);
        }
        rows++;
      }
    }
    return rows;
  }
}
