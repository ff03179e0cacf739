package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ColumnStrategy;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql2rel.InitializerContext;
import org.apache.calcite.sql2rel.NullInitializerExpressionFactory;

/**
 * What an INSERT puts in the columns it does not name ({@code INSERT INTO t (a) ...}, or
 * {@code DEFAULT}): the column's default, as DuckDB does, else NULL. DuckLake keeps a default as
 * text ({@code ducklake_column.default_value}): a literal's text, or DuckDB SQL, which for typed
 * constants is {@code CAST('text' AS type)}. Both become the text a cast to the column's type reads;
 * the transaction's time and arithmetic of constants are evaluated (see {@link #expression}); other
 * expressions ({@code random()}) fail clearly when a row needs them.
 */
final class ColumnDefaults extends NullInitializerExpressionFactory {
  /** DuckDB's SQL for a typed constant: {@code CAST('2024-01-01' AS DATE)}, {@code CAST('1.5' AS DECIMAL(9,2))}. */
  private static final Pattern CAST_OF_TEXT =
      Pattern.compile("(?is)CAST\\('((?:[^']|'')*)' AS [^()']+(\\([0-9, ]*\\))?\\)");

  private final List<ColumnInfo> columns;

  ColumnDefaults(List<ColumnInfo> columns) {
    this.columns = columns;
  }

  private String defaultText(int column) {
    return column < columns.size() ? columns.get(column).defaultValue() : null;
  }

  /** The text of the column's default value, which a cast to the column's type reads; null for none. */
  static String valueText(ColumnInfo column) {
    String text = column.defaultValue();
    if (text == null) {
      return null;
    }
    if (ColumnInfo.EXPRESSION.equals(column.defaultValueType())) {
      Matcher cast = CAST_OF_TEXT.matcher(text.trim());
      if (!cast.matches()) {
        throw new UserException("Column \"" + column.name() + "\" has the default " + text + ", an expression"
            + " Mallard cannot evaluate yet: give the column a value");
      }
      text = cast.group(1).replace("''", "'");
    }
    // DuckDB writes booleans as t and f, which SQL's cast does not read.
    return column.type().kind() == TypeKind.BOOLEAN ? String.valueOf(Values.parse(column.type(), text)) : text;
  }

  @Override
  public ColumnStrategy generationStrategy(RelOptTable table, int column) {
    return defaultText(column) != null ? ColumnStrategy.DEFAULT : super.generationStrategy(table, column);
  }

  @Override
  public RexNode newColumnDefaultValue(RelOptTable table, int column, InitializerContext context) {
    if (defaultText(column) == null) {
      return super.newColumnDefaultValue(table, column, context);
    }
    RelDataType type = table.getRowType().getFieldList().get(column).getType();
    RexBuilder rex = context.getRexBuilder();
    // The lake the table is in: its mount name, the first part of its qualified name.
    String catalog = table.getQualifiedName().size() > 2 ? table.getQualifiedName().get(0) : "";
    RexNode expression = expression(columns.get(column), type, catalog, context);
    if (expression != null) {
      return rex.makeCast(type, expression);
    }
    String text = valueText(columns.get(column));
    return rex.makeCast(type, rex.makeLiteral(text));
  }

  /**
   * A default DuckDB keeps as an expression other than a typed constant: the transaction's time
   * ({@code now()}, {@code current_timestamp}, {@code current_date}...: once per transaction, to the
   * microsecond, as DuckDB; see {@link TransactionTime}) or arithmetic of constants ({@code (1 + 2)});
   * null for a typed constant. Other expressions ({@code random()}, {@code uuid()}, evaluated per row
   * by DuckDB) fail clearly.
   */
  private static RexNode expression(ColumnInfo column, RelDataType target, String catalog,
      InitializerContext context) {
    String text = column.defaultValue().trim();
    if (!ColumnInfo.EXPRESSION.equals(column.defaultValueType()) || CAST_OF_TEXT.matcher(text).matches()) {
      return null;
    }
    SqlOperator time = STATEMENT_TIMES.get(text.toLowerCase(Locale.ROOT).replace(" ", ""));
    if (time != null) {
      RexBuilder rex = context.getRexBuilder();
      RelDataType type = timeType(rex.getTypeFactory(), target, time);
      return rex.makeCall(type, TransactionTime.operator(rex.getTypeFactory(), type), List.of(rex.makeLiteral(catalog)));
    }
    return context.convertExpression(constantExpression(column, text));
  }

