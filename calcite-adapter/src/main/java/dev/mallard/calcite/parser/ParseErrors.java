package dev.mallard.calcite.parser;

import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Errors the grammar raises itself, for input that parses but that Mallard refuses (a type DuckLake
 * cannot store, a non-constant default...). The generated parser turns a
 * {@link CalciteContextException} into a {@code SqlParseException} with the position and the
 * message of its cause, so the message below is what the user reads.
 */
final class ParseErrors {
  private ParseErrors() {}

  static CalciteContextException at(SqlParserPos pos, String message) {
    String located = message + " (at line " + pos.getLineNum() + ", column " + pos.getColumnNum() + ")";
    return new CalciteContextException(located, new IllegalArgumentException(located), pos.getLineNum(),
        pos.getColumnNum(), pos.getEndLineNum(), pos.getEndColumnNum());
  }

  static CalciteContextException constraint(String keyword, SqlParserPos pos) {
    return at(pos, "DuckLake does not support " + keyword.toUpperCase(java.util.Locale.ROOT)
        + " in a table definition: NOT NULL is its only constraint");
  }

  static CalciteContextException alterTypeUsing(SqlParserPos pos) {
    return at(pos, "ALTER COLUMN ... TYPE ... USING is not supported: DuckLake changes a column's type"
        + " only by promotion, without rewriting the data");
  }
}
