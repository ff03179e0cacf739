package dev.mallard.engine.types;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The Arrow form of each DuckLake type: the vectors the engine's batches hold. Unsigned integers
 * are widened to the next signed type (uint64 and the 128-bit integers to decimals) so that every
 * consumer, SQL or Spark, sees plain signed values.
 */
public final class ArrowTypes {
  /** Precision that holds every 128-bit integer, signed or not. */
  public static final int INT128_PRECISION = 39;

  private ArrowTypes() {}

  public static ArrowType arrowType(DuckLakeType type) {
    return switch (type.kind()) {
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case INT8 -> new ArrowType.Int(8, true);
      case INT16, UINT8 -> new ArrowType.Int(16, true);
      case INT32, UINT16 -> new ArrowType.Int(32, true);
      case INT64, UINT32 -> new ArrowType.Int(64, true);
      case UINT64 -> new ArrowType.Decimal(20, 0, 128);
      case INT128, UINT128 -> new ArrowType.Decimal(INT128_PRECISION, 0, 256);
      case FLOAT32 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case DECIMAL -> new ArrowType.Decimal(type.precision(), type.scale(), 128);
      case VARCHAR, JSON, UUID, TIMETZ -> ArrowType.Utf8.INSTANCE;
      case BLOB, GEOMETRY, VARIANT -> ArrowType.Binary.INSTANCE; // a variant as its Variant.bytes()
      case DATE -> new ArrowType.Date(DateUnit.DAY);
      case TIME -> new ArrowType.Time(TimeUnit.MICROSECOND, 64);
      case TIME_NS -> new ArrowType.Time(TimeUnit.NANOSECOND, 64);
      case TIMESTAMP_S -> new ArrowType.Timestamp(TimeUnit.SECOND, null);
      case TIMESTAMP_MS -> new ArrowType.Timestamp(TimeUnit.MILLISECOND, null);
      case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      case TIMESTAMP_NS -> new ArrowType.Timestamp(TimeUnit.NANOSECOND, null);
      case TIMESTAMPTZ -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
      case TIMESTAMPTZ_NS -> new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC");
      case INTERVAL -> new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO);
      case STRUCT -> ArrowType.Struct.INSTANCE;
      case LIST -> ArrowType.List.INSTANCE;
      case MAP -> new ArrowType.Map(false);
      case UNKNOWN -> throw new UnsupportedFeatureException(
          "Columns of type " + type + " are not supported yet");
    };
  }

  /**
   * The nullable Arrow field of a column, given its children's fields for nested types (struct
   * fields; a list's element; a map's key and value, which this wraps in Arrow's non-null
   * {@code entries} struct with a non-null key, as Arrow's map layout requires).
   */
  public static Field nullableField(String name, DuckLakeType type, List<Field> children) {
    if (type.kind() == TypeKind.MAP) {
      if (children.size() != 2) {
        throw new IllegalArgumentException("a map needs a key and a value, not " + children);
      }
      Field key = children.get(0);
      Field keyNotNull = new Field(key.getName(), new FieldType(false, key.getType(), null), key.getChildren());
      Field entries = new Field("entries", FieldType.notNullable(ArrowType.Struct.INSTANCE),
          List.of(keyNotNull, children.get(1)));
      return new Field(name, FieldType.nullable(arrowType(type)), List.of(entries));
    }
    if (type.kind() == TypeKind.LIST && children.size() != 1) {
      throw new IllegalArgumentException("a list needs one element, not " + children);
    }
    return new Field(name, FieldType.nullable(arrowType(type)), children);
  }

  /** An Arrow field for a column; nested types pass their children's fields. */
  public static Field field(String name, DuckLakeType type, boolean nullable, List<Field> children) {
    return new Field(name, new FieldType(nullable, arrowType(type), null), children);
  }
}
