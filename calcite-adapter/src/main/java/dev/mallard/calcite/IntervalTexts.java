package dev.mallard.calcite;

import dev.mallard.engine.types.Interval;
import java.util.List;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Casts of Calcite's intervals ({@code INTERVAL '3' DAY}, {@code INTERVAL '1-2' YEAR TO MONTH}) to
 * text give DuckDB's text of the interval DuckDB would store ({@code 3 days}, {@code 1 year 2 months}),
 * not Calcite's ({@code +3}). DuckDB's INTERVAL columns are text in Calcite, so this is also how such
 * a literal is written to one (INSERT, UPDATE SET, MERGE). DuckDB keeps months, days and microseconds
 * apart: a year-month interval is months; a day-time interval that starts at DAY has whole days,
 * the rest microseconds; one that starts at HOUR, MINUTE or SECOND is microseconds only
 * ({@code INTERVAL '36' HOUR} is 36:00:00, not 1 day 12:00:00), as DuckDB's own literals.
 */
public final class IntervalTexts implements SqlRexConvertletTable {
  static final IntervalTexts CONVERTLETS = new IntervalTexts();

  private static final SqlOperator MONTHS = function("$interval_months_text", "monthsText");
  private static final SqlOperator DAYS = function("$interval_days_text", "daysText");
  private static final SqlOperator TIME = function("$interval_time_text", "timeText");

  private IntervalTexts() {}

  private static SqlOperator function(String name, String method) {
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO),
        ReturnTypes.VARCHAR_2000_NULLABLE, null, OperandTypes.NUMERIC, null,
        ScalarFunctionImpl.create(IntervalTexts.class, method));
  }

  /** Called by generated code: a year-month interval of {@code months}. */
  public static String monthsText(Long months) {
    return months == null ? null : new Interval(Math.toIntExact(months), 0, 0).toString();
  }

  /** Called by generated code: a day-time interval that starts at DAY. */
  public static String daysText(Long millis) {
    if (millis == null) {
      return null;
    }
    long days = millis / 86_400_000L;
    return new Interval(0, Math.toIntExact(days), (millis - days * 86_400_000L) * 1000).toString();
  }

  /** Called by generated code: a day-time interval that starts at HOUR, MINUTE or SECOND. */
  public static String timeText(Long millis) {
    return millis == null ? null : new Interval(0, 0, millis * 1000).toString();
  }

  @Override
  public SqlRexConvertlet get(SqlCall call) {
    SqlRexConvertlet standard = StandardConvertletTable.INSTANCE.get(call);
    if (call.getKind() == SqlKind.CAST && standard != null) {
      return (cx, cast) -> {
        SqlNode operand = cast.operand(0);
        // Casts made after validation (of nested values, see NestedCasts) have no validated type: not intervals.
        RelDataType from = cx.getValidator().getValidatedNodeTypeIfKnown(operand);
        RelDataType to = cx.getValidator().getValidatedNodeTypeIfKnown(cast);
        if (from == null || to == null || !SqlTypeUtil.isInterval(from) || !SqlTypeUtil.inCharFamily(to)) {
          return standard.convertCall(cx, cast);
        }
        return text(cx.getRexBuilder(), cx.convertExpression(operand), to);
      };
    }
    return standard;
  }

  /** DuckDB's text of {@code interval} (of an interval type), as a value of the character type {@code to}. */
  static RexNode text(RexBuilder rex, RexNode interval, RelDataType to) {
    SqlIntervalQualifier qualifier = interval.getType().getIntervalQualifier();
    SqlOperator function = qualifier.isYearMonth() ? MONTHS
        : qualifier.getStartUnit() == TimeUnit.DAY ? DAYS : TIME;
    RelDataType bigint = rex.getTypeFactory().createTypeWithNullability(
        rex.getTypeFactory().createSqlType(SqlTypeName.BIGINT), interval.getType().isNullable());
    RexNode raw = rex.makeReinterpretCast(bigint, interval, rex.makeLiteral(false));
    return rex.makeCast(to, rex.makeCall(function, List.of(raw)));
  }
}
