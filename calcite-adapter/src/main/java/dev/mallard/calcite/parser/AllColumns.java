package dev.mallard.calcite.parser;

import dev.mallard.engine.MallardException.UserException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.util.Util;

/**
 * DuckDB's "all the select items" clauses. {@code ORDER BY ALL} and {@code ORDER BY COLUMNS(*)} (the
 * form DuckDB stores ORDER BY ALL in a view's SQL) sort by every column of the select list, left to
 * right, each with the item's ASC/DESC and NULLS; {@code GROUP BY ALL} groups by every select item
 * that has no aggregate or window function. The parser keeps them as written; the validator expands
 * them once it knows the select list.
 */
public final class AllColumns {
  private static final SqlSpecialOperator GROUP_BY_ALL = new SqlSpecialOperator("ALL", SqlKind.OTHER);

  /** Words (and the end of the text) after which GROUP BY ALL has no grouping list. */
  private static final Set<String> CLAUSE_ENDS = Set.of("HAVING", "WINDOW", "QUALIFY", "ORDER", "LIMIT",
      "OFFSET", "FETCH", "UNION", "INTERSECT", "EXCEPT", "MINUS", ")", ";");

  private AllColumns() {}

  /** {@code COLUMNS(*)}: what ORDER BY ALL parses to. */
  public static SqlNode columnsStar(SqlParserPos pos) {
    SqlUnresolvedFunction columns = new SqlUnresolvedFunction(new SqlIdentifier("COLUMNS", pos), null, null,
        null, null, SqlFunctionCategory.USER_DEFINED_FUNCTION);
    return columns.createCall(pos, SqlIdentifier.star(pos));
  }

  /** Whether the token after GROUP BY ALL ends the GROUP BY clause. */
  public static boolean endsClause(String image, boolean endOfInput) {
    return endOfInput || CLAUSE_ENDS.contains(image.toUpperCase(Locale.ROOT));
  }

  /** The grouping list of GROUP BY ALL, marked for the validator. */
  public static SqlNodeList groupByAll(SqlParserPos pos) {
    return new SqlNodeList(List.of(GROUP_BY_ALL.createCall(pos)), pos);
  }

  /** Whether an ORDER BY list has an ALL / COLUMNS(*) item. */
  public static boolean ordersByAll(SqlNodeList order) {
    return order != null && order.stream().anyMatch(item -> isColumnsStar(unwrapOrder(item)));
  }

  /**
   * Replaces each ALL / COLUMNS(*) item of the ORDER BY list with the ordinals 1 to {@code columns},
   * each wrapped as the item was (DESC, NULLS FIRST/LAST).
   */
  public static void expandOrder(SqlNodeList order, int columns) {
    List<SqlNode> expanded = new ArrayList<>();
    for (SqlNode item : order) {
      if (!isColumnsStar(unwrapOrder(item))) {
        expanded.add(item);
        continue;
      }
      for (int i = 1; i <= columns; i++) {
        SqlNode ordinal = SqlLiteral.createExactNumeric(Integer.toString(i), item.getParserPosition());
        expanded.add(rewrap(item, ordinal));
      }
    }
    order.clear();
    order.addAll(expanded);
  }

  /**
   * Whether the GROUP BY list is GROUP BY ALL.
   */
  public static boolean groupsByAll(SqlNodeList group) {
    return group != null && group.size() == 1 && group.get(0) instanceof SqlCall call
        && call.getOperator() == GROUP_BY_ALL;
  }

  /**
   * The GROUP BY list GROUP BY ALL stands for: the ordinals of the select items without aggregates or
   * window functions (constants left out: they do not change the groups).
   */
  public static SqlNodeList groupingItems(SqlNodeList selectList, SqlParserPos pos) {
    SqlNodeList out = new SqlNodeList(pos);
    int ordinal = 0;
    for (SqlNode item : selectList) {
      ordinal++;
      SqlNode expr = item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
      if (expr instanceof SqlIdentifier id && id.isStar()) {
        throw new UserException("GROUP BY ALL with * in the select list is not supported by Mallard:"
            + " name the columns to group by");
      }
      if (expr instanceof SqlLiteral || aggregates(expr)) {
        continue;
      }
      out.add(SqlLiteral.createExactNumeric(Integer.toString(ordinal), pos));
    }
    return out;
  }

  private static boolean aggregates(SqlNode expr) {
    try {
      expr.accept(new SqlBasicVisitor<Void>() {
        @Override
        public Void visit(SqlCall call) {
          if (call.getOperator().isAggregator() || call.getKind() == SqlKind.OVER
              || call.getKind() == SqlKind.FILTER || call.getKind() == SqlKind.WITHIN_GROUP) {
            throw Util.FoundOne.NULL;
          }
          for (SqlNode operand : call.getOperandList()) {
            if (operand != null) { // CASE without a value has a null operand
              operand.accept(this);
            }
          }
          return null;
        }
      });
      return false;
    } catch (Util.FoundOne found) {
      return true;
    }
  }

  private static boolean isColumnsStar(SqlNode node) {
    return node instanceof SqlCall call && call.getOperator() instanceof SqlUnresolvedFunction f
        && f.getName().equalsIgnoreCase("COLUMNS") && call.operandCount() == 1
        && call.operand(0) instanceof SqlIdentifier id && id.isStar() && id.names.size() == 1;
  }

  private static SqlNode unwrapOrder(SqlNode item) {
    SqlNode node = item;
    while (node.getKind() == SqlKind.DESCENDING || node.getKind() == SqlKind.NULLS_FIRST
        || node.getKind() == SqlKind.NULLS_LAST) {
      node = ((SqlCall) node).operand(0);
    }
    return node;
  }

  /** {@code ordinal} wrapped in the DESC / NULLS calls that wrap {@code item}'s core. */
  private static SqlNode rewrap(SqlNode item, SqlNode ordinal) {
    if (item instanceof SqlBasicCall call && (item.getKind() == SqlKind.DESCENDING
        || item.getKind() == SqlKind.NULLS_FIRST || item.getKind() == SqlKind.NULLS_LAST)) {
      return call.getOperator().createCall(call.getParserPosition(), rewrap(call.operand(0), ordinal));
    }
    return ordinal;
  }
}
