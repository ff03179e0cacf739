package dev.mallard.calcite;

import dev.mallard.engine.MallardException.CatalogException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code changes} map of {@code ducklake_snapshots}, as DuckDB builds it from a snapshot's
 * {@code changes_made} text ({@code created_table:"main"."t",inlined_insert:1,...}): one key per kind of
 * change, in DuckDB's order, each with the sorted list of what changed.
 */
final class SnapshotChanges {
  private SnapshotChanges() {}

  /** The keys of DuckDB's map, in its order, by the change type they come from. */
  private static final Map<String, String> KEYS = new LinkedHashMap<>();

  static {
    KEYS.put("created_schema", "schemas_created");
    KEYS.put("dropped_schema", "schemas_dropped");
    KEYS.put("created_table", "tables_created");
    KEYS.put("created_view", "views_created");
    KEYS.put("created_scalar_macro", "scalar_macros_created");
    KEYS.put("created_table_macro", "table_macros_created");
    KEYS.put("dropped_table", "tables_dropped");
    KEYS.put("altered_table", "tables_altered");
    KEYS.put("inserted_into_table", "tables_inserted_into");
    KEYS.put("deleted_from_table", "tables_deleted_from");
    KEYS.put("dropped_view", "views_dropped");
    KEYS.put("dropped_scalar_macro", "scalar_macros_dropped");
    KEYS.put("dropped_table_macro", "table_macros_dropped");
    KEYS.put("altered_view", "views_altered");
    KEYS.put("inlined_insert", "inlined_insert");
    KEYS.put("inlined_delete", "inlined_delete");
    KEYS.put("flushed_inlined", "flushed_inlined");
    KEYS.put("inline_flush", "flushed_inlined");
    KEYS.put("merge_adjacent", "merge_adjacent");
    KEYS.put("rewrite_delete", "rewrite_delete");
  }

  /** Change types DuckDB parses but does not show. */
  private static final java.util.Set<String> HIDDEN = java.util.Set.of("compacted_table");

  private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  static Map<String, List<String>> parse(String changesMade) {
    Map<String, TreeSet<Object>> byType = new LinkedHashMap<>();
    if (changesMade != null) {
      int pos = 0;
      while (pos < changesMade.length()) {
        int colon = changesMade.indexOf(':', pos);
        if (colon < 0) {
          throw new CatalogException("Malformed changes_made in the catalog: " + changesMade);
        }
        String type = changesMade.substring(pos, colon).toLowerCase(Locale.ROOT);
        int end = colon + 1;
        boolean quoted = false;
        while (end < changesMade.length() && (quoted || changesMade.charAt(end) != ',')) {
          if (changesMade.charAt(end) == '"') {
            quoted = !quoted;
          }
          end++;
        }
        String value = changesMade.substring(colon + 1, end);
        pos = end + 1;
        if (HIDDEN.contains(type)) {
          continue;
        }
        if (!KEYS.containsKey(type)) {
          throw new CatalogException("Unknown change type '" + type + "' in the catalog's changes_made");
        }
        byType.computeIfAbsent(type, t -> new TreeSet<>(order(t))).add(entry(type, value));
      }
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> key : KEYS.entrySet()) {
      TreeSet<Object> values = byType.get(key.getKey());
      if (values != null) {
        List<String> list = out.computeIfAbsent(key.getValue(), k -> new ArrayList<>());
        values.forEach(v -> list.add(v.toString()));
      }
    }
    return out;
  }

  /** Ids sort as numbers, names as DuckDB's case-insensitive sets do. */
  private static Comparator<Object> order(String type) {
    if (type.startsWith("created_")) {
      return Comparator.comparing(v -> v.toString().toLowerCase(Locale.ROOT));
    }
    return Comparator.comparingLong(v -> (Long) v);
  }

  private static Object entry(String type, String value) {
    if (type.equals("created_schema")) {
      return names(value).get(0);
    }
    if (type.startsWith("created_")) {
      List<String> parts = names(value);
      return shown(parts.get(0)) + "." + shown(parts.get(parts.size() - 1));
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new CatalogException("Malformed id '" + value + "' in the catalog's changes_made", e);
    }
  }

  /** The parts of {@code "a"."b"} or {@code a.b}, unquoted. */
  private static List<String> names(String value) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < value.length() && value.charAt(i + 1) == '"') {
          current.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          current.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == '.') {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(ch);
      }
    }
    parts.add(current.toString());
    return parts;
  }

  /** A name as DuckDB writes it in SQL: quoted only when it has to be. */
  private static String shown(String name) {
    return PLAIN_IDENTIFIER.matcher(name).matches() ? name : '"' + name.replace("\"", "\"\"") + '"';
  }
}
