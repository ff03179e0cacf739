package dev.mallard.calcite;

import dev.mallard.engine.catalog.CatalogView;
import dev.mallard.engine.catalog.SchemaInfo;
import dev.mallard.engine.catalog.TableInfo;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

/**
 * One DuckLake schema as a Calcite schema. Its tables are looked up in the lake's current state at
 * every lookup (register it with caching off), so tables created or changed by other writers show up.
 */
public final class DuckLakeSchema extends AbstractSchema {
  private final LakeContext lake;
  private final String name;

  private final LakeViews views;

  public DuckLakeSchema(LakeContext lake, String name) {
    this.lake = lake;
    this.name = name;
    this.views = new LakeViews(lake, name);
  }

  /** The lake this schema belongs to. */
  public LakeContext lake() {
    return lake;
  }

  @Override
  public Lookup<Table> tables() {
    return new Lookup<>() {
      @Override
      public Table get(String tableName) {
        return find(tableName, true).orElse(null);
      }

      @Override
      public Named<Table> getIgnoreCase(String tableName) {
        return find(tableName, false).map(t -> new Named<Table>(t.info().name(), t)).orElse(null);
      }

      @Override
      public Set<String> getNames(LikePattern pattern) {
        Set<String> names = new LinkedHashSet<>();
        CatalogView view = view();
        view.schema(name).ifPresent(s -> view.tables(s).stream().map(TableInfo::name)
            .filter(n -> pattern.matcher().apply(n)).forEach(names::add));
        return names;
      }
    };
  }

  /**
   * The schema's views (Calcite takes views as functions without parameters, see {@link LakeViews}) and
   * DuckLake's introspection functions ({@code ducklake_snapshots(...)} etc., see {@link LakeFunctions}).
   */
  @Override
  protected com.google.common.collect.Multimap<String, org.apache.calcite.schema.Function> getFunctionMultimap() {
    return views.functions();
  }

  private Optional<DuckLakeTable> find(String tableName, boolean caseSensitive) {
    CatalogView view = view();
    Optional<SchemaInfo> schema = view.schema(name);
    return schema.flatMap(s -> view.table(s, tableName))
        .filter(t -> !caseSensitive || t.name().equals(tableName))
        .map(t -> new DuckLakeTable(lake, t, view.schemaVersion()));
  }

  private CatalogView view() {
    return lake.view();
  }
}
