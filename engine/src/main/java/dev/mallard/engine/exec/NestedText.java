package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses DuckDB's text form of a nested value, as DuckDB 1.5 keeps struct, list and map values in
 * the inlined data tables of SQLite, PostgreSQL and MySQL catalogs (and as its cast to VARCHAR
 * prints them): {@code [1, NULL, 3]}, {@code {'a': 1, 'b': x}}, {@code {k=1, n=NULL}}.
 *
 * <p>Strings and other leaves are quoted with {@code '} only when they would otherwise be
 * ambiguous (empty, {@code NULL}, separators, brackets, leading or trailing blanks); inside quotes
 * DuckDB escapes a quote as {@code \'} (lists and maps) or {@code ''} (structs) and a backslash as
 * {@code \\}. Unquoted leaves are taken literally. The engine values are those of {@link
 * VectorValues#get(org.apache.arrow.vector.FieldVector, int, ColumnInfo)}; struct fields are
 * matched by name, fields the text lacks are NULL.
 */
public final class NestedText {
  private final String text;
  private int pos;

  private NestedText(String text) {
    this.text = text;
  }

  /** The engine value of a nested column's text. */
  public static Object parse(ColumnInfo column, String text) {
    NestedText p = new NestedText(text);
    Object value = p.value(column, false);
    p.skipBlanks();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the value");
    }
    return value;
  }

  /**
   * A nested value of column {@code from} (as an older schema version had it) in the shape of
   * column {@code to} (the same column now): struct fields are matched by id, fields added since
   * get their initial default, dropped ones are left out. Leaf values keep their engine form, which
   * promoted types share (integers are all {@code Long}, floats {@code Double}).
   */
  public static Object evolve(ColumnInfo from, ColumnInfo to, Object value) {
    if (value == null || from == to || !to.type().kind().isNested()) {
      return value;
    }
    List<ColumnInfo> kids = to.children();
    switch (to.type().kind()) {
      case STRUCT -> {
        List<?> fields = (List<?>) value;
        Object[] out = new Object[kids.size()];
        for (int i = 0; i < kids.size(); i++) {
          ColumnInfo field = kids.get(i);
          int old = indexOfId(from.children(), field.id());
          out[i] = old >= 0 ? evolve(from.children().get(old), field, fields.get(old))
              : field.initialDefault() == null ? null : Values.parse(field.type(), field.initialDefault());
        }
        return Collections.unmodifiableList(Arrays.asList(out));
      }
      case LIST -> {
        List<Object> out = new ArrayList<>();
        for (Object e : (List<?>) value) {
          out.add(evolve(from.children().get(0), kids.get(0), e));
        }
        return Collections.unmodifiableList(out);
      }
      case MAP -> {
        Map<Object, Object> out = new LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((k, v) -> out.put(evolve(from.children().get(0), kids.get(0), k),
            evolve(from.children().get(1), kids.get(1), v)));
        return Collections.unmodifiableMap(out);
      }
      default -> throw new IllegalStateException(to.type().toString());
    }
  }

  private static int indexOfId(List<ColumnInfo> columns, long id) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).id() == id) {
        return i;
      }
    }
    return -1;
  }

  private Object value(ColumnInfo column, boolean mapKey) {
    skipBlanks();
    if (!column.type().kind().isNested()) {
      return leaf(column, mapKey);
    }
    if (text.startsWith("NULL", pos) && atEndOfToken(pos + 4, mapKey)) {
      pos += 4;
      return null;
    }
    return switch (column.type().kind()) {
      case LIST -> list(column);
      case STRUCT -> struct(column);
      case MAP -> map(column);
      default -> throw new IllegalStateException(column.type().toString());
    };
  }

  private List<Object> list(ColumnInfo column) {
    expect('[');
    List<Object> out = new ArrayList<>();
    skipBlanks();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(out);
    }
    while (true) {
      out.add(value(column.children().get(0), false));
      skipBlanks();
      if (next() == ']') {
        return Collections.unmodifiableList(out);
      }
      back(',');
    }
  }

  private List<Object> struct(ColumnInfo column) {
    expect('{');
    Object[] fields = new Object[column.children().size()];
    skipBlanks();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableList(Arrays.asList(fields));
    }
    while (true) {
      skipBlanks();
      String name = peek() == '\'' ? quoted() : unquoted(':');
      skipBlanks();
      expect(':');
      int index = fieldIndex(column, name);
      fields[index] = value(column.children().get(index), false);
      skipBlanks();
      if (next() == '}') {
        return Collections.unmodifiableList(Arrays.asList(fields));
      }
      back(',');
    }
  }

  private int fieldIndex(ColumnInfo column, String name) {
    for (int i = 0; i < column.children().size(); i++) {
      if (column.children().get(i).name().equals(name)) {
        return i;
      }
    }
    for (int i = 0; i < column.children().size(); i++) {
      if (column.children().get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw error("struct field '" + name + "' is not a field of " + column.name());
  }

  private Map<Object, Object> map(ColumnInfo column) {
    expect('{');
    Map<Object, Object> out = new LinkedHashMap<>();
    skipBlanks();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(out);
    }
    while (true) {
      Object key = value(column.children().get(0), true);
      skipBlanks();
      expect('=');
      out.put(key, value(column.children().get(1), false));
      skipBlanks();
      if (next() == '}') {
        return Collections.unmodifiableMap(out);
      }
      back(',');
    }
  }

  private Object leaf(ColumnInfo column, boolean mapKey) {
    boolean quoted = peek() == '\'';
    String s = quoted ? quoted() : unquoted(mapKey ? '=' : ',');
    if (!quoted && s.equals("NULL")) {
      return null;
    }
    if (column.type().kind() == TypeKind.BLOB || column.type().kind() == TypeKind.GEOMETRY) {
      return blob(s);
    }
    return Values.parse(column.type(), s);
  }

  /** A quoted leaf or name, unescaped. */
  private String quoted() {
    expect('\'');
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated quoted value");
      }
      char c = text.charAt(pos++);
      if (c == '\\' && pos < text.length()) {
        out.append(text.charAt(pos++));
      } else if (c == '\'') {
        if (pos < text.length() && text.charAt(pos) == '\'') {
          out.append('\'');
          pos++;
        } else {
          return out.toString();
        }
      } else {
        out.append(c);
      }
    }
  }

  /**
   * An unquoted leaf or name: up to the next separator (or {@code stop}) outside brackets (JSON may
   * hold some).
   */
  private String unquoted(char stop) {
    int start = pos;
    int depth = 0;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '[' || c == '{' || c == '(') {
        depth++;
      } else if (depth > 0 && (c == ']' || c == '}' || c == ')')) {
        depth--;
      } else if (depth == 0 && (c == ',' || c == ']' || c == '}' || c == stop)) {
        break;
      }
      pos++;
    }
    return text.substring(start, pos);
  }

  private boolean atEndOfToken(int at, boolean mapKey) {
    if (at >= text.length()) {
      return true;
    }
    char c = text.charAt(at);
    return c == ',' || c == ']' || c == '}' || c == ' ' || c == '=' && mapKey;
  }

  /** DuckDB's escaped blob text: {@code \xHH} for a byte, any other character for its own code. */
  private byte[] blob(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
        out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toByteArray();
  }

  private void skipBlanks() {
    while (pos < text.length() && text.charAt(pos) == ' ') {
      pos++;
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    return text.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private void expect(char c) {
    if (next() != c) {
      pos--;
      throw error("expected '" + c + "'");
    }
  }

  /** The separator just read must have been {@code c}. */
  private void back(char c) {
    if (text.charAt(pos - 1) != c) {
      pos--;
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("not DuckDB's text of a nested value (" + what + " at position " + pos
        + "): " + text);
  }
}
