package dev.mallard.calcite.parser;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * DuckDB's {@code INSERT INTO t BY NAME source}: the parser marks the target table with this
 * operator; the validator (before anything else looks at the INSERT) takes the mark off and gives
 * the INSERT the column list the source's column names make.
 */
public final class InsertByName {
  private static final SqlSpecialOperator BY_NAME = new SqlSpecialOperator("BY NAME", SqlKind.OTHER);

  private InsertByName() {}

  /** The target table, marked as inserted into by name. */
  public static SqlNode mark(SqlNode table, SqlParserPos pos) {
    return BY_NAME.createCall(pos, table);
  }

  /** Whether the INSERT is BY NAME; if so, takes the mark off its target table. */
  public static boolean unmark(SqlInsert insert) {
    if (insert.getTargetTable() instanceof SqlCall call && call.getOperator() == BY_NAME) {
      insert.setOperand(1, call.operand(0));
      return true;
    }
    return false;
  }
}
