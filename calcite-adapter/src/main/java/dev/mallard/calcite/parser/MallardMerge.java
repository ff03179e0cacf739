package dev.mallard.calcite.parser;

import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlMerge;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.Util;

/**
 * DuckDB's MERGE INTO: any number of {@code WHEN [NOT] MATCHED [BY SOURCE | BY TARGET] [AND condition]
 * THEN action} clauses, the first whose condition holds acting on each row.
 *
 * <p>Calcite's SqlMerge production knows one WHEN MATCHED THEN UPDATE and one WHEN NOT MATCHED THEN
 * INSERT, neither with a condition, and its SqlMerge holds nothing more; so Mallard parses MERGE with
 * its own production (includes/merge.ftl, tried before Calcite's statements) into this subclass of
 * SqlMerge, which Calcite's validator and converter still take for a MERGE. Mallard's validator
 * turns the clauses into expressions of Calcite's MERGE (see {@code MergeClauses}); the table
 * writer picks each row's clause.
 */
public final class MallardMerge extends SqlMerge {
  /** Which rows a clause is for. */
  public enum When {
    /** A target row the source row matched. */
    MATCHED("WHEN MATCHED"),
    /** A source row that matched no target row (BY TARGET). */
    NOT_MATCHED("WHEN NOT MATCHED"),
    /** A target row no source row matched. */
    NOT_MATCHED_BY_SOURCE("WHEN NOT MATCHED BY SOURCE");

    public final String sql;

    When(String sql) {
      this.sql = sql;
    }
  }

  public enum Action { UPDATE, DELETE, INSERT, DO_NOTHING, ERROR }

  /**
   * One WHEN clause.
   *
   * @param condition the AND condition, or null
   * @param columns UPDATE SET's columns or INSERT's column list; null for all columns
   * @param values UPDATE SET's values or INSERT's VALUES; null for {@code *} (the source row's columns, by
   *     position), an empty list for INSERT DEFAULT VALUES; ERROR's message (or nothing)
   */
  public record Clause(When when, SqlNode condition, Action action, SqlNodeList columns, SqlNodeList values) {}

  public final List<Clause> clauses;

  public MallardMerge(SqlParserPos pos, SqlNode target, SqlIdentifier alias, SqlNode source, SqlNode condition,
      List<Clause> clauses) {
    // Without an alias, the table's name qualifies its columns (Mallard's rewrite names them so).
    super(pos, target, condition, source, null, null, null,
        alias != null ? alias : new SqlIdentifier(Util.last(((SqlIdentifier) target).names), pos));
    this.clauses = List.copyOf(clauses);
  }

  /** Whether a clause is for {@code when}'s rows. */
  public boolean has(When when) {
    return clauses.stream().anyMatch(c -> c.when() == when);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("MERGE INTO");
    getTargetTable().unparse(writer, 0, 0);
    if (getAlias() != null) {
      writer.keyword("AS");
      getAlias().unparse(writer, 0, 0);
    }
    writer.keyword("USING");
    getSourceTableRef().unparse(writer, 0, 0);
    writer.keyword("ON");
    getCondition().unparse(writer, 0, 0);
    for (Clause clause : clauses) {
      writer.keyword(clause.when().sql);
      if (clause.condition() != null) {
        writer.keyword("AND");
        clause.condition().unparse(writer, 0, 0);
      }
      writer.keyword("THEN");
      writer.keyword(clause.action().name().replace('_', ' '));
      if (clause.columns() != null) {
        clause.columns().unparse(writer, 0, 0);
      }
      if (clause.values() != null) {
        clause.values().unparse(writer, 0, 0);
      }
    }
  }
}
