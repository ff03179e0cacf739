package dev.mallard.spark;

import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.MetadataColumn;
import org.apache.spark.sql.connector.catalog.SupportsMetadataColumns;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * A DuckLake table as Spark sees it: its columns as of one snapshot, which every scan of this
 * table object reads, so that a DataFrame's schema and rows always agree. SQL through
 * {@link DuckLakeSparkCatalog} loads the table, and so the latest snapshot, for each statement.
 */
final class DuckLakeSparkTable implements SupportsRead, SupportsWrite, SupportsMetadataColumns {
  private final LakeRef lake;
  private final TableInfo table;
  private final Snapshot snapshot;
  private final String name;
  private final StructType schema;

  DuckLakeSparkTable(LakeRef lake, TableInfo table, Snapshot snapshot, String name) {
    this.lake = lake;
    this.table = table;
    this.snapshot = snapshot;
    this.name = name;
    this.schema = SparkTypes.schema(table);
  }

  LakeRef lake() {
    return lake;
  }

  TableInfo info() {
    return table;
  }

  Snapshot snapshot() {
    return snapshot;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  @SuppressWarnings("deprecation") // columns() derives from schema(); schema() is what Spark 4.0 calls
  public StructType schema() {
    return schema;
  }

  @Override
  public Map<String, String> properties() {
    return Map.of("format", "ducklake", "ducklake.snapshot_id", Long.toString(snapshot.id()),
        "ducklake.table_uuid", table.uuid());
  }

  /** Appends, and overwrites of every row (TRUNCATE); overwrites by filter or partition are not supported. */
  @Override
  public Set<TableCapability> capabilities() {
    return EnumSet.of(TableCapability.BATCH_READ, TableCapability.BATCH_WRITE, TableCapability.TRUNCATE);
  }

  /** {@code rowid}, {@code snapshot_id}, {@code filename}, as DuckDB's virtual columns. */
  @Override
  public MetadataColumn[] metadataColumns() {
    return MetadataColumns.spark();
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new DuckLakeScanBuilder(this);
  }

  @Override
  public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    return new DuckLakeWrite(this, info);
  }

  @Override
  public String toString() {
    return "DuckLakeSparkTable(" + name + " at snapshot " + snapshot.id() + ")";
  }
}
