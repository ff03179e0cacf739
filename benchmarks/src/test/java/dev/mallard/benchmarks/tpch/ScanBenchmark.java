package dev.mallard.benchmarks.tpch;

import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.ScanReader;
import dev.mallard.engine.parquet.ParquetDataReader;
import dev.mallard.engine.parquet.ReadColumn;
import dev.mallard.engine.parquet.RowGroupFilter;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanPlanner;
import dev.mallard.engine.scan.ScanRequest;
import dev.mallard.engine.scan.ScanTask;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The engine's scan of TPC-H {@code lineitem} alone, no SQL: (1) decoding TPC-H Q1's 7 columns
 * with parquet-java's value-at-a-time column readers against the page decoder, on one thread;
 * (2) a full scan of all 16 columns through {@link ScanReader}, sequential against read ahead
 * on the scan pool. Uses the cached lake of {@link TpchBenchmark} ({@code -Dtpch.sf}, default 1).
 * Not a test: prints the timings and writes {@code target/scan-sf<SF>.md}.
 */
class ScanBenchmark {
  private static final double SCALE = Double.parseDouble(System.getProperty("tpch.sf", "1"));
  private static final int RUNS = Integer.getInteger("scan.runs", 3);
  /** Only the cases whose description contains this text ({@code -Dscan.only=page decoder}); all by default. */
  private static final String ONLY = System.getProperty("scan.only", "");
  private static final Set<String> Q1_COLUMNS = Set.of("l_quantity", "l_extendedprice", "l_discount", "l_tax",
      "l_returnflag", "l_linestatus", "l_shipdate");

  @Test
  void scan() throws Exception {
    Path catalogFile = TpchData.ensure(SCALE);
    List<String> report = new ArrayList<>();
    report.add(String.format(Locale.ROOT, "lineitem at SF %s; %d processors, max heap %d MB; median of %d runs after"
        + " 1 warm-up; CPU is the calling thread's only (the pool's threads are not counted)", SCALE,
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, RUNS));
    report.add("");
    report.add("| what | rows | wall (s) | CPU of caller (s) |");
    report.add("|---|---:|---:|---:|");
    try (DuckLakeCatalog catalog = DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + catalogFile, Map.of()))) {
      TableInfo lineitem = catalog.view(catalog.currentSnapshot()).table("main", "lineitem").orElseThrow();
      List<ColumnInfo> q1 = lineitem.columns().stream().filter(c -> Q1_COLUMNS.contains(c.name())).toList();
      ScanPlan q1Plan = plan(catalog, lineitem, q1);
      ScanPlan fullPlan = plan(catalog, lineitem, lineitem.columns());

      report.add(time("decode Q1 columns, value by value (parquet-java ColumnReader), 1 thread",
          () -> decode(catalog, q1Plan, false)));
      report.add(time("decode Q1 columns, page decoder, 1 thread", () -> decode(catalog, q1Plan, true)));
      report.add(time("scan all 16 columns, ScanReader, 1 thread",
          () -> scan(new ScanReader(fullPlan, catalog, 1, Long.MAX_VALUE))));
      int threads = Runtime.getRuntime().availableProcessors();
      report.add(time("scan all 16 columns, ScanReader, read ahead on " + threads + " threads",
          () -> scan(new ScanReader(fullPlan, catalog, threads, ScanReader.SPLIT_BYTES))));
      report.add(time("scan Q1 columns, ScanReader, 1 thread",
          () -> scan(new ScanReader(q1Plan, catalog, 1, Long.MAX_VALUE))));
      report.add(time("scan Q1 columns, ScanReader, read ahead on " + threads + " threads",
          () -> scan(new ScanReader(q1Plan, catalog, threads, ScanReader.SPLIT_BYTES))));
    }
    report.forEach(System.out::println);
    Path out = Path.of("target", "scan-sf" + SCALE + ".md");
    Files.createDirectories(out.getParent());
    Files.write(out, report);
  }

  private static ScanPlan plan(DuckLakeCatalog catalog, TableInfo table, List<ColumnInfo> columns) {
    return new ScanPlanner(catalog).plan(new ScanRequest(table, catalog.currentSnapshot(), columns, List.of(), null));
  }

  /** Rows decoded from the plan's files with one path, on this thread. */
  private static long decode(DuckLakeCatalog catalog, ScanPlan plan, boolean pageDecoding) {
    List<ReadColumn> columns = new ArrayList<>();
    for (ColumnInfo c : plan.readColumns()) {
      columns.add(new ReadColumn(Math.toIntExact(c.id()), c.name(), c.type(), null));
    }
    long rows = 0;
    for (ScanTask task : plan.tasks()) {
      String path = ((ScanTask.DataFileTask) task).file().path();
      try (ParquetDataReader reader = ParquetDataReader.open(catalog.fileIO().newInputFile(path), path, columns,
          null, RowGroupFilter.ALL, catalog.allocator(), ScanReader.BATCH_ROWS, pageDecoding)) {
        for (Batch b = reader.next(); b != null; b = reader.next()) {
          rows += b.rowCount();
          b.close();
        }
      }
    }
    return rows;
  }

  private static long scan(ScanReader reader) {
    long rows = 0;
    try (reader) {
      for (Batch b = reader.next(); b != null; b = reader.next()) {
        rows += b.selectedCount();
        b.close();
      }
    }
    return rows;
  }

  private static String time(String what, LongSupplier run) {
    if (!what.contains(ONLY)) {
      return "| " + what + " | not run |";
    }
    long rows = run.getAsLong(); // warm-up
    double[] seconds = new double[RUNS];
    double[] cpu = new double[RUNS];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      long cpuStart = threads.getCurrentThreadCpuTime();
      long n = run.getAsLong();
      seconds[i] = (System.nanoTime() - start) / 1e9;
      cpu[i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
      if (n != rows) {
        throw new AssertionError(what + ": " + n + " rows, then " + rows);
      }
    }
    Arrays.sort(seconds);
    Arrays.sort(cpu);
    String line = String.format(Locale.ROOT, "| %s | %,d | %.3f | %.3f |", what, rows, seconds[RUNS / 2],
        cpu[RUNS / 2]);
    System.out.println(line);
    return line;
  }
}
