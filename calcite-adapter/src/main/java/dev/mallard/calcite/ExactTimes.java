package dev.mallard.calcite;

import com.google.common.collect.ImmutableList;
import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import java.math.BigDecimal;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.EnumerableValues;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.TimeString;

/**
 * Exact TIME(6) and TIME(9) in Calcite, whose runtime keeps a TIME as an int of milliseconds of the
 * day. In connections of {@link MallardTypeSystem#EXACT_TIMESTAMPS} their values are longs of micro-
 * and nanoseconds ({@link MallardJavaTypeFactory}); Calcite's generated code still reads every TIME
 * operand of an expression or aggregate as an int, so this rewrite of the optimized plan (after
 * {@link ExactTimestamps}) hands such operators their fine times as BIGINTs instead:
 *
 * <ul>
 *   <li>a {@link AsLongs} node retypes an input's fine TIME fields as BIGINT (the values are already
 *       longs); expressions, aggregates and join conditions on it are rewritten on the BIGINTs, and
 *       a projection above types the results back as TIME(6) or TIME(9);
 *   <li>comparisons (filters, joins, BETWEEN, IN), min, max, count, CASE and COALESCE are exact in
 *       the finer unit; ORDER BY, GROUP BY, DISTINCT and set operations move the longs;
 *   <li>anything else Calcite computes (functions, casts to other types, arithmetic) gets the time
 *       in milliseconds, failing for a value with finer digits rather than rounding it;
 *   <li>what cannot be converted (another aggregate of a time, a window over one) fails when planned.
 * </ul>
 */
final class ExactTimes {
  private ExactTimes() {}

  private static final SqlOperator SAME = ExactTimestamps.function("same");
  private static final SqlOperator FINER = ExactTimestamps.function("finer");
  private static final SqlOperator COARSER = ExactTimestamps.function("coarserTime");
  private static final SqlOperator PARSE = ExactTimestamps.function("parseTime");

  private static final Set<SqlKind> UNIT_FREE_AGGREGATES = EnumSet.of(SqlKind.MIN, SqlKind.MAX, SqlKind.COUNT,
      SqlKind.ANY_VALUE, SqlKind.SINGLE_VALUE, SqlKind.FIRST_VALUE, SqlKind.LAST_VALUE, SqlKind.GROUPING,
      SqlKind.GROUPING_ID, SqlKind.GROUP_ID);

  /** The plan with every operation on fine times exact; {@code plan} if it has none. */
  static RelNode rewrite(RelNode plan) {
    return plan.accept(new Rels(plan.getCluster().getRexBuilder()));
  }

  private static boolean fine(RelDataType type) {
    return TimestampUnits.fineTime(type);
  }

  private static boolean hasFine(RelDataType rowType) {
    return rowType.getFieldList().stream().anyMatch(f -> fine(f.getType()));
  }

  private static UnsupportedFeatureException unsupported(String what) {
    return new UnsupportedFeatureException(what + " is not supported yet: Calcite computes times to the"
        + " millisecond, and Mallard keeps DuckDB's micro- and nanoseconds exact. Cast the column to TIME(3)"
        + " first if milliseconds are enough.");
  }

  /** A fine TIME literal's value in the unit of {@code digits}, exactly. */
  static long units(RexLiteral literal, int digits) {
    TimeString time = literal.getValueAs(TimeString.class);
    long nanos = LocalTime.parse(time.toString()).toNanoOfDay();
    long nanosPerUnit = 1_000_000_000L / TimestampUnits.perSecond(digits);
    if (nanos % nanosPerUnit != 0) {
      throw unsupported("The literal " + time + " has more digits than its type, so comparing it");
    }
    return nanos / nanosPerUnit;
  }

  /**
   * Its input with the fine TIME fields typed BIGINT: the same rows, whose values are longs either
   * way, so that Calcite's code reads them as longs.
   */
  static final class AsLongs extends SingleRel implements EnumerableRel {
    AsLongs(RelNode input, RelDataType rowType) {
      super(input.getCluster(), input.getTraitSet(), input);
      this.rowType = rowType;
    }

