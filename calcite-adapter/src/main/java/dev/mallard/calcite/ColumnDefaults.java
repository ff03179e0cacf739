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
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ColumnStrategy;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.util.BuiltInMethod;
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
 * the statement's time and arithmetic of constants are evaluated (see {@link #expression}); other
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
    RexNode expression = expression(columns.get(column), context);
    if (expression != null) {
      return rex.makeCast(type, expression);
    }
    String text = valueText(columns.get(column));
    return rex.makeCast(type, rex.makeLiteral(text));
  }

  /**
   * A default DuckDB keeps as an expression other than a typed constant: the statement's time
   * ({@code now()}, {@code current_timestamp}, {@code current_date}...: once per statement, as
   * DuckDB takes it once per transaction) or arithmetic of constants ({@code (1 + 2)}); null for a
   * typed constant. Other expressions ({@code random()}, {@code uuid()}, evaluated per row by
   * DuckDB) fail clearly.
   */
  private static RexNode expression(ColumnInfo column, InitializerContext context) {
    String text = column.defaultValue().trim();
    if (!ColumnInfo.EXPRESSION.equals(column.defaultValueType()) || CAST_OF_TEXT.matcher(text).matches()) {
      return null;
    }
    SqlOperator time = STATEMENT_TIMES.get(text.toLowerCase(Locale.ROOT).replace(" ", ""));
    if (time != null) {
      RexBuilder rex = context.getRexBuilder();
      if (time == SqlStdOperatorTable.CURRENT_DATE) {
        return rex.makeCall(time);
      }
      // To the millisecond, as Calcite keeps the statement's time (its default precision, 0, would cut it to the second).
      RelDataTypeFactory types = rex.getTypeFactory();
      if (column.type().kind() == TypeKind.TIMESTAMPTZ || column.type().kind() == TypeKind.TIMESTAMPTZ_NS) {
        // The instant itself: Calcite's cast of its local CURRENT_TIMESTAMP to a zoned type drops the milliseconds.
        return rex.makeCall(types.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 3), STATEMENT_INSTANT,
            List.of());
      }
      return rex.makeCall(types.createSqlType(SqlTypeName.TIMESTAMP, 3), time, List.of());
    }
    SqlNode parsed;
    try {
      parsed = SqlParser.create(text, LakeView.PARSER).parseExpression();
    } catch (SqlParseException e) {
      parsed = null;
    }
    if (parsed == null || !constant(parsed)) {
      throw new UserException("Column \"" + column.name() + "\" has the default " + text + ", an expression"
          + " Mallard cannot evaluate yet (it evaluates constants, arithmetic of them and the statement's time):"
          + " give the column a value");
    }
    return context.convertExpression(parsed);
  }

  /** The statement's start as an instant (Calcite's UTC_TIMESTAMP of the statement, in milliseconds). */
  private static final SqlOperator STATEMENT_INSTANT = new SqlUserDefinedFunction(
      new SqlIdentifier("$statement_instant", SqlParserPos.ZERO), ReturnTypes.TIMESTAMP_LTZ, null,
      OperandTypes.NILADIC, null, new StatementInstant());

  private static final class StatementInstant implements ScalarFunction, ImplementableFunction {
    @Override
    public RelDataType getReturnType(RelDataTypeFactory typeFactory) {
      return typeFactory.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 3);
    }

    @Override
    public List<FunctionParameter> getParameters() {
      return List.of();
    }

    @Override
    public CallImplementor getImplementor() {
      return RexImpTable.createImplementor((translator, call, operands) -> Expressions.unbox(Expressions.convert_(
          Expressions.call(translator.getRoot(), BuiltInMethod.DATA_CONTEXT_GET.method,
              Expressions.constant(DataContext.Variable.UTC_TIMESTAMP.camelName)), Long.class)),
          NullPolicy.NONE, false);
    }
  }

  /** DuckDB's texts of the statement's time in a default, as it stores them. */
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
