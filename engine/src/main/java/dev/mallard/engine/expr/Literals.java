package dev.mallard.engine.expr;

import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Values;
import java.util.HexFormat;

/** How literals print in plans ({@code EXPLAIN}) and messages: as SQL literals of their column's type. */
final class Literals {
  private Literals() {}

  static String format(DuckLakeType type, Object value) {
    if (value instanceof byte[] b) {
      return "X'" + HexFormat.of().formatHex(b) + "'";
    }
    String text = Values.format(type, value);
    return switch (type.kind()) {
      case VARCHAR, JSON, UUID -> quote(text);
      case DATE -> "DATE " + quote(text);
      case TIME, TIME_NS -> "TIME " + quote(text);
      case TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS -> "TIMESTAMP " + quote(text);
      case TIMESTAMPTZ, TIMESTAMPTZ_NS -> "TIMESTAMPTZ " + quote(text);
      default -> text;
    };
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
