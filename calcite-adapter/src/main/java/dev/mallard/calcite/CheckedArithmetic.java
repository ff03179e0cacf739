package dev.mallard.calcite;

import java.util.Map;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Integer {@code +}, {@code -}, {@code *} and negation fail when the result overflows its type, as
 * DuckDB's do ("Out of Range Error: Overflow in addition of INT32"), instead of wrapping around as
 * Java's do ({@code 100000 * 100000} was 1410065408). Calcite's own conversion
 * ({@code ConvertToChecked}) would also wrap every decimal operation in a cast; decimals are left
 * as they are.
 */
final class CheckedArithmetic {
  private static final Map<SqlKind, SqlOperator> CHECKED = Map.of(
      SqlKind.PLUS, SqlStdOperatorTable.CHECKED_PLUS,
      SqlKind.MINUS, SqlStdOperatorTable.CHECKED_MINUS,
      SqlKind.TIMES, SqlStdOperatorTable.CHECKED_MULTIPLY,
      SqlKind.MINUS_PREFIX, SqlStdOperatorTable.CHECKED_UNARY_MINUS);

  private CheckedArithmetic() {}

  static RelNode rewrite(RelNode rel) {
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        return visited.accept(new Checked(visited.getCluster().getRexBuilder()));
      }
    });
  }

  private static final class Checked extends RexShuttle {
    private final RexBuilder rex;

    Checked(RexBuilder rex) {
      this.rex = rex;
    }

    @Override
    public RexNode visitCall(RexCall call) {
      RexNode visited = super.visitCall(call);
      if (!(visited instanceof RexCall c) || !isInteger(c.getType().getSqlTypeName())
          || !c.getOperands().stream().allMatch(o -> isInteger(o.getType().getSqlTypeName()))) {
        return visited;
      }
      SqlOperator checked = CHECKED.get(c.getKind());
      return checked == null ? visited : rex.makeCall(c.getType(), checked, c.getOperands());
    }

    private static boolean isInteger(SqlTypeName type) {
      return type == SqlTypeName.TINYINT || type == SqlTypeName.SMALLINT || type == SqlTypeName.INTEGER
          || type == SqlTypeName.BIGINT;
    }
  }
}
