package dev.mallard.benchmarks.tpch;

import dev.mallard.testing.DuckDb;
import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A TPC-H lake: {@code io.trino.tpch} generates the {@code .tbl} text of each table, DuckDB 1.5.5
 * loads it into a DuckLake with a SQLite catalog (so DuckDB, Mallard and Spark read the same Parquet
 * files). Cached per scale factor under {@code <cache>/tpch/sf<SF>}: a folder with the marker file
 * {@code complete} is reused as is; any other is generated anew.
 *
 * <p>Types as in the project's performance anchors: keys BIGINT; the integer columns INTEGER;
 * money, quantity, discount and tax DECIMAL(15,2); dates DATE; text VARCHAR.
 */
final class TpchData {
  private static final String MARKER = "complete";

  private TpchData() {}

  /** The folder of the lake at {@code scaleFactor}. */
  static Path folder(double scaleFactor) {
    return DuckDbTimer.cacheRoot().resolve("tpch").resolve("sf" + scaleText(scaleFactor));
  }

  /** The SQLite catalog of the lake at {@code scaleFactor}, generating the lake first if needed. */
  static Path ensure(double scaleFactor) throws IOException {
    Path dir = folder(scaleFactor);
    Path catalog = dir.resolve("lake.sqlite");
    if (Files.exists(dir.resolve(MARKER))) {
      return catalog;
    }
    deleteTree(dir);
    Files.createDirectories(dir);
    Path tbl = Files.createDirectories(dir.resolve("tbl"));
    long start = System.nanoTime();
    for (TpchTable<?> table : TpchTable.getTables()) {
      write(table, scaleFactor, tbl.resolve(table.getTableName() + ".tbl"));
    }
    long generated = System.nanoTime();
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      // No data inlining: region's 5 rows too go to a Parquet file, which Spark reads.
      duckdb.execute("ATTACH 'ducklake:sqlite:" + catalog + "' AS tpch (DATA_PATH '" + dir.resolve("data")
          + "/', DATA_INLINING_ROW_LIMIT 0)");
      duckdb.execute("USE tpch");
      for (TpchTable<?> table : TpchTable.getTables()) {
        load(duckdb, table, tbl.resolve(table.getTableName() + ".tbl"));
      }
      duckdb.execute("USE memory");
      duckdb.execute("DETACH tpch");
    }
    deleteTree(tbl);
    Files.writeString(dir.resolve(MARKER), String.format(Locale.ROOT,
        "TPC-H scale factor %s: generated in %.1f s, loaded by DuckDB in %.1f s%n", scaleText(scaleFactor),
        (generated - start) / 1e9, (System.nanoTime() - generated) / 1e9));
    return catalog;
  }

  /** The folder of one table's Parquet files (DuckLake's layout: data path, schema, table). */
  static Path tableFiles(double scaleFactor, String table) {
    return folder(scaleFactor).resolve("data").resolve("main").resolve(table);
  }

  static List<String> tableNames() {
    List<String> names = new ArrayList<>();
    for (TpchTable<?> table : TpchTable.getTables()) {
      names.add(table.getTableName());
    }
    return names;
  }

  static String scaleText(double scaleFactor) {
    return scaleFactor == Math.rint(scaleFactor) ? Long.toString((long) scaleFactor) : Double.toString(scaleFactor);
  }

  private static <E extends TpchEntity> void write(TpchTable<E> table, double scaleFactor, Path file)
      throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (E row : table.createGenerator(scaleFactor, 1, 1)) {
        out.write(row.toLine()); // '|'-separated, ending in '|'
        out.newLine();
      }
    }
  }

  private static <E extends TpchEntity> void load(DuckDb duckdb, TpchTable<E> table, Path file) {
    StringBuilder ddl = new StringBuilder("CREATE TABLE " + table.getTableName() + " (");
    StringBuilder csvColumns = new StringBuilder("{");
    StringBuilder names = new StringBuilder();
    for (TpchColumn<E> column : table.getColumns()) {
      String type = switch (column.getType().getBase()) {
        case IDENTIFIER -> "BIGINT";
        case INTEGER -> "INTEGER";
        case DATE -> "DATE";
        case DOUBLE -> "DECIMAL(15,2)";
        case VARCHAR -> "VARCHAR";
      };
      String sep = names.length() == 0 ? "" : ", ";
      ddl.append(sep).append(column.getColumnName()).append(' ').append(type);
      csvColumns.append(sep).append('\'').append(column.getColumnName()).append("': '").append(type).append('\'');
      names.append(sep).append(column.getColumnName());
    }
    ddl.append(')');
    // Each line ends in '|': the last, empty field is read as a dummy column and not inserted.
    csvColumns.append(", 'trailing_empty': 'VARCHAR'}");
    duckdb.execute(ddl.toString());
    duckdb.execute("INSERT INTO " + table.getTableName() + " SELECT " + names + " FROM read_csv('" + file
        + "', delim = '|', header = false, quote = '', escape = '', dateformat = '%Y-%m-%d', columns = "
        + csvColumns + ")");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
