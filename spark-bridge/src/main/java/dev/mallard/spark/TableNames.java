package dev.mallard.spark;

import dev.mallard.engine.MallardException.UserException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a table name given as an option ({@code events}, {@code main.events},
 * {@code `we ird`.`T 1`} or {@code "we ird"."T 1"}) into schema and table. A name without a
 * schema is in {@code main}, DuckLake's default schema.
 */
final class TableNames {
  static final String DEFAULT_SCHEMA = "main";

  private TableNames() {}

  /** @return {schema, table} */
  static String[] parse(String name) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    char quote = 0;
    boolean quoted = false;
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (quote != 0) {
        if (ch == quote && i + 1 < name.length() && name.charAt(i + 1) == quote) {
          part.append(ch); // a doubled quote stands for itself
          i++;
        } else if (ch == quote) {
          quote = 0;
        } else {
          part.append(ch);
        }
      } else if (ch == '`' || ch == '"') {
        quote = ch;
        quoted = true;
      } else if (ch == '.') {
        parts.add(part.toString());
        part.setLength(0);
        quoted = false;
      } else {
        part.append(ch);
      }
    }
    if (quote != 0) {
      throw new UserException("Unclosed quote in table name '" + name + "'");
    }
    parts.add(quoted ? part.toString() : part.toString().trim());
    if (parts.size() > 2 || parts.stream().anyMatch(String::isEmpty)) {
      throw new UserException("Table name '" + name + "' is not of the form table or schema.table");
    }
    return parts.size() == 1 ? new String[] {DEFAULT_SCHEMA, parts.get(0)} : parts.toArray(new String[0]);
  }
}
