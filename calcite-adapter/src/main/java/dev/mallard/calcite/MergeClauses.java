package dev.mallard.calcite;

import dev.mallard.calcite.parser.MallardMerge;
import dev.mallard.calcite.parser.MallardMerge.Action;
import dev.mallard.calcite.parser.MallardMerge.Clause;
import dev.mallard.calcite.parser.MallardMerge.When;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlValidator;

/**
 * Turns a {@link MallardMerge}'s WHEN clauses into columns of the rows Calcite's MERGE feeds the
 * table writer, so that Calcite validates and converts every expression in them as it does an
 * UPDATE's.
 *
 * <p>Calcite reads a MERGE through {@code SELECT *, <update values> FROM source JOIN target ON
 * condition} and passes everything after the source's columns to the writer. Mallard gives it a
 * placeholder UPDATE (of the first column, to itself) and then appends to that select list, in
 * clause order, each clause's columns: its code ({@link #code}), its condition ({@code cond IS TRUE},
 * or TRUE), and its values: the table's every column for UPDATE and INSERT (the target's own value
 * where an UPDATE does not set a column, the default where an INSERT does not give one), the message
 * for ERROR, none otherwise. The join becomes an outer join on the side whose unmatched rows a
 * clause is for. {@link DmlAddressing} then adds whether a source row was there and the target
 * row's address; {@link TableWriter} picks, for each joined row, the first clause that applies.
 */
final class MergeClauses {
  private MergeClauses() {}

  /** What the writer reads from the rows: after the target's columns and the placeholder. */
  static int code(Clause clause) {
    return clause.when().ordinal() * 10 + clause.action().ordinal();
  }

  static When when(int code) {
    return When.values()[code / 10];
  }

  static Action action(int code) {
    return Action.values()[code % 10];
  }

  /** How many values follow a clause's condition, in a table of {@code width} columns. */
  static int valueCount(Action action, int width) {
    return switch (action) {
      case UPDATE, INSERT -> width;
      case ERROR -> 1;
      default -> 0;
    };
  }

  /** Before Calcite's rewrites: the placeholder UPDATE Calcite's MERGE needs to pass the clauses' columns on. */
  static void addPlaceholderUpdate(MallardMerge merge, DuckLakeTable table) {
    for (Clause clause : merge.clauses) {
      boolean forTargetRows = clause.when() != When.NOT_MATCHED;
      if (clause.action() == Action.INSERT && forTargetRows) {
        throw new UserException(clause.when().sql + " cannot INSERT: INSERT is for source rows (WHEN NOT MATCHED)");
      }
      if ((clause.action() == Action.UPDATE || clause.action() == Action.DELETE) && !forTargetRows) {
        throw new UserException("WHEN NOT MATCHED cannot " + clause.action() + ": there is no target row"
            + " (use WHEN NOT MATCHED BY SOURCE for target rows no source row matched)");
      }
    }
    String first = table.info().columns().get(0).name();
    SqlParserPos pos = merge.getParserPosition();
    merge.setOperand(3, new SqlUpdate(pos, merge.getTargetTable(), SqlNodeList.of(new SqlIdentifier(first, pos)),
        SqlNodeList.of(new SqlIdentifier(List.of(merge.getAlias().getSimple(), first), pos)), null, null,
        merge.getAlias()));
  }

  /** After Calcite's rewrites: the clauses' columns and the join's type in the MERGE's select. */
  static void extendSourceSelect(MallardMerge merge, DuckLakeTable table, RelDataType tableType, SqlValidator validator) {
    SqlSelect select = merge.getSourceSelect();
    SqlJoin join = (SqlJoin) select.getFrom();
    boolean sourceRowsAlone = merge.has(When.NOT_MATCHED);
    boolean targetRowsAlone = merge.has(When.NOT_MATCHED_BY_SOURCE);
    JoinType type = sourceRowsAlone && targetRowsAlone ? JoinType.FULL
        : sourceRowsAlone ? JoinType.LEFT : targetRowsAlone ? JoinType.RIGHT : JoinType.INNER;
    join.setOperand(2, type.symbol(SqlParserPos.ZERO));

    List<ColumnInfo> columns = table.info().columns();
    List<String> sourceColumns = null;
    SqlNodeList items = select.getSelectList();
    SqlParserPos pos = SqlParserPos.ZERO;
    for (Clause clause : merge.clauses) {
      items.add(SqlLiteral.createExactNumeric(Integer.toString(code(clause)), pos));
      items.add(clause.condition() == null ? SqlLiteral.createBoolean(true, pos)
          : SqlStdOperatorTable.IS_TRUE.createCall(pos, clause.condition()));
      switch (clause.action()) {
        case UPDATE, INSERT -> {
          List<SqlNode> values;
          if (clause.values() == null) {
            if (sourceColumns == null) {
              sourceColumns = sourceColumns(merge, validator);
            }
            if (sourceColumns.size() != columns.size()) {
              throw new UserException("MERGE INTO " + table.info().qualifiedName() + ": " + clause.action()
                  + " * needs the source's columns to match the table's by position: the table has "
                  + columns.size() + " columns but the source has " + sourceColumns.size());
            }
            values = new ArrayList<>();
            for (String name : sourceColumns) {
              values.add(new SqlIdentifier(List.of(sourceName(merge), name), pos));
            }
          } else {
            values = clause.values().getList();
          }
          List<SqlNode> row = clause.action() == Action.UPDATE
              ? updatedRow(merge, clause, columns, values)
              : insertedRow(merge, table, clause, columns, values, tableType, validator.getTypeFactory());
          for (int i = 0; i < row.size(); i++) {
            items.add(castTo(row.get(i), tableType.getFieldList().get(i)));
          }
        }
        case ERROR -> items.add(clause.values() == null ? SqlLiteral.createNull(pos)
            : SqlStdOperatorTable.CAST.createCall(pos, clause.values().get(0),
                SqlTypeUtil.convertTypeToSpec(validator.getTypeFactory().createSqlType(SqlTypeName.VARCHAR))));
        default -> { }
      }
    }
  }

