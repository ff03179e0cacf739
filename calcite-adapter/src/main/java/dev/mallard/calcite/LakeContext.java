package dev.mallard.calcite;

import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.scan.ScanPlanner;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.calcite.DataContext;

/**
 * One open lake as Calcite's schemas and tables see it: the catalog, its scan planner, and the
 * snapshot each running statement reads. A statement resolves the snapshot once, at its first scan,
 * so every table in it sees the same state of the lake and a re-executed statement sees new data.
 */
public final class LakeContext implements AutoCloseable {
  private final DuckLakeCatalog catalog;
  private final ScanPlanner planner;
  /** Keyed by the statement's DataContext; entries go when the statement's context is collected. */
  private final Map<DataContext, Snapshot> statementSnapshots = Collections.synchronizedMap(new WeakHashMap<>());

  public LakeContext(DuckLakeCatalog catalog) {
    this.catalog = catalog;
    this.planner = new ScanPlanner(catalog);
  }

  public DuckLakeCatalog catalog() {
    return catalog;
  }

  ScanPlanner planner() {
    return planner;
  }

  /** The snapshot the running statement reads. */
  Snapshot snapshotFor(DataContext statement) {
    return statementSnapshots.computeIfAbsent(statement, s -> catalog.currentSnapshot());
  }

  @Override
  public void close() {
    catalog.close();
  }
}
