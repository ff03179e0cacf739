package dev.mallard.maintenance;

import dev.mallard.engine.MallardException.CatalogException;
import dev.mallard.engine.MallardException.ConflictException;
import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.InlinedDataTable;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.exec.NestedText;
import dev.mallard.engine.parquet.DeleteFileWriter;
import dev.mallard.engine.parquet.ParquetDataWriter;
import dev.mallard.engine.parquet.WriterOptions;
import dev.mallard.engine.parquet.WrittenDeleteFile;
import dev.mallard.engine.parquet.WrittenFile;
import dev.mallard.engine.txn.Change;
import dev.mallard.engine.txn.MaintenanceRows;
import dev.mallard.engine.txn.Partitioning;
import dev.mallard.engine.txn.Transaction;
import dev.mallard.engine.txn.WriterSettings;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ducklake_flush_inlined_data}: moves the rows a table keeps inline in the catalog into
 * Parquet files, one commit per inlined data table, as the reference does: every version of every
 * row (ended ones too) goes into one partial file (one per partition value of a partitioned table,
 * under its partition's directory, with the table's writer options) carrying {@code _ducklake_internal_row_id} and
 * {@code _ducklake_internal_snapshot_id}; rows that were deleted get a partial delete file with the
 * deleting snapshots; the flushed rows leave the inlined table. Every earlier snapshot reads the same
 * rows with the same row ids afterwards. Change entry {@code inline_flush:<table id>}.
 *
 * <p>A flush yields to writers: if rows it read were deleted or updated before it commits, that
 * table is skipped (reported, not failed); run it again.
 */
public final class FlushInlinedData extends TableOperation<FlushInlinedData, List<FlushInlinedData.Result>> {
  private static final Logger LOG = LoggerFactory.getLogger(FlushInlinedData.class);

  /** One inlined data table flushed (or, in a dry run, to flush). */
  public record Result(String schemaName, String tableName, long rowsFlushed) {}

  FlushInlinedData(DuckLakeCatalog catalog) {
    super(catalog, "flush_inlined_data");
  }

  @Override
  protected List<Result> run() {
    Snapshot start = catalog.currentSnapshot();
    List<TableInfo> tables = selection.resolve(catalog.view(start));
    List<Result> out = new ArrayList<>();
    int done = 0;
    LakeOptions options = new LakeOptions(catalog);
    for (TableInfo table : tables) {
      if (!options.autoCompact(table)) {
        LOG.info("flush_inlined_data skips {}: its auto_compact option is false", table.qualifiedName());
        reportSkipped(table.qualifiedName(), "its auto_compact option is false");
        continue;
      }
      try {
        for (InlinedDataTable inlined : catalog.metadata().inlinedDataTables(table.id())) {
          Result r = dryRun ? count(table, inlined, start) : flush(table, inlined, options);
          if (r != null && r.rowsFlushed() > 0) {
            out.add(r);
          }
        }
      } catch (UnsupportedFeatureException e) {
        // One table Mallard cannot flush (a type it cannot write) must not stop the others, nor a checkpoint.
        LOG.warn("flush_inlined_data skips {}: {}", table.qualifiedName(), e.getMessage());
        reportSkipped(table.qualifiedName(), e.getMessage());
      }
      report(++done, tables.size(), "tables", table.qualifiedName());
    }
    return out;
  }

  private Result count(TableInfo table, InlinedDataTable inlined, Snapshot at) {
    columnsOf(table, inlined); // fails as the flush would
    MetadataStore metadata = catalog.metadata();
    long rows = metadata.inTransaction("counting " + inlined.name(), c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + metadata.table(inlined.name())
          + " WHERE begin_snapshot <= ?")) {
        ps.setLong(1, at.id());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
    return new Result(table.schema().name(), table.name(), rows);
  }

