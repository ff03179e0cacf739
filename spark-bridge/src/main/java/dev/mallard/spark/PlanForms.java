package dev.mallard.spark;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.DeleteFile;
import dev.mallard.engine.catalog.InlinedDataTable;
import dev.mallard.engine.catalog.SchemaInfo;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanTask;
import dev.mallard.engine.types.DuckLakeType;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Serializable copies of the engine records an input partition carries to an executor, and their
 * way back. The engine's records (and {@link DuckLakeType}) are not {@link Serializable}; copying
 * their fields keeps executors from listing or planning anything again: a task names its file,
 * deletions and columns completely.
 */
final class PlanForms {
  private PlanForms() {}

  /** What every partition of one scan shares: the table, snapshot, columns and filter. */
  record ReadSpec(TableForm table, SnapshotForm snapshot, List<ColumnForm> outputColumns,
      List<ColumnForm> readColumns, PredicateForm filter) implements Serializable {

    static ReadSpec of(ScanPlan plan) {
      return new ReadSpec(TableForm.of(plan.table()), SnapshotForm.of(plan.snapshot()),
          plan.outputColumns().stream().map(ColumnForm::of).toList(),
          plan.readColumns().stream().map(ColumnForm::of).toList(),
          plan.filter() == null ? null : PredicateForm.of(plan.filter()));
    }

    /**
     * The plan of one task. Its table lists only the read columns: readers use the plan's column
     * lists, never the table's.
     */
    ScanPlan toPlan(ScanTask task, boolean withRowAddress) {
      List<ColumnInfo> read = readColumns.stream().map(ColumnForm::toColumn).toList();
      List<ColumnInfo> output = read.subList(0, outputColumns.size());
      return new ScanPlan(table.toTable(read), snapshot.toSnapshot(), output, read,
          filter == null ? null : filter.toPredicate(), List.of(task), withRowAddress);
    }
  }

  record ColumnForm(long id, String name, String type, boolean nullable, String initialDefault,
      String defaultValue, List<ColumnForm> children) implements Serializable {

    static ColumnForm of(ColumnInfo c) {
      return new ColumnForm(c.id(), c.name(), c.type().toString(), c.nullable(), c.initialDefault(),
          c.defaultValue(), c.children().stream().map(ColumnForm::of).toList());
    }

    ColumnInfo toColumn() {
      return new ColumnInfo(id, name, DuckLakeType.parse(type), nullable, initialDefault, defaultValue,
          children.stream().map(ColumnForm::toColumn).toList());
    }
  }

  record TableForm(long id, String uuid, long schemaId, String schemaUuid, String schemaName, String schemaPath,
      String name, String path) implements Serializable {

    static TableForm of(TableInfo t) {
      SchemaInfo s = t.schema();
      return new TableForm(t.id(), t.uuid(), s.id(), s.uuid(), s.name(), s.path(), t.name(), t.path());
    }

    TableInfo toTable(List<ColumnInfo> columns) {
      return new TableInfo(id, uuid, new SchemaInfo(schemaId, schemaUuid, schemaName, schemaPath), name, path,
          columns);
    }
  }

  record SnapshotForm(long id, Instant time, long schemaVersion, long nextCatalogId, long nextFileId)
      implements Serializable {

    static SnapshotForm of(Snapshot s) {
      return new SnapshotForm(s.id(), s.time(), s.schemaVersion(), s.nextCatalogId(), s.nextFileId());
    }

    Snapshot toSnapshot() {
      return new Snapshot(id, time, schemaVersion, nextCatalogId, nextFileId);
    }
  }

  /** The engine's predicate tree; literals are engine values, which are all serializable. */
  sealed interface PredicateForm extends Serializable {
    Predicate toPredicate();

    static PredicateForm of(Predicate p) {
      if (p instanceof Predicate.Comparison c) {
        return new ComparisonForm(ColumnRefForm.of(c.column()), c.op(), (Serializable) c.value());
      }
      if (p instanceof Predicate.In in) {
        List<Serializable> values = new ArrayList<>();
        in.values().forEach(v -> values.add((Serializable) v));
        return new InForm(ColumnRefForm.of(in.column()), values);
      }
      if (p instanceof Predicate.IsNull n) {
        return new IsNullForm(ColumnRefForm.of(n.column()));
      }
      if (p instanceof Predicate.And a) {
        return new AndForm(a.terms().stream().map(PredicateForm::of).toList());
      }
      if (p instanceof Predicate.Or o) {
        return new OrForm(o.terms().stream().map(PredicateForm::of).toList());
      }
      if (p instanceof Predicate.Not n) {
        return new NotForm(of(n.term()));
      }
      throw new IllegalArgumentException("No serializable form for predicate " + p);
    }
  }

