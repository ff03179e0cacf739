package dev.mallard.calcite;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * DuckDB's division. {@code a / b} of integers or decimals is a DOUBLE ({@code 7 / 2} is 3.5, and
 * {@code 1 / 0} is infinity, as for doubles); Calcite divided integers as integers. {@code a // b}
 * is DuckDB's integer division ({@code 7 // 2} is 3, of the wider integer type; of decimals and
 * floats it is {@code /} as a DOUBLE or FLOAT), and NULL where {@code b} is 0. {@code a % b} and
 * {@code mod(a, b)} are NULL where an integer or decimal b is 0 (NaN of floats), and of the type
 * DuckDB gives (a DOUBLE % a decimal was a DECIMAL in Calcite, which cut the double's digits).
 *
 * <p>Calcite's parser makes its own {@code /}; its validator looks the operator up by name in the
 * operator table, where {@link #DIVIDE} comes first ({@link DuckDbFunctions#TABLE}). Both operators
 * are turned into Calcite's division of the right types by {@link #convertlet}.
 */
public final class DuckDbDivision {
  private DuckDbDivision() {}

  /** {@code /}: a DOUBLE of exact numbers, Calcite's division of anything else (floats, intervals). */
  public static final SqlBinaryOperator DIVIDE = new SqlBinaryOperator("/", SqlKind.DIVIDE, 60, true,
      DuckDbDivision::divideType, InferTypes.FIRST_KNOWN, OperandTypes.DIVISION_OPERATOR);

  /** {@code a % b}: NULL where b is an integer or decimal 0, as in DuckDB (Calcite failed: "Division by zero"). */
  public static final SqlBinaryOperator REMAINDER = new SqlBinaryOperator("%", SqlKind.MOD, 60, true,
      DuckDbDivision::remainderType, InferTypes.FIRST_KNOWN, OperandTypes.NUMERIC_NUMERIC);

  private static final SqlOperator FLOAT_REMAINDER = new SqlUserDefinedFunction(
      new SqlIdentifier("$float_remainder", SqlParserPos.ZERO), ReturnTypes.DOUBLE_NULLABLE, null,
      OperandTypes.NUMERIC_NUMERIC, null, ScalarFunctionImpl.create(DuckDbDivision.class, "floatRemainder"));

  /** Called by generated code: DuckDB's remainder of floats (C's fmod, Java's %: NaN where b is 0). */
  public static Double floatRemainder(Double a, Double b) {
    return a == null || b == null ? null : a % b;
  }

  /** {@code //}, read by Mallard's parser (includes/division.ftl); SQL's {@code //} was a comment. */
  public static final SqlBinaryOperator INTEGER_DIVIDE = new SqlBinaryOperator("//", SqlKind.OTHER, 60, true,
      DuckDbDivision::integerDivideType, InferTypes.FIRST_KNOWN, OperandTypes.NUMERIC_NUMERIC);

  /** An integer or decimal; or an untyped NULL, which DuckDB types as an INTEGER ({@code NULL / 2} is a DOUBLE). */
  private static boolean exact(RelDataType type) {
    return SqlTypeUtil.isExactNumeric(type) || type.getSqlTypeName() == SqlTypeName.NULL;
  }

  private static boolean integer(RelDataType type) {
    return SqlTypeName.INT_TYPES.contains(type.getSqlTypeName()) || type.getSqlTypeName() == SqlTypeName.NULL;
  }

  /**
   * DuckDB's type of {@code a / b}: a DOUBLE of integers and decimals, and of anything with a
   * DOUBLE; a FLOAT (REAL here) of FLOATs with FLOATs, integers or decimals. Calcite's own type
   * otherwise (an interval divided by a number).
   */
  private static RelDataType divideType(SqlOperatorBinding binding) {
    RelDataType a = binding.getOperandType(0);
    RelDataType b = binding.getOperandType(1);
    RelDataType quotient = numericQuotient(binding.getTypeFactory(), a, b);
    return quotient != null ? quotient : ReturnTypes.QUOTIENT_NULLABLE.inferReturnType(binding);
  }

  /** The DOUBLE or REAL quotient of two numbers (or NULLs), with their nullability; null if either is no number. */
  private static RelDataType numericQuotient(RelDataTypeFactory types, RelDataType a, RelDataType b) {
    if (!number(a) || !number(b)) {
      return null;
    }
    SqlTypeName name = real(a) && (real(b) || exact(b)) || exact(a) && real(b) ? SqlTypeName.REAL : SqlTypeName.DOUBLE;
    return types.createTypeWithNullability(types.createSqlType(name), a.isNullable() || b.isNullable());
  }

  private static boolean number(RelDataType type) {
    return SqlTypeUtil.isNumeric(type) || type.getSqlTypeName() == SqlTypeName.NULL;
  }

  private static boolean real(RelDataType type) {
    return type.getSqlTypeName() == SqlTypeName.REAL;
  }

  /** The type of {@code a // b}: the wider integer type of integers, {@code /}'s otherwise; NULL where b is 0. */
  private static RelDataType integerDivideType(SqlOperatorBinding binding) {
    RelDataType a = binding.getOperandType(0);
    RelDataType b = binding.getOperandType(1);
    RelDataTypeFactory types = binding.getTypeFactory();
    RelDataType quotient = integer(a) && integer(b) ? types.leastRestrictive(List.of(a, b)) : divideType(binding);
    if (quotient.getSqlTypeName() == SqlTypeName.NULL) {
      quotient = types.createSqlType(SqlTypeName.BIGINT); // NULL // NULL, a BIGINT in DuckDB
    }
    return types.createTypeWithNullability(quotient, true);
  }

  /**
   * DuckDB's type of {@code a % b}: the wider integer type of integers, Calcite's decimal type of
   * decimals, {@code /}'s type of floats; nullable, for b may be 0.
   */
  private static RelDataType remainderType(SqlOperatorBinding binding) {
    RelDataType a = binding.getOperandType(0);
    RelDataType b = binding.getOperandType(1);
    RelDataTypeFactory types = binding.getTypeFactory();
    RelDataType remainder;
    if (integer(a) && integer(b)) {
      remainder = types.leastRestrictive(List.of(a, b));
      if (remainder.getSqlTypeName() == SqlTypeName.NULL) {
        remainder = types.createSqlType(SqlTypeName.INTEGER);
      }
    } else if (exact(a) && exact(b)) {
      remainder = SqlStdOperatorTable.PERCENT_REMAINDER.inferReturnType(binding);
    } else {
      remainder = numericQuotient(types, a, b);
    }
    return types.createTypeWithNullability(remainder, true);
  }

  /** How {@code call} becomes an expression, if it is one of these divisions; otherwise null. */
  static SqlRexConvertlet convertlet(SqlCall call) {
    if (call.getOperator() == DIVIDE) {
      return DuckDbDivision::convertDivide;
    }
    if (call.getOperator() == INTEGER_DIVIDE) {
      return DuckDbDivision::convertIntegerDivide;
    }
    if (call.getOperator() == REMAINDER) {
      return DuckDbDivision::convertRemainder;
    }
    return null;
  }

  private static RexNode convertDivide(SqlRexContext cx, SqlCall call) {
    RelDataType type = cx.getValidator().getValidatedNodeType(call);
    RelDataType a = cx.getValidator().getValidatedNodeType(call.operand(0));
    RelDataType b = cx.getValidator().getValidatedNodeType(call.operand(1));
    if (number(a) && number(b)) {
      return quotient(cx.getRexBuilder(), cx.convertExpression(call.operand(0)), cx.convertExpression(call.operand(1)),
          type);
    }
    // Calcite's own division (of an interval), converted as Calcite converts it.
    SqlBasicCall calcite = (SqlBasicCall) call;
    calcite.setOperator(SqlStdOperatorTable.DIVIDE);
    try {
      return StandardConvertletTable.INSTANCE.get(calcite).convertCall(cx, calcite);
    } finally {
      calcite.setOperator(DIVIDE);
    }
  }

  /** Calcite's division of {@code a} and {@code b}, each cast to {@code type} (nullable as it was). */
  private static RexNode quotient(RexBuilder rex, RexNode a, RexNode b, RelDataType type) {
    return rex.makeCall(type, SqlStdOperatorTable.DIVIDE, List.of(cast(rex, a, type), cast(rex, b, type)));
  }

  /** {@code value} cast to {@code type}, nullable as {@code value} is. */
  static RexNode cast(RexBuilder rex, RexNode value, RelDataType type) {
    return rex.makeCast(rex.getTypeFactory().createTypeWithNullability(type, value.getType().isNullable()), value);
  }

  /** {@code CASE WHEN b = 0 THEN NULL ELSE value END}: DuckDB's NULL where an exact divisor is 0. */
  private static RexNode nullWhereZero(RexBuilder rex, RexNode b, RelDataType type, RexNode value) {
    RexNode zero = rex.makeCall(SqlStdOperatorTable.EQUALS, b, rex.makeZeroLiteral(b.getType()));
    return rex.makeCall(type, SqlStdOperatorTable.CASE, List.of(zero, rex.makeNullLiteral(type), value));
  }

  /** {@code CASE WHEN b = 0 THEN NULL ELSE a / b END}, the division of integers, or {@code /}'s of other numbers. */
  private static RexNode convertIntegerDivide(SqlRexContext cx, SqlCall call) {
    RexBuilder rex = cx.getRexBuilder();
    RelDataType type = cx.getValidator().getValidatedNodeType(call);
    RexNode a = cx.convertExpression(call.operand(0));
    RexNode b = cx.convertExpression(call.operand(1));
    if (a.getType().getSqlTypeName() == SqlTypeName.NULL || b.getType().getSqlTypeName() == SqlTypeName.NULL) {
      return rex.makeNullLiteral(type);
    }
    return nullWhereZero(rex, b, type, quotient(rex, a, b, type));
  }

  /** {@code CASE WHEN b = 0 THEN NULL ELSE mod(a, b) END} of integers and decimals; fmod of floats. */
  private static RexNode convertRemainder(SqlRexContext cx, SqlCall call) {
    RexBuilder rex = cx.getRexBuilder();
    RelDataType type = cx.getValidator().getValidatedNodeType(call);
    RexNode a = cx.convertExpression(call.operand(0));
    RexNode b = cx.convertExpression(call.operand(1));
    if (a.getType().getSqlTypeName() == SqlTypeName.NULL || b.getType().getSqlTypeName() == SqlTypeName.NULL) {
      return rex.makeNullLiteral(type);
    }
    if (!exact(a.getType()) || !exact(b.getType())) {
      RelDataType doubles = rex.getTypeFactory().createSqlType(SqlTypeName.DOUBLE);
      RexNode remainder = rex.makeCall(FLOAT_REMAINDER, cast(rex, a, doubles), cast(rex, b, doubles));
      return rex.makeCast(type, remainder);
    }
    RexNode remainder = integer(type) ? rex.makeCall(type, SqlStdOperatorTable.MOD, List.of(cast(rex, a, type), cast(rex, b, type)))
        : rex.makeCall(type, SqlStdOperatorTable.MOD, List.of(a, b));
    return nullWhereZero(rex, b, type, remainder);
  }
}
