package dev.mallard.engine.types;

/**
 * The kinds of type a DuckLake column can have, as named in {@code ducklake_column.column_type}.
 * The comment on each constant gives the Java class of its values inside the engine (see {@link Values}).
 */
public enum TypeKind {
  BOOLEAN("boolean"), // Boolean
  INT8("int8"), // Long
  INT16("int16"), // Long
  INT32("int32"), // Long
  INT64("int64"), // Long
  INT128("int128"), // BigInteger
  UINT8("uint8"), // Long
  UINT16("uint16"), // Long
  UINT32("uint32"), // Long
  UINT64("uint64"), // BigInteger
  UINT128("uint128"), // BigInteger
  FLOAT32("float32"), // Double
  FLOAT64("float64"), // Double
  DECIMAL("decimal"), // BigDecimal at the type's scale
  VARCHAR("varchar"), // String
  JSON("json"), // String
  BLOB("blob"), // byte[]
  UUID("uuid"), // String, canonical lower-case
  DATE("date"), // Integer days since 1970-01-01; +-infinity are +-Integer.MAX_VALUE
  TIME("time"), // Long microseconds of the day
  TIME_NS("time_ns"), // Long nanoseconds of the day
  TIMETZ("timetz"), // String as DuckDB prints it; not comparable
  TIMESTAMP_S("timestamp_s"), // Long seconds since the epoch
  TIMESTAMP_MS("timestamp_ms"), // Long milliseconds since the epoch
  TIMESTAMP("timestamp"), // Long microseconds since the epoch; +-infinity are +-Long.MAX_VALUE
  TIMESTAMP_NS("timestamp_ns"), // Long nanoseconds since the epoch
  TIMESTAMPTZ("timestamptz"), // Long microseconds since the epoch, UTC
  TIMESTAMPTZ_NS("timestamptz_ns"), // Long nanoseconds since the epoch, UTC
  INTERVAL("interval"), // Interval; not comparable
  STRUCT("struct"),
  LIST("list"),
  MAP("map"),
  GEOMETRY("geometry"),
  VARIANT("variant"),
  /** A type name this version of Mallard does not know; reading such a column fails loudly. */
  UNKNOWN("unknown");

  private final String typeName;

  TypeKind(String typeName) {
    this.typeName = typeName;
  }

  /** The name DuckLake stores in {@code column_type} (decimals add their precision and scale). */
  public String typeName() {
    return typeName;
  }

  public boolean isNested() {
    return this == STRUCT || this == LIST || this == MAP;
  }

  public boolean isInteger() {
    return switch (this) {
      case INT8, INT16, INT32, INT64, INT128, UINT8, UINT16, UINT32, UINT64, UINT128 -> true;
      default -> false;
    };
  }

  public boolean isFloatingPoint() {
    return this == FLOAT32 || this == FLOAT64;
  }

  public boolean isString() {
    return this == VARCHAR || this == JSON || this == UUID;
  }

  public boolean isTimestamp() {
    return switch (this) {
      case TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS, TIMESTAMPTZ, TIMESTAMPTZ_NS -> true;
      default -> false;
    };
  }
}
