package dev.mallard.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.ScanReader;
import dev.mallard.engine.exec.NestedText;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanPlanner;
import dev.mallard.engine.scan.ScanRequest;
import dev.mallard.engine.types.Values;
import dev.mallard.testing.DuckDb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.arrow.vector.BigIntVector;

/**
 * A lake with a SQLite catalog that both DuckDB (the oracle) and Mallard open, and the rows of
 * every table at every snapshot as each of them reads them: {@code rowid|col1|col2...} lines sorted
 * by rowid, so row identity is compared too.
 */
final class Lake {
  final DuckDb duckdb;
  final Path dir;
  final Path catalogFile;
  final Path data;

  Lake(DuckDb duckdb, Path dir) {
    this.duckdb = duckdb;
    this.dir = dir;
    this.catalogFile = dir.resolve("lake.sqlite");
    this.data = dir.resolve("data");
    try {
      java.nio.file.Files.createDirectories(data);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Runs statements in DuckDB on the attached lake (inlining off unless asked), then detaches. */
  void duck(int inliningLimit, String... statements) {
    attach(inliningLimit);
    try {
      for (String s : statements) {
        duckdb.execute(s);
      }
    } finally {
      detach();
    }
  }

  void duck(String... statements) {
    duck(0, statements);
  }

  DuckDb.Result duckQuery(String sql) {
    attach(0);
    try {
      return duckdb.query(sql);
    } finally {
      detach();
    }
  }

  private void attach(int inliningLimit) {
    duckdb.execute("ATTACH 'ducklake:sqlite:" + catalogFile + "' AS lake (DATA_PATH '" + data + "/',"
        + " DATA_INLINING_ROW_LIMIT " + inliningLimit + ")");
    duckdb.execute("USE lake");
  }

  private void detach() {
    duckdb.execute("USE memory");
    duckdb.execute("DETACH lake");
  }

  DuckLakeCatalog open() {
    return DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + catalogFile + "?data_path=" + data, Map.of()));
  }

  /** Snapshot id -> table -> rows, as DuckDB reads them. Tables absent at a snapshot are left out. */
  Map<Long, Map<String, List<String>>> duckRows(List<String> tables) {
    return duckRows(tables, id -> true);
  }

  Map<Long, Map<String, List<String>>> duckRows(List<String> tables, java.util.function.LongPredicate snapshots) {
    attach(0);
    try {
      Map<Long, Map<String, List<String>>> out = new TreeMap<>();
      for (List<Object> s : duckdb.query("SELECT snapshot_id FROM lake.snapshots() ORDER BY 1").rows()) {
        long id = ((Number) s.get(0)).longValue();
        if (!snapshots.test(id)) {
          continue;
        }
        Map<String, List<String>> perTable = new TreeMap<>();
        for (String table : tables) {
          DuckDb.Result r;
          try {
            r = duckdb.query("SELECT rowid, * FROM lake.main." + table + " AT (VERSION => " + id + ") ORDER BY rowid");
          } catch (DuckDb.DuckDbException e) {
            continue; // the table does not exist at this snapshot
          }
          List<String> rows = new ArrayList<>();
          for (List<Object> row : r.rows()) {
            List<String> cells = new ArrayList<>();
            row.forEach(v -> cells.add(String.valueOf(v)));
            rows.add(String.join("|", cells));
          }
          perTable.put(table, rows);
        }
        out.put(id, perTable);
      }
      return out;
    } finally {
      detach();
    }
  }

  /** The same, as Mallard reads them. */
  Map<Long, Map<String, List<String>>> mallardRows(List<String> tables) {
    return mallardRows(tables, id -> true);
  }

  Map<Long, Map<String, List<String>>> mallardRows(List<String> tables, java.util.function.LongPredicate snapshots) {
    try (DuckLakeCatalog catalog = open()) {
      Map<Long, Map<String, List<String>>> out = new TreeMap<>();
      for (Snapshot s : catalog.metadata().snapshots()) {
        if (!snapshots.test(s.id())) {
          continue;
        }
        Map<String, List<String>> perTable = new TreeMap<>();
        for (String table : tables) {
          Optional<TableInfo> info = catalog.view(s).table("main", table);
          info.ifPresent(t -> perTable.put(table, rows(catalog, s, t)));
        }
        out.put(s.id(), perTable);
      }
      return out;
    }
  }

  static List<String> rows(DuckLakeCatalog catalog, Snapshot s, TableInfo t) {
    ScanPlan plan = new ScanPlanner(catalog).plan(new ScanRequest(t, s, t.columns(), List.of(), null, true));
    TreeMap<Long, String> byRowId = new TreeMap<>();
    try (ScanReader reader = new ScanReader(plan, catalog)) {
      for (Batch next = reader.next(); next != null; next = reader.next()) {
        try (Batch b = next) {
          BigIntVector rowIds = (BigIntVector) b.vector(plan.addressColumns() + 2);
          for (int i = 0; i < b.selectedCount(); i++) {
            int row = b.selectedRow(i);
            List<String> cells = new ArrayList<>();
            long rowId = rowIds.get(row);
            cells.add(Long.toString(rowId));
            for (int c = 0; c < t.columns().size(); c++) {
              ColumnInfo col = t.columns().get(c);
              Object v = VectorValues.get(b.vector(c), row, col);
              cells.add(v == null ? "null" : col.type().kind().isNested() ? NestedText.format(col, v)
                  : Values.format(col.type(), v));
            }
            String previous = byRowId.put(rowId, String.join("|", cells));
            assertThat(previous).as("row id %s appears twice in %s at snapshot %s", rowId, t.name(), s.id()).isNull();
          }
        }
      }
    }
    return new ArrayList<>(byRowId.values());
  }

  /**
   * Asserts that every snapshot still in the catalog returns, through DuckDB and through Mallard,
   * exactly the rows it returned in {@code before}; returns the snapshots compared.
   */
  List<Long> assertSnapshotsUnchanged(Map<Long, Map<String, List<String>>> before, List<String> tables) {
    return assertSnapshotsUnchanged(before, tables, id -> true);
  }

  List<Long> assertSnapshotsUnchanged(Map<Long, Map<String, List<String>>> before, List<String> tables,
      java.util.function.LongPredicate snapshots) {
    Map<Long, Map<String, List<String>>> duck = duckRows(tables, snapshots);
    Map<Long, Map<String, List<String>>> mallard = mallardRows(tables, snapshots);
    assertThat(mallard.keySet()).isEqualTo(duck.keySet());
    assertThat(before.keySet()).containsAll(duck.keySet().stream().filter(before::containsKey).toList());
    List<Long> compared = new ArrayList<>();
    for (Long id : duck.keySet()) {
      if (!before.containsKey(id)) {
        continue; // a snapshot the operation committed: checked by the caller
      }
      assertThat(duck.get(id)).as("DuckDB at snapshot %s", id).isEqualTo(before.get(id));
      assertThat(mallard.get(id)).as("Mallard at snapshot %s", id).isEqualTo(before.get(id));
      compared.add(id);
    }
    return compared;
  }
}
