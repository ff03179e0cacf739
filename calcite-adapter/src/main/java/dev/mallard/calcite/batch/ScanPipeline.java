package dev.mallard.calcite.batch;

import dev.mallard.calcite.DuckLakeTable;
import dev.mallard.calcite.ScanSpec;
import dev.mallard.engine.scan.KeyFilter;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.vector.Calc;
import dev.mallard.engine.vector.Chunk;
import dev.mallard.engine.vector.ChunkSink;
import dev.mallard.engine.vector.ChunkSource;
import dev.mallard.engine.vector.HashJoin;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.apache.calcite.DataContext;

/**
 * A scan, the steps over it that work a chunk at a time (filters, projections, hash join probes),
 * and optionally a sink per scan task (the first half of an aggregate): they run on the threads
 * that decode the scan's files, in parallel with the operators above (see
 * {@link dev.mallard.engine.vector.ScanChunks}). Steps are opened in order before the scan starts,
 * so a hash join's table is built before its probe side is read.
 *
 * @param sinks null for none
 */
record ScanPipeline(DuckLakeTable table, ScanSpec spec, DuckLakeType[] types, List<Step> steps,
    Supplier<ChunkSink> sinks) implements BatchPlan {
  private static final Set<TypeKind> INTEGER_KINDS = EnumSet.of(TypeKind.INT8, TypeKind.INT16, TypeKind.INT32,
      TypeKind.INT64);

  ScanPipeline(DuckLakeTable table, ScanSpec spec, DuckLakeType[] types) {
    this(table, spec, types, List.of(), null);
  }

  @Override
  public ChunkSource open(DataContext root) {
    List<UnaryOperator<Chunk>> opened = new ArrayList<>();
    for (Step step : steps) {
      UnaryOperator<Chunk> s = step.open(root);
      if (s == null) {
        return ChunkSource.empty();
      }
      opened.add(s);
    }
    return table.chunks(root, spec, types, opened, sinks, keyFilters(opened));
  }

  /**
   * The key filters of the hash joins probed (or marked) first, on the scan's integer columns: the
   * scan drops the rows they rule out before it decodes their other columns (TPC-H Q17 keeps one
   * lineitem in a thousand). A key is followed back to the scan's column through the steps before
   * its probe: filters keep the columns in place, projections may pass some on, and probes keep
   * their input's columns in place and add the build side's after them.
   */
  private List<ScanPlan.KeyColumn> keyFilters(List<UnaryOperator<Chunk>> opened) {
    List<ScanPlan.KeyColumn> filters = new ArrayList<>();
    int[] scanColumns = IntStream.range(0, types.length).toArray(); // of each column so far; -1: none
    for (UnaryOperator<Chunk> step : opened) {
      if (step instanceof HashJoin.KeyFiltered probe) {
        KeyFilter keys = probe.keyFilter();
        int column = probe.keyColumn() < scanColumns.length ? scanColumns[probe.keyColumn()] : -1;
        if (keys != null && column >= 0 && INTEGER_KINDS.contains(types[column].kind())) {
          filters.add(new ScanPlan.KeyColumn(column, keys));
        }
      } else if (step instanceof Calc calc) {
        scanColumns = calc.passedOn(scanColumns);
      } else {
        break;
      }
    }
    return filters;
  }

  @Override
  public BatchPlan then(Step step) {
    if (sinks != null) {
      return BatchPlan.super.then(step);
    }
    List<Step> more = new ArrayList<>(steps);
    more.add(step);
    return new ScanPipeline(table, spec, types, List.copyOf(more), null);
  }

  /** Whether this pipeline ends in a sink (then {@link #into} cannot end it again). */
  boolean hasSink() {
    return sinks != null;
  }

  /** This pipeline ending in a sink per task. */
  ScanPipeline into(Supplier<ChunkSink> sinks) {
    return new ScanPipeline(table, spec, types, steps, sinks);
  }
}
