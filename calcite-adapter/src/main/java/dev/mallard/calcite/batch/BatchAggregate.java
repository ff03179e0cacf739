package dev.mallard.calcite.batch;

import dev.mallard.engine.vector.Chunk;
import dev.mallard.engine.vector.Column;
import dev.mallard.engine.vector.HashAggregate;
import dev.mallard.engine.vector.VType;
import dev.mallard.engine.vector.VectorExpr;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.ImmutableBitSet;

/** GROUP BY in a hash table over its input's chunks, with COUNT, SUM, AVG, MIN and MAX. */
public final class BatchAggregate extends Aggregate implements BatchRel {
  BatchAggregate(RelOptCluster cluster, RelTraitSet traits, RelNode input, ImmutableBitSet groupSet,
      List<AggregateCall> calls) {
    super(cluster, traits, List.of(), input, groupSet, null, calls);
  }

  @Override
  public Aggregate copy(RelTraitSet traitSet, RelNode input, ImmutableBitSet groupSet,
      List<ImmutableBitSet> groupSets, List<AggregateCall> aggCalls) {
    return new BatchAggregate(getCluster(), traitSet, input, groupSet, aggCalls);
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    return super.computeSelfCost(planner, mq).multiplyBy(COST_FACTOR);
  }

  /** Whether batch operators compute {@code aggregate} exactly as Calcite's would. */
  static boolean supports(Aggregate aggregate) {
    if (aggregate.getGroupType() != Group.SIMPLE) {
      return false;
    }
    RelDataType input = aggregate.getInput().getRowType();
    for (int key : aggregate.getGroupSet()) {
      VType t = BatchTypes.of(input.getFieldList().get(key).getType());
      if (t == null || t.kind() == VType.Kind.DOUBLE) {
        return false; // doubles group with -0.0 = 0.0, which a hash of Doubles does not
      }
    }
    for (AggregateCall call : aggregate.getAggCallList()) {
      if (call(call, input) == null && constant(call, aggregate) == null) {
        return false;
      }
    }
    return true;
  }

  /**
   * A {@code LITERAL_AGG} call's value in every group (Calcite's marker of the groups of a NOT IN or
   * EXISTS subquery), or null for another call.
   */
  private static VectorExpr constant(AggregateCall call, Aggregate aggregate) {
    if (call.getAggregation().getKind() != org.apache.calcite.sql.SqlKind.LITERAL_AGG || call.rexList.size() != 1
        || !(call.rexList.get(0) instanceof RexLiteral) || BatchTypes.of(call.getType()) == null) {
      return null;
    }
    List<VectorExpr> value = new RexToVector(aggregate.getInput().getRowType(), aggregate.getCluster().getRexBuilder())
        .translateAll(call.rexList);
    return value == null ? null : value.get(0);
  }

  /** The engine's form of {@code call}, or null if batch operators do not compute it. */
  private static HashAggregate.Call call(AggregateCall call, RelDataType input) {
    if (call.isDistinct() || call.isApproximate() || call.filterArg >= 0 || !call.collation.getFieldCollations()
        .isEmpty() || call.getArgList().size() > 1) {
      return null;
    }
    VType out = BatchTypes.of(call.getType());
    if (out == null) {
      return null;
    }
    if (call.getArgList().isEmpty()) {
      return call.getAggregation().getKind() == org.apache.calcite.sql.SqlKind.COUNT
          ? new HashAggregate.Call(HashAggregate.Kind.COUNT_STAR, -1, null, out) : null;
    }
    int arg = call.getArgList().get(0);
    RelDataType argType = input.getFieldList().get(arg).getType();
    VType in = BatchTypes.of(argType);
    if (in == null) {
      return null;
    }
    SqlTypeName argName = argType.getSqlTypeName();
    boolean number = BatchTypes.isInteger(argName) || argName == SqlTypeName.DECIMAL || in.kind() == VType.Kind.DOUBLE;
    HashAggregate.Kind kind;
    switch (call.getAggregation().getKind()) {
      case COUNT -> kind = HashAggregate.Kind.COUNT;
      case SUM, SUM0 -> {
        kind = call.getAggregation().getKind() == org.apache.calcite.sql.SqlKind.SUM ? HashAggregate.Kind.SUM
            : HashAggregate.Kind.SUM0;
        boolean sameForm = in.kind() == VType.Kind.DOUBLE ? out.kind() == VType.Kind.DOUBLE
            : out.isExact() && out.scale() == in.scale()
                && (out.kind() == VType.Kind.DECIMAL || BatchTypes.isInteger(call.getType().getSqlTypeName()));
        if (!number || !sameForm) {
          return null;
        }
      }
      case AVG -> {
        kind = HashAggregate.Kind.AVG;
        if (!number || out.kind() != VType.Kind.DOUBLE) {
          return null;
        }
      }
      case MIN, MAX -> {
        kind = call.getAggregation().getKind() == org.apache.calcite.sql.SqlKind.MIN ? HashAggregate.Kind.MIN
            : HashAggregate.Kind.MAX;
        if (in.kind() == VType.Kind.DOUBLE || !in.equals(out) || argName == SqlTypeName.CHAR) {
          return null; // doubles: NaN and -0.0 order; CHAR: padding
        }
      }
      default -> {
        return null;
      }
    }
    return new HashAggregate.Call(kind, arg, in, out);
  }

  @Override
  public BatchPlan plan() {
    BatchPlan input = ((BatchRel) getInput()).plan();
    RelDataType inputType = getInput().getRowType();
    int[] keys = getGroupSet().toArray();
    VType[] keyTypes = new VType[keys.length];
    for (int k = 0; k < keys.length; k++) {
      keyTypes[k] = BatchTypes.of(inputType.getFieldList().get(keys[k]).getType());
    }
    List<HashAggregate.Call> calls = new ArrayList<>();
    VectorExpr[] constants = new VectorExpr[keys.length + getAggCallList().size()]; // by output column
    for (int a = 0; a < getAggCallList().size(); a++) {
      AggregateCall c = getAggCallList().get(a);
      VectorExpr constant = constant(c, this);
      if (constant == null) {
        calls.add(call(c, inputType));
      } else {
        constants[keys.length + a] = constant;
      }
    }
    BatchPlan aggregated;
    if (input instanceof ScanPipeline scan && !scan.hasSink()) {
      // Two phases: each scan task aggregates its own rows where it is decoded.
      aggregated = root -> {
        HashAggregate.KeyFilter onlyKeys = new HashAggregate.KeyFilter();
        ScanPipeline partial = scan.into(() -> HashAggregate.partial(keys, keyTypes, calls, onlyKeys));
        return HashAggregate.merging(partial.open(root), keyTypes, calls, onlyKeys);
      };
    } else {
      aggregated = root -> new HashAggregate(input.open(root), keys, keyTypes, calls);
    }
    if (calls.size() == getAggCallList().size()) {
      return aggregated;
    }
    return aggregated.then(root -> chunk -> {
      Column[] columns = new Column[constants.length];
      int from = 0;
      for (int c = 0; c < columns.length; c++) {
        columns[c] = constants[c] != null ? constants[c].eval(chunk) : chunk.column(from++);
      }
      return new Chunk(columns, chunk.size());
    });
  }
}
