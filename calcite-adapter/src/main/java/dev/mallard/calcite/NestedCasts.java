package dev.mallard.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLocalRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Casts of ARRAY, MAP and ROW values made into casts of their elements. Calcite 1.41 cannot
 * generate code for a CAST of a list (or map) of structs, which it adds to every {@code ARRAY[ROW(1,
 * 'a')]} written into a {@code STRUCT(...)[]} column. A cast of a constructor becomes the constructor
 * of the cast elements, typed as the cast was ({@code ARRAY[CAST(ROW(1, 'a') AS ...)]}). A cast of
 * another expression (a column of a union, say) that Calcite cannot generate stays only where its
 * value goes straight to a lake table's writer, which converts and checks every nested value itself
 * (see {@link EngineValues}): there it passes the value on as it is. Every ROW constructor also
 * becomes {@link #STRUCT}, which keeps a row of NULLs (DuckDB's {@code {'a': NULL}}) from becoming NULL.
 */
final class NestedCasts {
  private NestedCasts() {}

  /**
   * ROW(...), except that a row whose fields are all NULL is a struct of NULLs, as in DuckDB
   * (Calcite's ROW is NULL then).
   */
  private static final SqlOperator STRUCT = new SqlUserDefinedFunction(new SqlIdentifier("$struct", SqlParserPos.ZERO),
      ReturnTypes.ARG0, null, OperandTypes.VARIADIC, null, new Struct());

  private static final class Struct implements ScalarFunction, ImplementableFunction {
    @Override
    public RelDataType getReturnType(RelDataTypeFactory typeFactory) {
      return typeFactory.createSqlType(SqlTypeName.ANY);
    }

    @Override
    public List<FunctionParameter> getParameters() {
      return List.of();
    }

    @Override
    public CallImplementor getImplementor() {
      return RexImpTable.createImplementor((translator, call, fields) -> Expressions.newArrayInit(Object.class,
          fields.stream().map(f -> EnumUtils.convert(f, Object.class)).toList()), NullPolicy.NONE, false);
    }
  }

  /** The optimized plan with its casts of nested values in a form Calcite generates code for. */
  static RelNode rewrite(RelNode plan) {
    RexBuilder rex = plan.getCluster().getRexBuilder();
    return plan.accept(new RelShuttleImpl() {
      @Override
      public RelNode visit(TableScan scan) {
        return scan;
      }

      @Override
      public RelNode visit(RelNode other) {
        RelNode rel = super.visit(other);
        if (rel instanceof TableModify modify && modify.getInput() instanceof Calc calc) {
          RelNode written = calc(calc, new Casts(rex, true));
          return written == calc ? rel : rel.copy(rel.getTraitSet(), List.of(written));
        }
        return rel instanceof Calc calc ? calc(calc, new Casts(rex, false)) : rel.accept(new Casts(rex, false));
      }
    });
  }

  private static RelNode calc(Calc calc, Casts casts) {
    RexProgram program = calc.getProgram();
    List<RexNode> projects = new ArrayList<>();
    boolean changed = false;
    for (RexLocalRef p : program.getProjectList()) {
      RexNode expanded = program.expandLocalRef(p);
      RexNode rewritten = expanded.accept(casts);
      changed |= rewritten != expanded;
      projects.add(rewritten);
    }
    RexNode condition = null;
    if (program.getCondition() != null) {
      RexNode expanded = program.expandLocalRef(program.getCondition());
      condition = expanded.accept(casts);
      changed |= condition != expanded;
    }
    if (!changed) {
      return calc;
    }
    return calc.copy(calc.getTraitSet(), calc.getInput(), RexProgram.create(calc.getInput().getRowType(), projects,
        condition, calc.getRowType(), calc.getCluster().getRexBuilder()));
  }

  private static final class Casts extends RexShuttle {
    private final RexBuilder rex;
    /** Whether the value goes straight to a table writer, which converts nested values itself. */
    private final boolean written;

    Casts(RexBuilder rex, boolean written) {
      this.rex = rex;
      this.written = written;
    }

    /** Top down, so that a cast sees the constructors under Calcite's own intermediate casts. */
    @Override
    public RexNode visitCall(RexCall call) {
      if (call.getKind() == SqlKind.ROW) {
        return rex.makeCall(call.getType(), STRUCT, visitList(call.getOperands(), new boolean[1]));
      }
      if (call.getKind() != SqlKind.CAST || !nested(call.getType())) {
        return super.visitCall(call);
      }
      RexNode pushed = castInto(call.getOperands().get(0), call.getType());
      if (pushed != null) {
        return pushed;
      }
      RexNode operand = call.getOperands().get(0).accept(this);
      return written ? rex.makeReinterpretCast(call.getType(), operand, rex.makeLiteral(false))
          : rex.makeCast(call.getType(), operand);
    }

    /** {@code value} cast to {@code type} by casting the elements of its constructors; null if Calcite cannot. */
    private RexNode castInto(RexNode value, RelDataType type) {
      if (value.getType().equals(type)) {
        return value.accept(this);
      }
      if (RexUtil.isNullLiteral(value, true)) {
        return rex.makeNullLiteral(type);
      }
      List<RexNode> elements = value instanceof RexCall call ? call.getOperands() : List.of();
      if (value.getKind() == SqlKind.CAST && padded(elements.get(0).getType(), value.getType())) {
        // Calcite types ARRAY['a', 'bb'] as CHAR(2)[] and pads 'a' to 'a ': DuckDB's strings are never padded.
        return castInto(elements.get(0), type);
      }
      if (!nested(type)) {
        // Text parsed into a number inside a list or struct: its error could not name the column;
        // the writer's check does.
        boolean parsed = SqlTypeUtil.inCharFamily(value.getType()) && !SqlTypeUtil.inCharFamily(type);
        return parsed ? null : rex.makeCast(type, value.accept(this));
      }
      List<RexNode> cast = new ArrayList<>();
      switch (value.getKind()) {
        case ARRAY_VALUE_CONSTRUCTOR -> {
          if (type.getSqlTypeName() != SqlTypeName.ARRAY) {
            return null;
          }
          for (RexNode element : elements) {
            cast.add(castInto(element, type.getComponentType()));
          }
        }
        case MAP_VALUE_CONSTRUCTOR -> {
          if (type.getSqlTypeName() != SqlTypeName.MAP) {
            return null;
          }
          for (int i = 0; i < elements.size(); i++) {
            cast.add(castInto(elements.get(i), i % 2 == 0 ? type.getKeyType() : type.getValueType()));
          }
        }
        case ROW -> {
          if (!type.isStruct() || type.getFieldCount() != elements.size()) {
            return null;
          }
          for (int i = 0; i < elements.size(); i++) {
            cast.add(castInto(elements.get(i), type.getFieldList().get(i).getType()));
          }
        }
        // A cast of a cast (Calcite casts to the value's NOT NULL type, then to the column's).
        case CAST -> {
          return nested(elements.get(0).getType()) ? castInto(elements.get(0), type) : null;
        }
        default -> {
          return structInCollection(type) ? null : rex.makeCast(type, value.accept(this));
        }
      }
      if (cast.contains(null)) {
        return null;
      }
      return rex.makeCall(type, value.getKind() == SqlKind.ROW ? STRUCT : ((RexCall) value).getOperator(), cast);
    }
  }

  /** Whether a cast from {@code from} to {@code to} only pads a string. */
  private static boolean padded(RelDataType from, RelDataType to) {
    return to.getSqlTypeName() == SqlTypeName.CHAR
        && (from.getSqlTypeName() == SqlTypeName.CHAR || from.getSqlTypeName() == SqlTypeName.VARCHAR);
  }

  private static boolean nested(RelDataType type) {
    return type.isStruct() || type.getSqlTypeName() == SqlTypeName.ARRAY || type.getSqlTypeName() == SqlTypeName.MAP;
  }

  /** Whether a cast to the type casts a struct inside a list or map, which Calcite cannot generate. */
  private static boolean structInCollection(RelDataType type) {
    if (type.isStruct()) {
      return type.getFieldList().stream().anyMatch(f -> structInCollection(f.getType()));
    }
    if (type.getSqlTypeName() == SqlTypeName.ARRAY) {
      return nested(type.getComponentType()) && (type.getComponentType().isStruct()
          || structInCollection(type.getComponentType()));
    }
    if (type.getSqlTypeName() == SqlTypeName.MAP) {
      return type.getKeyType().isStruct() || type.getValueType().isStruct() || structInCollection(type.getKeyType())
          || structInCollection(type.getValueType());
    }
    return false;
  }
}
