package dev.mallard.calcite;

import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaFactory;
import org.apache.calcite.schema.SchemaPlus;

/**
 * Makes a DuckLake available to a Calcite model:
 *
 * <pre>{@code
 * { "name": "lake", "type": "custom", "factory": "dev.mallard.calcite.DuckLakeSchemaFactory",
 *   "cache": false,
 *   "operand": { "url": "sqlite:/data/lake.sqlite", "schema": "main" } }
 * }</pre>
 *
 * <p>{@code url} is a catalog URL (with or without the {@code jdbc:ducklake:} prefix); other operands
 * are the catalog options ({@code data_path}, {@code snapshot}, ...). With {@code schema}, the Calcite
 * schema is that DuckLake schema; without it, the lake's schemas are its sub-schemas. Set
 * {@code "cache": false} so that tables created or changed later are seen. The lake stays open for
 * the life of the process.
 */
public final class DuckLakeSchemaFactory implements SchemaFactory {
  /** Operands Calcite's model handler adds on its own. */
  private static final Set<String> CALCITE_OPERANDS = Set.of("tables", "baseDirectory", "modelUri");

  @Override
  public Schema create(SchemaPlus parentSchema, String name, Map<String, Object> operand) {
    Map<String, String> options = new HashMap<>();
    operand.forEach((k, v) -> {
      if (!k.equals("url") && !k.equals("schema") && !CALCITE_OPERANDS.contains(k)) {
        options.put(k, String.valueOf(v));
      }
    });
    Object url = operand.get("url");
    if (url == null) {
      throw new IllegalArgumentException("DuckLake schema '" + name + "' needs a 'url' operand, e.g. sqlite:/data/lake.sqlite");
    }
    String catalogUrl = url.toString().startsWith("jdbc:ducklake:")
        ? url.toString().substring("jdbc:ducklake:".length()) : url.toString();
    LakeContext lake = new LakeContext(DuckLakeCatalog.open(CatalogConfig.parse(catalogUrl, options)));
    Object schema = operand.get("schema");
    return schema == null ? new DuckLakeCatalogSchema(lake) : new DuckLakeSchema(lake, schema.toString());
  }
}
