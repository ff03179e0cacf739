package dev.mallard.maintenance;

import dev.mallard.engine.MallardException.ConflictException;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.BatchReader;
import dev.mallard.engine.exec.ScanReader;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.parquet.ParquetDataWriter;
import dev.mallard.engine.parquet.WriterOptions;
import dev.mallard.engine.parquet.WrittenFile;
import dev.mallard.engine.scan.ScanPlan;
import dev.mallard.engine.scan.ScanTask;
import dev.mallard.engine.txn.Change;
import dev.mallard.engine.txn.CommitContext;
import dev.mallard.engine.txn.MaintenanceRows;
import dev.mallard.engine.txn.Transaction;
import dev.mallard.engine.txn.WriterSettings;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ducklake_rewrite_data_files}: rewrites files with many deleted rows without them, as the
 * reference does: a file whose deleted fraction reaches the threshold (default the lake's
 * {@code rewrite_delete_threshold} option, else 0.95) is read without its deleted rows and written
 * anew with each row's id embedded ({@code _ducklake_internal_row_id}); the old data and delete
 * files are ended at the rewrite's snapshot, so time travel before it still reads them (they go
 * when that history is expired). A file whose every row is deleted is only ended. One commit
 * ({@code rewrite_delete:<table id>}) per group of files; a group whose files got new deletes
 * meanwhile is skipped.
 */
public final class RewriteDataFiles extends TableOperation<RewriteDataFiles, List<RewriteDataFiles.Result>> {
  private static final Logger LOG = LoggerFactory.getLogger(RewriteDataFiles.class);

  /** One rewrite (one commit), or in a dry run one planned rewrite. */
  public record Result(String schemaName, String tableName, long filesProcessed, long filesCreated) {}

  private Double deleteThreshold;
  private long maxCompactedFiles = Long.MAX_VALUE;
  private int maxFilesPerCommit = 100;

  RewriteDataFiles(DuckLakeCatalog catalog) {
    super(catalog, "rewrite_data_files");
  }

  /** The deleted fraction (0 to 1) from which a file is rewritten. */
  public RewriteDataFiles deleteThreshold(double fraction) {
    if (fraction < 0 || fraction > 1) {
      throw new UserException("delete_threshold must be between 0 and 1, not " + fraction);
    }
    this.deleteThreshold = fraction;
    return this;
  }

  public RewriteDataFiles maxCompactedFiles(long files) {
    if (files <= 0) {
      throw new UserException("max_compacted_files must be positive");
    }
    this.maxCompactedFiles = files;
    return this;
  }

  public RewriteDataFiles maxFilesPerCommit(int files) {
    this.maxFilesPerCommit = Math.max(1, files);
    return this;
  }

  /** A table's files of one partition to rewrite together, each with its inline-deleted positions. */
  private record Group(TableInfo table, List<ScanTask.DataFileTask> files, MergeAdjacentFiles.Partition partition,
      WriterOptions writerOptions) {
    Result result(long created) {
      return new Result(table.schema().name(), table.name(), files.size(), created);
    }
  }

  @Override
  protected List<Result> run() {
    LakeOptions options = new LakeOptions(catalog);
    Snapshot start = catalog.currentSnapshot();
    List<Group> groups = new ArrayList<>();
    long budget = maxCompactedFiles;
    for (TableInfo table : selection.resolve(catalog.view(start))) {
      if (!options.autoCompact(table)) {
        skipped(table, "its auto_compact option is false");
        continue;
      }
      double threshold = deleteThreshold != null ? deleteThreshold
          : options.doubleValue("rewrite_delete_threshold", table, 0.95);
      WriterOptions writerOptions = WriterSettings.of(options.forTable(table)).withTargetFileSizeBytes(Long.MAX_VALUE);
      Map<Long, long[]> inlined = catalog.metadata().inlinedFileDeletions(table.id(), start.id());
      Map<Long, Map<Integer, String>> partitionValues = null;
      Map<MergeAdjacentFiles.Partition, List<ScanTask.DataFileTask>> current = new LinkedHashMap<>();
      int mapped = 0;
      int encrypted = 0;
      for (DataFile f : catalog.metadata().dataFiles(table, start.id())) {
        long[] inlineDeleted = inlined.getOrDefault(f.id(), new long[0]);
        long deleted = (f.deleteFile() == null ? 0 : f.deleteFile().deleteCount()) + inlineDeleted.length;
        if (deleted == 0 || (double) deleted / f.recordCount() < threshold || f.legacyVisibleRows() != null
            || budget <= 0) {
          continue;
        }
        if (f.mappingId() != null) {
          mapped++;
          continue;
        }
        if (f.encryptionKey() != null) {
          encrypted++;
          continue;
        }
        if (f.partitionId() != null && partitionValues == null) {
          partitionValues = catalog.metadata().filePartitionValues(table.id());
        }
        MergeAdjacentFiles.Partition p = MergeAdjacentFiles.Partition.of(f, partitionValues);
        List<ScanTask.DataFileTask> files = current.computeIfAbsent(p, k -> new ArrayList<>());
        files.add(new ScanTask.DataFileTask(f, inlineDeleted));
        budget--;
        if (files.size() == maxFilesPerCommit) {
          groups.add(new Group(table, files, p, writerOptions));
          current.remove(p);
        }
      }
      current.forEach((p, files) -> groups.add(new Group(table, files, p, writerOptions)));
      if (mapped > 0) {
        skipped(table, mapped + " files registered with a name mapping (ducklake_add_data_files) are not rewritten"
            + " yet");
      }
      if (encrypted > 0) {
        skipped(table, encrypted + " encrypted files are not rewritten (Mallard does not write encrypted files yet)");
      }
    }
    List<Result> out = new ArrayList<>();
    int done = 0;
    for (Group g : groups) {
      Result r = dryRun ? g.result(1) : rewrite(g);
      if (r != null) {
        out.add(r);
      }
      report(++done, groups.size(), "rewrites", g.table.qualifiedName() + ": " + g.files.size() + " files");
    }
    return out;
  }

