package dev.mallard.calcite;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql2rel.RelFieldTrimmer;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.mapping.Mapping;
import org.apache.calcite.util.mapping.MappingType;
import org.apache.calcite.util.mapping.Mappings;

/**
 * Calcite's field trimming, except that a filter's output drops the columns only its condition reads.
 * Calcite keeps them, so they travel up through every join above: TPC-H Q13's join hashed each
 * order's {@code o_comment}, read only by its {@code NOT LIKE}. A projection of column references
 * (no expressions) over the filter drops them; over a scan it only narrows the scan's columns.
 */
public final class FilterColumnTrimmer extends RelFieldTrimmer { // public: Calcite dispatches to trimFields by reflection
  private final RelBuilder builder;

  private FilterColumnTrimmer(RelBuilder builder) {
    super(null, builder);
    this.builder = builder;
  }

  /** {@link org.apache.calcite.tools.Programs#trim()} with this trimmer. */
  static Program program() {
    return (planner, rel, traits, materializations, lattices) ->
        new FilterColumnTrimmer(RelFactories.LOGICAL_BUILDER.create(rel.getCluster(), null)).trim(rel);
  }

  @Override
  public TrimResult trimFields(Filter filter, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    TrimResult trimmed = super.trimFields(filter, fieldsUsed, extraFields);
    RelNode kept = trimmed.left;
    Mapping keptColumns = trimmed.right;
    if (!extraFields.isEmpty() || fieldsUsed.isEmpty()
        || kept.getRowType().getFieldCount() <= fieldsUsed.cardinality()) {
      return trimmed; // nothing read by the condition alone (an empty projection would need a column anyway)
    }
    List<RexNode> used = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Mapping mapping = Mappings.create(MappingType.INVERSE_SURJECTION, filter.getRowType().getFieldCount(),
        fieldsUsed.cardinality());
    for (int field : fieldsUsed) {
      int column = keptColumns.getTarget(field);
      mapping.set(field, used.size());
      used.add(RexInputRef.of(column, kept.getRowType()));
      names.add(kept.getRowType().getFieldNames().get(column));
    }
    return result(builder.push(kept).project(used, names).build(), mapping);
  }
}
