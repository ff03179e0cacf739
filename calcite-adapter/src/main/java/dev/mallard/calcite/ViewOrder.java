package dev.mallard.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/**
 * Keeps the ORDER BY of a view read as a whole, as DuckDB does: {@code SELECT * FROM v}, with a
 * WHERE perhaps, returns the rows in the view's order. Calcite converts the view's ORDER BY
 * into a Sort in the middle of the plan, which its planner then drops, since only the statement's own
 * order is required of the result; here the statement is given the view's order instead. A statement
 * with its own ORDER BY, an aggregate or a join keeps Calcite's meaning (the view's order is not
 * kept), so does a view ordered by a column the statement does not return. A LIMIT or OFFSET over
 * an ordered view or subquery is not this class's: {@code MallardPrepare} has Calcite keep the inner
 * sort there, so the rows cut are the first in that order.
 */
final class ViewOrder {
  private ViewOrder() {}

  static RelRoot keep(RelRoot root) {
    if (root.kind != SqlKind.SELECT || !root.collation.getFieldCollations().isEmpty()) {
      return root;
    }
    RelNode rel = root.rel;
    RelCollation order = orderOf(rel);
    return order == null ? root : root.withCollation(order);
  }

  /**
   * The order of a view's Sort (without LIMIT or OFFSET) under projections and filters, in the
   * fields of {@code rel}; null when there is none or a sort key is not among those fields.
   */
  private static RelCollation orderOf(RelNode rel) {
    if (rel instanceof Sort sort) {
      boolean pureOrder = sort.offset == null && sort.fetch == null && !sort.getCollation().getFieldCollations().isEmpty();
      return pureOrder ? sort.getCollation() : null;
    }
    if (rel instanceof Filter filter) {
      return orderOf(filter.getInput());
    }
    if (rel instanceof Project project) {
      RelCollation below = orderOf(project.getInput());
      if (below == null) {
        return null;
      }
      List<RelFieldCollation> mapped = new ArrayList<>();
      for (RelFieldCollation key : below.getFieldCollations()) {
        int output = outputOf(project.getProjects(), key.getFieldIndex());
        if (output < 0) {
          return null;
        }
        mapped.add(key.withFieldIndex(output));
      }
      return RelCollations.of(mapped);
    }
    return null;
  }

  /**
   * The output holding input field {@code input} as it is, or under a cast to its own type (as
   * the view's expansion casts to the view's row type, which may differ in nullability only).
   */
  private static int outputOf(List<RexNode> projects, int input) {
    for (int i = 0; i < projects.size(); i++) {
      RexNode e = projects.get(i);
      if (e.getKind() == SqlKind.CAST && e instanceof RexCall cast
          && cast.getOperands().get(0).getType().getSqlTypeName() == cast.getType().getSqlTypeName()) {
        e = cast.getOperands().get(0);
      }
      if (e instanceof RexInputRef ref && ref.getIndex() == input) {
        return i;
      }
    }
    return -1;
  }
}
