package dev.mallard.spark;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark type of each DuckLake type. Every readable type maps to a Spark type that holds all
 * its values exactly, or the read fails for the value that does not fit:
 *
 * <ul>
 *   <li>unsigned integers are widened by the engine (uint64 to DECIMAL(20,0));</li>
 *   <li>int128 and uint128 become DECIMAL(38,0), Spark's widest; a value of 39 digits fails;</li>
 *   <li>timestamp, timestamp_s/ms/ns become TIMESTAMP_NTZ (microseconds); a timestamp_ns with
 *       digits below the microsecond fails; timestamptz becomes TIMESTAMP (UTC instants);</li>
 *   <li>infinite dates and timestamps fail: Spark has no infinity;</li>
 *   <li>time and time_ns become STRING in DuckDB's text ({@code 12:30:45.123}), which sorts as the
 *       times do: Spark 4.0 has no TIME type and 4.1's is behind a flag; timetz becomes STRING
 *       ({@code 12:30:45+02}) as in the JDBC driver;</li>
 *   <li>interval becomes CALENDAR INTERVAL, which has DuckDB's months, days and microseconds.</li>
 * </ul>
 *
 * Nested types map to Spark's nested types (struct to STRUCT, list to ARRAY, map to MAP), their
 * leaves as above; variant and unknown types show as STRING and cannot be read.
 */
final class SparkTypes {
  /** Spark's widest decimal, which int128 and uint128 are read into. */
  static final int MAX_PRECISION = DecimalType.MAX_PRECISION();

  private SparkTypes() {}

  static StructType schema(TableInfo table) {
    return schema(table.columns());
  }

  static StructType schema(List<ColumnInfo> columns) {
    List<StructField> fields = new ArrayList<>();
    for (ColumnInfo c : columns) {
      fields.add(field(c));
    }
    return new StructType(fields.toArray(new StructField[0]));
  }

  /** A column's field; its comment names the DuckLake type, which the Spark type may not tell. */
  static StructField field(ColumnInfo column) {
    Metadata comment = new MetadataBuilder().putString("comment", "ducklake " + column.type()).build();
    return new StructField(column.name(), dataType(column), column.nullable(), comment);
  }

  static DataType dataType(ColumnInfo column) {
    DuckLakeType type = column.type();
    return switch (type.kind()) {
      case BOOLEAN -> DataTypes.BooleanType;
      case INT8 -> DataTypes.ByteType;
      case INT16, UINT8 -> DataTypes.ShortType;
      case INT32, UINT16 -> DataTypes.IntegerType;
      case INT64, UINT32 -> DataTypes.LongType;
      case UINT64 -> DataTypes.createDecimalType(20, 0);
      case INT128, UINT128 -> DataTypes.createDecimalType(MAX_PRECISION, 0);
      case FLOAT32 -> DataTypes.FloatType;
      case FLOAT64 -> DataTypes.DoubleType;
      case DECIMAL -> DataTypes.createDecimalType(type.precision(), type.scale());
      case VARCHAR, JSON, UUID, TIMETZ, TIME, TIME_NS, GEOMETRY -> DataTypes.StringType; // geometry as WKT
      case BLOB -> DataTypes.BinaryType;
      case DATE -> DataTypes.DateType;
      case TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS -> DataTypes.TimestampNTZType;
      case TIMESTAMPTZ, TIMESTAMPTZ_NS -> DataTypes.TimestampType;
      case INTERVAL -> DataTypes.CalendarIntervalType;
      case STRUCT -> schema(column.children());
      case LIST -> DataTypes.createArrayType(dataType(column.children().get(0)), true);
      case MAP -> DataTypes.createMapType(dataType(column.children().get(0)), dataType(column.children().get(1)), true);
      case VARIANT, UNKNOWN -> DataTypes.StringType; // a variant as DuckDB's text of it
    };
  }

  /**
   * Whether the bridge can read the column (a nested one when all its leaves are readable); the
   * others fail when selected.
   */
  static boolean readable(ColumnInfo column) {
    return switch (column.type().kind()) {
      case UNKNOWN -> false;
      case STRUCT, LIST, MAP -> column.children().stream().allMatch(SparkTypes::readable);
      default -> true;
    };
  }

  /**
   * Whether filters and statistics may use the column: readable, not nested, and compared in Spark
   * as the engine compares it (geometry is WKB in the engine and WKT in Spark; variants are text).
   */
  static boolean filterable(ColumnInfo column) {
    TypeKind kind = column.type().kind();
    return readable(column) && !kind.isNested() && kind != TypeKind.GEOMETRY && kind != TypeKind.VARIANT;
  }
}
