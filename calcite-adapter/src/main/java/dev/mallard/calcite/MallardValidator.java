package dev.mallard.calcite;

import dev.mallard.calcite.parser.AllColumns;
import dev.mallard.calcite.parser.InsertByName;
import dev.mallard.calcite.parser.MallardMerge;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalciteSqlValidator;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSnapshot;
import dev.mallard.calcite.parser.TimeTravel;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.Util;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlValidatorNamespace;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.sql.validate.SelectScope;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorTable;

/**
 * Calcite's validator with DuckDB's virtual columns ({@link VirtualColumns}): in a SELECT that
 * names {@code rowid}, {@code snapshot_id} or {@code filename}, each DuckLake table of its FROM
 * clause gets them as extended columns ({@code t EXTEND (rowid BIGINT, ...)}), and {@code *} leaves
 * them out, as DuckDB does. Statements that do not name them are validated as before.
 */
final class MallardValidator extends CalciteSqlValidator {
  MallardValidator(SqlOperatorTable opTab, CalciteCatalogReader catalogReader, JavaTypeFactory typeFactory,
      Config config) {
    super(opTab, catalogReader, typeFactory, config);
  }

  /**
   * This validator, configured as {@code standard} (the one Calcite would use) is, with DuckDB's
   * functions Calcite lacks ({@link DuckDbFunctions}) and DuckDB's strict GROUP BY.
   */
  static SqlValidator replacing(SqlValidator standard, Prepare.CatalogReader catalogReader) {
    // DuckDB's TRY_CAST (NULL where the cast fails), which Calcite parses but keeps in a library
    return new MallardValidator(
        org.apache.calcite.sql.util.SqlOperatorTables.chain(DuckDbFunctions.TABLE, standard.getOperatorTable(),
            org.apache.calcite.sql.util.SqlOperatorTables.of(org.apache.calcite.sql.fun.SqlLibraryOperators.TRY_CAST)),
        (CalciteCatalogReader) catalogReader,
        (JavaTypeFactory) standard.getTypeFactory(),
        strictGroupBy(standard.config()).withTypeCoercionFactory(VariantCoercion::new));
  }

  /**
   * A SELECT item that is neither grouped nor aggregated is an error, as in DuckDB ("must appear
   * in the GROUP BY clause"). Babel's lenient GROUP BY would wrap it in ANY_VALUE instead, and its
   * check throws a NullPointerException on a searched CASE ({@code GROUP BY CASE WHEN ... END}).
   */
  static Config strictGroupBy(Config config) {
    return config.withConformance(new org.apache.calcite.sql.validate.SqlDelegatingConformance(config.conformance()) {
      @Override
      public boolean isNonStrictGroupBy() {
        return false;
      }
    });
  }

  /**
   * The rows of an INSERT's VALUES, when Calcite finds no common type for a column's values
   * ({@code (INTERVAL '1' DAY), (NULL)} into an INTERVAL column, {@code ('NaN'), (1)} into a DOUBLE
   * one): each value of that column is cast to the column's type, as DuckDB binds an INSERT's VALUES.
   * Columns Calcite unifies are left as they are, but for VARIANT columns, whose values are each cast
   * to VARIANT (see {@link VariantCoercion}).
   */
  @Override
  protected void validateValues(SqlCall node, RelDataType targetRowType, SqlValidatorScope scope) {
    if (targetRowType.isStruct() && node.getOperandList().size() > 1) {
      castToTargetWhereUnresolved(node.getOperandList(), targetRowType, scope);
    }
    super.validateValues(node, targetRowType, scope);
  }

