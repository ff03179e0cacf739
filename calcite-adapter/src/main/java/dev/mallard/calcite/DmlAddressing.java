package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.rex.RexNode;

/**
 * Gives DELETE and UPDATE the addresses of the rows they change. Calcite feeds them the rows'
 * values; DuckLake deletes by position in a data file (or by inlined row id), and an update keeps
 * the row's id. So, before planning, the scan under such a statement is asked for each row's
 * address, and every projection between them passes it up, as its last three fields. MERGE gets
 * the addresses of the target rows its source rows matched, after a flag telling whether a source
 * row was there.
 */
final class DmlAddressing {
  private DmlAddressing() {}

  static RelNode rewrite(RelNode root) {
    if (root instanceof TableModify modify && modify.getTable().unwrap(DuckLakeTable.class) != null
        && modify.getOperation() == TableModify.Operation.MERGE) {
      return modify.copy(modify.getTraitSet(), List.of(mergeWithAddress(modify.getInput())));
    }
    if (root instanceof TableModify modify && modify.getTable().unwrap(DuckLakeTable.class) != null
        && (modify.getOperation() == TableModify.Operation.DELETE
            || modify.getOperation() == TableModify.Operation.UPDATE)) {
      return modify.copy(modify.getTraitSet(), List.of(withAddress(modify.getInput())));
    }
    return root;
  }

  /**
   * MERGE's input is a projection over {@code source JOIN target} (an outer join when a clause is
   * for unmatched rows): the source side gets a TRUE column at its end, so that a row shows whether
   * a source row was there, and the target side is asked for its rows' addresses (null where no
   * target row matched). The projection passes both up, last.
   */
  private static RelNode mergeWithAddress(RelNode input) {
    if (input instanceof LogicalProject project && project.getInput() instanceof LogicalJoin join) {
      RexBuilder rex = join.getCluster().getRexBuilder();
      RelNode source = join.getLeft();
      int sourceWidth = source.getRowType().getFieldCount();
      List<RexNode> sourceFields = new ArrayList<>(rex.identityProjects(source.getRowType()));
      sourceFields.add(rex.makeLiteral(true));
      List<String> sourceNames = new ArrayList<>(source.getRowType().getFieldNames());
      sourceNames.add(SOURCE_ROW_FIELD);
      RelNode markedSource = LogicalProject.create(source, List.of(), sourceFields,
          SqlValidatorUtil.uniquify(sourceNames, false), java.util.Set.of());
      // The target's fields move one to the right.
      RexShuttle shift = new RexShuttle() {
        @Override
        public RexNode visitInputRef(RexInputRef ref) {
          return ref.getIndex() < sourceWidth ? ref : new RexInputRef(ref.getIndex() + 1, ref.getType());
        }
      };
      RelNode addressedJoin = join.copy(join.getTraitSet(), join.getCondition().accept(shift), markedSource,
          withAddress(join.getRight()), join.getJoinType(), join.isSemiJoinDone());
      List<RexNode> exprs = new ArrayList<>(shift.apply(project.getProjects()));
      List<String> names = new ArrayList<>(project.getRowType().getFieldNames());
      exprs.add(RexInputRef.of(sourceWidth, addressedJoin.getRowType()));
      names.add(SOURCE_ROW_FIELD);
      int width = addressedJoin.getRowType().getFieldCount();
      for (int i = 0; i < DuckLakeTableScan.ADDRESS_FIELDS.size(); i++) {
        exprs.add(RexInputRef.of(width - DuckLakeTableScan.ADDRESS_FIELDS.size() + i, addressedJoin.getRowType()));
        names.add(DuckLakeTableScan.ADDRESS_FIELDS.get(i));
      }
      return LogicalProject.create(addressedJoin, project.getHints(), exprs, SqlValidatorUtil.uniquify(names, false),
          project.getVariablesSet());
    }
    throw new UnsupportedFeatureException("MERGE INTO of this form is not supported yet (found "
        + input.getRelTypeName() + ")");
  }

  /** The field of a MERGE's joined rows that is TRUE where a source row was there. */
  private static final String SOURCE_ROW_FIELD = "_mallard_source_row";

  private static RelNode withAddress(RelNode rel) {
    if (rel instanceof DuckLakeTableScan scan) {
      return scan.withRowAddress();
    }
    if (rel instanceof LogicalFilter filter) {
      return filter.copy(filter.getTraitSet(), withAddress(filter.getInput()), filter.getCondition());
    }
    if (rel instanceof LogicalProject project) {
      return withAddress(project, withAddress(project.getInput()));
    }
    throw new UnsupportedFeatureException("DELETE and UPDATE whose WHERE clause needs a join or a subquery are not"
        + " supported yet (found " + rel.getRelTypeName() + ")");
  }

  /** The projection over an input that ends with the address fields, passing them up too. */
  private static RelNode withAddress(LogicalProject project, RelNode input) {
    int width = input.getRowType().getFieldCount();
    List<RexNode> exprs = new ArrayList<>(project.getProjects());
    List<String> names = new ArrayList<>(project.getRowType().getFieldNames());
    for (int i = 0; i < DuckLakeTableScan.ADDRESS_FIELDS.size(); i++) {
      exprs.add(RexInputRef.of(width - DuckLakeTableScan.ADDRESS_FIELDS.size() + i, input.getRowType()));
      names.add(DuckLakeTableScan.ADDRESS_FIELDS.get(i));
    }
    return LogicalProject.create(input, project.getHints(), exprs, names, project.getVariablesSet());
  }
}
