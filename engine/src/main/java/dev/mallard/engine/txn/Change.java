package dev.mallard.engine.txn;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a snapshot's {@code changes_made}: a kind and a value, such as
 * {@code inserted_into_table:3} or {@code created_table:"main"."events"}. Entries are written in the
 * reference's order and parsed from every version's vocabulary.
 */
public record Change(Kind kind, String value) {
  /** The kinds, in the order the reference writes them within one snapshot. */
  public enum Kind {
    DROPPED_SCHEMA("dropped_schema"),
    DROPPED_TABLE("dropped_table"),
    DROPPED_VIEW("dropped_view"),
    DROPPED_SCALAR_MACRO("dropped_scalar_macro"),
    DROPPED_TABLE_MACRO("dropped_table_macro"),
    CREATED_SCHEMA("created_schema"),
    CREATED_TABLE("created_table"),
    CREATED_VIEW("created_view"),
    CREATED_SCALAR_MACRO("created_scalar_macro"),
    CREATED_TABLE_MACRO("created_table_macro"),
    INSERTED_INTO_TABLE("inserted_into_table"),
    DELETED_FROM_TABLE("deleted_from_table"),
    ALTERED_TABLE("altered_table"),
    ALTERED_VIEW("altered_view"),
    INLINED_INSERT("inlined_insert"),
    INLINED_DELETE("inlined_delete"),
    INLINE_FLUSH("inline_flush"),
    MERGE_ADJACENT("merge_adjacent"),
    REWRITE_DELETE("rewrite_delete"),
    /** Written by DuckDB 1.4 for a flush; read only. */
    FLUSHED_INLINED("flushed_inlined"),
    /** Written by DuckDB up to 1.4 for any compaction; read only. */
    COMPACTED_TABLE("compacted_table");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    static Kind parse(String text) {
      for (Kind k : values()) {
        if (k.text.equals(text)) {
          return k;
        }
      }
      throw new IllegalArgumentException("Unknown change type '" + text + "'");
    }
  }

  public static Change of(Kind kind, long id) {
    return new Change(kind, Long.toString(id));
  }

  /** A change naming an object: {@code created_schema:"s"}, {@code created_table:"s"."t"}. */
  public static Change named(Kind kind, String... names) {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(quote(n));
    }
    return new Change(kind, sb.toString());
  }

  /** The object id of an id-valued change. */
  public long id() {
    return Long.parseLong(value);
  }

  /** The names of a name-valued change, unquoted. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < value.length()) {
      if (value.charAt(i) != '"') {
        throw new IllegalArgumentException("Malformed change value " + value);
      }
      StringBuilder name = new StringBuilder();
      i++;
      while (true) {
        char c = value.charAt(i);
        if (c == '"') {
          if (i + 1 < value.length() && value.charAt(i + 1) == '"') {
            name.append('"');
            i += 2;
            continue;
          }
          i++;
          break;
        }
        name.append(c);
        i++;
      }
      out.add(name.toString());
      if (i < value.length() && value.charAt(i) == '.') {
        i++;
      }
    }
    return out;
  }

  static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  @Override
  public String toString() {
    return kind.text + ":" + value;
  }

  /** The text of a snapshot's changes, entries sorted in the reference's order. */
  public static String format(List<Change> changes) {
    List<Change> sorted = new ArrayList<>(changes);
    sorted.sort((a, b) -> a.kind.compareTo(b.kind));
    return String.join(",", sorted.stream().map(Change::toString).toList());
  }

  /** Parses a {@code changes_made} text; commas inside quoted names do not separate entries. */
  public static List<Change> parse(String text) {
    List<Change> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    int start = 0;
    boolean quoted = false;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || (text.charAt(i) == ',' && !quoted)) {
        String entry = text.substring(start, i);
        int colon = entry.indexOf(':');
        out.add(new Change(Kind.parse(entry.substring(0, colon)), entry.substring(colon + 1)));
        start = i + 1;
      } else if (text.charAt(i) == '"') {
        quoted = !quoted;
      }
    }
    return out;
  }
}
