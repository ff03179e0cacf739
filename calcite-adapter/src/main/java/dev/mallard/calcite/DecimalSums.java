package dev.mallard.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Lets {@code sum} of integers be a DECIMAL, as {@link MallardTypeSystem#deriveSumType} types it
 * (DuckDB sums integers into a HUGEINT, so they never overflow). Calcite's generated code for a
 * DECIMAL sum adds each argument to a BigDecimal and cannot take an integer argument, so the
 * aggregate rules are replaced by ones that first cast such arguments to DECIMAL in a projection
 * below the aggregate. Every sum goes through these rules, including those Calcite itself makes of
 * {@code avg} (sum / count).
 */
final class DecimalSums {
  private DecimalSums() {}

  /** Replaces Calcite's aggregate rules in {@code planner} by ones that cast sums' arguments. */
  static void install(RelOptPlanner planner) {
    for (ConverterRule calcite : List.<ConverterRule>of(EnumerableRules.ENUMERABLE_AGGREGATE_RULE,
        EnumerableRules.ENUMERABLE_SORTED_AGGREGATE_RULE)) {
      if (planner.removeRule(calcite)) {
        planner.addRule(new CastingRule(calcite));
      }
    }
  }

  private static final class CastingRule extends ConverterRule {
    private final ConverterRule calcite;

    CastingRule(ConverterRule calcite) {
      super(Config.INSTANCE.withConversion(LogicalAggregate.class, Convention.NONE, EnumerableConvention.INSTANCE,
          "Mallard" + calcite));
      this.calcite = calcite;
    }

    @Override
    public @Nullable RelNode convert(RelNode rel) {
      return calcite.convert(withDecimalArguments((Aggregate) rel));
    }
  }

  private static boolean needsCast(Aggregate aggregate, AggregateCall call) {
    return (call.getAggregation().getKind() == SqlKind.SUM || call.getAggregation().getKind() == SqlKind.SUM0)
        && call.getType().getSqlTypeName() == SqlTypeName.DECIMAL && call.getArgList().size() == 1
        && SqlTypeUtil.isIntType(aggregate.getInput().getRowType().getFieldList().get(call.getArgList().get(0))
            .getType());
  }

  /** The aggregate with each integer argument of a DECIMAL sum cast to DECIMAL, or itself if none is. */
  static Aggregate withDecimalArguments(Aggregate aggregate) {
    if (aggregate.getAggCallList().stream().noneMatch(c -> needsCast(aggregate, c))) {
      return aggregate;
    }
    RelNode input = aggregate.getInput();
    RexBuilder rex = aggregate.getCluster().getRexBuilder();
    RelDataTypeFactory types = rex.getTypeFactory();
    List<RexNode> projects = new ArrayList<>(rex.identityProjects(input.getRowType()));
    List<String> names = new ArrayList<>(input.getRowType().getFieldNames());
    List<AggregateCall> calls = new ArrayList<>();
    for (AggregateCall call : aggregate.getAggCallList()) {
      if (!needsCast(aggregate, call)) {
        calls.add(call);
        continue;
      }
      RexNode arg = projects.get(call.getArgList().get(0));
      RelDataType decimal = types.createTypeWithNullability(
          types.createSqlType(SqlTypeName.DECIMAL, 19, 0), arg.getType().isNullable());
      calls.add(call.withArgList(List.of(projects.size())));
      projects.add(rex.makeCast(decimal, arg));
      names.add("$sum_arg" + projects.size());
    }
    RelNode cast = LogicalProject.create(input, List.of(), projects, names, java.util.Set.of());
    return aggregate.copy(aggregate.getTraitSet(), cast, aggregate.getGroupSet(), aggregate.getGroupSets(),
        calls);
  }
}
