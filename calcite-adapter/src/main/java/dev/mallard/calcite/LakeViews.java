package dev.mallard.calcite;

import com.google.common.collect.ImmutableMultimap;
import com.google.common.collect.Multimap;
import dev.mallard.engine.catalog.CatalogView;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.SchemaInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.TableMacro;
import org.apache.calcite.schema.TranslatableTable;

/**
 * The views of one DuckLake schema, as Calcite takes views from a schema: functions without
 * parameters that return a table. Read from {@code ducklake_view} at the snapshot statements see,
 * and kept while the lake's schema version stays the same (creating or dropping a view changes it).
 */
final class LakeViews {
  private final LakeContext lake;
  private final String schema;
  private long loadedVersion = -1;
  private Multimap<String, org.apache.calcite.schema.Function> loaded = ImmutableMultimap.of();

  LakeViews(LakeContext lake, String schema) {
    this.lake = lake;
    this.schema = schema;
  }

  /** The views, by name, with the lake's introspection functions. */
  synchronized Multimap<String, org.apache.calcite.schema.Function> functions() {
    CatalogView view = lake.view();
    if (view.schemaVersion() != loadedVersion) {
      ImmutableMultimap.Builder<String, org.apache.calcite.schema.Function> b = ImmutableMultimap.builder();
      b.putAll(LakeFunctions.FUNCTIONS);
      Optional<SchemaInfo> info = view.schema(schema);
      if (info.isPresent()) {
        for (Named v : load(info.get())) {
          b.put(v.name(), macro(v.table()));
        }
      }
      loaded = b.build();
      loadedVersion = view.schemaVersion();
    }
    return loaded;
  }

  private record Named(String name, LakeView table) {}

  private List<Named> load(SchemaInfo info) {
    MetadataStore metadata = lake.catalog().metadata();
    long snapshot = lake.readSnapshot().id();
    return metadata.inTransaction("reading views", c -> {
      List<Named> out = new ArrayList<>();
      if (!metadata.tableExists(c, "ducklake_view")) {
        return out;
      }
      // Column names quoted by the catalog's dialect: "sql" is reserved in MySQL.
      try (PreparedStatement ps = c.prepareStatement("SELECT " + metadata.column("view_name") + ", "
          + metadata.column("sql") + ", " + metadata.column("column_aliases") + " FROM "
          + metadata.table("ducklake_view") + " WHERE " + metadata.column("schema_id") + " = ? AND "
          + metadata.column("begin_snapshot") + " <= ? AND (" + metadata.column("end_snapshot") + " IS NULL OR "
          + metadata.column("end_snapshot") + " > ?) ORDER BY " + metadata.column("view_id"))) {
        ps.setLong(1, info.id());
        ps.setLong(2, snapshot);
        ps.setLong(3, snapshot);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String name = rs.getString(1);
            out.add(new Named(name, new LakeView(lake, info.name(), name,
                LakeView.withoutCatalogPlaceholder(rs.getString(2)), aliases(rs.getString(3)))));
          }
        }
      }
      return out;
    });
  }

  /** {@code "a","b"} as stored in {@code column_aliases}; empty when there are none. */
  static List<String> aliases(String stored) {
    List<String> out = new ArrayList<>();
    if (stored == null || stored.isBlank()) {
      return out;
    }
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < stored.length(); i++) {
      char ch = stored.charAt(i);
      if (quoted && ch == '"' && i + 1 < stored.length() && stored.charAt(i + 1) == '"') {
        current.append('"');
        i++;
      } else if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        out.add(current.toString().trim());
        current.setLength(0);
      } else {
        current.append(ch);
      }
    }
    out.add(current.toString().trim());
    return out;
  }

  private static TableMacro macro(LakeView view) {
    return new TableMacro() {
      @Override
      public TranslatableTable apply(List<?> arguments) {
        return view;
      }

      @Override
      public List<FunctionParameter> getParameters() {
        return List.of();
      }
    };
  }
}
