package dev.mallard.calcite.parser;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
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
import org.apache.calcite.sql.SqlUnknownLiteral;
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
  public static final SqlFunction DUCKLAKE_VERSION = new MarkerFunction("DUCKLAKE_VERSION");

  /**
   * {@code DUCKLAKE_TIMESTAMP(micros)}: the period of a time travel to a TIMESTAMP literal, exact to the
   * microsecond (see {@link #utcPeriod}). Like {@link #DUCKLAKE_VERSION}, a marker typed TIMESTAMP that
   * is never evaluated; it unparses as the TIMESTAMP literal in UTC.
   */
  public static final SqlFunction DUCKLAKE_TIMESTAMP = new MarkerFunction("DUCKLAKE_TIMESTAMP");

  /** Whether a snapshot's period is a snapshot id (a call of {@link #DUCKLAKE_VERSION}). */
  public static boolean isVersion(SqlNode period) {
    return period instanceof SqlCall call && call.getOperator() == DUCKLAKE_VERSION;
  }

  /** Whether a Snapshot's period, converted to a row expression, is a snapshot id. */
  public static boolean isVersion(RexNode period) {
    return period instanceof RexCall call && call.getOperator() == DUCKLAKE_VERSION;
  }

  /** Whether a Snapshot's period, converted to a row expression, is a timestamp in microseconds. */
  public static boolean isMicros(RexNode period) {
    return period instanceof RexCall call && call.getOperator() == DUCKLAKE_TIMESTAMP;
  }

  static SqlCall version(SqlNode snapshotId, SqlParserPos pos) {
    return DUCKLAKE_VERSION.createCall(pos, snapshotId);
  }

  /** A timestamp literal's text, perhaps ending with a UTC offset (or Z). */
  private static final Pattern TIMESTAMP_TEXT =
      Pattern.compile("\\s*(\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(?::\\d{2}(?:\\.(\\d{1,9}))?)?)\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?\\s*");

  /**
   * A period as the validator takes it. A TIMESTAMP literal becomes {@code DUCKLAKE_TIMESTAMP(micros)}:
   * the microseconds since the epoch, UTC, of the instant it names, because Calcite's TIMESTAMP keeps
   * milliseconds and DuckLake's snapshot times have microseconds. The literal may end with a UTC
   * offset ({@code TIMESTAMP '2025-01-06 10:00:00+00'}, as DuckDB and DuckLake tools write it), which
   * Calcite's own literal refuses; without one it is UTC. (DuckDB 1.5.5 drops the offset of a
   * TIMESTAMP literal and reads the rest in its session time zone: the same instant where the offset
   * is the session zone's, as in text DuckDB printed.) Anything else is returned as it is.
   */
  static SqlNode utcPeriod(SqlNode period) {
    if (!(period instanceof SqlUnknownLiteral literal) || !literal.tag.equalsIgnoreCase("TIMESTAMP")) {
      return period;
    }
    Matcher m = TIMESTAMP_TEXT.matcher(literal.getValue());
    if (!m.matches()) {
      throw ParseErrors.at(period.getParserPosition(), "Illegal TIMESTAMP literal '" + literal.getValue() + "'");
    }
    String offset = m.group(3) == null ? "Z" : m.group(3);
    if (!offset.equals("Z") && offset.length() == 3) {
      offset += ":00";
    } else if (!offset.equals("Z") && offset.length() == 5) {
      offset = offset.substring(0, 3) + ":" + offset.substring(3);
    }
    Instant instant;
    try {
      instant = OffsetDateTime.parse(m.group(1).replace(' ', 'T') + offset).toInstant();
    } catch (DateTimeParseException e) {
      throw ParseErrors.at(period.getParserPosition(), "Illegal TIMESTAMP literal '" + literal.getValue() + "'");
    }
    long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    SqlParserPos pos = period.getParserPosition();
    return DUCKLAKE_TIMESTAMP.createCall(pos, SqlLiteral.createExactNumeric(Long.toString(micros), pos));
  }

  /** Calcite's {@code FOR SYSTEM_TIME AS OF expr}, with {@link #utcPeriod} applied to expr. */
  static SqlSnapshot withUtcPeriod(SqlSnapshot snapshot) {
    snapshot.setOperand(1, utcPeriod(snapshot.getPeriod()));
    return snapshot;
  }

  /** Applies {@code AT (VERSION => e)} or {@code AT (TIMESTAMP => e)} to a table reference. */
  static SqlNode at(SqlNode tableRef, boolean version, SqlNode e, SqlParserPos pos) {
    SqlNode period = version ? version(e, pos) : utcPeriod(e);
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

  private static final class MarkerFunction extends SqlFunction {
    MarkerFunction(String name) {
      super(name, SqlKind.OTHER_FUNCTION, ReturnTypes.explicit(SqlTypeName.TIMESTAMP),
          // A dynamic parameter, AT (VERSION => ?), is a snapshot id.
          (binding, returnType, operandTypes) ->
              operandTypes[0] = binding.getTypeFactory().createSqlType(SqlTypeName.BIGINT),
          OperandTypes.family(SqlTypeFamily.INTEGER), SqlFunctionCategory.SYSTEM);
    }

    /** Types the call without looking the function up: it is not in any operator table. */
    @Override
    public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
      for (SqlNode operand : call.getOperandList()) {
        if (operand instanceof SqlDynamicParam) {
          // AT (VERSION => ?): the parameter is a snapshot id.
          validator.setValidatedNodeType(operand, validator.getTypeFactory().createTypeWithNullability(
              validator.getTypeFactory().createSqlType(SqlTypeName.BIGINT), true));
        } else {
          validator.deriveType(scope, operand);
        }
      }
      return validateOperands(validator, scope, call);
    }

    @Override
    public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
      if (this == DUCKLAKE_TIMESTAMP) {
        long micros = ((SqlLiteral) call.operand(0)).longValue(true);
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
            Math.floorMod(micros, 1_000_000L) * 1000L);
        writer.keyword("TIMESTAMP");
        writer.literal("'" + LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString().replace('T', ' ') + "+00'");
        return;
      }
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
