package dev.mallard.calcite.batch;

import dev.mallard.engine.vector.Chunk;
import dev.mallard.engine.vector.ChunkSource;
import dev.mallard.engine.vector.HashJoin;
import dev.mallard.engine.vector.VType;
import dev.mallard.engine.vector.VectorExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidatorUtil;

/**
 * An equi-join (INNER, LEFT, SEMI or ANTI) in a hash table of its right input, probed by its left
 * input's chunks, as Calcite's {@code EnumerableHashJoin} does with rows (see {@link HashJoin}).
 */
public final class BatchHashJoin extends Join implements BatchRel {
  BatchHashJoin(RelOptCluster cluster, RelTraitSet traits, RelNode left, RelNode right, RexNode condition,
      JoinRelType joinType) {
    super(cluster, traits, List.of(), left, right, condition, Set.of(), joinType);
  }

  @Override
  public Join copy(RelTraitSet traitSet, RexNode conditionExpr, RelNode left, RelNode right, JoinRelType joinType,
      boolean semiJoinDone) {
    return new BatchHashJoin(getCluster(), traitSet, left, right, conditionExpr, joinType);
  }

  /** The condition split into key pairs (NULLs never equal) and the rest. */
  private record Split(List<Integer> leftKeys, List<Integer> rightKeys, RexNode residual) {}

  private static Split split(RelNode left, RelNode right, RexNode condition) {
    List<Integer> leftKeys = new ArrayList<>();
    List<Integer> rightKeys = new ArrayList<>();
    List<Boolean> filterNulls = new ArrayList<>();
    RexNode rest = RelOptUtil.splitJoinCondition(left, right, condition, leftKeys, rightKeys, filterNulls);
    if (filterNulls.contains(false)) {
      return null; // IS NOT DISTINCT FROM: NULL keys match
    }
    return new Split(leftKeys, rightKeys, rest.isAlwaysTrue() ? null : rest);
  }

  /** Whether a batch hash join computes {@code join} as Calcite's would. */
  static boolean supports(Join join) {
    JoinRelType type = join.getJoinType();
    if (type != JoinRelType.INNER && type != JoinRelType.LEFT && type != JoinRelType.SEMI
        && type != JoinRelType.ANTI || !join.getVariablesSet().isEmpty()) {
      return false;
    }
    Split split = split(join.getLeft(), join.getRight(), join.getCondition());
    if (split == null || split.leftKeys().isEmpty()) {
      return false;
    }
    RelDataType left = join.getLeft().getRowType();
    RelDataType right = join.getRight().getRowType();
    for (int k = 0; k < split.leftKeys().size(); k++) {
      if (keyType(left.getFieldList().get(split.leftKeys().get(k)).getType(),
          right.getFieldList().get(split.rightKeys().get(k)).getType()) == null) {
        return false;
      }
    }
    return split.residual() == null || new RexToVector(bothSides(join), join.getCluster().getRexBuilder())
        .supports(List.of(split.residual()));
  }

  /** How a key pair of these types is hashed and compared, or null when not by the batch join. */
  private static VType keyType(RelDataType a, RelDataType b) {
    VType ta = BatchTypes.of(a);
    VType tb = BatchTypes.of(b);
    if (ta == null || !ta.equals(tb) || ta.kind() == VType.Kind.DOUBLE) {
      return null; // doubles: -0.0 = 0.0 and NaN do not hash as they compare
    }
    SqlTypeName na = a.getSqlTypeName();
    SqlTypeName nb = b.getSqlTypeName();
    boolean integers = BatchTypes.isInteger(na) && BatchTypes.isInteger(nb);
    if (na != nb && !integers) {
      return null; // e.g. CHAR against VARCHAR (padding), a DATE against an integer
    }
    return ta;
  }

  /** Whether the planner expects the left input to have fewer than {@code 1 / factor} of the right's rows. */
  private boolean leftIsSmaller(int factor) {
    RelMetadataQuery mq = getCluster().getMetadataQuery();
    Double leftRows = mq.getRowCount(getLeft());
    Double rightRows = mq.getRowCount(getRight());
    return leftRows != null && rightRows != null && leftRows * factor < rightRows;
  }

  /** The left input's columns then the right's: what the residual condition reads. */
  static RelDataType bothSides(Join join) {
    return SqlValidatorUtil.createJoinType(join.getCluster().getTypeFactory(), join.getLeft().getRowType(),
        join.getRight().getRowType(), null, List.of());
  }

  @Override
  public BatchPlan plan() {
    BatchPlan probe = ((BatchRel) getLeft()).plan();
    BatchPlan build = ((BatchRel) getRight()).plan();
    Split split = split(getLeft(), getRight(), getCondition());
    RelDataType left = getLeft().getRowType();
    RelDataType right = getRight().getRowType();
    int keys = split.leftKeys().size();
    int[] probeKeys = new int[keys];
    int[] buildKeys = new int[keys];
    VType[] keyTypes = new VType[keys];
    for (int k = 0; k < keys; k++) {
      probeKeys[k] = split.leftKeys().get(k);
      buildKeys[k] = split.rightKeys().get(k);
      keyTypes[k] = keyType(left.getFieldList().get(probeKeys[k]).getType(),
          right.getFieldList().get(buildKeys[k]).getType());
    }
    VType[] buildTypes = right.getFieldList().stream().map(f -> BatchTypes.of(f.getType())).toArray(VType[]::new);
    VectorExpr residual = split.residual() == null ? null
        : new RexToVector(bothSides(this), getCluster().getRexBuilder()).translateAll(List.of(split.residual())).get(0);
    HashJoin.Type type = switch (joinType) {
      case INNER -> HashJoin.Type.INNER;
      case LEFT -> HashJoin.Type.LEFT;
      case SEMI -> HashJoin.Type.SEMI;
      case ANTI -> HashJoin.Type.ANTI;
      default -> throw new IllegalStateException("No batch hash join for " + joinType);
    };
    // A LEFT join hashes the smaller side (a table is built on one thread); a SEMI or ANTI join hashes
    // the left side only when it is several times smaller, as TPC-H Q04's quarter of orders is.
    if (type != HashJoin.Type.INNER && residual == null && build instanceof ScanPipeline large
        && !large.hasSink() && leftIsSmaller(type == HashJoin.Type.LEFT ? 1 : 4)) {
      // Hash the small left side and let the large right side's scan mark the rows it matches
      // (TPC-H Q04: a quarter's orders against the lineitems of all orders; Q13: customers against
      // their orders).
      VType[] leftTypes = left.getFieldList().stream().map(f -> BatchTypes.of(f.getType())).toArray(VType[]::new);
      return root -> {
        HashJoin.Marks marks = new HashJoin.Marks(probe.open(root), probeKeys, buildKeys, keyTypes, leftTypes,
            buildTypes, type);
        if (marks.leftIsEmpty()) {
          return ChunkSource.empty();
        }
        UnaryOperator<Chunk> mark = marks.markStep();
        return marks.rows(large.then(r -> mark).open(root));
      };
    }
    if (probe instanceof ScanPipeline && !(getRight() instanceof BatchAggregate)) {
      // Probed where the probe side's scan decodes. Not over an aggregate: HashJoin may then read
      // the probe side first to aggregate only the keys it holds.
      return probe.then(root -> HashJoin.probeStep(build.open(root), probeKeys, buildKeys, keyTypes, buildTypes,
          type, residual));
    }
    return root -> new HashJoin(probe.open(root), build.open(root), probeKeys, buildKeys, keyTypes, buildTypes,
        type, residual);
  }
}
