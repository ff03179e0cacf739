package dev.mallard.spark;

import dev.mallard.engine.MallardException;
import dev.mallard.engine.catalog.CatalogView;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.SchemaInfo;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.txn.NewColumn;
import dev.mallard.engine.txn.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;
import org.apache.spark.sql.connector.catalog.Column;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.NamespaceChange;
import org.apache.spark.sql.connector.catalog.SupportsNamespaces;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.TableChange;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * A lake as a Spark catalog: its schemas are namespaces, its tables are tables.
 *
 * <pre>
 * spark.sql.catalog.lake=dev.mallard.spark.DuckLakeSparkCatalog
 * spark.sql.catalog.lake.url=jdbc:ducklake:sqlite:/data/lake.sqlite
 * </pre>
 *
 * Each statement sees the latest snapshot (or the one pinned with the {@code snapshot} or
 * {@code snapshot_time} option); {@code VERSION AS OF <snapshot id>} and {@code TIMESTAMP AS OF}
 * read older ones. Names match exactly first, then ignoring case, as in DuckDB. CREATE / DROP
 * TABLE and NAMESPACE each commit one engine transaction; ALTER and RENAME are not supported yet.
 */
public final class DuckLakeSparkCatalog implements TableCatalog, SupportsNamespaces {
  private String name;
  private LakeRef lake;

