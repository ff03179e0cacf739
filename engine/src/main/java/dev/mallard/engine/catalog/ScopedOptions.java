package dev.mallard.engine.catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The lake's options as {@code ducklake_set_option} stores them in {@code ducklake_metadata}:
 * lake-wide (no scope), per schema ({@code scope = 'schema'}, {@code scope_id} the schema id) and
 * per table ({@code scope = 'table'}, {@code scope_id} the table id). For a table, the table's value
 * wins over its schema's, which wins over the lake's, as the reference's
 * {@code TryGetConfigOption(option, schema_id, table_id)} resolves them. Read once; a snapshot of
 * the options at that moment.
 */
public final class ScopedOptions {
  private final Map<String, String> global = new HashMap<>();
  private final Map<Long, Map<String, String>> bySchema = new HashMap<>();
  private final Map<Long, Map<String, String>> byTable = new HashMap<>();

  private ScopedOptions() {}

  /** Reads every option row of the catalog. */
  public static ScopedOptions read(MetadataStore metadata) {
    ScopedOptions out = new ScopedOptions();
    metadata.inTransaction("reading the lake's options", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + metadata.column("key") + ", "
          + metadata.column("value") + ", scope, scope_id FROM " + metadata.table("ducklake_metadata"));
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1);
          String value = rs.getString(2);
          String scope = rs.getString(3);
          long scopeId = rs.getLong(4);
          if (value == null || value.isBlank()) {
            continue; // an unset option (DuckDB stores none; other writers might)
          }
          if (scope == null || scope.isEmpty()) {
            out.global.put(key, value);
          } else if (scope.equalsIgnoreCase("table")) {
            out.byTable.computeIfAbsent(scopeId, k -> new HashMap<>()).put(key, value);
          } else if (scope.equalsIgnoreCase("schema")) {
            out.bySchema.computeIfAbsent(scopeId, k -> new HashMap<>()).put(key, value);
          }
        }
      }
      return null;
    });
    return out;
  }

  /** A lake-wide option. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(global.get(key));
  }

  /** An option as it applies to a table: the table's value, else its schema's, else the lake's. */
  public Optional<String> get(String key, TableInfo table) {
    String v = byTable.getOrDefault(table.id(), Map.of()).get(key);
    if (v == null) {
      v = bySchema.getOrDefault(table.schema().id(), Map.of()).get(key);
    }
    return v != null ? Optional.of(v) : get(key);
  }

  /** Every option that applies to a table, each at its narrowest scope. */
  public Map<String, String> forTable(TableInfo table) {
    Map<String, String> out = new HashMap<>(global);
    out.putAll(bySchema.getOrDefault(table.schema().id(), Map.of()));
    out.putAll(byTable.getOrDefault(table.id(), Map.of()));
    return out;
  }
}
