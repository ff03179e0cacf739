package dev.mallard.spark;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.ScanReader;
import dev.mallard.engine.parquet.FileColumnStats;
import dev.mallard.engine.parquet.WrittenFile;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanRequest;
import dev.mallard.engine.txn.Transaction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.SupportsTruncate;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append (INSERT INTO, {@code DataFrameWriterV2.append}, the second half of CTAS) or an
 * overwrite of every row (INSERT OVERWRITE, {@code mode("overwrite")}). Executors write Parquet data
 * files with the engine's writer into the table's directory; the driver then registers them in one
 * engine {@link Transaction}, which commits one snapshot and retries when another writer committed
 * first without conflicting. An overwrite deletes, in that same transaction, every row visible when
 * it commits. A failed job deletes the files it wrote; nothing reaches the catalog.
 */
final class DuckLakeWrite implements WriteBuilder, SupportsTruncate, Write, BatchWrite {
  private static final Logger LOG = LoggerFactory.getLogger(DuckLakeWrite.class);

  private final DuckLakeSparkTable table;
  private final LogicalWriteInfo info;
  private boolean truncate;

  DuckLakeWrite(DuckLakeSparkTable table, LogicalWriteInfo info) {
    this.table = table;
    this.info = info;
    if (info.schema().fields().length != table.info().columns().size()) {
      throw new UserException("Writing " + info.schema().fields().length + " columns to " + table.name() + ", which has "
          + table.info().columns().size());
    }
  }

  @Override
  public WriteBuilder truncate() {
    truncate = true;
    return this;
  }

  @Override
  public Write build() {
    return this;
  }

  @Override
  public String description() {
    return "DuckLakeWrite(" + table.name() + (truncate ? ", overwrite" : ", append") + ")";
  }

  @Override
  public BatchWrite toBatch() {
    return this;
  }

  @Override
  public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo physical) {
    TableInfo t = table.info();
    return new DuckLakeDataWriter.Factory(table.lake(), t.path(),
        t.columns().stream().map(PlanForms.ColumnForm::of).toList());
  }

  @Override
  public boolean useCommitCoordinator() {
    return true;
  }

  @Override
  public void commit(WriterCommitMessage[] messages) {
    List<WrittenFile> files = files(messages);
    DuckLakeCatalog catalog = OpenLakes.get(table.lake()).catalog();
    Transaction txn = new Transaction(catalog);
    try {
      TableInfo now = txn.view().table(table.info().schema().name(), table.info().name())
          .filter(t -> t.id() == table.info().id())
          .orElseThrow(() -> new UserException("Table " + table.info().qualifiedName()
              + " was dropped or replaced while Spark wrote to it; nothing was written"));
      if (!sameColumns(now.columns(), table.info().columns())) {
        throw new UserException("The columns of " + now.qualifiedName() + " changed while Spark wrote to it;"
            + " nothing was written. Run the write again");
      }
      if (truncate) {
        deleteEveryRow(OpenLakes.get(table.lake()), txn, now);
      }
      txn.appendFiles(now, files);
      Snapshot committed = txn.commit();
      LOG.info("Committed {} data files ({} rows) to {} as snapshot {}", files.size(),
          files.stream().mapToLong(WrittenFile::recordCount).sum(), now.qualifiedName(), committed.id());
    } catch (RuntimeException e) {
      txn.rollback(); // deletes the files registered so far; commit() already did on its own failure
      deleteFiles(catalog, files);
      throw e;
    }
  }

  @Override
  public void abort(WriterCommitMessage[] messages) {
    deleteFiles(OpenLakes.get(table.lake()).catalog(), files(messages));
  }

  private static List<WrittenFile> files(WriterCommitMessage[] messages) {
    List<WrittenFile> out = new ArrayList<>();
    for (WriterCommitMessage m : messages) {
      if (m instanceof Written w) {
        w.files().forEach(f -> out.add(f.toWrittenFile()));
      }
    }
    return out;
  }

  private static void deleteFiles(DuckLakeCatalog catalog, List<WrittenFile> files) {
    for (WrittenFile f : files) {
      try {
        catalog.fileIO().delete(f.path());
      } catch (RuntimeException e) {
        LOG.warn("Could not delete {} after a failed write; DuckLake's orphan cleanup removes it", f.path());
      }
    }
  }

  private static boolean sameColumns(List<ColumnInfo> a, List<ColumnInfo> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i).id() != b.get(i).id() || !a.get(i).type().equals(b.get(i).type())) {
        return false;
      }
    }
    return true;
  }

  /** Marks every row visible to the transaction deleted: positions in data files, ids of inlined rows. */
  private static void deleteEveryRow(OpenLakes.OpenLake lake, Transaction txn, TableInfo table) {
    DuckLakeCatalog catalog = lake.catalog();
    ScanPlan plan = lake.planner().plan(
        new ScanRequest(table, txn.startSnapshot(), List.of(), List.of(), null, true),
        txn.pendingChanges(table));
    Map<Long, List<Long>> positions = new HashMap<>();
    List<Long> inlined = new ArrayList<>();
    try (ScanReader reader = new ScanReader(plan, catalog)) {
      for (Batch next = reader.next(); next != null; next = reader.next()) {
        try (Batch batch = next) {
          BigIntVector file = (BigIntVector) batch.vector(plan.addressColumns());
          BigIntVector position = (BigIntVector) batch.vector(plan.addressColumns() + 1);
          for (int i = 0; i < batch.selectedCount(); i++) {
            int row = batch.selectedRow(i);
            if (file.isNull(row)) {
              inlined.add(position.get(row));
            } else {
              positions.computeIfAbsent(file.get(row), k -> new ArrayList<>()).add(position.get(row));
            }
          }
        }
      }
    }
    Map<Long, long[]> byFile = new HashMap<>();
    positions.forEach((file, list) -> byFile.put(file, list.stream().mapToLong(Long::longValue).toArray()));
    txn.delete(table, byFile, inlined.stream().mapToLong(Long::longValue).toArray());
  }

  /** What one task wrote, sent back to the driver. */
  record Written(List<FileForm> files) implements WriterCommitMessage {}

  /** A serializable {@link WrittenFile}. */
  record FileForm(String path, long recordCount, long fileSizeBytes, long footerSize,
      Map<Integer, StatsForm> stats) implements Serializable {
    static FileForm of(WrittenFile f) {
      Map<Integer, StatsForm> stats = new HashMap<>();
      f.stats().forEach((id, s) -> stats.put(id, new StatsForm(s.columnSizeBytes(), s.valueCount(), s.nullCount(),
          s.minValue(), s.maxValue(), s.containsNan())));
      return new FileForm(f.path(), f.recordCount(), f.fileSizeBytes(), f.footerSize(), stats);
    }

    WrittenFile toWrittenFile() {
      Map<Integer, FileColumnStats> out = new HashMap<>();
      stats.forEach((id, s) -> out.put(id, new FileColumnStats(s.columnSizeBytes(), s.valueCount(), s.nullCount(),
          s.minValue(), s.maxValue(), s.containsNan())));
      return new WrittenFile(path, recordCount, fileSizeBytes, footerSize, out);
    }
  }

  record StatsForm(long columnSizeBytes, long valueCount, long nullCount, String minValue, String maxValue,
      Boolean containsNan) implements Serializable {}
}
