package dev.mallard.calcite.batch;

import dev.mallard.engine.vector.Sort.Key;
import dev.mallard.engine.vector.VType;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/** ORDER BY, with OFFSET and LIMIT if any (then a top-N), over its input's chunks. */
public final class BatchSort extends Sort implements BatchRel {
  BatchSort(RelOptCluster cluster, RelTraitSet traits, RelNode input, RelCollation collation, RexNode offset,
      RexNode fetch) {
    super(cluster, traits, input, collation, offset, fetch);
  }

  /** Keys of types batch operators hold, literal offsets and fetches only. */
  static boolean supports(Sort sort) {
    return !sort.getCollation().getFieldCollations().isEmpty() && BatchLimit.literalBounds(sort)
        && BatchTypes.allSupported(sort.getInput().getRowType());
  }

  @Override
  public Sort copy(RelTraitSet traitSet, RelNode newInput, RelCollation newCollation, RexNode offset,
      RexNode fetch) {
    return new BatchSort(getCluster(), traitSet, newInput, newCollation, offset, fetch);
  }

  @Override
  public BatchPlan plan() {
    BatchPlan input = ((BatchRel) getInput()).plan();
    VType[] types = getInput().getRowType().getFieldList().stream().map(f -> BatchTypes.of(f.getType()))
        .toArray(VType[]::new);
    List<Key> keys = new ArrayList<>();
    for (RelFieldCollation c : getCollation().getFieldCollations()) {
      // As Calcite's Enumerable sort: NULLs first only when the collation says FIRST.
      keys.add(new Key(c.getFieldIndex(), types[c.getFieldIndex()], c.getDirection().isDescending(),
          c.nullDirection == RelFieldCollation.NullDirection.FIRST));
    }
    long skip = offset == null ? 0 : ((RexLiteral) offset).getValueAs(Long.class);
    long take = fetch == null ? -1 : ((RexLiteral) fetch).getValueAs(Long.class);
    return root -> new dev.mallard.engine.vector.Sort(input.open(root), types, keys, skip, take);
  }
}
