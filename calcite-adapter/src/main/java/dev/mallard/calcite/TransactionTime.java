package dev.mallard.calcite;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
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
 * statement of a JDBC transaction, see {@link LakeContext#transactionStart}), to the microsecond.
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
    return new Operator(type, digits);
  }

  /**
   * The operator of {@link #call}; its values are in the unit of its type already, so
   * {@link ExactTimestamps} leaves them as they are.
   */
  static final class Operator extends SqlUserDefinedFunction {
    private final RelDataType type;

    Operator(RelDataType type, int digits) {
      super(new SqlIdentifier("$transaction_time", SqlParserPos.ZERO), ReturnTypes.explicit(type), null,
          OperandTypes.CHARACTER, null, new Implementation(type, digits));
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
   * Called by generated code: the transaction's start as a TIMESTAMP value counting units of
   * {@code 10^-digits} seconds (see {@link TimestampUnits}), cut to {@code precision} digits;
   * {@code local}: as wall-clock time in the connection's zone.
   */
  public static long timestamp(DataContext root, String catalog, int digits, int precision, boolean local) {
    LakeContext lake = LakeFunctions.lake(root, catalog.isEmpty() ? null : catalog);
    Instant start = lake.transactionStart();
    long micros;
    if (local) {
      LocalDateTime wall = LocalDateTime.ofInstant(start, zone(lake));
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
  public static int date(DataContext root, String catalog) {
    LakeContext lake = LakeFunctions.lake(root, catalog.isEmpty() ? null : catalog);
    return (int) LocalDateTime.ofInstant(lake.transactionStart(), zone(lake)).toLocalDate().toEpochDay();
  }

  private static ZoneId zone(LakeContext lake) {
    return lake.catalog().config().timeZone();
  }

  private static final class Implementation implements ScalarFunction, ImplementableFunction {
    private final RelDataType type;
    private final int digits;

    Implementation(RelDataType type, int digits) {
      this.type = type;
      this.digits = digits;
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
          return Expressions.call(TransactionTime.class, "date", translator.getRoot(), operands.get(0));
        }
        int precision = Math.min(type.getPrecision(), 6);
        return Expressions.call(TransactionTime.class, "timestamp", translator.getRoot(), operands.get(0),
            Expressions.constant(digits), Expressions.constant(precision),
            Expressions.constant(type.getSqlTypeName() == SqlTypeName.TIMESTAMP));
      }, NullPolicy.NONE, false);
    }
  }
}
