package dev.mallard.calcite.parser;

import dev.mallard.engine.txn.NewColumn;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * A column of CREATE TABLE or ALTER TABLE ADD COLUMN: name (a path into a struct for ADD COLUMN
 * s.field), DuckDB type, NOT NULL, and a constant DEFAULT.
 */
public final class MallardColumnDeclaration extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("COLUMN_DECL", SqlKind.COLUMN_DECL);

  public final SqlIdentifier name;
  public final ColumnType type;
  public final boolean nullable;
  /** The DEFAULT literal as parsed; null if none. */
  public final SqlNode defaultValue;

  public MallardColumnDeclaration(SqlParserPos pos, SqlIdentifier name, ColumnType type, boolean nullable,
      SqlNode defaultValue) {
    super(pos);
    this.name = name;
    this.type = type;
    this.nullable = nullable;
    this.defaultValue = defaultValue;
  }

  /** The column to create, named after the last part of the name. */
  public NewColumn toColumn() {
    return type.toColumn(name.names.get(name.names.size() - 1), nullable, DefaultValues.text(defaultValue));
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(name, defaultValue);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    name.unparse(writer, 0, 0);
    type.unparse(writer);
    if (!nullable) {
      writer.keyword("NOT NULL");
    }
    if (defaultValue != null) {
      writer.keyword("DEFAULT");
      defaultValue.unparse(writer, 0, 0);
    }
  }
}
