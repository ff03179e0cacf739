package dev.mallard.calcite;

import java.lang.reflect.Type;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.tools.Program;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalcitePrepareImpl;

/**
 * Calcite's statement preparation with Mallard's rules in every planner, so that statements with
 * no DuckLake scan in them (an INSERT of VALUES) still find how to write to a lake, and with
 * Mallard's rewrites of a statement before it is optimized. Use it through
 * {@code Driver.createPrepare()}.
 */
public class MallardPrepare extends CalcitePrepareImpl {
  /** DuckLake's maintenance calls ({@code CALL ducklake_...}) are handled by {@link MaintenanceCall}. */
  @Override
  public <T> CalciteSignature<T> prepareSql(CalcitePrepare.Context context, CalcitePrepare.Query<T> query,
      Type elementType, long maxRowCount) {
    if (query.sql != null && MaintenanceCall.matches(query.sql)) {
      return MaintenanceCall.prepare(context, query.sql);
    }
    CalciteSignature<T> signature = super.prepareSql(context, query, elementType, maxRowCount);
    timesAsNumbers(signature.columns);
    return signature;
  }

  /**
   * TIME(6) and TIME(9) columns carry longs (see {@link MallardJavaTypeFactory}), which Avatica reads
   * for a TIME column only when told they are numbers; the JDBC driver reads them exactly, as
   * {@code LocalTime}s.
   */
  private static void timesAsNumbers(java.util.List<ColumnMetaData> columns) {
    for (int i = 0; i < columns.size(); i++) {
      ColumnMetaData c = columns.get(i);
      ColumnMetaData.AvaticaType inside = timesInsideAsNumbers(c.type);
      if (inside != c.type) {
        columns.set(i, new ColumnMetaData(c.ordinal, c.autoIncrement, c.caseSensitive, c.searchable, c.currency,
            c.nullable, c.signed, c.displaySize, c.label, c.columnName, c.schemaName, c.precision, c.scale,
            c.tableName, c.catalogName, inside, c.readOnly, c.writable, c.definitelyWritable, c.columnClassName));
        continue;
      }
      if (c.type.id == java.sql.Types.TIME
          && (c.type.rep == ColumnMetaData.Rep.PRIMITIVE_LONG || c.type.rep == ColumnMetaData.Rep.LONG)) {
        columns.set(i, new ColumnMetaData(c.ordinal, c.autoIncrement, c.caseSensitive, c.searchable, c.currency,
            c.nullable, c.signed, c.displaySize, c.label, c.columnName, c.schemaName, c.precision, c.scale,
            c.tableName, c.catalogName, ColumnMetaData.scalar(java.sql.Types.TIME, c.type.name,
                ColumnMetaData.Rep.NUMBER), c.readOnly, c.writable, c.definitelyWritable,
            java.time.LocalTime.class.getName()));
      }
    }
  }

  /** {@code type} with the TIME(6) and TIME(9) fields and elements inside it marked as numbers too. */
  private static ColumnMetaData.AvaticaType timesInsideAsNumbers(ColumnMetaData.AvaticaType type) {
    if (type instanceof ColumnMetaData.StructType struct) {
      java.util.List<ColumnMetaData> fields = new java.util.ArrayList<>(struct.columns);
      timesAsNumbers(fields);
      boolean changed = false;
      for (int i = 0; i < fields.size(); i++) {
        changed |= fields.get(i) != struct.columns.get(i);
      }
      return changed ? ColumnMetaData.struct(fields) : type;
    }
    if (type instanceof ColumnMetaData.ArrayType array) {
      ColumnMetaData.AvaticaType component = array.getComponent();
      ColumnMetaData.AvaticaType fixed = component.id == java.sql.Types.TIME
          && (component.rep == ColumnMetaData.Rep.PRIMITIVE_LONG || component.rep == ColumnMetaData.Rep.LONG)
          ? ColumnMetaData.scalar(java.sql.Types.TIME, component.name, ColumnMetaData.Rep.NUMBER)
          : timesInsideAsNumbers(component);
      return fixed == component ? type : ColumnMetaData.array(fixed, array.name, array.rep);
    }
    return type;
  }

