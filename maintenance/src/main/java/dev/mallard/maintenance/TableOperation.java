package dev.mallard.maintenance;

import dev.mallard.engine.catalog.DuckLakeCatalog;

/**
 * A maintenance verb that works table by table: all tables by default, or one schema's, or one
 * table.
 */
public abstract class TableOperation<S extends TableOperation<S, R>, R> extends MaintenanceOperation<S, R> {
  protected TableSelection selection = TableSelection.ALL;

  TableOperation(DuckLakeCatalog catalog, String name) {
    super(catalog, name);
  }

  @SuppressWarnings("unchecked")
  public S schema(String schema) {
    this.selection = new TableSelection(schema, selection.table());
    return (S) this;
  }

  @SuppressWarnings("unchecked")
  public S table(String schema, String table) {
    this.selection = new TableSelection(schema, table);
    return (S) this;
  }
}