  private void castToTargetWhereUnresolved(List<SqlNode> rows, RelDataType targetRowType, SqlValidatorScope scope) {
    int width = targetRowType.getFieldCount();
    for (SqlNode row : rows) {
      if (row.getKind() != SqlKind.ROW || ((SqlCall) row).operandCount() > width) {
        return;
      }
    }
    int columns = ((SqlCall) rows.get(0)).operandCount();
    for (int c = 0; c < columns; c++) {
      RelDataType target = targetRowType.getFieldList().get(c).getType();
      List<RelDataType> types = new java.util.ArrayList<>();
      for (SqlNode row : rows) {
        SqlCall values = (SqlCall) row;
        if (values.operandCount() != columns) {
          return;
        }
        SqlNode value = values.operand(c);
        try {
          // A NULL takes the column's type (Calcite's inferUnknownTypes).
          types.add(SqlUtil.isNullLiteral(value, false) ? target : deriveType(scope, value));
        } catch (RuntimeException e) {
          return; // a value Calcite types later (a parameter) or refuses itself
        }
      }
      if (target.getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.VARIANT) {
        // each value a variant of its own type, as in DuckDB (Calcite would type the column by its NULLs)
        for (int r = 0; r < rows.size(); r++) {
          SqlCall values = (SqlCall) rows.get(r);
          if (!SqlUtil.isNullLiteral(values.operand(c), false)
              && types.get(r).getSqlTypeName() != org.apache.calcite.sql.type.SqlTypeName.VARIANT) {
            values.setOperand(c, VariantCoercion.castToVariant(values.operand(c)));
          }
        }
        continue;
      }
      if (getTypeFactory().leastRestrictive(types) != null) {
        continue;
      }
      org.apache.calcite.sql.SqlDataTypeSpec spec;
      try {
        spec = SqlTypeUtil.convertTypeToSpec(target);
      } catch (RuntimeException e) {
        continue;
      }
      for (SqlNode row : rows) {
        SqlCall values = (SqlCall) row;
        SqlNode value = values.operand(c);
        if (!SqlUtil.isNullLiteral(value, false)) {
          values.setOperand(c, SqlStdOperatorTable.CAST.createCall(value.getParserPosition(), value, spec));
        }
      }
    }
  }

  /** The names of the statement's WITH items: a FROM item so named is the WITH item, not a table. */
  private final Set<String> withNames = new java.util.HashSet<>();