  @Override
  protected CalcitePreparingStmt getPreparingStmt(CalcitePrepare.Context context, Type elementType,
      CalciteCatalogReader catalogReader, RelOptPlanner planner) {
    EnumerableRel.Prefer prefer = elementType == Object[].class ? EnumerableRel.Prefer.ARRAY
        : EnumerableRel.Prefer.CUSTOM;
    return new CalcitePreparingStmt(this, context, catalogReader, context.getTypeFactory(), context.getRootSchema(),
        prefer, createCluster(planner, new RexBuilder(context.getTypeFactory())), EnumerableConvention.INSTANCE,
        createConvertletTable()) {
      /** Calcite's validator with DuckDB's virtual columns (see {@link MallardValidator}). */
      @Override
      protected org.apache.calcite.sql.validate.SqlValidator createSqlValidator(
          org.apache.calcite.prepare.Prepare.CatalogReader catalogReader,
          java.util.function.UnaryOperator<org.apache.calcite.sql.validate.SqlValidator.Config> configTransform) {
        return MallardValidator.replacing(super.createSqlValidator(catalogReader, configTransform), catalogReader);
      }

      /**
       * Keeps the ORDER BY of a view or subquery in the plan, as DuckDB does: Calcite would drop it,
       * and {@code SELECT * FROM ordered_view LIMIT 2} would return any two rows.
       */
      @Override
      protected org.apache.calcite.sql2rel.SqlToRelConverter getSqlToRelConverter(
          org.apache.calcite.sql.validate.SqlValidator validator,
          org.apache.calcite.prepare.Prepare.CatalogReader catalogReader,
          org.apache.calcite.sql2rel.SqlToRelConverter.Config config) {
        return super.getSqlToRelConverter(validator, catalogReader, config.withRemoveSortInSubQuery(false));
      }

      /** The statement's order, or the order of the view it reads as a whole (see {@link ViewOrder}). */
      @Override
      protected org.apache.calcite.rel.RelRoot trimUnusedFields(org.apache.calcite.rel.RelRoot root) {
        return super.trimUnusedFields(ViewOrder.keep(root));
      }

      @Override
      protected Program getProgram() {
        Program standard = JoinOrder.program();
        return (p, rel, traits, materializations, lattices) -> {
          if (MallardTypeSystem.exactTimestamps(rel.getCluster().getTypeFactory().getTypeSystem())) {
            p.setExecutor(ExactTimestamps.executor(p.getExecutor()));
          }
          RelNode optimized = FloatCasts.rewrite(NestedCasts.rewrite(
              standard.run(p, CheckedArithmetic.rewrite(VariantCasts.rewrite(DmlAddressing.rewrite(rel))), traits,
                  materializations, lattices)));
          RelNode exact = MallardTypeSystem.exactTimestamps(optimized.getCluster().getTypeFactory().getTypeSystem())
              ? ExactTimes.rewrite(ExactTimestamps.rewrite(optimized)) : optimized;
          return dev.mallard.calcite.batch.BatchRewrite.rewrite(exact);
        };
      }
    };
  }

  /**
   * Calcite's conversions, with casts of intervals to text giving DuckDB's text (see
   * {@link IntervalTexts}), DuckDB's division and remainder ({@link DuckDbDivision}) and power ({@link DuckDbPower}), and the current time being the transaction's (see {@link TransactionTime}).
   */
  @Override
  protected org.apache.calcite.sql2rel.SqlRexConvertletTable createConvertletTable() {
    return call -> {
      org.apache.calcite.sql2rel.SqlRexConvertlet time = TransactionTime.convertlet(call);
      if (time != null) {
        return time;
      }
      org.apache.calcite.sql2rel.SqlRexConvertlet division = DuckDbDivision.convertlet(call);
      if (division != null) {
        return division;
      }
      org.apache.calcite.sql2rel.SqlRexConvertlet power = DuckDbPower.convertlet(call);
      return power != null ? power : IntervalTexts.CONVERTLETS.get(call);
    };
  }

  /** Views are parsed as statements are, with Mallard's grammar (Calcite's default would refuse {@code day}). */
  @Override
  protected SqlParser createParser(String sql) {
    return SqlParser.create(sql, LakeView.PARSER);
  }

  @Override
  protected RelOptCluster createCluster(RelOptPlanner planner, RexBuilder rexBuilder) {
    RelOptCluster cluster = super.createCluster(planner, rexBuilder);
    cluster.setMetadataProvider(HashJoinCosts.PROVIDER);
    return cluster;
  }

  @Override
  protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext,
      org.apache.calcite.plan.Context externalContext,
      RelOptCostFactory costFactory) {
    RelOptPlanner planner = super.createPlanner(prepareContext, externalContext, costFactory);
    DuckLakeRules.RULES.forEach(planner::addRule);
    planner.addRule(DuckLakeRules.TABLE_MODIFY);
    // A merge join needs both inputs sorted, and Enumerable sorts are tree maps of boxed rows: a
    // hash join is always cheaper here (see HashJoinCosts).
    planner.removeRule(EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE);
    DecimalSums.install(planner);
    dev.mallard.calcite.batch.BatchRules.install(planner);
    if (MallardTypeSystem.exactTimestamps(prepareContext.getTypeFactory().getTypeSystem())) {
      // Also for the simplifications made while the statement is converted, before optimize() sets its own.
      planner.setExecutor(ExactTimestamps.executor(null));
    }
    return planner;
  }
}
