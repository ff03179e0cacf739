package dev.mallard.calcite.parser;

import dev.mallard.calcite.ddl.DdlTarget;
import java.util.List;
import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** COMMENT ON TABLE | VIEW | COLUMN | SCHEMA name IS 'text' | NULL. */
public final class MallardCommentOn extends SqlDdl {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("COMMENT ON", SqlKind.OTHER_DDL);

  public final DdlTarget.CommentTarget target;
  /** For a column, the table's name followed by the column's. */
  public final SqlIdentifier name;
  /** Null for IS NULL, which removes the comment. */
  public final String comment;

  public MallardCommentOn(SqlParserPos pos, DdlTarget.CommentTarget target, SqlIdentifier name, String comment) {
    super(OPERATOR, pos);
    this.target = target;
    this.name = name;
    this.comment = comment;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(name);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("COMMENT ON");
    writer.keyword(target.name());
    name.unparse(writer, 0, 0);
    writer.keyword("IS");
    if (comment == null) {
      writer.keyword("NULL");
    } else {
      SqlLiteral.createCharString(comment, SqlParserPos.ZERO).unparse(writer, 0, 0);
    }
  }
}
