package dev.mallard.engine.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The schemas and tables visible at one schema version of the lake. Every snapshot with that
 * schema version sees exactly these (each change to schemas, tables or views bumps the version).
 */
public final class CatalogView {
  private final long schemaVersion;
  private final Map<String, SchemaInfo> schemas = new LinkedHashMap<>();
  private final Map<Long, List<TableInfo>> tablesBySchema = new LinkedHashMap<>();

  CatalogView(long schemaVersion, List<SchemaInfo> schemas, List<TableInfo> tables) {
    this.schemaVersion = schemaVersion;
    for (SchemaInfo s : schemas) {
      this.schemas.put(s.name(), s);
      tablesBySchema.put(s.id(), new ArrayList<>());
    }
    for (TableInfo t : tables) {
      tablesBySchema.get(t.schema().id()).add(t);
    }
  }

  /**
   * This view with a transaction's own changes on top: schemas and tables it created, and minus
   * those it dropped.
   */
  public CatalogView with(List<SchemaInfo> newSchemas, List<TableInfo> newTables, java.util.Set<Long> droppedSchemas,
      java.util.Set<Long> droppedTables) {
    List<SchemaInfo> schemaList = new ArrayList<>();
    for (SchemaInfo s : schemas.values()) {
      if (!droppedSchemas.contains(s.id())) {
        schemaList.add(s);
      }
    }
    schemaList.addAll(newSchemas);
    List<TableInfo> tableList = new ArrayList<>();
    for (List<TableInfo> ts : tablesBySchema.values()) {
      for (TableInfo t : ts) {
        if (!droppedTables.contains(t.id()) && !droppedSchemas.contains(t.schema().id())) {
          tableList.add(t);
        }
      }
    }
    tableList.addAll(newTables);
    return new CatalogView(schemaVersion, schemaList, tableList);
  }

  public long schemaVersion() {
    return schemaVersion;
  }

  public List<SchemaInfo> schemas() {
    return List.copyOf(schemas.values());
  }

  /** The schema with this name: matched exactly first, then ignoring case as DuckDB does. */
  public Optional<SchemaInfo> schema(String name) {
    SchemaInfo exact = schemas.get(name);
    if (exact != null) {
      return Optional.of(exact);
    }
    return schemas.values().stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
  }

  public List<TableInfo> tables(SchemaInfo schema) {
    return List.copyOf(tablesBySchema.getOrDefault(schema.id(), List.of()));
  }

  /** The table with this name in the schema: matched exactly first, then ignoring case. */
  public Optional<TableInfo> table(SchemaInfo schema, String name) {
    List<TableInfo> tables = tablesBySchema.getOrDefault(schema.id(), List.of());
    for (TableInfo t : tables) {
      if (t.name().equals(name)) {
        return Optional.of(t);
      }
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return tables.stream().filter(t -> t.name().toLowerCase(Locale.ROOT).equals(lower)).findFirst();
  }

  public Optional<TableInfo> tableById(long tableId) {
    return tablesBySchema.values().stream().flatMap(List::stream).filter(t -> t.id() == tableId).findFirst();
  }

  public Optional<TableInfo> table(String schemaName, String tableName) {
    return schema(schemaName).flatMap(s -> table(s, tableName));
  }
}
