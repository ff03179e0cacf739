package dev.mallard.calcite.parser;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** CREATE [OR REPLACE] VIEW name [(column aliases)] AS query. */
public final class MallardCreateView extends SqlCreate {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("CREATE VIEW", SqlKind.CREATE_VIEW);

  public final SqlIdentifier name;
  /** Null if no aliases were given. */
  public final SqlNodeList columnNames;
  public final QuerySource query;

  public MallardCreateView(SqlParserPos pos, boolean replace, SqlIdentifier name, SqlNodeList columnNames,
      QuerySource query) {
    super(OPERATOR, pos, replace, false);
    this.name = name;
    this.columnNames = columnNames;
    this.query = query;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, columnNames, query.query());
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getReplace() ? "CREATE OR REPLACE VIEW" : "CREATE VIEW");
    name.unparse(writer, 0, 0);
    if (columnNames != null) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode node : columnNames) {
        writer.sep(",");
        node.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
    writer.keyword("AS");
    writer.newlineAndIndent();
    query.query().unparse(writer, 0, 0);
  }
}
