package dev.mallard.jdbc.server;

import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import dev.mallard.calcite.parser.MallardParserFactory;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * Lets through only statements that are queries, for a read-only server. It parses the text with
 * the grammar the driver uses and accepts it only when every statement is a query (or an EXPLAIN or
 * DESCRIBE of one); anything else, including text it cannot parse, is refused before it reaches
 * the engine. Failing closed matters: a statement this grammar does not know might be one that a
 * richer DDL grammar would run.
 */
final class ReadOnlyGuard {
  /** SQLSTATE of a write refused in a read-only transaction. */
  static final String READ_ONLY = "25006";

  private static final SqlParser.Config PARSER = SqlParser.config()
      .withParserFactory(MallardParserFactory.INSTANCE)
      .withConformance(SqlConformanceEnum.BABEL);

  private ReadOnlyGuard() {}

  /** Throws an error the client sees, naming the statement's kind, unless {@code sql} only reads. */
  static void check(String sql) {
    String kind;
    try {
      kind = writingKind(SqlParser.create(sql, PARSER).parseStmtList());
    } catch (SqlParseException e) {
      kind = "a statement that is not a query";
    }
    if (kind != null) {
      throw refused("This Mallard server is read-only: it runs queries only, and this is " + kind);
    }
  }

  /** Refuses what a read-only server never runs, such as batches of updates. */
  static AvaticaRuntimeException refused(String message) {
    return new AvaticaRuntimeException(message, -1, READ_ONLY, AvaticaSeverity.ERROR);
  }

  private static String writingKind(Iterable<SqlNode> statements) {
    for (SqlNode statement : statements) {
      SqlNode read = statement instanceof SqlExplain explain ? explain.getExplicandum() : statement;
      if (!read.isA(SqlKind.QUERY) && !read.isA(java.util.Set.of(SqlKind.DESCRIBE_SCHEMA, SqlKind.DESCRIBE_TABLE))) {
        return "a " + read.getKind().sql.replace('_', ' ') + " statement";
      }
    }
    return null;
  }
}