    @Override
    protected RelDataType deriveRowType() {
      return rowType;
    }

    @Override
    public RelNode copy(org.apache.calcite.plan.RelTraitSet traitSet, List<RelNode> inputs) {
      return new AsLongs(inputs.get(0), rowType);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
      Result input = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
      PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), input.format);
      return implementor.result(physType, input.block);
    }
  }

  private static final class Rels extends RelShuttleImpl {
    private final RexBuilder rex;
    private final RelDataTypeFactory types;

    Rels(RexBuilder rex) {
      this.rex = rex;
      this.types = rex.getTypeFactory();
    }

    @Override
    public RelNode visit(TableScan scan) {
      return scan;
    }

    @Override
    public RelNode visit(RelNode other) {
      RelNode rel = super.visit(other);
      if (rel instanceof Values values && hasFine(values.getRowType())) {
        return values(values);
      }
      if (rel instanceof Calc calc && calc.getProgram().getExprList().stream().anyMatch(e -> fine(e.getType()))) {
        return calc(calc);
      }
      if (rel instanceof Aggregate aggregate && hasFine(aggregate.getInput().getRowType())) {
        return aggregate(aggregate);
      }
      if (rel instanceof Join join && refersToFine(join.getCondition())) {
        return join(join);
      }
      if (rel instanceof Window window && hasFine(window.getInput().getRowType())) {
        window(window);
      }
      return rel;
    }

    private RelDataType carrier(RelDataType type) {
      return types.createTypeWithNullability(types.createSqlType(SqlTypeName.BIGINT), type.isNullable());
    }

    private RelDataType longs(RelDataType rowType) {
      RelDataTypeFactory.Builder b = types.builder();
      for (RelDataTypeField f : rowType.getFieldList()) {
        b.add(f.getName(), fine(f.getType()) ? carrier(f.getType()) : f.getType());
      }
      return b.build();
    }

    private RelNode asLongs(RelNode input) {
      return hasFine(input.getRowType()) ? new AsLongs(input, longs(input.getRowType())) : input;
    }

    /** A projection of {@code rel}'s fields (fine times as BIGINT) typed as {@code rowType} again. */
    private RelNode typedAs(RelNode rel, RelDataType rowType) {
      if (rel.getRowType().equals(rowType)) {
        return rel;
      }
      List<RexNode> projects = new ArrayList<>();
      for (int i = 0; i < rowType.getFieldCount(); i++) {
        RelDataType type = rowType.getFieldList().get(i).getType();
        RexNode ref = rex.makeInputRef(rel.getRowType().getFieldList().get(i).getType(), i);
        projects.add(fine(type) ? rex.makeCall(type, SAME, List.of(ref)) : ref);
      }
      return EnumerableCalc.create(rel, RexProgram.create(rel.getRowType(), projects, null, rowType, rex));
    }

    private RelNode calc(Calc calc) {
      RelNode input = asLongs(calc.getInput());
      Rexes rexes = new Rexes(rex, input.getRowType());
      RexProgram program = calc.getProgram();
      List<RexNode> projects = new ArrayList<>();
      for (org.apache.calcite.rex.RexLocalRef p : program.getProjectList()) {
        RexNode expanded = program.expandLocalRef(p);
        RexNode rewritten = expanded.accept(rexes);
        projects.add(fine(expanded.getType()) ? rex.makeCall(expanded.getType(), SAME, List.of(rewritten)) : rewritten);
      }
      RexNode condition = program.getCondition() == null ? null
          : program.expandLocalRef(program.getCondition()).accept(rexes);
      return EnumerableCalc.create(input,
          RexProgram.create(input.getRowType(), projects, condition, calc.getRowType(), rex));
    }

    private RelNode aggregate(Aggregate aggregate) {
      RelNode input = asLongs(aggregate.getInput());
      List<AggregateCall> calls = new ArrayList<>();
      for (AggregateCall call : aggregate.getAggCallList()) {
        boolean fineArgument = call.getArgList().stream()
            .anyMatch(a -> fine(aggregate.getInput().getRowType().getFieldList().get(a).getType()));
        if (fineArgument && !UNIT_FREE_AGGREGATES.contains(call.getAggregation().getKind())) {
          throw unsupported(call + " of a TIME with digits below the millisecond");
        }
        calls.add(!fine(call.getType()) ? call : AggregateCall.create(call.getParserPosition(), call.getAggregation(),
            call.isDistinct(), call.isApproximate(), call.ignoreNulls(), call.rexList, call.getArgList(),
            call.filterArg, call.distinctKeys, call.getCollation(), false, input, carrier(call.getType()),
            call.getName()));
      }
      RelNode longs = aggregate.copy(aggregate.getTraitSet(), input, aggregate.getGroupSet(),
          aggregate.getGroupSets(), calls);
      return typedAs(longs, aggregate.getRowType());
    }

    private RelNode join(Join join) {
      RelNode left = asLongs(join.getLeft());
      RelNode right = asLongs(join.getRight());
      RelDataTypeFactory.Builder both = types.builder();
      both.addAll(left.getRowType().getFieldList());
      both.addAll(right.getRowType().getFieldList());
      both.uniquify();
      RexNode condition = join.getCondition().accept(new Rexes(rex, both.build()));
      RelNode longs = join.copy(join.getTraitSet(), condition, left, right, join.getJoinType(), join.isSemiJoinDone());
      return typedAs(longs, join.getRowType());
    }

    private void window(Window window) {
      List<RelDataTypeField> fields = window.getInput().getRowType().getFieldList();
      for (Window.Group group : window.groups) {
        boolean fineKey = group.keys.asList().stream().anyMatch(k -> fine(fields.get(k).getType()))
            || group.orderKeys.getFieldCollations().stream().anyMatch(c -> fine(fields.get(c.getFieldIndex()).getType()));
        boolean fineOperand = group.aggCalls.stream().flatMap(c -> c.getOperands().stream())
            .anyMatch(o -> o instanceof RexInputRef r && fine(fields.get(r.getIndex()).getType()));
        if (fineKey || fineOperand) {
          throw unsupported("A window over a TIME with digits below the millisecond");
        }
      }
    }

    private RelNode values(Values values) {
      RelDataType rowType = values.getRowType();
      RelDataType longRowType = longs(rowType);
      List<ImmutableList<RexLiteral>> tuples = new ArrayList<>();
      for (List<RexLiteral> tuple : values.getTuples()) {
        List<RexLiteral> converted = new ArrayList<>();
        for (int i = 0; i < tuple.size(); i++) {
          RelDataType type = rowType.getFieldList().get(i).getType();
          RelDataType longType = longRowType.getFieldList().get(i).getType();
          RexLiteral literal = tuple.get(i);
          if (!fine(type)) {
            converted.add(literal);
          } else if (literal.isNull()) {
            converted.add((RexLiteral) rex.makeNullLiteral(longType));
          } else {
            converted.add((RexLiteral) rex.makeLiteral(
                BigDecimal.valueOf(units(literal, TimestampUnits.timeDigits(type))), longType));
          }
        }
        tuples.add(ImmutableList.copyOf(converted));
      }
      return typedAs(EnumerableValues.create(values.getCluster(), longRowType, ImmutableList.copyOf(tuples)), rowType);
    }
  }

  private static boolean refersToFine(RexNode e) {
    if (e instanceof RexInputRef || e instanceof RexLiteral || e instanceof RexDynamicParam) {
      return fine(e.getType());
    }
    return e instanceof RexCall call && (fine(call.getType())
        || call.getOperands().stream().anyMatch(ExactTimes::refersToFine));
  }

  /**
   * Rewrites an expression over an input whose fine times are BIGINTs: each expression of a fine TIME
   * type becomes a BIGINT of the same unit; every other keeps its type.
   */
  private static final class Rexes extends RexShuttle {
    private final RexBuilder rex;
    private final RelDataType input;

    Rexes(RexBuilder rex, RelDataType input) {
      this.rex = rex;
      this.input = input;
    }

    private RelDataType carrier(RelDataType type) {
      RelDataTypeFactory types = rex.getTypeFactory();
      return types.createTypeWithNullability(types.createSqlType(SqlTypeName.BIGINT), type.isNullable());
    }

    private RelDataType millis(RelDataType type) {
      RelDataTypeFactory types = rex.getTypeFactory();
      return types.createTypeWithNullability(types.createSqlType(SqlTypeName.TIME, 3), type.isNullable());
    }

    @Override
    public RexNode visitInputRef(RexInputRef ref) {
      return fine(ref.getType()) ? new RexInputRef(ref.getIndex(), input.getFieldList().get(ref.getIndex()).getType())
          : ref;
    }

    @Override
    public RexNode visitLiteral(RexLiteral literal) {
      if (!fine(literal.getType())) {
        return literal;
      }
      if (literal.isNull()) {
        return rex.makeNullLiteral(carrier(literal.getType()));
      }
      return rex.makeLiteral(BigDecimal.valueOf(units(literal, TimestampUnits.timeDigits(literal.getType()))),
          carrier(literal.getType()));
    }

    @Override
    public RexNode visitDynamicParam(RexDynamicParam param) {
      if (!fine(param.getType())) {
        return param;
      }
      // JDBC hands times over in milliseconds.
      RexNode millis = rex.makeDynamicParam(millis(param.getType()), param.getIndex());
      return toUnit(millis, 3, TimestampUnits.timeDigits(param.getType()), param.getType());
    }

    @Override
    public RexNode visitCall(RexCall call) {
      List<RexNode> originals = call.getOperands();
      if (call.getKind() == SqlKind.SEARCH && originals.stream().anyMatch(o -> fine(o.getType()))) {
        return RexUtil.expandSearch(rex, null, call).accept(this);
      }
      List<RexNode> operands = new ArrayList<>();
      for (RexNode o : originals) {
        operands.add(o.accept(this));
      }
      boolean fineIn = originals.stream().anyMatch(o -> fine(o.getType()));
      boolean fineOut = fine(call.getType());
      SqlKind kind = call.getKind();
      if (kind == SqlKind.ITEM) {
        // A list's element or a map's value: a long of its own unit already (see SqlTypes).
        return call.clone(fineOut ? carrier(call.getType()) : call.getType(), operands);
      }
      if (VariantCasts.isToVariant(call.getOperator())) {
        return call.clone(call.getType(), operands); // the variant keeps the time's unit (its long as it is)
      }
      if (kind == SqlKind.ARRAY_VALUE_CONSTRUCTOR || kind == SqlKind.MAP_VALUE_CONSTRUCTOR || kind == SqlKind.ROW) {
        List<RexNode> same = new ArrayList<>();
        for (int i = 0; i < operands.size(); i++) {
          RelDataType component = component(call.getType(), i);
          int from = TimestampUnits.timeDigits(originals.get(i).getType());
          int to = TimestampUnits.timeDigits(component);
          same.add(from > 0 && to > 3 ? toUnit(operands.get(i), from, to, component) : operands.get(i));
        }
        return call.clone(call.getType(), same);
      }
      if (!fineIn && !fineOut) {
        return operands.equals(originals) ? call : call.clone(call.getType(), operands);
      }
      boolean allTimes = originals.stream().allMatch(o -> TimestampUnits.timeDigits(o.getType()) > 0);
      if ((SqlKind.COMPARISON.contains(kind) || kind == SqlKind.IS_DISTINCT_FROM
          || kind == SqlKind.IS_NOT_DISTINCT_FROM) && allTimes) {
        int finest = originals.stream().mapToInt(o -> TimestampUnits.timeDigits(o.getType())).max().orElseThrow();
        List<RexNode> same = new ArrayList<>();
        for (int i = 0; i < operands.size(); i++) {
          same.add(toUnit(operands.get(i), TimestampUnits.timeDigits(originals.get(i).getType()), finest,
              originals.get(i).getType()));
        }
        return call.clone(call.getType(), same);
      }
      if (kind == SqlKind.IS_NULL || kind == SqlKind.IS_NOT_NULL) {
        return call.clone(call.getType(), operands);
      }
      int out = TimestampUnits.timeDigits(call.getType());
      if (kind == SqlKind.CASE && fineOut) {
        List<RexNode> same = new ArrayList<>(operands);
        for (int i = 1; i < same.size(); i += 2) {
          same.set(i, toUnit(same.get(i), TimestampUnits.timeDigits(originals.get(i).getType()), out, call.getType()));
        }
        int last = same.size() - 1;
        same.set(last, toUnit(same.get(last), TimestampUnits.timeDigits(originals.get(last).getType()), out,
            call.getType()));
        return rex.makeCall(carrier(call.getType()), call.getOperator(), same);
      }
      if ((kind == SqlKind.COALESCE || kind == SqlKind.GREATEST || kind == SqlKind.LEAST) && fineOut && allTimes) {
        List<RexNode> same = new ArrayList<>();
        for (int i = 0; i < operands.size(); i++) {
          same.add(toUnit(operands.get(i), TimestampUnits.timeDigits(originals.get(i).getType()), out,
              call.getType()));
        }
        return rex.makeCall(carrier(call.getType()), call.getOperator(), same);
      }
      if ((kind == SqlKind.CAST || kind == SqlKind.REINTERPRET) && operands.size() == 1 && out > 0
          && TimestampUnits.timeDigits(originals.get(0).getType()) > 0) {
        return toUnit(operands.get(0), TimestampUnits.timeDigits(originals.get(0).getType()), out, call.getType());
      }
      if (kind == SqlKind.CAST && fineOut && SqlTypeName.CHAR_TYPES.contains(originals.get(0).getType().getSqlTypeName())) {
        return rex.makeCall(carrier(call.getType()), PARSE, List.of(operands.get(0),
            rex.makeExactLiteral(BigDecimal.valueOf(out))));
      }
      // Anything else is Calcite's, in milliseconds.
      List<RexNode> millis = new ArrayList<>();
      for (int i = 0; i < operands.size(); i++) {
        RelDataType type = originals.get(i).getType();
        millis.add(fine(type) ? toUnit(operands.get(i), TimestampUnits.timeDigits(type), 3, type) : operands.get(i));
      }
      if (!fineOut) {
        return call.clone(call.getType(), millis);
      }
      return toUnit(call.clone(millis(call.getType()), millis), 3, out, call.getType());
    }

    /** The type of a nested value's {@code i}-th constructor operand. */
    private static RelDataType component(RelDataType nested, int i) {
      return switch (nested.getSqlTypeName()) {
        case ARRAY, MULTISET -> nested.getComponentType();
        case MAP -> i % 2 == 0 ? nested.getKeyType() : nested.getValueType();
        default -> nested.getFieldList().get(i).getType();
      };
    }

    /**
     * {@code value}, a time of {@code from} digits (a TIME(3) int, or a BIGINT of finer units), in the
     * unit of {@code to}: a TIME(3) of {@code like}'s nullability for 3, else a BIGINT.
     */
    private RexNode toUnit(RexNode value, int from, int to, RelDataType like) {
      RelDataType type = to == 3 ? millis(like) : carrier(like);
      if (from == to) {
        return value.getType().equals(type) || from == 3 ? value : rex.makeCall(type, SAME, List.of(value));
      }
      long factor = TimestampUnits.perSecond(Math.max(from, to)) / TimestampUnits.perSecond(Math.min(from, to));
      if (from == 3 && value instanceof RexLiteral l && !l.isNull()) {
        return rex.makeLiteral(BigDecimal.valueOf(units(l, to)), type);
      }
      if (value instanceof RexLiteral l && !l.isNull() && to > from) {
        return rex.makeLiteral(BigDecimal.valueOf(Math.multiplyExact(l.getValueAs(Long.class), factor)), type);
      }
      RexNode factorLiteral = rex.makeBigintLiteral(BigDecimal.valueOf(factor));
      return to > from ? rex.makeCall(type, FINER, List.of(value, factorLiteral))
          : rex.makeCall(type, COARSER, List.of(value, factorLiteral, rex.makeExactLiteral(BigDecimal.valueOf(from))));
    }
  }
}
