package dev.mallard.engine.parquet;

import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.EnumLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntervalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.UUIDLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Chooses the decoder for a Parquet column read as a DuckLake type: which physical layouts (as
 * DuckDB writes them, and the older, narrower ones a widened column may still have in its files)
 * can be that type. The layouts DuckDB 1.5 writes are listed on each decoder.
 */
final class ColumnDecoders {
  private ColumnDecoders() {}

  /** The decoder, or null when the column cannot hold values of {@code type}. */
  static ColumnDecoder create(PrimitiveType column, DuckLakeType type) {
    PrimitiveTypeName physical = column.getPrimitiveTypeName();
    LogicalTypeAnnotation annotation = column.getLogicalTypeAnnotation();
    return switch (type.kind()) {
      case BOOLEAN -> physical == PrimitiveTypeName.BOOLEAN ? new BooleanDecoder() : null;
      case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> IntegerDecoder.create(column, type.kind());
      case INT128, UINT128 -> {
        if (physical == PrimitiveTypeName.DOUBLE && annotation == null) {
          yield new Int128FromDoubleDecoder(type.kind() == TypeKind.UINT128); // DuckDB's lossy form
        }
        if (annotation instanceof DecimalLogicalTypeAnnotation) {
          yield Int128FromDecimalDecoder.create(column, type.kind() == TypeKind.UINT128); // Mallard's exact form
        }
        yield IntegerDecoder.create(column, type.kind());
      }
      case FLOAT32 -> physical == PrimitiveTypeName.FLOAT ? new FloatDecoder(false, false) : null;
      case FLOAT64 -> switch (physical) {
        case FLOAT -> new FloatDecoder(false, true);
        case DOUBLE -> new FloatDecoder(true, true);
        default -> null;
      };
      case DECIMAL -> DecimalDecoder.create(column, type.precision(), type.scale());
      case VARCHAR, JSON -> isText(column) ? new BytesDecoder(type) : null;
      case BLOB -> (physical == PrimitiveTypeName.BINARY || physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
          && (annotation == null || isText(column)) ? new BytesDecoder(type) : null;
      case UUID -> {
        if (physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY && column.getTypeLength() == 16
            && (annotation == null || annotation instanceof UUIDLogicalTypeAnnotation)) {
          yield new UuidDecoder();
        }
        yield isText(column) ? new BytesDecoder(type) : null;
      }
      case DATE -> physical == PrimitiveTypeName.INT32 && annotation instanceof DateLogicalTypeAnnotation
          ? new DateDecoder() : null;
      case TIME, TIMETZ -> TimeDecoder.create(column, type.kind());
      case TIME_NS -> isText(column) ? new BytesDecoder(type) : TimeDecoder.create(column, type.kind());
      case TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS, TIMESTAMPTZ, TIMESTAMPTZ_NS ->
          TimestampDecoder.create(column, type.kind());
      case INTERVAL -> physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY && column.getTypeLength() == 12
          && (annotation == null || annotation instanceof IntervalLogicalTypeAnnotation) ? new IntervalDecoder() : null;
      case GEOMETRY -> physical == PrimitiveTypeName.BINARY ? new BytesDecoder(type) : null; // WKB
      default -> null;
    };
  }

  /** BYTE_ARRAY holding text: annotated as such, or not annotated at all (raw bytes). */
  private static boolean isText(PrimitiveType column) {
    LogicalTypeAnnotation a = column.getLogicalTypeAnnotation();
    return column.getPrimitiveTypeName() == PrimitiveTypeName.BINARY
        && (a == null || a instanceof StringLogicalTypeAnnotation || a instanceof JsonLogicalTypeAnnotation
            || a instanceof EnumLogicalTypeAnnotation);
  }
}
