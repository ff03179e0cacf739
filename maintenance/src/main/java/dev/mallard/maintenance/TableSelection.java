package dev.mallard.maintenance;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.CatalogView;
import dev.mallard.engine.catalog.SchemaInfo;
import dev.mallard.engine.catalog.TableInfo;
import java.util.ArrayList;
import java.util.List;

/** Which tables an operation works on: one table, one schema's tables, or all. */
record TableSelection(String schema, String table) {
  static final TableSelection ALL = new TableSelection(null, null);

  List<TableInfo> resolve(CatalogView view) {
    List<TableInfo> out = new ArrayList<>();
    if (table != null) {
      String s = schema == null ? "main" : schema;
      out.add(view.table(s, table).orElseThrow(() -> new UserException("Table \"" + s + "\".\"" + table
          + "\" does not exist")));
      return out;
    }
    for (SchemaInfo s : view.schemas()) {
      if (schema == null || s.name().equals(schema)) {
        out.addAll(view.tables(s));
      }
    }
    if (schema != null && view.schema(schema).isEmpty()) {
      throw new UserException("Schema \"" + schema + "\" does not exist");
    }
    return out;
  }
}
