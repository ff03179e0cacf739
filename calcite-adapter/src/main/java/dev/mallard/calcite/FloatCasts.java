package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.types.Values;
import java.util.List;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * Casts from text to DOUBLE and REAL that take DuckDB's spellings of the special values ('inf',
 * '-infinity', 'nan', in any case). Calcite's own cast knows only Java's ("Infinity", "NaN") and
 * failed on the others, in a static initializer when the text was a constant.
 */
public final class FloatCasts {
  private static final SqlOperator PARSE_DOUBLE = new SqlUserDefinedFunction(
      new SqlIdentifier("$parse_double", SqlParserPos.ZERO), ReturnTypes.DOUBLE_NULLABLE, InferTypes.FIRST_KNOWN,
      OperandTypes.STRING, null, ScalarFunctionImpl.create(FloatCasts.class, "parseDouble"));

  private FloatCasts() {}

  /** Called by generated code. */
  public static Double parseDouble(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Values.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new UserException("Could not convert string '" + text + "' to a floating-point number", e);
    }
  }

  /** Whether {@code node} casts text to DOUBLE, FLOAT or REAL. */
  static boolean castsTextToFloat(RexNode node) {
    return node instanceof RexCall cast && cast.getKind() == SqlKind.CAST
        && SqlTypeFamily.APPROXIMATE_NUMERIC.getTypeNames().contains(cast.getType().getSqlTypeName())
        && SqlTypeFamily.CHARACTER.getTypeNames().contains(cast.getOperands().get(0).getType().getSqlTypeName());
  }

  /**
   * Replaces every cast from text to a floating type in an optimized plan. Filters pushed into a
   * scan read such literals themselves ({@link RexToPredicate}); this is for what Calcite evaluates.
   */
  static RelNode rewrite(RelNode optimized) {
    return optimized.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        return visited.accept(new Casts(visited.getCluster().getRexBuilder()));
      }
    });
  }

  private static final class Casts extends RexShuttle {
    private final RexBuilder rex;

    Casts(RexBuilder rex) {
      this.rex = rex;
    }

    @Override
    public RexNode visitCall(RexCall call) {
      RexNode visited = super.visitCall(call);
      if (!castsTextToFloat(visited)) {
        return visited;
      }
      RexNode text = ((RexCall) visited).getOperands().get(0);
      RelDataType target = visited.getType();
      RelDataType doubleType = rex.getTypeFactory().createTypeWithNullability(
          rex.getTypeFactory().createSqlType(SqlTypeName.DOUBLE), target.isNullable());
      RexNode parsed = rex.makeCall(doubleType, PARSE_DOUBLE, List.of(text));
      return doubleType.equals(target) ? parsed : rex.makeCast(target, parsed);
    }
  }
}