  record ColumnRefForm(long columnId, String name, String type) implements Serializable {
    static ColumnRefForm of(ColumnRef c) {
      return new ColumnRefForm(c.columnId(), c.name(), c.type().toString());
    }

    ColumnRef toRef() {
      return new ColumnRef(columnId, name, DuckLakeType.parse(type));
    }
  }

  record ComparisonForm(ColumnRefForm column, Predicate.Op op, Serializable value) implements PredicateForm {
    @Override
    public Predicate toPredicate() {
      return new Predicate.Comparison(column.toRef(), op, value);
    }
  }

  record InForm(ColumnRefForm column, List<Serializable> values) implements PredicateForm {
    @Override
    public Predicate toPredicate() {
      return new Predicate.In(column.toRef(), new ArrayList<>(values));
    }
  }

  record IsNullForm(ColumnRefForm column) implements PredicateForm {
    @Override
    public Predicate toPredicate() {
      return new Predicate.IsNull(column.toRef());
    }
  }

  record AndForm(List<PredicateForm> terms) implements PredicateForm {
    @Override
    public Predicate toPredicate() {
      return new Predicate.And(terms.stream().map(PredicateForm::toPredicate).toList());
    }
  }

  record OrForm(List<PredicateForm> terms) implements PredicateForm {
    @Override
    public Predicate toPredicate() {
      return new Predicate.Or(terms.stream().map(PredicateForm::toPredicate).toList());
    }
  }

  record NotForm(PredicateForm term) implements PredicateForm {
    @Override
    public Predicate toPredicate() {
      return new Predicate.Not(term.toPredicate());
    }
  }

  /** One scan task: a data file with its deletions, or an inlined data table. */
  sealed interface TaskForm extends Serializable {
    ScanTask toTask();

    static TaskForm of(ScanTask task) {
      if (task instanceof ScanTask.DataFileTask d) {
        DataFile f = d.file();
        DeleteFile x = f.deleteFile();
        DeleteFileForm delete = x == null ? null : new DeleteFileForm(x.id(), x.path(), x.format(), x.deleteCount(),
            x.fileSizeBytes(), x.beginSnapshot(), x.encryptionKey());
        return new DataFileForm(f.id(), f.path(), f.recordCount(), f.fileSizeBytes(), f.footerSize(), f.rowIdStart(),
            f.beginSnapshot(), f.partialMax(), f.legacyVisibleRows(), f.mappingId(), f.partitionId(),
            f.encryptionKey(), delete, d.inlinedDeletions().clone(), d.splitStart(), d.splitEnd());
      }
      ScanTask.InlinedRowsTask i = (ScanTask.InlinedRowsTask) task;
      return new InlinedRowsForm(i.table().tableId(), i.table().name(), i.table().schemaVersion(),
          new ArrayList<>(i.sourceColumns()));
    }
  }

  record DeleteFileForm(long id, String path, String format, long deleteCount, long fileSizeBytes,
      long beginSnapshot, String encryptionKey) implements Serializable {}

  record DataFileForm(long id, String path, long recordCount, long fileSizeBytes, Long footerSize, long rowIdStart,
      long beginSnapshot, Long partialMax, Long legacyVisibleRows, Long mappingId, Long partitionId,
      String encryptionKey, DeleteFileForm deleteFile, long[] inlinedDeletions, long splitStart, long splitEnd)
      implements TaskForm {

    @Override
    public ScanTask toTask() {
      DeleteFile delete = deleteFile == null ? null : new DeleteFile(deleteFile.id(), deleteFile.path(),
          deleteFile.format(), deleteFile.deleteCount(), deleteFile.fileSizeBytes(), deleteFile.beginSnapshot(),
          deleteFile.encryptionKey());
      return new ScanTask.DataFileTask(new DataFile(id, path, recordCount, fileSizeBytes, footerSize, rowIdStart,
          beginSnapshot, partialMax, legacyVisibleRows, mappingId, partitionId, encryptionKey, delete),
          inlinedDeletions.clone(), splitStart, splitEnd);
    }
  }

  /** @param sourceColumns may hold nulls (columns the inlined table did not have), so an ArrayList */
  record InlinedRowsForm(long tableId, String name, long schemaVersion, ArrayList<String> sourceColumns)
      implements TaskForm {

    @Override
    public ScanTask toTask() {
      return new ScanTask.InlinedRowsTask(new InlinedDataTable(tableId, name, schemaVersion), sourceColumns);
    }
  }
}
