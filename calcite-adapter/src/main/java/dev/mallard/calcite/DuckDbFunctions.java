package dev.mallard.calcite;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlAbstractTimeFunction;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * DuckDB functions Calcite has no name for, looked up before Calcite's own (see
 * {@link MallardValidator#replacing}). Each is turned into an expression by {@link MallardPrepare}'s
 * convertlets.
 */
public final class DuckDbFunctions {
  private DuckDbFunctions() {}

  /**
   * {@code now()}, {@code get_current_timestamp()}, {@code transaction_timestamp()}: DuckDB's
   * TIMESTAMPTZ of the transaction's start (see {@link TransactionTime#convertlet}).
   */
  static final SqlFunction NOW = transactionTime("NOW");
  static final SqlFunction GET_CURRENT_TIMESTAMP = transactionTime("GET_CURRENT_TIMESTAMP");
  static final SqlFunction TRANSACTION_TIMESTAMP = transactionTime("TRANSACTION_TIMESTAMP");

  /**
   * {@code current_timestamp} and {@code localtimestamp} as TIMESTAMP(6), with DuckDB's fraction of a
   * second where Calcite's have none; {@code current_timestamp(3)} still cuts to 3 digits.
   */
  static final SqlFunction CURRENT_TIMESTAMP = new MicrosecondTime("CURRENT_TIMESTAMP");
  static final SqlFunction LOCALTIMESTAMP = new MicrosecondTime("LOCALTIMESTAMP");

  /**
   * {@code length}, {@code char_length} and {@code character_length} of a string: its code points,
   * as DuckDB counts (Calcite counts UTF-16 units: an emoji is 2); {@code length} of a list: its
   * elements.
   */
  static final SqlFunction LENGTH = scalar("LENGTH", ReturnTypes.BIGINT_NULLABLE,
      OperandTypes.or(OperandTypes.CHARACTER, OperandTypes.ARRAY), "length");
  static final SqlFunction CHAR_LENGTH = scalar("CHAR_LENGTH", ReturnTypes.BIGINT_NULLABLE,
      OperandTypes.CHARACTER, "length");
  static final SqlFunction CHARACTER_LENGTH = scalar("CHARACTER_LENGTH", ReturnTypes.BIGINT_NULLABLE,
      OperandTypes.CHARACTER, "length");

  /**
   * {@code upper} and {@code lower} code point by code point, as DuckDB maps case ({@code ß} is
   * {@code ẞ} in upper case, not {@code SS}; {@code ﬁ} stays one character).
   */
  static final SqlFunction UPPER = scalar("UPPER", ReturnTypes.ARG0_NULLABLE, OperandTypes.CHARACTER, "upper");
  static final SqlFunction LOWER = scalar("LOWER", ReturnTypes.ARG0_NULLABLE, OperandTypes.CHARACTER, "lower");

  static final SqlOperatorTable TABLE = SqlOperatorTables.of(List.of(NOW, GET_CURRENT_TIMESTAMP,
      TRANSACTION_TIMESTAMP, CURRENT_TIMESTAMP, LOCALTIMESTAMP, LENGTH, CHAR_LENGTH, CHARACTER_LENGTH, UPPER, LOWER,
      DuckDbDivision.DIVIDE, DuckDbDivision.INTEGER_DIVIDE, DuckDbDivision.REMAINDER,
      DuckDbPower.POWER));

  private static SqlFunction scalar(String name, SqlReturnTypeInference returns, SqlOperandTypeChecker operands,
      String method) {
    return new Scalar(name, returns, operands, method);
  }

  /** A function of one argument implemented by a static method of this class. */
  private static final class Scalar extends SqlUserDefinedFunction {
    private final SqlOperandTypeChecker operands;

    Scalar(String name, SqlReturnTypeInference returns, SqlOperandTypeChecker operands, String method) {
      super(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, returns, null, null,
          ScalarFunctionImpl.create(DuckDbFunctions.class, method));
      this.operands = operands;
    }

    @Override
    public SqlOperandCountRange getOperandCountRange() {
      return SqlOperandCountRanges.of(1);
    }

    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      return operands.checkOperandTypes(binding, throwOnFailure);
    }
  }

  /** Called by generated code: the code points of a string, or the elements of a list. */
  public static Long length(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      return (long) list.size();
    }
    String s = value.toString();
    return (long) s.codePointCount(0, s.length());
  }

  /**
   * Called by generated code. Java's simple case mapping is DuckDB's for every character Java's
   * Unicode version knows, but for {@code ß}; characters newer than it are left as they are.
   */
  public static String upper(String s) {
    return s == null ? null : mapCodePoints(s, cp -> cp == 0xDF ? 0x1E9E : Character.toUpperCase(cp));
  }

  /** Called by generated code; see {@link #upper}. */
  public static String lower(String s) {
    return s == null ? null : mapCodePoints(s, Character::toLowerCase);
  }

  private static String mapCodePoints(String s, java.util.function.IntUnaryOperator map) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().map(map).forEach(out::appendCodePoint);
    return out.toString();
  }

  private static final class MicrosecondTime extends SqlAbstractTimeFunction {
    MicrosecondTime(String name) {
      super(name, SqlTypeName.TIMESTAMP);
    }

    @Override
    public RelDataType inferReturnType(SqlOperatorBinding opBinding) {
      return opBinding.getOperandCount() == 0
          ? opBinding.getTypeFactory().createSqlType(SqlTypeName.TIMESTAMP, 6) : super.inferReturnType(opBinding);
    }
  }

  private static SqlFunction transactionTime(String name) {
    return new SqlFunction(name, SqlKind.OTHER_FUNCTION,
        ReturnTypes.explicit(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6), null, OperandTypes.NILADIC,
        SqlFunctionCategory.TIMEDATE) {
      @Override
      public boolean isDynamicFunction() {
        return true;
      }

      @Override
      public boolean isDeterministic() {
        return false;
      }
    };
  }

  static boolean isTransactionTime(org.apache.calcite.sql.SqlOperator op) {
    return op == NOW || op == GET_CURRENT_TIMESTAMP || op == TRANSACTION_TIMESTAMP || op == CURRENT_TIMESTAMP
        || op == LOCALTIMESTAMP;
  }
}
