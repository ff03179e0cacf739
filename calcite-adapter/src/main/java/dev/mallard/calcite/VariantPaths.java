package dev.mallard.calcite;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * DuckDB's dot access into a variant: {@code v.a.b} (or {@code t.v.a}), which Calcite would read as
 * a table {@code v}, becomes {@code v['a']['b']} where the identifier does not resolve as written
 * and a prefix of it is a VARIANT column. Subqueries are left to their own expansion.
 */
final class VariantPaths {
  private VariantPaths() {}

  static SqlNode rewrite(SqlNode expr, SqlValidatorScope scope, SqlValidator validator) {
    if (expr == null || scope == null) {
      return expr;
    }
    return expr.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlIdentifier id) {
        return path(id, scope, validator);
      }

      @Override
      public SqlNode visit(SqlCall call) {
        return call instanceof SqlSelect ? call : super.visit(call);
      }
    });
  }

  private static SqlNode path(SqlIdentifier id, SqlValidatorScope scope, SqlValidator validator) {
    if (id.names.size() < 2 || id.isStar() || resolves(id, scope)) {
      return id;
    }
    for (int k = id.names.size() - 1; k >= 1; k--) {
      SqlIdentifier prefix = id.getComponent(0, k);
      if (!resolves(prefix, scope)) {
        continue;
      }
      RelDataType type;
      try {
        type = validator.deriveType(scope, prefix);
      } catch (RuntimeException e) {
        return id;
      }
      if (type.getSqlTypeName() != SqlTypeName.VARIANT) {
        return id;
      }
      SqlNode out = prefix;
      for (int i = k; i < id.names.size(); i++) {
        out = SqlStdOperatorTable.ITEM.createCall(id.getComponentParserPosition(i), out,
            SqlLiteral.createCharString(id.names.get(i), id.getComponentParserPosition(i)));
      }
      return out;
    }
    return id;
  }

  private static boolean resolves(SqlIdentifier id, SqlValidatorScope scope) {
    try {
      scope.fullyQualify(id);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
