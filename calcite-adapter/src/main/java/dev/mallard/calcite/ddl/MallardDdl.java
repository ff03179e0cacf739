package dev.mallard.calcite.ddl;

import dev.mallard.calcite.DuckLakeSchema;
import dev.mallard.calcite.LakeContext;
import java.util.List;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;

/** Finds the lake a DDL statement runs against, from the statement's context. */
public final class MallardDdl {
  private MallardDdl() {}

  /** The DDL target of the connection the statement runs on. */
  public static DdlTarget target(CalcitePrepare.Context context) {
    CalciteSchema root = context.getRootSchema();
    List<String> path = context.getDefaultSchemaPath();
    String defaultSchema = path.isEmpty() ? "main" : path.get(path.size() - 1);
    for (CalciteSchema schema : root.subSchemas().getNames(org.apache.calcite.schema.lookup.LikePattern.any())
        .stream().map(n -> root.subSchemas().get(n)).toList()) {
      if (schema != null && schema.schema instanceof DuckLakeSchema lakeSchema) {
        return new LakeDdl(lakeSchema.lake(), defaultSchema, context);
      }
    }
    throw LakeDdl.noLake();
  }

  /** The lake of a connection's root schema, for statements that are not DDL. */
  static LakeContext lakeOf(CalciteSchema root) {
    for (String name : root.subSchemas().getNames(org.apache.calcite.schema.lookup.LikePattern.any())) {
      CalciteSchema schema = root.subSchemas().get(name);
      if (schema != null && schema.schema instanceof DuckLakeSchema lakeSchema) {
        return lakeSchema.lake();
      }
    }
    throw LakeDdl.noLake();
  }
}