  @Override
  public void initialize(String name, CaseInsensitiveStringMap options) {
    this.name = name;
    this.lake = LakeRef.fromOptions(options.asCaseSensitiveMap());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String[] defaultNamespace() {
    return new String[] {TableNames.DEFAULT_SCHEMA};
  }

  private DuckLakeCatalog catalog() {
    return OpenLakes.get(lake).catalog();
  }

  // ---- namespaces: the lake's schemas, one level deep

  @Override
  public String[][] listNamespaces() {
    DuckLakeCatalog catalog = catalog();
    return catalog.view(catalog.currentSnapshot()).schemas().stream().map(s -> new String[] {s.name()})
        .toArray(String[][]::new);
  }

  @Override
  public String[][] listNamespaces(String[] namespace) throws NoSuchNamespaceException {
    schema(namespace);
    return new String[0][];
  }

  @Override
  public boolean namespaceExists(String[] namespace) {
    return namespace.length == 1 && view().schema(namespace[0]).isPresent();
  }

  @Override
  public Map<String, String> loadNamespaceMetadata(String[] namespace) throws NoSuchNamespaceException {
    SchemaInfo schema = schema(namespace);
    return Map.of(SupportsNamespaces.PROP_LOCATION, schema.path());
  }

  @Override
  public void createNamespace(String[] namespace, Map<String, String> metadata) {
    if (namespace.length != 1) {
      throw new MallardException.UserException("A DuckLake schema is one name, not " + String.join(".", namespace));
    }
    inTransaction(txn -> txn.createSchema(namespace[0], false));
  }

  @Override
  public void alterNamespace(String[] namespace, NamespaceChange... changes) {
    throw Unsupported.writes("ALTER NAMESPACE " + String.join(".", namespace));
  }

  @Override
  public boolean dropNamespace(String[] namespace, boolean cascade) throws NoSuchNamespaceException {
    schema(namespace);
    inTransaction(txn -> {
      txn.dropSchema(namespace[0], false, cascade);
      return null;
    });
    return true;
  }

  /** Runs DDL in one engine transaction and commits it (retrying if another writer commits first). */
  private <T> T inTransaction(java.util.function.Function<Transaction, T> work) {
    Transaction txn = new Transaction(catalog());
    try {
      T result = work.apply(txn);
      txn.commit();
      return result;
    } catch (RuntimeException e) {
      txn.rollback();
      throw e;
    }
  }

  private CatalogView view() {
    DuckLakeCatalog catalog = catalog();
    return catalog.view(catalog.currentSnapshot());
  }

  private SchemaInfo schema(String[] namespace) throws NoSuchNamespaceException {
    Optional<SchemaInfo> schema = namespace.length == 1 ? view().schema(namespace[0]) : Optional.empty();
    return schema.orElseThrow(() -> new NoSuchNamespaceException(namespace));
  }

  // ---- tables

  @Override
  public Identifier[] listTables(String[] namespace) throws NoSuchNamespaceException {
    CatalogView view = view();
    SchemaInfo schema = schema(namespace);
    return view.tables(schema).stream().map(t -> Identifier.of(new String[] {schema.name()}, t.name()))
        .toArray(Identifier[]::new);
  }

  @Override
  public Table loadTable(Identifier ident) throws NoSuchTableException {
    return load(ident, catalog().currentSnapshot());
  }

  /** {@code VERSION AS OF n}: n is a DuckLake snapshot id. */
  @Override
  public Table loadTable(Identifier ident, String version) throws NoSuchTableException {
    long id;
    try {
      id = Long.parseLong(version.trim());
    } catch (NumberFormatException e) {
      throw new MallardException.UserException("VERSION AS OF takes a DuckLake snapshot id (a whole number), not '"
          + version + "'");
    }
    return load(ident, catalog().snapshot(id));
  }

  /** {@code TIMESTAMP AS OF t}: the newest snapshot taken at or before t (microseconds since the epoch). */
  @Override
  public Table loadTable(Identifier ident, long timestamp) throws NoSuchTableException {
    Instant time = Instant.ofEpochSecond(Math.floorDiv(timestamp, 1_000_000L),
        Math.floorMod(timestamp, 1_000_000L) * 1_000L);
    return load(ident, catalog().snapshotAt(time));
  }

  private Table load(Identifier ident, Snapshot snapshot) throws NoSuchTableException {
    if (ident.namespace().length != 1) {
      throw new NoSuchTableException(ident);
    }
    TableInfo table = catalog().view(snapshot).table(ident.namespace()[0], ident.name())
        .orElseThrow(() -> new NoSuchTableException(ident));
    return new DuckLakeSparkTable(lake, table, snapshot, name + "." + table.qualifiedName());
  }

  /**
   * CREATE TABLE and the first half of CTAS: columns of the Spark types {@link SparkValues#newColumn}
   * maps. Partitioning, locations and table properties are not supported yet and are refused, so
   * that nothing the user asked for is silently dropped.
   */
  @Override
  public Table createTable(Identifier ident, Column[] columns, Transform[] partitions, Map<String, String> properties)
      throws TableAlreadyExistsException, NoSuchNamespaceException {
    if (partitions.length > 0) {
      throw new MallardException.UnsupportedFeatureException("Creating partitioned DuckLake tables from Spark is not"
          + " supported yet; create the table in DuckDB (ALTER TABLE ... SET PARTITIONED BY) and append from Spark");
    }
    for (String key : properties.keySet()) {
      if (!IGNORED_PROPERTIES.contains(key)) {
        throw new MallardException.UnsupportedFeatureException("Table property '" + key + "' is not supported by"
            + " DuckLake tables created from Spark");
      }
    }
    schema(ident.namespace());
    if (tableExists(ident)) {
      throw new TableAlreadyExistsException(ident);
    }
    List<NewColumn> newColumns = new ArrayList<>();
    for (Column c : columns) {
      if (c.defaultValue() != null || c.generationExpression() != null) {
        throw new MallardException.UnsupportedFeatureException("Column " + c.name() + ": defaults and generated"
            + " columns are not supported for DuckLake tables created from Spark");
      }
      newColumns.add(SparkValues.newColumn(c.name(), c.dataType(), c.nullable()));
    }
    inTransaction(txn -> txn.createTable(ident.namespace()[0], ident.name(), newColumns, false));
    try {
      return loadTable(ident);
    } catch (NoSuchTableException e) {
      throw new IllegalStateException("Table " + ident + " vanished right after it was created", e);
    }
  }

  /** What Spark adds to every CREATE TABLE on its own; none of it changes a DuckLake table. */
  private static final java.util.Set<String> IGNORED_PROPERTIES = java.util.Set.of(
      TableCatalog.PROP_PROVIDER, TableCatalog.PROP_OWNER, TableCatalog.PROP_IS_MANAGED_LOCATION,
      TableCatalog.PROP_EXTERNAL);

  @Override
  public boolean dropTable(Identifier ident) {
    if (ident.namespace().length != 1 || !tableExists(ident)) {
      return false;
    }
    inTransaction(txn -> {
      txn.dropTable(ident.namespace()[0], ident.name(), false);
      return null;
    });
    return true;
  }

  @Override
  public Table alterTable(Identifier ident, TableChange... changes) {
    throw Unsupported.writes("ALTER TABLE " + ident);
  }

  @Override
  public void renameTable(Identifier oldIdent, Identifier newIdent) {
    throw Unsupported.writes("RENAME TABLE " + oldIdent);
  }
}
