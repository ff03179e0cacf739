package dev.mallard.calcite.parser;

import java.util.Objects;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParserUtil;

/**
 * The query of CREATE TABLE ... AS and CREATE VIEW: the parsed query, and its SQL text.
 *
 * <p>The text is the query as the user wrote it, cut from the statement: a view's SQL is stored in
 * the lake, where DuckDB reads it too, so it should stay DuckDB's SQL rather than become Calcite's
 * rendering of it. When the parser was not given the statement's text (a parser reading from a
 * plain Reader), the text is the query unparsed instead, in a form Mallard's parser reads again.
 */
public record QuerySource(SqlNode query, String sql) {
  public QuerySource {
    Objects.requireNonNull(query);
    Objects.requireNonNull(sql);
  }

  /** The query between two token positions (1-based lines and columns, end inclusive). */
  static QuerySource of(SqlNode query, String statementSql, int beginLine, int beginColumn, int endLine,
      int endColumn) {
    if (statementSql != null) {
      int begin = SqlParserUtil.lineColToIndex(statementSql, beginLine, beginColumn);
      int end = SqlParserUtil.lineColToIndex(statementSql, endLine, endColumn) + 1;
      if (0 <= begin && begin < end && end <= statementSql.length()) {
        return new QuerySource(query, statementSql.substring(begin, end));
      }
    }
    return new QuerySource(query, unparse(query));
  }

  static String unparse(SqlNode query) {
    return query.toSqlString(c -> c.withDialect(CalciteSqlDialect.DEFAULT)).getSql();
  }
}
