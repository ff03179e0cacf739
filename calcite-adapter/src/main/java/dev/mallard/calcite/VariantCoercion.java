package dev.mallard.calcite;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.sql.validate.implicit.TypeCoercionImpl;

/**
 * Calcite's implicit casts, with values written into a VARIANT column (INSERT, UPDATE, MERGE) cast
 * to VARIANT as DuckDB casts them (Calcite 1.41 cannot spell a cast to VARIANT itself). The casts
 * become variants of their value's own type (see {@link VariantCasts}).
 */
final class VariantCoercion extends TypeCoercionImpl {
  VariantCoercion(RelDataTypeFactory typeFactory, SqlValidator validator) {
    super(typeFactory, validator);
  }

  @Override
  protected boolean coerceOperandType(SqlValidatorScope scope, SqlCall call, int index, RelDataType targetType) {
    if (targetType.getSqlTypeName() != SqlTypeName.VARIANT || scope == null) {
      return super.coerceOperandType(scope, call, index, targetType);
    }
    SqlNode operand = call.getOperandList().get(index);
    RelDataType operandType = validator.deriveType(scope, operand);
    if (operandType.getSqlTypeName() == SqlTypeName.VARIANT || operandType.getSqlTypeName() == SqlTypeName.NULL) {
      return false;
    }
    SqlNode cast = castToVariant(operand);
    call.setOperand(index, cast);
    updateInferredType(cast, factory.createTypeWithNullability(targetType, operandType.isNullable()));
    return true;
  }

  @Override
  protected boolean coerceColumnType(SqlValidatorScope scope, org.apache.calcite.sql.SqlNodeList nodeList, int index,
      RelDataType targetType) {
    if (targetType.getSqlTypeName() != SqlTypeName.VARIANT || scope == null || index >= nodeList.size()
        || nodeList.get(index) instanceof org.apache.calcite.sql.SqlDynamicParam
        || nodeList.get(index) instanceof org.apache.calcite.sql.SqlIdentifier id && id.isStar()) {
      return super.coerceColumnType(scope, nodeList, index, targetType);
    }
    SqlNode node = nodeList.get(index);
    SqlCall holder = null;
    if (node instanceof SqlCall call && call.getOperator().kind == org.apache.calcite.sql.SqlKind.AS) {
      holder = call;
      node = call.operand(0);
    }
    RelDataType type = validator.deriveType(scope, node);
    if (type.getSqlTypeName() == SqlTypeName.VARIANT || type.getSqlTypeName() == SqlTypeName.NULL) {
      return false;
    }
    SqlNode cast = castToVariant(node);
    if (holder != null) {
      holder.setOperand(0, cast);
    } else {
      nodeList.set(index, cast);
    }
    updateInferredType(cast, factory.createTypeWithNullability(targetType, type.isNullable()));
    return true;
  }

  /** {@code CAST(value AS VARIANT)}. */
  static SqlNode castToVariant(SqlNode value) {
    SqlDataTypeSpec variant = new SqlDataTypeSpec(
        new SqlBasicTypeNameSpec(SqlTypeName.VARIANT, value.getParserPosition()), value.getParserPosition());
    return SqlStdOperatorTable.CAST.createCall(value.getParserPosition(), value, variant);
  }
}
