package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ColumnStrategy;
import org.apache.calcite.sql2rel.InitializerContext;
import org.apache.calcite.sql2rel.NullInitializerExpressionFactory;

/**
 * What an INSERT puts in the columns it does not name ({@code INSERT INTO t (a) ...}, or
 * {@code DEFAULT}): the column's default, as DuckDB does, else NULL. DuckLake keeps a default as
 * text ({@code ducklake_column.default_value}): a literal's text, or DuckDB SQL, which for typed
 * constants is {@code CAST('text' AS type)}. Both become the text a cast to the column's type reads;
 * other expressions ({@code now()}) fail clearly when a row needs them.
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
    String text = valueText(columns.get(column));
    RelDataType type = table.getRowType().getFieldList().get(column).getType();
    RexBuilder rex = context.getRexBuilder();
    return rex.makeCast(type, rex.makeLiteral(text));
  }
}