  /** The columns an inlined table was written with: the table's columns at its schema version. */
  private List<ColumnInfo> columnsOf(TableInfo table, InlinedDataTable inlined) {
    List<String> names = catalog.metadata().inlinedColumnNames(inlined);
    List<ColumnInfo> candidates = catalog.metadata().firstSnapshotWithSchemaVersion(inlined.schemaVersion())
        .map(s -> catalog.metadata().columnsAt(table.id(), s)).orElse(table.columns());
    List<ColumnInfo> out = new ArrayList<>();
    for (String name : names) {
      ColumnInfo c = candidates.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() ->
          new CatalogException("Inlined data table " + inlined.name() + " has a column " + name + " that table "
              + table.qualifiedName() + " did not have at schema version " + inlined.schemaVersion()));
      out.add(c);
    }
    return out;
  }

  /**
   * The partial file of one partition (the only one of an unpartitioned table) being written: its
   * rows in row id order, the positions of ended rows with their deleting snapshots, and the span
   * of snapshots and row ids it holds.
   */
  private static final class PartFile implements AutoCloseable {
    final List<String> partitionValues;
    final ParquetDataWriter writer;
    final RowBuffer buffer;
    final List<Long> endedPositions = new ArrayList<>();
    final List<Long> endSnapshots = new ArrayList<>();
    long rows;
    long minBegin = Long.MAX_VALUE;
    long maxBegin = Long.MIN_VALUE;
    long minRowId = Long.MAX_VALUE;
    WrittenFile file;
    WrittenDeleteFile deletes;

    PartFile(DuckLakeCatalog catalog, String directory, List<ColumnInfo> columns, WriterOptions options,
        List<String> partitionValues) {
      this.partitionValues = partitionValues;
      this.writer = ParquetDataWriter.open(catalog.fileIO(), directory, RowBuffer.writeColumns(columns, true, true),
          options);
      this.buffer = new RowBuffer(columns, true, true, catalog.allocator(), writer);
    }

    void add(Object[] values, long rowId, long begin, Long end) {
      if (end != null) {
        endedPositions.add(rows);
        endSnapshots.add(end);
      }
      buffer.add(values, rowId, begin);
      rows++;
      minBegin = Math.min(minBegin, begin);
      maxBegin = Math.max(maxBegin, begin);
      minRowId = Math.min(minRowId, rowId);
    }

    /** Ends the data file (one: no size limit) and writes its partial delete file, if rows ended. */
    void finish(DuckLakeCatalog catalog, TableInfo table) {
      buffer.flush();
      buffer.close();
      file = writer.finish().get(0);
      if (!endedPositions.isEmpty()) {
        deletes = DeleteFileWriter.write(catalog.fileIO(), table.path() + DeleteFileWriter.newFileName(), file.path(),
            endedPositions.stream().mapToLong(Long::longValue).toArray(),
            endSnapshots.stream().mapToLong(Long::longValue).toArray());
      }
    }

    void delete(DuckLakeCatalog catalog) {
      if (file != null) {
        catalog.fileIO().delete(file.path());
      }
      if (deletes != null) {
        catalog.fileIO().delete(deletes.path());
      }
    }

    @Override
    public void close() {
      buffer.close();
      writer.close(); // removes the file unless finished
    }
  }

  /**
   * Writes an inlined table's rows to one partial file per partition value of the table's current
   * partitioning (one file when it has none), under the partition's directory and with its
   * {@code ducklake_file_partition_value} rows, as the reference's flush writes them.
   */
  private Result flush(TableInfo table, InlinedDataTable inlined, LakeOptions options) {
    Transaction txn = new Transaction(catalog);
    long readAt = txn.startSnapshot().id();
    List<ColumnInfo> columns = columnsOf(table, inlined);
    List<String> names = columns.stream().map(ColumnInfo::name).toList();
    Partitioning partitioning = Partitioning.at(catalog.metadata(), table, readAt);
    WriterOptions writerOptions = WriterSettings.of(options.forTable(table)).withTargetFileSizeBytes(Long.MAX_VALUE);
    Map<List<String>, PartFile> parts = new LinkedHashMap<>();
    try {
      try {
        catalog.metadata().scanInlinedRowVersions(inlined, names, readAt, rs -> {
          while (rs.next()) {
            long rowId = rs.getLong(1);
            long begin = rs.getLong(2);
            long end = rs.getLong(3);
            Long ended = rs.wasNull() ? null : end;
            if (ended != null && ended > readAt) {
              throw new ConflictException("a row of " + table.qualifiedName() + " was deleted while flushing");
            }
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
              values[i] = value(rs, 4 + i, columns.get(i));
            }
            List<String> key = partitioning == null ? List.of()
                : partitioning.values(columns, values, catalog.config().timeZone());
            parts.computeIfAbsent(key, k -> new PartFile(catalog, table.path()
                + (partitioning == null ? "" : partitioning.directory(k)), columns, writerOptions, k))
                .add(values, rowId, begin, ended);
          }
        });
        for (PartFile part : parts.values()) {
          part.finish(catalog, table);
        }
      } finally {
        parts.values().forEach(PartFile::close);
      }
    } catch (RuntimeException e) {
      parts.values().forEach(part -> part.delete(catalog));
      if (e instanceof ConflictException) {
        LOG.warn("Skipping the flush of {}: {}; run it again", table.qualifiedName(), e.getMessage());
        return null;
      }
      throw e;
    }
    if (parts.isEmpty()) {
      return null;
    }
    long flushed = parts.values().stream().mapToLong(part -> part.rows).sum();
    try {
      txn.addCatalogWork(ctx -> {
        checkUnchanged(ctx, table, inlined, readAt, flushed);
        for (PartFile part : parts.values()) {
          long dataFileId = MaintenanceRows.insertDataFile(ctx, table, part.file, part.minBegin, part.minRowId,
              part.maxBegin, partitioning == null ? null : partitioning.id(), part.partitionValues);
          if (part.deletes != null) {
            long min = part.endSnapshots.stream().mapToLong(Long::longValue).min().getAsLong();
            long max = part.endSnapshots.stream().mapToLong(Long::longValue).max().getAsLong();
            MaintenanceRows.insertDeleteFile(ctx, table, dataFileId, part.deletes, min, max);
          }
          MaintenanceRows.addFileBytes(ctx, table.id(), part.file.fileSizeBytes());
        }
        try (PreparedStatement ps = ctx.connection().prepareStatement("DELETE FROM "
            + ctx.metadata().table(inlined.name()) + " WHERE begin_snapshot <= ?")) {
          ps.setLong(1, readAt);
          ps.executeUpdate();
        }
        ctx.addChange(Change.of(Change.Kind.INLINE_FLUSH, table.id()));
      });
      txn.commit();
      return new Result(table.schema().name(), table.name(), flushed);
    } catch (RuntimeException e) {
      parts.values().forEach(part -> part.delete(catalog));
      if (e instanceof ConflictException) {
        LOG.warn("Skipping the flush of {}: {}; run it again", table.qualifiedName(), e.getMessage());
        return null;
      }
      throw e;
    }
  }

  /** Inside the commit: the rows flushed are all still there, none deleted since, and the table lives. */
  private static void checkUnchanged(dev.mallard.engine.txn.CommitContext ctx, TableInfo table,
      InlinedDataTable inlined, long readAt, long flushed) throws java.sql.SQLException {
    MetadataStore metadata = ctx.metadata();
    try (PreparedStatement ps = ctx.connection().prepareStatement("SELECT COUNT(*), SUM(CASE WHEN end_snapshot > ?"
        + " THEN 1 ELSE 0 END) FROM " + metadata.table(inlined.name()) + " WHERE begin_snapshot <= ?")) {
      ps.setLong(1, readAt);
      ps.setLong(2, readAt);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) != flushed || rs.getLong(2) > 0) {
          throw new ConflictException("inlined rows of " + table.qualifiedName() + " changed while flushing");
        }
      }
    }
    try (PreparedStatement ps = ctx.connection().prepareStatement("SELECT COUNT(*) FROM "
        + metadata.table("ducklake_table") + " WHERE table_id = ? AND end_snapshot IS NULL")) {
      ps.setLong(1, table.id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) == 0) {
          throw new ConflictException(table.qualifiedName() + " was dropped while flushing");
        }
      }
    }
  }

  private static Object value(ResultSet rs, int index, ColumnInfo column) throws java.sql.SQLException {
    DuckLakeType type = column.type();
    if (type.kind() == TypeKind.BLOB) {
      return rs.getBytes(index);
    }
    String text = rs.getString(index);
    if (text == null) {
      return null;
    }
    return type.kind().isNested() ? NestedText.parse(column, text) : Values.parse(type, text);
  }
}