  /** UPDATE's row: each column's new value, or the target row's own. */
  private static List<SqlNode> updatedRow(MallardMerge merge, Clause clause, List<ColumnInfo> columns,
      List<SqlNode> values) {
    List<SqlNode> row = new ArrayList<>();
    for (ColumnInfo column : columns) {
      row.add(new SqlIdentifier(List.of(merge.getAlias().getSimple(), column.name()), SqlParserPos.ZERO));
    }
    if (clause.columns() == null) {
      return values;
    }
    for (int i = 0; i < clause.columns().size(); i++) {
      SqlIdentifier id = (SqlIdentifier) clause.columns().get(i);
      row.set(index(columns, id.names.get(id.names.size() - 1), "UPDATE SET"), values.get(i));
    }
    return row;
  }

  /** INSERT's row: each column's value, or its default. */
  private static List<SqlNode> insertedRow(MallardMerge merge, DuckLakeTable table, Clause clause,
      List<ColumnInfo> columns, List<SqlNode> values, RelDataType tableType, RelDataTypeFactory types) {
    // The lake the table is in, when the statement names it (catalog.schema.table).
    List<String> target = merge.getTargetTable() instanceof SqlIdentifier id ? id.names : List.of();
    String catalog = target.size() > 2 ? target.get(0) : "";
    List<SqlNode> row = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      row.add(defaultValue(columns.get(i), types, tableType.getFieldList().get(i).getType(), catalog));
    }
    if (values.isEmpty()) {
      return row; // DEFAULT VALUES
    }
    int named = clause.columns() == null ? columns.size() : clause.columns().size();
    if (named != values.size()) {
      throw new UserException("MERGE INTO " + table.info().qualifiedName() + ": INSERT names " + named
          + " columns but gives " + values.size() + " values");
    }
    for (int i = 0; i < values.size(); i++) {
      int at = clause.columns() == null ? i
          : index(columns, ((SqlIdentifier) clause.columns().get(i)).getSimple(), "INSERT");
      SqlNode value = values.get(i);
      row.set(at, value.getKind() == SqlKind.DEFAULT ? row.get(at) : value);
    }
    return row;
  }

  private static int index(List<ColumnInfo> columns, String name, String where) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new UserException(where + ": column " + name + " does not exist in the table");
  }

  /**
   * A column's default: an expression DuckDB keeps (the transaction's time, arithmetic of constants;
   * see {@link ColumnDefaults#expressionNode}), or the text a CAST to the column's type reads.
   */
  private static SqlNode defaultValue(ColumnInfo column, RelDataTypeFactory types, RelDataType type, String catalog) {
    SqlNode expression = ColumnDefaults.expressionNode(column, types, type, catalog);
    if (expression != null) {
      return expression;
    }
    String text = ColumnDefaults.valueText(column);
    return text == null ? SqlLiteral.createNull(SqlParserPos.ZERO)
        : SqlLiteral.createCharString(text, SqlParserPos.ZERO);
  }

  /**
   * The value cast to the column's type, as DuckDB casts what it writes. Nested and time values go
   * as they are (the writer checks their types): their types' SQL names are not all Calcite's.
   */
  private static SqlNode castTo(SqlNode value, RelDataTypeField column) {
    SqlTypeName type = column.getType().getSqlTypeName();
    if (type == SqlTypeName.VARIANT) { // a variant of the value's own type (see VariantCasts)
      return SqlUtil.isNullLiteral(value, false) ? value : VariantCoercion.castToVariant(value);
    }
    boolean castable = SqlTypeName.NUMERIC_TYPES.contains(type) || SqlTypeName.CHAR_TYPES.contains(type)
        || type == SqlTypeName.BOOLEAN || type == SqlTypeName.DATE || SqlTypeName.BINARY_TYPES.contains(type)
        || value instanceof SqlLiteral;
    if (!castable || SqlUtil.isNullLiteral(value, false) || type == SqlTypeName.ROW || type == SqlTypeName.ARRAY
        || type == SqlTypeName.MAP) {
      return value;
    }
    return SqlStdOperatorTable.CAST.createCall(SqlParserPos.ZERO, value, SqlTypeUtil.convertTypeToSpec(column.getType()));
  }

  /** The name the source's columns are qualified with: its alias, or its table's name. */
  private static String sourceName(MallardMerge merge) {
    SqlNode source = merge.getSourceTableRef();
    if (source.getKind() == SqlKind.AS) {
      return ((SqlIdentifier) ((SqlCall) source).operand(1)).getSimple();
    }
    if (source instanceof SqlIdentifier id) {
      return id.names.get(id.names.size() - 1);
    }
    throw new UserException("MERGE INTO: UPDATE * and INSERT * need the source to have a name (USING (...) AS s)");
  }

  /** The source's column names, from validating {@code SELECT * FROM source} on its own. */
  private static List<String> sourceColumns(MallardMerge merge, SqlValidator validator) {
    SqlSelect star = new SqlSelect(SqlParserPos.ZERO, null, SqlNodeList.of(SqlIdentifier.star(SqlParserPos.ZERO)),
        SqlNode.clone(merge.getSourceTableRef()), null, null, null, null, null, null, null, null, null);
    SqlNode validated = validator.validate(star);
    return validator.getValidatedNodeType(validated).getFieldNames();
  }
}
