package dev.mallard.calcite.parser;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSnapshot;
import org.apache.calcite.sql.SqlTableRef;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * Time travel as the parser builds it. Every form is a {@link SqlSnapshot} around the table, the node
 * Calcite's own {@code FOR SYSTEM_TIME AS OF} produces, so that the validator and
 * SqlToRelConverter carry it to a {@code LogicalSnapshot} unchanged:
 *
 * <ul>
 *   <li>{@code t FOR SYSTEM_TIME AS OF expr} and DuckDB's {@code t AT (TIMESTAMP => expr)}: the period
 *       is {@code expr}, a point in time;
 *   <li>DuckDB's {@code t AT (VERSION => n)} and Mallard's {@code t FOR SYSTEM_TIME AS OF SNAPSHOT n}:
 *       the period is {@code DUCKLAKE_VERSION(n)}, a call of {@link #DUCKLAKE_VERSION}, which marks a
 *       snapshot id.
 * </ul>
 *
 * <p>An alias stays outside: {@code t AS x AT (VERSION => 3)} is {@code AS(SNAPSHOT(t, ...), x)}, as for
 * {@code t FOR SYSTEM_TIME AS OF ... AS x}.
 */
public final class TimeTravel {
  private TimeTravel() {}

  /**
   * {@code DUCKLAKE_VERSION(n)}: the period of a snapshot-id time travel. It is typed TIMESTAMP because
   * the validator requires a timestamp period; it is a marker for the planner, never evaluated. It
   * unparses as {@code SNAPSHOT n}, which the parser reads back into the same call.
   */
  public static final SqlFunction DUCKLAKE_VERSION = new VersionFunction();

  /** Whether a snapshot's period is a snapshot id (a call of {@link #DUCKLAKE_VERSION}). */
  public static boolean isVersion(SqlNode period) {
    return period instanceof SqlCall call && call.getOperator() == DUCKLAKE_VERSION;
  }

  static SqlCall version(SqlNode snapshotId, SqlParserPos pos) {
    return DUCKLAKE_VERSION.createCall(pos, snapshotId);
  }

  /** Applies {@code AT (VERSION => e)} or {@code AT (TIMESTAMP => e)} to a table reference. */
  static SqlNode at(SqlNode tableRef, boolean version, SqlNode e, SqlParserPos pos) {
    SqlNode period = version ? version(e, pos) : e;
    if (tableRef.getKind() == SqlKind.AS) {
      SqlCall as = (SqlCall) tableRef;
      List<SqlNode> operands = new ArrayList<>(as.getOperandList());
      operands.set(0, snapshot(operands.get(0), period, pos));
      return as.getOperator().createCall(as.getParserPosition().plus(pos), operands);
    }
    return snapshot(tableRef, period, pos);
  }

  private static SqlSnapshot snapshot(SqlNode table, SqlNode period, SqlParserPos pos) {
    if (table instanceof SqlSnapshot) {
      throw ParseErrors.at(pos, "A table can have only one AT or FOR SYSTEM_TIME clause");
    }
    if (!(table instanceof SqlIdentifier || table instanceof SqlTableRef)) {
      throw ParseErrors.at(pos, "AT (VERSION => ...) and AT (TIMESTAMP => ...) apply to a table name only");
    }
    return new SqlSnapshot(table.getParserPosition().plus(pos), table, period);
  }

  private static final class VersionFunction extends SqlFunction {
    VersionFunction() {
      super("DUCKLAKE_VERSION", SqlKind.OTHER_FUNCTION, ReturnTypes.explicit(SqlTypeName.TIMESTAMP),
          // A dynamic parameter, AT (VERSION => ?), is a snapshot id.
          (binding, returnType, operandTypes) ->
              operandTypes[0] = binding.getTypeFactory().createSqlType(SqlTypeName.BIGINT),
          OperandTypes.family(SqlTypeFamily.INTEGER), SqlFunctionCategory.SYSTEM);
    }

    /** Types the call without looking the function up: it is not in any operator table. */
    @Override
    public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
      for (SqlNode operand : call.getOperandList()) {
        validator.deriveType(scope, operand);
      }
      return validateOperands(validator, scope, call);
    }

    @Override
    public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
      writer.keyword("SNAPSHOT");
      SqlNode id = call.operand(0);
      if (id instanceof SqlLiteral || id instanceof SqlDynamicParam) {
        id.unparse(writer, 0, 0);
      } else {
        SqlWriter.Frame frame = writer.startList("(", ")");
        id.unparse(writer, 0, 0);
        writer.endList(frame);
      }
    }
  }
}
