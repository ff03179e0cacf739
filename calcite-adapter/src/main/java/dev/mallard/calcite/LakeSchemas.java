package dev.mallard.calcite;

import dev.mallard.engine.catalog.SchemaInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.schema.lookup.LikePattern;

/**
 * A connection whose root schema holds the lake's schemas side by side (as jdbc:ducklake: sets it
 * up, so that JDBC metadata lists them) must follow CREATE SCHEMA and DROP SCHEMA, its own and
 * other writers': Calcite's root schema does not look its sub-schemas up again by itself. Refreshed
 * before each statement is prepared (by the JDBC driver) and after each DDL statement.
 */
public final class LakeSchemas {
  private LakeSchemas() {}

  /** Adds the lake's new schemas to {@code root} and removes those the lake no longer has. */
  public static void refresh(CalciteSchema root) {
    Map<String, DuckLakeSchema> present = new LinkedHashMap<>();
    for (String name : root.subSchemas().getNames(LikePattern.any())) {
      CalciteSchema sub = root.subSchemas().get(name);
      if (sub != null && sub.schema instanceof DuckLakeSchema lakeSchema) {
        present.put(name, lakeSchema);
      }
    }
    if (present.isEmpty()) {
      return; // not a root of lake schemas (e.g. a model with a DuckLakeCatalogSchema, which looks up by itself)
    }
    LakeContext lake = present.values().iterator().next().lake();
    Set<String> names = lake.view().schemas().stream().map(SchemaInfo::name).collect(Collectors.toSet());
    for (String name : names) {
      if (!present.containsKey(name)) {
        root.add(name, new DuckLakeSchema(lake, name)).setCache(false);
      }
    }
    for (String name : present.keySet()) {
      if (!names.contains(name)) {
        root.removeSubSchema(name);
      }
    }
  }
}
