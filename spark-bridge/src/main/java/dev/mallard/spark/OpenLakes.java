package dev.mallard.spark;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.scan.ScanPlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lakes open in this JVM, one per {@link LakeRef}, shared by every query and task (the
 * driver's and, on executors, every task thread's) and closed when the JVM exits. Spark gives
 * plugins and tasks no close hook of their own, and opening a lake per task would open a catalog
 * connection pool per file read; this class is the bridge's only static state.
 */
final class OpenLakes {
  private static final Logger LOG = LoggerFactory.getLogger(OpenLakes.class);
  private static final Map<LakeRef, OpenLake> OPEN = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(OpenLakes::closeAll, "mallard-close-lakes"));
  }

  /** An open lake and its planner, which keeps what it learns about inlined tables. */
  record OpenLake(DuckLakeCatalog catalog, ScanPlanner planner) {}

  private OpenLakes() {}

  /** The open lake for {@code ref}, opened on first use. A lake that fails to open is not kept. */
  static OpenLake get(LakeRef ref) {
    return OPEN.computeIfAbsent(ref, r -> {
      registerSqliteDriver();
      DuckLakeCatalog catalog = DuckLakeCatalog.open(r.config());
      return new OpenLake(catalog, new ScanPlanner(catalog));
    });
  }

  /**
   * With {@code --jars}, the SQLite driver is in Spark's user class loader, where
   * {@code DriverManager}'s own service lookup may not look (it runs once, perhaps before the jar
   * was added). Loading the class registers it, as Spark's JDBC source does for its drivers.
   */
  private static void registerSqliteDriver() {
    try {
      Class.forName("org.sqlite.JDBC", true, OpenLakes.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      LOG.debug("No SQLite driver on the class path", e);
    }
  }

  private static void closeAll() {
    List<LakeRef> refs = new ArrayList<>(OPEN.keySet());
    for (LakeRef ref : refs) {
      OpenLake lake = OPEN.remove(ref);
      try {
        lake.catalog().close();
      } catch (RuntimeException e) {
        // At exit a task may still hold batches (the allocator checks on close); nothing is lost.
        LOG.warn("Closing lake {} at exit: {}", ref, e.toString());
      }
    }
  }
}
