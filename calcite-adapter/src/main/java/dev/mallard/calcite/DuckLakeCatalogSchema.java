package dev.mallard.calcite;

import dev.mallard.engine.catalog.CatalogView;
import dev.mallard.engine.catalog.SchemaInfo;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

/** A whole lake as one Calcite schema whose sub-schemas are the lake's schemas ({@code lake.main.t}). */
public final class DuckLakeCatalogSchema extends AbstractSchema {
  private final LakeContext lake;

  public DuckLakeCatalogSchema(LakeContext lake) {
    this.lake = lake;
  }

  public LakeContext lake() {
    return lake;
  }

  @Override
  public Lookup<? extends Schema> subSchemas() {
    return new Lookup<Schema>() {
      @Override
      public Schema get(String name) {
        return view().schema(name).filter(s -> s.name().equals(name))
            .map(s -> (Schema) new DuckLakeSchema(lake, s.name())).orElse(null);
      }

      @Override
      public Named<Schema> getIgnoreCase(String name) {
        return view().schema(name).map(s -> new Named<Schema>(s.name(), new DuckLakeSchema(lake, s.name())))
            .orElse(null);
      }

      @Override
      public Set<String> getNames(LikePattern pattern) {
        Set<String> names = new LinkedHashSet<>();
        for (SchemaInfo s : view().schemas()) {
          if (pattern.matcher().apply(s.name())) {
            names.add(s.name());
          }
        }
        return names;
      }
    };
  }

  /** DuckLake's introspection functions ({@code ducklake_snapshots(...)} etc.): see {@link LakeFunctions}. */
  @Override
  protected com.google.common.collect.Multimap<String, org.apache.calcite.schema.Function> getFunctionMultimap() {
    return LakeFunctions.FUNCTIONS;
  }

  private CatalogView view() {
    return lake.view();
  }
}
