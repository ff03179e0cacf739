package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanRequest;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A DuckLake table as Calcite sees it: its columns as they were when the statement was planned,
 * and a scan that reads whatever snapshot the statement runs against.
 */
public final class DuckLakeTable extends AbstractTable implements TranslatableTable {
  private final LakeContext lake;
  private final TableInfo info;
  private final long schemaVersion;

  DuckLakeTable(LakeContext lake, TableInfo info, long schemaVersion) {
    this.lake = lake;
    this.info = info;
    this.schemaVersion = schemaVersion;
  }

  public TableInfo info() {
    return info;
  }

  long schemaVersion() {
    return schemaVersion;
  }

  LakeContext lake() {
    return lake;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder b = typeFactory.builder();
    for (ColumnInfo c : info.columns()) {
      b.add(c.name(), SqlTypes.of(c, typeFactory));
    }
    return b.build();
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    return DuckLakeTableScan.create(context.getCluster(), relOptTable, this);
  }

  /** Called by the generated code of a {@link DuckLakeTableScan} each time its statement runs. */
  public Enumerable<Object> scan(DataContext root, ScanSpec spec) {
    Snapshot snapshot = lake.snapshotFor(root);
    TableInfo now = lake.viewAt(snapshot).tableById(spec.tableId()).orElseThrow(() ->
        new UserException("Table " + info.qualifiedName() + " does not exist at snapshot " + snapshot.id()
            + "; it was dropped after the statement was prepared"));
    List<ColumnInfo> columns = new ArrayList<>();
    for (long id : spec.columnIds()) {
      ColumnInfo column = now.columns().stream().filter(c -> c.id() == id).findFirst().orElse(null);
      ColumnInfo planned = info.columns().stream().filter(c -> c.id() == id).findFirst().orElseThrow();
      if (column == null || !column.type().equals(planned.type())) {
        throw new UserException("Column " + planned.name() + " of " + info.qualifiedName()
            + " changed after the statement was prepared; prepare it again");
      }
      columns.add(column);
    }
    ScanRequest request = new ScanRequest(now, snapshot, columns, spec.filters(), null, spec.withRowAddress());
    ScanPlan plan = lake.planner().plan(request, lake.pendingChanges(now));
    return new ScanEnumerable(plan, lake.catalog());
  }
}
