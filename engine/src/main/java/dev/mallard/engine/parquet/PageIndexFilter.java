package dev.mallard.engine.parquet;

import dev.mallard.engine.types.ColumnStats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.parquet.filter2.columnindex.RowRanges;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.filter2.columnindex.ColumnIndexStore;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * The rows of one row group a filter might match, judged page by page from the file's page
 * indexes (Parquet's ColumnIndex: per-page min, max and NULL count; and OffsetIndex: where each
 * page starts and its first row). The row group is cut at every page boundary of every filter
 * column; each piece is judged by the same {@link RowGroupFilter} as whole row groups, with the
 * statistics of the page of each filter column that covers it. A page's statistics describe a
 * superset of the piece's rows, so a piece they rule out holds no match.
 *
 * <p>DuckDB 1.5.5 writes no page indexes (and no statistics in page headers, and one data page
 * per column chunk), so only files written by parquet-java, Mallard's among them, have pages to
 * skip.
 */
final class PageIndexFilter {
  private PageIndexFilter() {}

  /** The pages of one filter column in one row group. */
  private record ColumnPages(int fieldId, ColumnIndex index, OffsetIndex offsets, PrimitiveTypeName physical,
      ColumnDecoder decoder, boolean floatingPoint) {}

  /** What a row group's page index judgment found. */
  record Result(RowRanges rows, long pagesSkipped) {}

  /**
   * The rows to read, or null to read the whole row group (no page index for a filter column or a
   * read column, an unknown filter, or every piece might match). An empty result means no row can
   * match.
   *
   * @param readPaths every column chunk the scan reads: each needs an offset index to be read in part
   */
  static Result matchingRows(ParquetFileReader reader, int blockIndex, RowGroupFilter filter,
      Map<Integer, RowGroupStats.StatsColumn> statsColumns, Set<ColumnPath> readPaths) {
    BlockMetaData block = reader.getRowGroups().get(blockIndex);
    Set<Integer> filterIds = filter.fieldIds();
    if (filterIds == null || filterIds.isEmpty()) {
      return null;
    }
    Map<ColumnPath, ColumnChunkMetaData> chunks = new HashMap<>();
    for (ColumnChunkMetaData chunk : block.getColumns()) {
      chunks.put(chunk.getPath(), chunk);
    }
    for (ColumnPath path : readPaths) {
      ColumnChunkMetaData chunk = chunks.get(path);
      if (chunk == null || chunk.getOffsetIndexReference() == null) {
        return null;
      }
    }
    ColumnIndexStore indexes = reader.getColumnIndexStore(blockIndex); // read lazily, kept for the page reads
    List<ColumnPages> columns = new ArrayList<>();
    TreeSet<Long> boundaries = new TreeSet<>();
    for (int fieldId : filterIds) {
      RowGroupStats.StatsColumn column = statsColumns.get(fieldId);
      ColumnChunkMetaData chunk = column == null ? null : chunks.get(column.path());
      if (chunk == null || chunk.getColumnIndexReference() == null || chunk.getOffsetIndexReference() == null) {
        continue; // unknown for this column: judged as such
      }
      ColumnIndex index = indexes.getColumnIndex(chunk.getPath());
      OffsetIndex offsets = indexes.getOffsetIndex(chunk.getPath());
      if (index == null || offsets == null || index.getMinValues().size() != offsets.getPageCount()) {
        continue;
      }
      for (int p = 0; p < offsets.getPageCount(); p++) {
        boundaries.add(offsets.getFirstRowIndex(p));
      }
      columns.add(new ColumnPages(fieldId, index, offsets, chunk.getPrimitiveType().getPrimitiveTypeName(),
          column.decoder(), column.floatingPoint()));
    }
    if (columns.isEmpty()) {
      return null;
    }
    long rowCount = block.getRowCount();
    boundaries.add(0L);
    boundaries.removeIf(b -> b < 0 || b >= rowCount);
    Long[] starts = boundaries.toArray(new Long[0]);
    int[] page = new int[columns.size()]; // per filter column, its page covering the current piece
    RowRanges.Builder kept = RowRanges.builder();
    long keptRows = 0;
    for (int s = 0; s < starts.length; s++) {
      long from = starts[s];
      long to = s + 1 < starts.length ? starts[s + 1] : rowCount; // exclusive
      Map<Integer, ColumnStats> stats = new HashMap<>();
      for (int c = 0; c < columns.size(); c++) {
        ColumnPages col = columns.get(c);
        while (page[c] + 1 < col.offsets().getPageCount() && col.offsets().getFirstRowIndex(page[c] + 1) <= from) {
          page[c]++;
        }
        stats.put(col.fieldId(), pageStats(col, page[c], rowCount));
      }
      if (filter.mightMatch(to - from, id -> stats.containsKey(id) ? stats.get(id) : ColumnStats.UNKNOWN)) {
        kept.addSelectedRange(from, to - 1);
        keptRows += to - from;
      }
    }
    if (keptRows == rowCount) {
      return null;
    }
    RowRanges rows = kept.build();
    long skipped = 0;
    for (ColumnPath path : readPaths) {
      OffsetIndex offsets = indexes.getOffsetIndex(path);
      for (int p = 0; p < offsets.getPageCount(); p++) {
        if (!rows.isOverlapping(offsets.getFirstRowIndex(p), offsets.getLastRowIndex(p, rowCount))) {
          skipped++;
        }
      }
    }
    return new Result(rows, skipped);
  }

  private static ColumnStats pageStats(ColumnPages col, int p, long rowGroupRows) {
    long pageRows = col.offsets().getLastRowIndex(p, rowGroupRows) - col.offsets().getFirstRowIndex(p) + 1;
    List<Long> nullCounts = col.index().getNullCounts();
    Long nulls = nullCounts == null || nullCounts.size() <= p ? null : nullCounts.get(p);
    Long values = nulls == null ? null : pageRows - nulls; // flat columns: one value or NULL per row
    Boolean nan = null;
    if (col.floatingPoint()) {
      List<Long> nanCounts = col.index().getNanCounts();
      nan = nanCounts == null || nanCounts.size() <= p ? null : nanCounts.get(p) > 0;
    }
    if (col.index().getNullPages().get(p)) { // only NULLs
      return new ColumnStats(null, null, pageRows, 0L, nan);
    }
    Object min = bound(col, col.index().getMinValues().get(p), false);
    Object max = bound(col, col.index().getMaxValues().get(p), true);
    return new ColumnStats(min, max, nulls, values, nan);
  }

  /** A page bound as the engine value the row-group statistics would give; null if unknown. */
  private static Object bound(ColumnPages col, ByteBuffer bytes, boolean upper) {
    try {
      ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      Object parquetValue = switch (col.physical()) {
        case INT32 -> b.getInt(b.position());
        case INT64 -> b.getLong(b.position());
        case FLOAT -> b.getFloat(b.position());
        case DOUBLE -> b.getDouble(b.position());
        case BOOLEAN -> b.get(b.position()) != 0;
        case BINARY, FIXED_LEN_BYTE_ARRAY -> Binary.fromConstantByteBuffer(b);
        default -> null;
      };
      return parquetValue == null ? null : col.decoder().statValue(parquetValue, upper);
    } catch (RuntimeException e) {
      return null; // an unreadable bound is an unknown bound
    }
  }
}
