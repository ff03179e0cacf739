package dev.mallard.calcite.parser;

import java.util.ArrayList;
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

/**
 * CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name, either with column definitions or, for
 * CREATE TABLE ... AS, with optional column names and a query.
 */
public final class MallardCreateTable extends SqlCreate {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("CREATE TABLE", SqlKind.CREATE_TABLE);

  public final SqlIdentifier name;
  /** {@link MallardColumnDeclaration}s; null for CREATE TABLE ... AS. */
  public final SqlNodeList columns;
  /** The column names of CREATE TABLE name (a, b) AS ...; null if none were given. */
  public final SqlNodeList columnNames;
  /** The query of CREATE TABLE ... AS; null otherwise. */
  public final QuerySource query;

  public MallardCreateTable(SqlParserPos pos, boolean replace, boolean ifNotExists, SqlIdentifier name,
      SqlNodeList columns, SqlNodeList columnNames, QuerySource query) {
    super(OPERATOR, pos, replace, ifNotExists);
    this.name = name;
    this.columns = columns;
    this.columnNames = columnNames;
    this.query = query;
    if (columns != null) {
      for (SqlNode column : columns) {
        SqlIdentifier columnName = ((MallardColumnDeclaration) column).name;
        if (!columnName.isSimple()) {
          throw ParseErrors.at(columnName.getParserPosition(),
              "Column name " + columnName + " of CREATE TABLE must be a simple name");
        }
      }
    }
  }

  @Override
  public List<SqlNode> getOperandList() {
    List<SqlNode> operands = new ArrayList<>();
    operands.add(name);
    operands.add(columns != null ? columns : columnNames);
    operands.add(query == null ? null : query.query());
    return operands;
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getReplace() ? "CREATE OR REPLACE TABLE" : "CREATE TABLE");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, 0, 0);
    SqlNodeList list = columns != null ? columns : columnNames;
    if (list != null) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode node : list) {
        writer.sep(",");
        node.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
    if (query != null) {
      writer.keyword("AS");
      writer.newlineAndIndent();
      query.query().unparse(writer, 0, 0);
    }
  }
}
