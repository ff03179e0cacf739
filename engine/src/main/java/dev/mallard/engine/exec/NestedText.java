package dev.mallard.engine.exec;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
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
   * promoted types share (integers are all {@code Long}, floats {@code Double}), but for uint64.
   */
  public static Object evolve(ColumnInfo from, ColumnInfo to, Object value) {
    if (value == null || from == to) {
      return value;
    }
    if (!to.type().kind().isNested()) {
      // The one promotion whose engine form changes: uint32 (Long) to uint64 (BigInteger).
      return to.type().kind() == TypeKind.UINT64 && !(value instanceof BigInteger)
          ? BigInteger.valueOf(((Number) value).longValue()) : value;
    }
    List<ColumnInfo> kids = to.children();
    switch (to.type().kind()) {
      case STRUCT -> {
        return Collections.unmodifiableList(Arrays.asList(evolveRow(from.children(), kids,
            ((List<?>) value).toArray())));
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

  /**
   * DuckDB's text of a nested value of {@code column} (the inverse of {@link #parse}), as Mallard
   * keeps it in inlined data tables: the form of DuckDB's cast to VARCHAR, which DuckDB's cast back
   * reads exactly. A leaf is quoted only where the cast quotes it (empty, {@code NULL}, blanks at
   * an end, or one of {@code "'(),:=[]{}} inside), with {@code \'} and {@code \\} escaped; string
   * fields of a struct that is not inside a list or map are always quoted, as DuckDB's own inlined
   * writer quotes them (it escapes a quote as {@code ''}, which its reader then drops: Mallard
   * escapes it as {@code \'}, which both read back).
   */
  public static String format(ColumnInfo column, Object value) {
    StringBuilder out = new StringBuilder();
    format(column, value, false, false, out);
    return out.toString();
  }

  /**
   * @param inCollection inside a list or map, where DuckDB writes the cast's text
   * @param quoteStrings a field of a struct outside lists and maps, whose strings DuckDB quotes
   */
  private static void format(ColumnInfo column, Object value, boolean inCollection, boolean quoteStrings,
      StringBuilder out) {
    if (value == null) {
      out.append("NULL");
      return;
    }
    List<ColumnInfo> kids = column.children();
    switch (column.type().kind()) {
      case STRUCT -> {
        List<?> fields = (List<?>) value;
        if (fields.size() != kids.size()) {
          throw new IllegalArgumentException("struct " + column.name() + " has " + kids.size() + " fields, the value "
              + fields.size());
        }
        out.append('{');
        for (int i = 0; i < kids.size(); i++) {
          out.append(i == 0 ? "" : ", ").append(quote(kids.get(i).name())).append(": ");
          format(kids.get(i), fields.get(i), inCollection, !inCollection, out);
        }
        out.append('}');
      }
      case LIST -> {
        out.append('[');
        boolean first = true;
        for (Object element : (List<?>) value) {
          out.append(first ? "" : ", ");
          first = false;
          format(kids.get(0), element, true, false, out);
        }
        out.append(']');
      }
      case MAP -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          out.append(first ? "" : ", ");
          first = false;
          format(kids.get(0), e.getKey(), true, false, out);
          out.append('=');
          format(kids.get(1), e.getValue(), true, false, out);
        }
        out.append('}');
      }
      default -> {
        String text = leafText(column.type(), value);
        boolean string = column.type().kind() == TypeKind.VARCHAR || column.type().kind() == TypeKind.JSON;
        out.append(quoteStrings && string || needsQuotes(text) ? quote(text) : text);
      }
    }
  }

  /** Whether DuckDB's cast quotes a leaf's text inside a nested value. */
  /**
   * Whether DuckDB quotes a value inside a struct, list or map's text: when it is empty, reads as
   * NULL, has blanks at either end, or {@linkplain #holdsSyntax holds a character of its syntax}.
   */
  public static boolean needsQuotes(String text) {
    return text.isEmpty() || text.equalsIgnoreCase("NULL") || isBlank(text.charAt(0))
        || isBlank(text.charAt(text.length() - 1)) || holdsSyntax(text);
  }

  /** Whether {@code text} holds a character of DuckDB's nested-value syntax. */
  public static boolean holdsSyntax(String text) {
    for (int i = 0; i < text.length(); i++) {
      if ("\"'(),:=[]{}".indexOf(text.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000b' || c == '\f';
  }

  /** {@code text} quoted as DuckDB quotes it inside a nested value's text. */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('\'');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('\'').toString();
  }

  /** DuckDB's text of a leaf value (as its cast to VARCHAR prints it), before quoting. */
  private static String leafText(DuckLakeType type, Object value) {
    return switch (type.kind()) {
      case BOOLEAN -> value.toString();
      case UINT64, INT128, UINT128 -> ((BigInteger) value).toString();
      case DECIMAL -> ((BigDecimal) value).setScale(type.scale()).toPlainString();
      case FLOAT32, FLOAT64 -> floatText((Double) value, type.kind() == TypeKind.FLOAT32);
      case BLOB, GEOMETRY -> blobText((byte[]) value);
      default -> Values.format(type, value);
    };
  }

  private static String floatText(double d, boolean single) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    return single ? Float.toString((float) d) : Double.toString(d);
  }

  /** DuckDB's escaped text of a blob: printable ASCII as is, other bytes (and quotes, backslash) as {@code \xHH}. */
  public static String blobText(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 32 && c <= 126 && c != '\\' && c != '\'' && c != '"') {
        out.append((char) c);
      } else {
        out.append(String.format(java.util.Locale.ROOT, "\\x%02X", c));
      }
    }
    return out.toString();
  }

  /**
   * The values of columns (or struct fields) {@code from} as values of {@code to}, as
   * {@link #evolve} takes each: matched by id, those added since get their initial default.
   */
  public static Object[] evolveRow(List<ColumnInfo> from, List<ColumnInfo> to, Object[] values) {
    Object[] out = new Object[to.size()];
    for (int i = 0; i < to.size(); i++) {
      ColumnInfo column = to.get(i);
      int old = indexOfId(from, column.id());
      out[i] = old >= 0 ? evolve(from.get(old), column, values[old])
          : column.initialDefault() == null ? null : Values.parse(column.type(), column.initialDefault());
    }
    return out;
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
    boolean cast = text.startsWith(CAST, pos);
    boolean quoted = cast || peek() == '\'';
    String s = cast ? cast() : quoted ? quoted() : unquoted(mapKey ? '=' : ',');
    if (!quoted && s.equals("NULL")) {
      return null;
    }
    if (column.type().kind() == TypeKind.BLOB || column.type().kind() == TypeKind.GEOMETRY) {
      return blob(s);
    }
    return Values.parse(column.type(), s);
  }

  private static final String CAST = "CAST(";

  /**
   * The text of a leaf DuckDB wrote as a cast, {@code CAST('2025-01-02 03:04:05.123456' AS TIMESTAMP)}
   * (as it writes times and timestamps inside inlined nested values); the column's type is the cast's.
   */
  private String cast() {
    pos += CAST.length();
    String value = quoted();
    int end = text.indexOf(')', pos);
    if (!text.startsWith(" AS ", pos) || end < 0) {
      throw error("a CAST without its type");
    }
    pos = end + 1;
    return value;
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
