package dev.mallard.engine.parquet;

import dev.mallard.engine.types.ColumnStats;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * A row group's footer statistics as engine values, per field id, for row-group pruning. Bounds
 * go through the same decoder as the data, so they are in the table's type (unsigned and decimal
 * annotations, UTF-8 strings, time units). Whatever is absent or not trustworthy is null: unknown.
 * parquet-java already drops min/max whose sort order it cannot trust.
 */
final class RowGroupStats implements IntFunction<ColumnStats> {
  /** A column the reader decodes: where it is in the footer and how its values convert. */
  record StatsColumn(ColumnPath path, ColumnDecoder decoder, boolean floatingPoint) {}

  private final Map<Integer, StatsColumn> columnsByFieldId;
  private final Map<ColumnPath, ColumnChunkMetaData> chunks = new HashMap<>();
  private final Map<Integer, ColumnStats> cache = new HashMap<>();

  RowGroupStats(BlockMetaData block, Map<Integer, StatsColumn> columnsByFieldId) {
    this.columnsByFieldId = columnsByFieldId;
    for (ColumnChunkMetaData chunk : block.getColumns()) {
      chunks.put(chunk.getPath(), chunk);
    }
  }

  @Override
  public ColumnStats apply(int fieldId) {
    return cache.computeIfAbsent(fieldId, this::compute);
  }

  private ColumnStats compute(int fieldId) {
    StatsColumn column = columnsByFieldId.get(fieldId);
    ColumnChunkMetaData chunk = column == null ? null : chunks.get(column.path());
    if (chunk == null) {
      return null;
    }
    Statistics<?> s = chunk.getStatistics();
    if (s == null || s.isEmpty()) {
      return ColumnStats.UNKNOWN;
    }
    Long nulls = s.isNumNullsSet() ? s.getNumNulls() : null;
    // For flat columns the chunk's value count counts NULLs too.
    Long values = nulls == null ? null : chunk.getValueCount() - nulls;
    Object min = null;
    Object max = null;
    if (s.hasNonNullValue()) {
      min = bound(column.decoder(), s.genericGetMin(), false);
      max = bound(column.decoder(), s.genericGetMax(), true);
    }
    Boolean nan = null;
    if (column.floatingPoint() && s.isNanCountSet()) {
      nan = s.getNanCount() > 0;
    }
    return new ColumnStats(min, max, nulls, values, nan);
  }

  private static Object bound(ColumnDecoder decoder, Object parquetValue, boolean upper) {
    try {
      return decoder.statValue(parquetValue, upper);
    } catch (RuntimeException e) {
      return null; // an unreadable bound is an unknown bound
    }
  }

  static boolean isFloatingPoint(PrimitiveTypeName physical) {
    return physical == PrimitiveTypeName.FLOAT || physical == PrimitiveTypeName.DOUBLE;
  }
}
