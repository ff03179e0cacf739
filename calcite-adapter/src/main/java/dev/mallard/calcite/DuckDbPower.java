package dev.mallard.calcite;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;

/**
 * DuckDB's {@code a ^ b}: a to the power b, a DOUBLE ({@code 2 ^ 3} is 8.0). Calcite read it as the
 * bitwise exclusive or ({@code 2 ^ 3} was 1). It binds tighter than {@code *} and {@code /} and from
 * the left ({@code 2 * 3 ^ 2} is 18, {@code 2 ^ 3 ^ 2} is 64), and looser than a sign ({@code -2 ^ 2}
 * is 4): Mallard's parser makes it (templates/Parser.jj), and the validator finds it by name first in
 * {@link DuckDbFunctions#TABLE}.
 */
public final class DuckDbPower {
  private DuckDbPower() {}

  public static final SqlBinaryOperator POWER = new SqlBinaryOperator("^", SqlKind.OTHER, 70, true,
      ReturnTypes.DOUBLE_NULLABLE, InferTypes.FIRST_KNOWN, OperandTypes.NUMERIC_NUMERIC);

  /** How {@code call} becomes an expression, if it is a power; otherwise null. */
  static SqlRexConvertlet convertlet(SqlCall call) {
    return call.getOperator() == POWER ? DuckDbPower::convertPower : null;
  }

  private static RexNode convertPower(SqlRexContext cx, SqlCall call) {
    RexBuilder rex = cx.getRexBuilder();
    RelDataType type = cx.getValidator().getValidatedNodeType(call);
    RexNode a = cx.convertExpression(call.operand(0));
    RexNode b = cx.convertExpression(call.operand(1));
    if (a.getType().getSqlTypeName() == SqlTypeName.NULL || b.getType().getSqlTypeName() == SqlTypeName.NULL) {
      return rex.makeNullLiteral(type);
    }
    RelDataType doubles = rex.getTypeFactory().createSqlType(SqlTypeName.DOUBLE);
    return rex.makeCall(type, SqlStdOperatorTable.POWER,
        List.of(DuckDbDivision.cast(rex, a, doubles), DuckDbDivision.cast(rex, b, doubles)));
  }
}
