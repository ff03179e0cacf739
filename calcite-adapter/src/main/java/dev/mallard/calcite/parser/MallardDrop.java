package dev.mallard.calcite.parser;

import java.util.List;
import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** DROP SCHEMA | TABLE | VIEW [IF EXISTS] name, and CASCADE for a schema. */
public final class MallardDrop extends SqlDrop {
  public static final SqlOperator SCHEMA = new SqlSpecialOperator("DROP SCHEMA", SqlKind.DROP_SCHEMA);
  public static final SqlOperator TABLE = new SqlSpecialOperator("DROP TABLE", SqlKind.DROP_TABLE);
  public static final SqlOperator VIEW = new SqlSpecialOperator("DROP VIEW", SqlKind.DROP_VIEW);

  public final SqlIdentifier name;
  public final boolean cascade;

  public MallardDrop(SqlOperator operator, SqlParserPos pos, boolean ifExists, SqlIdentifier name,
      boolean cascade) {
    super(operator, pos, ifExists);
    this.name = name;
    this.cascade = cascade;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(name);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getOperator().getName());
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, 0, 0);
    if (cascade) {
      writer.keyword("CASCADE");
    }
  }
}
