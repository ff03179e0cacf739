package dev.mallard.calcite.batch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.sql.SqlExplainLevel;

/**
 * Computes once a batch aggregate that the finished plan has twice or more (a view or WITH query
 * read twice, as TPC-H Q15's {@code revenue0}, joined and also aggregated for its maximum): all of
 * its places read one {@link BatchShared} over it. Two subtrees are the same when their plans print
 * the same and their scans read the same table object with the same (possibly parameter) filters;
 * the planner itself takes subtrees that print the same as the same. Only aggregates: their output
 * is small and made whole anyway, where keeping a join's or a scan's output could take much memory.
 */
final class SharedAggregates {
  /** How many places of the plan have each aggregate, by {@link #key}. */
  private final Map<List<Object>, Integer> places = new HashMap<>();
  private final Map<RelNode, List<Object>> keys = new IdentityHashMap<>();
  private final Map<List<Object>, RelNode> shared = new HashMap<>();

  private SharedAggregates() {}

  static RelNode share(RelNode plan) {
    SharedAggregates s = new SharedAggregates();
    s.count(plan);
    return s.places.values().stream().anyMatch(n -> n > 1) ? s.rewrite(plan) : plan;
  }

  private void count(RelNode node) {
    if (node instanceof BatchAggregate) {
      places.merge(key(node), 1, Integer::sum);
    }
    node.getInputs().forEach(this::count);
  }

  /**
   * What {@code node} computes: its plan as EXPLAIN prints it (all but costs), then for each scan
   * under it (its batch form prints less than the scan) the scan's own print, what it reads (table,
   * columns, filters, parameter filters: a record), and its table object (compared by identity).
   */
  private List<Object> key(RelNode node) {
    return keys.computeIfAbsent(node, n -> {
      List<Object> key = new ArrayList<>();
      key.add(print(n));
      scans(n, key);
      return key;
    });
  }

  /** The plan of {@code node} as EXPLAIN prints it, without the operators' ids. */
  private static String print(RelNode node) {
    return ID.matcher(RelOptUtil.toString(node, SqlExplainLevel.NON_COST_ATTRIBUTES)).replaceAll(")");
  }

  private static final Pattern ID = Pattern.compile("\\), id = \\d+$", Pattern.MULTILINE);

  private static void scans(RelNode node, List<Object> key) {
    if (node instanceof BatchScan scan) {
      key.add(print(scan.scan()));
      key.add(scan.scan().spec());
      key.add(scan.scan().duckLakeTable()); // no equals of its own: the same object
    }
    node.getInputs().forEach(input -> scans(input, key));
  }

  private RelNode rewrite(RelNode node) {
    List<Object> key = node instanceof BatchAggregate ? key(node) : null;
    int n = key == null ? 1 : places.get(key);
    if (n > 1 && shared.containsKey(key)) {
      return shared.get(key);
    }
    List<RelNode> inputs = new ArrayList<>();
    boolean changed = false;
    for (RelNode input : node.getInputs()) {
      RelNode rewritten = rewrite(input);
      changed |= rewritten != input;
      inputs.add(rewritten);
    }
    RelNode out = changed ? node.copy(node.getTraitSet(), inputs) : node;
    if (n > 1) {
      out = new BatchShared(node.getCluster(), node.getTraitSet(), out, n);
      shared.put(key, out);
    }
    return out;
  }
}
