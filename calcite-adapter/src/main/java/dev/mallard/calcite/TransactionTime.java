package dev.mallard.calcite;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * The time of a column default such as {@code now()} or {@code current_timestamp}: DuckDB's
 * {@code get_current_timestamp()}, the start of the transaction (the same for every row and every
 * statement of a JDBC transaction, see {@link LakeContext#transactionStart}), to the millisecond.
 * A zoned column gets the instant; a TIMESTAMP column, and {@code current_date}, the wall-clock time
 * in the connection's time zone, as DuckDB casts in its session's {@code TimeZone}.
 */
public final class TransactionTime {
  private TransactionTime() {}

  /**
   * A call giving the transaction's time as a value of {@code type} (a TIMESTAMP, TIMESTAMP WITH
   * LOCAL TIME ZONE or DATE), in the lake mounted as {@code catalog} (null: the connection's only one).
   */
  static SqlCall call(RelDataTypeFactory types, RelDataType type, String catalog) {
    return operator(types, type).createCall(SqlParserPos.ZERO,
        org.apache.calcite.sql.SqlLiteral.createCharString(catalog == null ? "" : catalog, SqlParserPos.ZERO));
  }

  /** The operator of {@link #call}: typed by the column, evaluated when the row is made (never folded). */
  static SqlOperator operator(RelDataTypeFactory types, RelDataType type) {
    // The unit a TIMESTAMP value counts in this connection (see TimestampUnits).
    int digits = MallardTypeSystem.exactTimestamps(types.getTypeSystem()) ? TimestampUnits.digits(type) : 3;
    return new Operator(type, digits, false);
  }

  /**
   * The operator of {@link #call}; its values are in the unit of its type already, so
   * {@link ExactTimestamps} leaves them as they are.
   */
  static final class Operator extends SqlUserDefinedFunction {
    private final RelDataType type;

    /** @param statement a statement's time (to the millisecond), not a default's (to the microsecond) */
    Operator(RelDataType type, int digits, boolean statement) {
      super(new SqlIdentifier("$transaction_time", SqlParserPos.ZERO), ReturnTypes.explicit(type), null,
          OperandTypes.CHARACTER, null, new Implementation(type, digits, statement));
      this.type = type;
    }

    @Override
    public boolean isDeterministic() {
      return false;
    }

    @Override
    public boolean isDynamicFunction() {
      return true;
    }

    @Override
    public org.apache.calcite.sql.SqlOperandCountRange getOperandCountRange() {
      return org.apache.calcite.sql.type.SqlOperandCountRanges.of(1);
    }

    /** Already resolved: no lookup by name in the operator table, where it is not. */
    @Override
    public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
      for (org.apache.calcite.sql.SqlNode operand : call.getOperandList()) {
        validator.deriveType(scope, operand);
      }
      validator.setValidatedNodeType(call, type);
      return type;
    }
  }

  /**
   * The conversion of {@code current_timestamp}, {@code localtimestamp}, {@code current_date} and
   * DuckDB's {@code now()} (see {@link DuckDbFunctions}) in a statement: the transaction's time, as
   * DuckDB gives it, typed as the validator typed the call, but cut to the millisecond (a default
   * keeps the microseconds): Calcite computes casts and arithmetic of timestamps in milliseconds, and
   * Mallard refuses to round finer digits away (see {@link TimestampUnits}), so that
   * {@code now() - INTERVAL '1' DAY} works. Null for other calls.
   */
  static SqlRexConvertlet convertlet(SqlCall call) {
    SqlOperator op = call.getOperator();
    if (op != SqlStdOperatorTable.CURRENT_TIMESTAMP && op != SqlStdOperatorTable.LOCALTIMESTAMP
        && op != SqlStdOperatorTable.CURRENT_DATE && !DuckDbFunctions.isTransactionTime(op)) {
      return null;
    }
    return (cx, c) -> {
      RexBuilder rex = cx.getRexBuilder();
      RelDataType type = cx.getValidator().getValidatedNodeTypeIfKnown(c);
      if (type == null) {
        type = unvalidatedType(rex.getTypeFactory(), c); // an expression converted unvalidated: a time travel's AT
      }
      int digits = MallardTypeSystem.exactTimestamps(rex.getTypeFactory().getTypeSystem())
          ? TimestampUnits.digits(type) : 3;
      return rex.makeCall(type, new Operator(type, digits, true), List.of(rex.makeLiteral("")));
    };
  }

  /** The type the validator gives these calls (see {@link DuckDbFunctions}). */
  private static RelDataType unvalidatedType(RelDataTypeFactory types, SqlCall call) {
    SqlOperator op = call.getOperator();
    if (op == SqlStdOperatorTable.CURRENT_DATE) {
      return types.createSqlType(SqlTypeName.DATE);
    }
    if (op == DuckDbFunctions.NOW || op == DuckDbFunctions.GET_CURRENT_TIMESTAMP
        || op == DuckDbFunctions.TRANSACTION_TIMESTAMP) {
      return types.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
    }
    int precision = call.operandCount() == 1 && call.operand(0) instanceof org.apache.calcite.sql.SqlLiteral p
        ? p.intValue(true) : 6;
    return types.createSqlType(SqlTypeName.TIMESTAMP, precision);
  }

  /**
   * Called by generated code: the transaction's start as a TIMESTAMP value counting units of
   * {@code 10^-digits} seconds (see {@link TimestampUnits}), cut to {@code precision} digits;
   * {@code local}: as wall-clock time in the connection's zone; {@code statement}: for a query (see
   * {@link #start}), not a default.
   */
  public static long timestamp(DataContext root, String catalog, int digits, int precision, boolean local,
      boolean statement) {
    LakeContext lake = lake(root, catalog, statement);
    Instant start = start(root, lake, statement);
    long micros;
    if (local) {
      LocalDateTime wall = LocalDateTime.ofInstant(start, zone(root, lake));
      micros = wall.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + wall.getNano() / 1000;
    } else {
      micros = start.getEpochSecond() * 1_000_000L + start.getNano() / 1000;
    }
    long cut = 1;
    for (int p = precision; p < 6; p++) {
      cut *= 10;
    }
    micros = Math.floorDiv(micros, cut) * cut;
    return digits == 3 ? Math.floorDiv(micros, 1000L) : digits == 6 ? micros : micros * 1000L;
  }

  /** Called by generated code: the transaction's start as a DATE in the connection's zone. */
  public static int date(DataContext root, String catalog, boolean statement) {
    LakeContext lake = lake(root, catalog, statement);
    return (int) LocalDateTime.ofInstant(start(root, lake, statement), zone(root, lake)).toLocalDate().toEpochDay();
  }

  /**
   * The lake named, or the connection's only one; for a statement, null when the connection has
   * none or several.
   */
  private static LakeContext lake(DataContext root, String catalog, boolean statement) {
    if (!statement) {
      return LakeFunctions.lake(root, catalog.isEmpty() ? null : catalog);
    }
    try {
      return LakeFunctions.lake(root, null);
    } catch (dev.mallard.engine.MallardException.UserException e) {
      return null;
    }
  }

  /**
   * A default's time: the start of the lake's transaction (see {@link LakeContext#transactionStart}).
   * A statement's: the start of the lake's JDBC transaction; outside one (auto-commit on, nothing
   * written yet), or without a lake, the statement's start, which Calcite fixes once per execution.
   */
  private static Instant start(DataContext root, LakeContext lake, boolean statement) {
    if (!statement) {
      return lake.transactionStart();
    }
    Instant start = lake == null ? null : lake.openTransactionStart();
    if (start != null) {
      return start;
    }
    Object millis = root.get(DataContext.Variable.UTC_TIMESTAMP.camelName);
    return millis instanceof Long m ? Instant.ofEpochMilli(m) : Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static ZoneId zone(DataContext root, LakeContext lake) {
    if (lake != null) {
      return lake.catalog().config().timeZone();
    }
    Object zone = root.get(DataContext.Variable.TIME_ZONE.camelName);
    return zone instanceof java.util.TimeZone tz ? tz.toZoneId() : ZoneId.systemDefault();
  }

  private static final class Implementation implements ScalarFunction, ImplementableFunction {
    private final RelDataType type;
    private final int digits;
    private final boolean statement;

    Implementation(RelDataType type, int digits, boolean statement) {
      this.type = type;
      this.digits = digits;
      this.statement = statement;
    }

    @Override
    public RelDataType getReturnType(RelDataTypeFactory typeFactory) {
      return type;
    }

    @Override
    public List<FunctionParameter> getParameters() {
      return List.of();
    }

    @Override
    public CallImplementor getImplementor() {
      return RexImpTable.createImplementor((translator, call, operands) -> {
        if (type.getSqlTypeName() == SqlTypeName.DATE) {
          return Expressions.call(TransactionTime.class, "date", translator.getRoot(), operands.get(0),
              Expressions.constant(statement));
        }
        int precision = Math.min(type.getPrecision(), statement ? 3 : 6);
        return Expressions.call(TransactionTime.class, "timestamp", translator.getRoot(), operands.get(0),
            Expressions.constant(digits), Expressions.constant(precision),
            Expressions.constant(type.getSqlTypeName() == SqlTypeName.TIMESTAMP), Expressions.constant(statement));
      }, NullPolicy.NONE, false);
    }
  }
}