  private void skipped(TableInfo table, String why) {
    LOG.info("rewrite_data_files skips {}: {}", table.qualifiedName(), why);
    reportSkipped(table.qualifiedName(), why);
  }

  private Result rewrite(Group g) {
    TableInfo table = g.table;
    Transaction txn = new Transaction(catalog);
    Snapshot readAt = txn.startSnapshot();
    List<ColumnInfo> columns = table.columns();
    ScanPlan plan = new ScanPlan(table, readAt, columns, columns, null, List.copyOf(g.files), true);
    WrittenFile file = null;
    try (ParquetDataWriter writer = ParquetDataWriter.open(catalog.fileIO(),
        MergeAdjacentFiles.directoryOf(table, g.files.get(0).file()), RowBuffer.writeColumns(columns, true, false),
        g.writerOptions);
        RowBuffer buffer = new RowBuffer(columns, true, false, catalog.allocator(), writer)) {
      long rows = 0;
      for (ScanTask.DataFileTask task : g.files) {
        try (BatchReader reader = ScanReader.open(plan, task, catalog)) {
          for (Batch next = reader.next(); next != null; next = reader.next()) {
            try (Batch b = next) {
              BigIntVector rowIds = (BigIntVector) b.vector(plan.addressColumns() + 2);
              for (int i = 0; i < b.selectedCount(); i++) {
                int row = b.selectedRow(i);
                Object[] values = new Object[columns.size()];
                for (int c = 0; c < columns.size(); c++) {
                  // By column, so that struct, list and map values come with their children.
                  values[c] = VectorValues.get(b.vector(c), row, columns.get(c));
                }
                buffer.add(values, rowIds.get(row), 0);
                rows++;
              }
            }
          }
        }
      }
      buffer.flush();
      if (rows > 0) {
        file = writer.finish().get(0);
      }
    }
    WrittenFile written = file;
    txn.addCatalogWork(ctx -> {
      for (ScanTask.DataFileTask task : g.files) {
        checkNoNewDeletes(ctx, table, task.file(), readAt.id());
        MaintenanceRows.endDataFile(ctx, task.file().id());
      }
      if (written != null) {
        MaintenanceRows.insertDataFile(ctx, table, written, ctx.snapshotId(), null, null, g.partition.partitionId(),
            g.partition.values());
        MaintenanceRows.addFileBytes(ctx, table.id(), written.fileSizeBytes());
      }
      ctx.addChange(Change.of(Change.Kind.REWRITE_DELETE, table.id()));
    });
    try {
      txn.commit();
      return g.result(written == null ? 0 : 1);
    } catch (RuntimeException e) {
      if (written != null) {
        catalog.fileIO().delete(written.path());
      }
      if (e instanceof ConflictException) {
        LOG.warn("Skipping a rewrite of {} files of {}: {}", g.files.size(), table.qualifiedName(), e.getMessage());
        return null;
      }
      throw e;
    }
  }

  /** Inside the commit: the file is still live and got no deletes after it was read. */
  private static void checkNoNewDeletes(CommitContext ctx, TableInfo table, DataFile file, long readAt)
      throws SQLException {
    String sql = "SELECT (SELECT COUNT(*) FROM " + ctx.metadata().table("ducklake_data_file")
        + " WHERE data_file_id = ? AND end_snapshot IS NULL), (SELECT COUNT(*) FROM "
        + ctx.metadata().table("ducklake_delete_file") + " WHERE data_file_id = ? AND begin_snapshot > ?)";
    try (PreparedStatement ps = ctx.connection().prepareStatement(sql)) {
      ps.setLong(1, file.id());
      ps.setLong(2, file.id());
      ps.setLong(3, readAt);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) != 1 || rs.getLong(2) > 0) {
          throw new ConflictException("data file " + file.id() + " of " + table.qualifiedName()
              + " changed while it was rewritten");
        }
      }
    }
    String inlined = "ducklake_inlined_delete_" + table.id();
    if (ctx.metadata().tableExists(ctx.connection(), inlined)) {
      try (PreparedStatement ps = ctx.connection().prepareStatement("SELECT COUNT(*) FROM "
          + ctx.metadata().table(inlined) + " WHERE file_id = ? AND begin_snapshot > ?")) {
        ps.setLong(1, file.id());
        ps.setLong(2, readAt);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            throw new ConflictException("rows of data file " + file.id() + " of " + table.qualifiedName()
                + " were deleted while it was rewritten");
          }
        }
      }
    }
  }
}
