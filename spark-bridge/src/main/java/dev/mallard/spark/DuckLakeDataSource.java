package dev.mallard.spark;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * {@code spark.read.format("ducklake").option("url", "jdbc:ducklake:sqlite:/data/lake.sqlite")
 * .option("table", "main.events").load()}, or {@code .load("main.events")}. Other options are the
 * engine's catalog options ({@code snapshot}, {@code snapshot_time}, {@code data_path}); an unknown
 * one is an error, so that a typo does not pass silently.
 */
public final class DuckLakeDataSource implements TableProvider, DataSourceRegister {
  /** Options of this source besides the engine's catalog options; {@code path} is what load(path) sets. */
  private static final Set<String> OWN_OPTIONS = Set.of("url", "table", "path");

  @Override
  public String shortName() {
    return "ducklake";
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return load(options).schema();
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return load(properties);
  }

  private static DuckLakeSparkTable load(Map<String, String> options) {
    for (String key : options.keySet()) {
      String k = key.toLowerCase(Locale.ROOT);
      if (!OWN_OPTIONS.contains(k) && !CatalogConfig.OPTIONS.contains(k)) {
        throw new UserException("Unknown option '" + key + "' of the ducklake source. Known options: url, table, "
            + String.join(", ", CatalogConfig.OPTIONS.stream().sorted().toList()));
      }
    }
    String name = option(options, "table");
    if (name == null) {
      name = option(options, "path");
    }
    if (name == null) {
      throw new UserException("Give the table to read with .option(\"table\", \"schema.table\") or .load(\"schema.table\")");
    }
    LakeRef lake = LakeRef.fromOptions(options);
    DuckLakeCatalog catalog = OpenLakes.get(lake).catalog();
    Snapshot snapshot = catalog.currentSnapshot();
    String[] parts = TableNames.parse(name);
    TableInfo table = catalog.view(snapshot).table(parts[0], parts[1]).orElseThrow(() -> new UserException(
        "Table " + parts[0] + "." + parts[1] + " does not exist in " + lake + " at snapshot " + snapshot.id()));
    return new DuckLakeSparkTable(lake, table, snapshot, table.qualifiedName());
  }

  private static String option(Map<String, String> options, String key) {
    return options.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key)).map(Map.Entry::getValue)
        .findFirst().orElse(null);
  }
}
