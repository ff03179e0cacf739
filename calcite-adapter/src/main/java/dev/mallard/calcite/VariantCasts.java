package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Variant;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * Casts to VARIANT made into variants as DuckDB makes them ({@code CAST(x AS VARIANT)}): the value
 * keeps its SQL type (INTEGER an INT32, DECIMAL(p, s) a decimal, a ROW an object, an ARRAY an
 * array, ...). Calcite's own cast to VARIANT does not say a timestamp's unit nor keep a ROW's field
 * names, so every such cast (those Calcite adds to an INSERT into a VARIANT column too) becomes a
 * call of {@link #TO_VARIANT}, which knows the operand's exact type when it is generated.
 */
public final class VariantCasts {
  private VariantCasts() {}

  /** {@code $variant(x, type)}: the variant of x, given x's type (see {@link #descriptor}). Never folded at plan time. */
  private static final SqlUserDefinedFunction TO_VARIANT = new SqlUserDefinedFunction(
      new SqlIdentifier("$variant", SqlParserPos.ZERO), ReturnTypes.explicit(SqlTypeName.VARIANT), null,
      OperandTypes.ANY, null, new ToVariant()) {
    @Override
    public boolean isDeterministic() {
      return false;
    }
  };

  private static final class ToVariant implements ScalarFunction, ImplementableFunction {
    @Override
    public RelDataType getReturnType(RelDataTypeFactory typeFactory) {
      return typeFactory.createSqlType(SqlTypeName.VARIANT);
    }

    @Override
    public List<FunctionParameter> getParameters() {
      return List.of();
    }

    @Override
    public CallImplementor getImplementor() {
      return RexImpTable.createImplementor((translator, call, operands) -> Expressions.call(VariantCasts.class,
          "toVariant", EnumUtils.convert(operands.get(0), Object.class), operands.get(1)), NullPolicy.ARG0, false);
    }
  }

  /**
   * Whether {@code op} makes a variant of its operand: its timestamps and times are taken in their own
   * unit (see {@link ExactTimestamps}, {@link ExactTimes}), so the variant keeps micro- or nanoseconds.
   */
  static boolean isToVariant(org.apache.calcite.sql.SqlOperator op) {
    return op == TO_VARIANT;
  }

  /** The plan with its casts to VARIANT (of values of other types) made into {@link #TO_VARIANT}. */
  static RelNode rewrite(RelNode plan) {
    RexBuilder rex = plan.getCluster().getRexBuilder();
    boolean exact = MallardTypeSystem.exactTimestamps(plan.getCluster().getTypeFactory().getTypeSystem());
    return plan.accept(new org.apache.calcite.rel.RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        return other instanceof TableScan ? other : super.visit(other).accept(casts(other, rex, exact));
      }
    });
  }

  /** The shuttle that makes the casts to VARIANT in {@code rel}'s expressions into {@link #TO_VARIANT}. */
  private static RexShuttle casts(RelNode rel, RexBuilder rex, boolean exact) {
    return new RexShuttle() {
      @Override
      public RexNode visitCall(RexCall call) {
        RexCall visited = (RexCall) super.visitCall(call);
        if (visited.getKind() == SqlKind.CAST && visited.getType().getSqlTypeName() == SqlTypeName.VARIANT) {
          RexNode operand = visited.getOperands().get(0);
          SqlTypeName from = operand.getType().getSqlTypeName();
          if (from == SqlTypeName.VARIANT) {
            return rex.makeCast(visited.getType(), operand, false, false);
          }
          if (from == SqlTypeName.NULL) {
            return rex.makeNullLiteral(visited.getType());
          }
          String descriptor = lakeColumnDescriptor(rel, operand);
          return rex.makeCall(visited.getType(), TO_VARIANT,
              List.of(operand, rex.makeLiteral(descriptor != null ? descriptor : descriptor(operand.getType(), exact))));
        }
        return visited;
      }
    };
  }

  /**
   * The lake type of a column that SQL sees as another type (a UUID or JSON as VARCHAR, a UBIGINT or
   * HUGEINT as a DECIMAL), when {@code operand} is that column as it is: its variant is made of the lake type,
   * as DuckDB makes it; null for anything else.
   */
  private static String lakeColumnDescriptor(RelNode rel, RexNode operand) {
    if (!(operand instanceof org.apache.calcite.rex.RexInputRef ref) || rel.getInputs().size() != 1
        || !java.util.EnumSet.of(SqlTypeName.VARCHAR, SqlTypeName.DECIMAL).contains(operand.getType().getSqlTypeName())) {
      return null;
    }
    org.apache.calcite.rel.metadata.RelColumnOrigin origin =
        rel.getCluster().getMetadataQuery().getColumnOrigin(rel.getInput(0), ref.getIndex());
    if (origin == null || origin.isDerived()) {
      return null;
    }
    DuckLakeTable table = origin.getOriginTable().unwrap(DuckLakeTable.class);
    if (table == null || origin.getOriginColumnOrdinal() >= table.columns().size()) {
      return null;
    }
    TypeKind kind = table.columns().get(origin.getOriginColumnOrdinal()).type().kind();
    return java.util.EnumSet.of(TypeKind.UUID, TypeKind.JSON, TypeKind.UINT64, TypeKind.INT128, TypeKind.UINT128)
        .contains(kind)
        ? DuckLakeType.of(kind).toString() : null;
  }

  /** Called by generated code: the variant of a (non-null) value of the type the descriptor names. */
  public static Object toVariant(Object value, String descriptor) {
    ColumnInfo column = column("value", new StringBuilder(descriptor));
    return new LakeVariant(Variant.of(column, EngineValues.toEngine(column, value)));
  }

  // ---- a value's type, written into the generated code as text: a lake type name, struct<name:t,...>,
  // list<t>, map<k,v>, or variant; names URL-encoded.

  static String descriptor(RelDataType type, boolean exactTimestamps) {
    switch (type.getSqlTypeName()) {
      case ROW: {
        List<String> fields = new ArrayList<>();
        for (RelDataTypeField f : type.getFieldList()) {
          fields.add(URLEncoder.encode(f.getName(), StandardCharsets.UTF_8) + ":"
              + descriptor(f.getType(), exactTimestamps));
        }
        return "struct<" + String.join(",", fields) + ">";
      }
      case ARRAY:
        return "list<" + descriptor(type.getComponentType(), exactTimestamps) + ">";
      case VARIANT:
        return "variant";
      case CHAR, VARCHAR:
        return "varchar";
      case TIMESTAMP:
        return !exactTimestamps || type.getPrecision() <= 3 ? "timestamp_ms"
            : type.getPrecision() <= 6 ? "timestamp" : "timestamp_ns";
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        if (!exactTimestamps || type.getPrecision() <= 3) {
          throw new UserException("Mallard cannot make a VARIANT of a TIMESTAMP WITH TIME ZONE of precision "
              + type.getPrecision() + " yet; CAST it to TIMESTAMP(6) WITH LOCAL TIME ZONE first");
        }
        return type.getPrecision() <= 6 ? "timestamptz" : "timestamptz_ns";
      case TIME:
        return exactTimestamps && type.getPrecision() > 6 ? "time_ns" : "time";
      case MAP:
        return "map<" + descriptor(type.getKeyType(), exactTimestamps) + ","
            + descriptor(type.getValueType(), exactTimestamps) + ">";
      default:
        try {
          return dev.mallard.calcite.ddl.QueryColumns.lakeType("value", type).toString();
        } catch (RuntimeException e) {
          throw new UserException("Mallard cannot make a VARIANT of a value of type " + type.getFullTypeString()
              + " yet");
        }
    }
  }

  private static ColumnInfo column(String name, StringBuilder in) {
    List<ColumnInfo> children = new ArrayList<>();
    TypeKind nested = null;
    if (take(in, "struct<")) {
      nested = TypeKind.STRUCT;
      while (!take(in, ">")) {
        take(in, ",");
        int colon = in.indexOf(":");
        String field = URLDecoder.decode(in.substring(0, colon), StandardCharsets.UTF_8);
        in.delete(0, colon + 1);
        children.add(column(field, in));
      }
    } else if (take(in, "list<")) {
      nested = TypeKind.LIST;
      children.add(column("element", in));
      take(in, ">");
    } else if (take(in, "map<")) {
      nested = TypeKind.MAP;
      children.add(column("key", in));
      take(in, ",");
      children.add(column("value", in));
      take(in, ">");
    }
    DuckLakeType type;
    if (nested != null) {
      type = DuckLakeType.of(nested);
    } else {
      int end = in.indexOf("decimal(") == 0 ? in.indexOf(")") + 1 : 0;
      while (end < in.length() && ",>".indexOf(in.charAt(end)) < 0) {
        end++;
      }
      type = DuckLakeType.parse(in.substring(0, end));
      in.delete(0, end);
    }
    return new ColumnInfo(0, name, type, true, null, null, children);
  }

  private static boolean take(StringBuilder in, String prefix) {
    if (in.indexOf(prefix) == 0) {
      in.delete(0, prefix.length());
      return true;
    }
    return false;
  }
}
