package dev.mallard.spark;

import org.apache.spark.sql.connector.read.HasPartitionKey;

/**
 * One task of a scan, complete, for an executor: the lake to open, what the scan reads, and the
 * data file (with its deletions) or inlined table to read. Nothing is listed or planned again.
 *
 * @param limit each partition may stop after this many rows; null for all
 * @param metadataColumns the {@link MetadataColumns} to read after the table's columns, in order
 * @param partitionKey the file's key values when the scan reports key-grouped partitioning, else null
 */
record DuckLakeInputPartition(LakeRef lake, PlanForms.ReadSpec spec, PlanForms.TaskForm task, Long limit,
    java.util.List<String> metadataColumns, org.apache.spark.sql.catalyst.InternalRow partitionKey)
    implements HasPartitionKey {}