  /**
   * The same for a statement built as SQL (MERGE's INSERT): the default as an expression, or null for
   * a typed constant (whose text {@link #valueText} gives).
   */
  static SqlNode expressionNode(ColumnInfo column, RelDataTypeFactory types, RelDataType target, String catalog) {
    if (column.defaultValue() == null) {
      return null;
    }
    String text = column.defaultValue().trim();
    if (!ColumnInfo.EXPRESSION.equals(column.defaultValueType()) || CAST_OF_TEXT.matcher(text).matches()) {
      return null;
    }
    SqlOperator time = STATEMENT_TIMES.get(text.toLowerCase(Locale.ROOT).replace(" ", ""));
    if (time != null) {
      return TransactionTime.call(types, timeType(types, target, time), catalog);
    }
    return constantExpression(column, text);
  }

  private static SqlNode constantExpression(ColumnInfo column, String text) {
    SqlNode parsed;
    try {
      parsed = SqlParser.create(text, LakeView.PARSER).parseExpression();
    } catch (SqlParseException e) {
      parsed = null;
    }
    if (parsed == null || !constant(parsed)) {
      throw new UserException("Column \"" + column.name() + "\" has the default " + text + ", an expression"
          + " Mallard cannot evaluate yet (it evaluates constants, arithmetic of them and the transaction's time):"
          + " give the column a value");
    }
    return parsed;
  }

  /**
   * The type the transaction's time is made in for a column: the column's own when it is a
   * timestamp (zoned: the instant; plain: the wall-clock time), a DATE for {@code current_date},
   * else a zoned TIMESTAMP(6) cast to the column's type.
   */
  private static RelDataType timeType(RelDataTypeFactory types, RelDataType target, SqlOperator time) {
    if (time == SqlStdOperatorTable.CURRENT_DATE) {
      return types.createSqlType(SqlTypeName.DATE);
    }
    SqlTypeName name = target.getSqlTypeName();
    if (name == SqlTypeName.TIMESTAMP || name == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
      return types.createTypeWithNullability(target, false);
    }
    return types.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
  }

  /** DuckDB's texts of the transaction's time in a default, as it stores them. */
  private static final Map<String, SqlOperator> STATEMENT_TIMES = Map.of(
      "now()", SqlStdOperatorTable.CURRENT_TIMESTAMP,
      "current_timestamp", SqlStdOperatorTable.CURRENT_TIMESTAMP,
      "get_current_timestamp()", SqlStdOperatorTable.CURRENT_TIMESTAMP,
      "transaction_timestamp()", SqlStdOperatorTable.CURRENT_TIMESTAMP,
      "localtimestamp", SqlStdOperatorTable.LOCALTIMESTAMP,
      "current_date", SqlStdOperatorTable.CURRENT_DATE,
      "today()", SqlStdOperatorTable.CURRENT_DATE);

  /** Literals combined by arithmetic and string concatenation only. */
  private static boolean constant(SqlNode node) {
    if (node instanceof SqlLiteral) {
      return true;
    }
    if (node instanceof SqlCall call && CONSTANT_OPERATORS.contains(call.getOperator().getKind())) {
      return call.getOperandList().stream().allMatch(o -> o != null && constant(o));
    }
    return false;
  }

  private static final Set<SqlKind> CONSTANT_OPERATORS = EnumSet.of(SqlKind.PLUS, SqlKind.MINUS, SqlKind.TIMES,
      SqlKind.DIVIDE, SqlKind.MINUS_PREFIX, SqlKind.PLUS_PREFIX, SqlKind.OTHER);
}