  @Override
  public SqlNode validate(SqlNode topNode) {
    topNode.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlWithItem item) {
          withNames.add(item.name.getSimple().toLowerCase(java.util.Locale.ROOT));
        }
        return super.visit(call);
      }
    });
    Set<String> travelNames = new java.util.HashSet<>();
    topNode.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlSnapshot snapshot) {
          travelName(snapshot).ifPresent(travelNames::add);
        }
        return super.visit(call);
      }
    });
    DuckLakeSchema.listTravelNames(travelNames);
    try {
      return super.validate(topNode);
    } finally {
      DuckLakeSchema.forgetTravelNames(travelNames);
    }
  }

  /**
   * {@code INSERT INTO t BY NAME source}: the INSERT of the target's columns the source's columns
   * are named after (case-insensitively), as DuckDB matches them; the others get their defaults.
   */
  private void byName(org.apache.calcite.sql.SqlInsert insert) {
    SqlParserPos pos = insert.getParserPosition();
    if (insert.getTargetColumnList() != null) {
      throw new UserException("INSERT ... BY NAME takes its columns from the names of the source's columns:"
          + " it has no column list");
    }
    if (!(insert.getTargetTable() instanceof SqlIdentifier target)) {
      throw new UserException("INSERT ... BY NAME needs a plain table name as its target");
    }
    Prepare.PreparingTable table = getCatalogReader().unwrap(Prepare.CatalogReader.class).getTable(target.names);
    if (table == null) {
      return; // validation reports the missing table
    }
    SqlNode source = SqlStdOperatorTable.AS.createCall(pos, SqlNode.clone(insert.getSource()),
        new SqlIdentifier("by_name_source", pos));
    SqlSelect star = new SqlSelect(pos, null, SqlNodeList.of(SqlIdentifier.star(pos)), source, null, null, null,
        null, null, null, null, null, null);
    // (A source with two columns of one name fails here: the column is ambiguous.)
    SqlValidator alone = replacing(this, getCatalogReader().unwrap(Prepare.CatalogReader.class));
    List<String> names = alone.getValidatedNodeType(alone.validate(star)).getFieldNames();
    List<String> columns = table.getRowType().getFieldNames();
    SqlNodeList targets = new SqlNodeList(pos);
    for (String name : names) {
      String column = columns.stream().filter(c -> c.equalsIgnoreCase(name)).findFirst().orElseThrow(() ->
          new UserException("INSERT ... BY NAME: table " + target + " does not have a column named \"" + name
              + "\" (name the source's columns after the table's, e.g. with AS)"));
      targets.add(new SqlIdentifier(column, pos));
    }
    insert.setOperand(3, targets);
  }

  @Override
  protected SqlNode performUnconditionalRewrites(SqlNode node, boolean underFrom) {
    if (node instanceof SqlCall call && call.getOperator() instanceof org.apache.calcite.sql.SqlUnresolvedFunction f
        && f.getName().equalsIgnoreCase("ROW")) {
      // ROW is not reserved in Mallard's grammar (DuckDB reserves none of these words), so ROW(1, 'x')
      // parses as a call of a function named ROW: make it the row constructor it means.
      node = SqlStdOperatorTable.ROW.createCall(call.getParserPosition(), call.getOperandList());
    }
    if (node instanceof SqlCall call && call.getOperator() instanceof org.apache.calcite.sql.SqlUnresolvedFunction f
        && f.getName().equalsIgnoreCase("MOD") && call.operandCount() == 2) {
      // DuckDB's mod(a, b) is a % b: NULL where b is 0 (see DuckDbDivision), where Calcite's MOD failed.
      node = DuckDbDivision.REMAINDER.createCall(call.getParserPosition(), call.getOperandList());
    }
    if (node instanceof org.apache.calcite.sql.SqlInsert insert && InsertByName.unmark(insert)) {
      byName(insert);
    }
    if (node instanceof org.apache.calcite.sql.SqlInsert insert
        && insert.getSource() instanceof org.apache.calcite.sql.SqlOrderBy ordered) {
      // Calcite converts an INSERT's source as a statement of its own, which keeps the columns an
      // ORDER BY of unselected expressions adds (and then fails on the column count): as a subquery
      // they are projected away, and its sort is kept (see MallardPrepare).
      SqlParserPos pos = ordered.getParserPosition();
      insert.setOperand(2, new SqlSelect(pos, null, SqlNodeList.of(SqlIdentifier.star(pos)),
          SqlStdOperatorTable.AS.createCall(pos, ordered, new SqlIdentifier("ordered_source", pos)), null, null, null,
          null, null, null, null, null, null));
    }
    MallardMerge merge = node instanceof MallardMerge m && m.getSourceSelect() == null ? m : null;
    Prepare.PreparingTable mergeTarget = null;
    if (merge != null) {
      mergeTarget = getCatalogReader().unwrap(Prepare.CatalogReader.class)
          .getTable(((SqlIdentifier) merge.getTargetTable()).names);
      DuckLakeTable table = mergeTarget == null ? null : mergeTarget.unwrap(DuckLakeTable.class);
      if (table == null) {
        throw new UserException("MERGE INTO " + merge.getTargetTable() + ": not a table of a lake");
      }
      MergeClauses.addPlaceholderUpdate(merge, table);
    }
    SqlNode rewritten = super.performUnconditionalRewrites(node, underFrom);
    if (merge != null) {
      org.apache.calcite.sql.SqlNodeList items = merge.getSourceSelect().getSelectList();
      int before = items.size();
      MergeClauses.extendSourceSelect(merge, mergeTarget.unwrap(DuckLakeTable.class), mergeTarget.getRowType(),
          replacing(this, getCatalogReader().unwrap(Prepare.CatalogReader.class)));
      // The clauses' expressions join the select after Calcite's rewrites: they get them here (ROW(...) above).
      for (int i = before; i < items.size(); i++) {
        items.set(i, performUnconditionalRewrites(items.get(i), false));
      }
    }
    if (rewritten instanceof SqlSelect select && AllColumns.groupsByAll(select.getGroup())) {
      select.setGroupBy(AllColumns.groupingItems(select.getSelectList(), select.getGroup().getParserPosition()));
    }
    if (rewritten instanceof SqlSelect select && select.getFrom() != null) {
      select.setFrom(tablesAtTheirSnapshots(select.getFrom()));
      return withVirtualColumns(select);
    }
    return rewritten;
  }

  /**
   * DuckDB's ORDER BY ALL / COLUMNS(*): the select list's columns, by ordinal, now that its stars are
   * expanded.
   */
  @Override
  protected void validateOrderList(SqlSelect select) {
    if (AllColumns.ordersByAll(select.getOrderList())) {
      AllColumns.expandOrder(select.getOrderList(), getRawSelectScope(select).getExpandedSelectList().size());
    }
    super.validateOrderList(select);
  }

  /**
   * A time travel clause whose snapshot is known now (a snapshot id or a timestamp literal) reads the
   * table as it was then: its name and columns then (added columns absent, dropped ones present,
   * renamed ones under their old names), as DuckDB does. The table reference becomes the name under
   * which {@link DuckLakeSchema} gives that version, aliased as the query wrote it. Clauses computed
   * when the statement runs (parameters, expressions) read today's columns.
   */
  private SqlNode tablesAtTheirSnapshots(SqlNode from) {
    switch (from.getKind()) {
      case SNAPSHOT -> {
        SqlSnapshot snapshot = (SqlSnapshot) from;
        if (!(snapshot.getTableRef() instanceof SqlIdentifier table)) {
          return from;
        }
        String alias = Util.last(table.names); // the name the query refers to the table by
        if (!atItsSnapshot(snapshot)) {
          return from;
        }
        SqlParserPos pos = from.getParserPosition();
        return SqlStdOperatorTable.AS.createCall(pos, snapshot, new SqlIdentifier(alias, pos));
      }
      case AS -> {
        SqlCall as = (SqlCall) from;
        if (as.operand(0) instanceof SqlSnapshot snapshot) {
          atItsSnapshot(snapshot);
        }
        return from;
      }
      case JOIN -> {
        SqlJoin join = (SqlJoin) from;
        join.setLeft(tablesAtTheirSnapshots(join.getLeft()));
        join.setRight(tablesAtTheirSnapshots(join.getRight()));
        return from;
      }
      default -> {
        return from;
      }
    }
  }

  /** Points the clause's table at its version as of the clause's snapshot, if that is known now. */
  private boolean atItsSnapshot(SqlSnapshot snapshot) {
    SqlNode table = snapshot.getTableRef();
    if (table instanceof SqlIdentifier id && Util.last(id.names).contains(DuckLakeSchema.AT_SNAPSHOT)) {
      return true; // rewritten already
    }
    java.util.Optional<String> then = travelName(snapshot);
    then.ifPresent(name -> {
      SqlIdentifier id = (SqlIdentifier) table;
      snapshot.setOperand(0, id.setName(id.names.size() - 1, name));
    });
    return then.isPresent();
  }

  /** The name of the clause's table as of the clause's snapshot, if that is known now. */
  private java.util.Optional<String> travelName(SqlSnapshot snapshot) {
    if (!(snapshot.getTableRef() instanceof SqlIdentifier id) || id.isStar()
        || (id.isSimple() && withNames.contains(id.getSimple().toLowerCase(java.util.Locale.ROOT)))
        || !(snapshot.getPeriod() instanceof SqlCall period) || period.operandCount() != 1
        || !(period.operand(0) instanceof SqlNumericLiteral value) || !value.isInteger()) {
      return java.util.Optional.empty();
    }
    long n = value.longValue(true);
    String name = Util.last(id.names);
    if (TimeTravel.isVersion(period)) {
      return java.util.Optional.of(DuckLakeSchema.atVersion(name, n));
    } else if (period.getOperator() == TimeTravel.DUCKLAKE_TIMESTAMP) {
      return java.util.Optional.of(DuckLakeSchema.atMicros(name, n));
    }
    return java.util.Optional.empty();
  }

  /**
   * GEOMETRY columns are VARCHAR to SQL (their WKT, see {@code SqlTypes}), so Calcite would turn any
   * value into text for them. Only text (and NULL) is taken; others are refused before Calcite casts
   * them. (VARIANT columns take any value, as DuckDB's do: see {@code VariantCasts}.)
   */
  @Override
  protected void checkTypeAssignment(SqlValidatorScope sourceScope, SqlValidatorTable table,
      RelDataType sourceRowType, RelDataType targetRowType, SqlNode query) {
    DuckLakeTable lake = table.unwrap(DuckLakeTable.class);
    if (lake != null) {
      List<org.apache.calcite.rel.type.RelDataTypeField> sources = sourceRowType.getFieldList();
      List<org.apache.calcite.rel.type.RelDataTypeField> targets = targetRowType.getFieldList();
      for (int i = 0; i < Math.min(sources.size(), targets.size()); i++) {
        ColumnInfo column = lake.info().column(targets.get(i).getName()).orElse(null);
        RelDataType source = sources.get(i).getType();
        if (column != null && textOnly(column) && !org.apache.calcite.sql.type.SqlTypeUtil.inCharFamily(source)
            && source.getSqlTypeName() != org.apache.calcite.sql.type.SqlTypeName.NULL) {
          throw new UserException("Column " + column.name() + " is " + column.type().toString().toUpperCase(
              java.util.Locale.ROOT) + ": Mallard writes it from text only (" + (column.type().kind()
              == dev.mallard.engine.types.TypeKind.GEOMETRY ? "WKT" : "text")
              + "), not from a value of type " + source.getFullTypeString());
        }
      }
    }
    super.checkTypeAssignment(sourceScope, table, sourceRowType, targetRowType, query);
  }

  private static boolean textOnly(ColumnInfo column) {
    return column.type().kind() == dev.mallard.engine.types.TypeKind.GEOMETRY;
  }

  /**
   * Calcite 1.41 fails with an IndexOutOfBoundsException when an UPDATE sets a ROW column to a ROW
   * with fewer fields than the column has: say what is wrong instead.
   */
  @Override
  public void validateUpdate(org.apache.calcite.sql.SqlUpdate call) {
    try {
      super.validateUpdate(call);
    } catch (IndexOutOfBoundsException e) {
      throw new dev.mallard.engine.MallardException.UserException("UPDATE sets a struct column to a ROW value"
          + " with the wrong number of fields", e);
    }
  }

  /** DuckDB's {@code v.a} on a VARIANT column (see {@link VariantPaths}). */
  @Override
  public SqlNode expandSelectExpr(SqlNode expr, org.apache.calcite.sql.validate.SelectScope scope, SqlSelect select,
      java.util.Map<String, SqlNode> expansions) {
    return super.expandSelectExpr(VariantPaths.rewrite(expr, scope, this), scope, select, expansions);
  }

  @Override
  public SqlNode expand(SqlNode expr, SqlValidatorScope scope) {
    return super.expand(VariantPaths.rewrite(expr, scope, this), scope);
  }

  /** DELETE and UPDATE read their rows through a SELECT Calcite builds; it may name virtual columns too. */
  @Override
  protected SqlSelect createSourceSelectForDelete(SqlDelete call) {
    return withVirtualColumns(super.createSourceSelectForDelete(call));
  }

  @Override
  protected SqlSelect createSourceSelectForUpdate(SqlUpdate call) {
    return withVirtualColumns(super.createSourceSelectForUpdate(call));
  }

  private SqlSelect withVirtualColumns(SqlSelect select) {
    if (select.getFrom() != null && namesVirtualColumn(select)) {
      select.setFrom(extend(select.getFrom()));
    }
    return select;
  }

  private static boolean namesVirtualColumn(SqlSelect select) {
    boolean[] found = {false};
    select.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlIdentifier id) {
        if (!id.isStar() && VirtualColumns.named(id.names.get(id.names.size() - 1)).isPresent()) {
          found[0] = true;
        }
        return null;
      }
    });
    return found[0];
  }

  /** The FROM item with its DuckLake tables extended by the virtual columns they can show. */
  private SqlNode extend(SqlNode from) {
    switch (from.getKind()) {
      case IDENTIFIER -> {
        SqlIdentifier id = (SqlIdentifier) from;
        if (id.isSimple() && withNames.contains(id.getSimple().toLowerCase(java.util.Locale.ROOT))) {
          return from;
        }
        DuckLakeTable table = duckLakeTable(id);
        List<ColumnInfo> virtual = table == null ? List.of() : VirtualColumns.available(table.info().columns());
        return virtual.isEmpty() ? from : SqlStdOperatorTable.EXTEND.createCall(from.getParserPosition(), from,
            VirtualColumns.extendList(virtual));
      }
      case AS, SNAPSHOT -> {
        SqlCall call = (SqlCall) from;
        call.setOperand(0, extend(call.operand(0)));
        return from;
      }
      case JOIN -> {
        SqlJoin join = (SqlJoin) from;
        join.setLeft(extend(join.getLeft()));
        join.setRight(extend(join.getRight()));
        return from;
      }
      default -> {
        return from;
      }
    }
  }

  /**
   * Calcite registers an extended table's namespace under its identifier, but looks it up through
   * the enclosing {@code EXTEND} inside joins and time travel clauses.
   */
  @Override
  public SqlValidatorNamespace getNamespace(SqlNode node) {
    if (node.getKind() == SqlKind.EXTEND) {
      return super.getNamespace(((SqlCall) node).operand(0));
    }
    return super.getNamespace(node);
  }

  private DuckLakeTable duckLakeTable(SqlIdentifier id) {
    Prepare.PreparingTable table = getCatalogReader().unwrap(Prepare.CatalogReader.class).getTable(id.names);
    return table == null ? null : table.unwrap(DuckLakeTable.class);
  }

  /** {@code *} leaves the virtual columns out: it names the table's columns. */
  @Override
  protected void addToSelectList(List<SqlNode> list, Set<String> aliases, List<Map.Entry<String, RelDataType>> fieldList,
      SqlNode exp, SelectScope scope, boolean includeSystemVars) {
    if (exp instanceof SqlIdentifier id && id.names.size() == 2 && isFromStar(id, scope)
        && isVirtualColumnOf(id, scope)) {
      return;
    }
    super.addToSelectList(list, aliases, fieldList, exp, scope, includeSystemVars);
  }

  /** Whether {@code id} is a column a {@code *} of the select list expanded to (it has the star's position). */
  private static boolean isFromStar(SqlIdentifier id, SelectScope scope) {
    org.apache.calcite.sql.SqlNodeList selectList = scope.getNode().getSelectList();
    Predicate<SqlNode> starHere = item -> item instanceof SqlIdentifier s && s.isStar()
        && s.getParserPosition().equals(id.getParserPosition());
    return selectList != null && selectList.getList().stream().anyMatch(starHere);
  }

  private static boolean isVirtualColumnOf(SqlIdentifier id, SelectScope scope) {
    String column = id.names.get(1);
    if (VirtualColumns.named(column).isEmpty()) {
      return false;
    }
    SqlValidatorScope.ResolvedImpl resolved = new SqlValidatorScope.ResolvedImpl();
    scope.resolve(List.of(id.names.get(0)), scope.getValidator().getCatalogReader().nameMatcher(), false, resolved);
    if (resolved.count() != 1) {
      return false;
    }
    if (isChangeFeedWithHiddenIds(resolved.only().namespace)) {
      return true;
    }
    SqlValidatorTable table = resolved.only().namespace.getTable();
    DuckLakeTable lakeTable = table == null ? null : table.unwrap(DuckLakeTable.class);
    return lakeTable != null && lakeTable.columns().stream().anyMatch(c -> VirtualColumns.isVirtual(c)
        && c.name().equalsIgnoreCase(column));
  }

  /** Whether the namespace is a call of a change feed function whose snapshot_id and rowid are virtual. */
  private static boolean isChangeFeedWithHiddenIds(SqlValidatorNamespace namespace) {
    SqlNode node = namespace.getNode();
    if (node instanceof SqlCall call && call.getKind() == SqlKind.COLLECTION_TABLE) {
      node = call.operand(0);
    }
    return node instanceof SqlCall call && call.getOperator().getName() != null
        && ChangeFeed.HIDDEN_ID_FUNCTIONS.contains(call.getOperator().getName().toLowerCase(java.util.Locale.ROOT));
  }
}
