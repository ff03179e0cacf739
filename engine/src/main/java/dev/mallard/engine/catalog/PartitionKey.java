package dev.mallard.engine.catalog;

/**
 * One key of a table's partitioning ({@code ducklake_partition_column}): data files written under
 * this partitioning hold only rows whose key value is the file's partition value.
 *
 * @param partitionId the partitioning this key belongs to; files name it in {@link DataFile#partitionId()}
 * @param index the key's position ({@code partition_key_index})
 * @param transform as stored: {@code identity}, {@code year}, {@code month}, {@code day},
 *     {@code hour}, or {@code bucket(N)}
 */
public record PartitionKey(long partitionId, int index, long columnId, String transform) {}
