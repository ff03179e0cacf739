package dev.mallard.engine.parquet;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.types.TimeTz;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Values;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.IntervalMonthDayNanoVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Writes one column: the Parquet type a DuckLake type gets (the layout DuckDB 1.5.5's ducklake
 * extension writes, listed in package-info), the conversion of each value from its Arrow vector
 * (as {@code ArrowTypes} types it), and the statistics DuckDB would record for it. One subclass
 * per family of layouts, mirroring the decoders of the read path; {@link NestedEncoder} writes
 * structs, lists and maps through one such leaf encoder per primitive leaf, emitting repetition
 * and definition levels. Top-level columns are OPTIONAL (as DuckDB writes even NOT NULL columns),
 * so a value has definition level 1 and a NULL 0.
 *
 * <p>Values that the layout cannot hold exactly are refused with a {@link UserException} naming the
 * column, rather than written wrongly.
 */
abstract class ColumnEncoder {
  final WriteColumn column;
  /** Index of the column's vector in the batches (-1 for the leaves of a nested column). */
  final int vectorIndex;
  /** The leaf's Parquet type; null for a nested column (see {@link #schemaType}). */
  final PrimitiveType parquetType;
  ColumnWriter writer;
  /** This leaf's statistics for the current file. */
  StatsCollector stats;
  /** Repetition level of the next value (0 but inside lists and maps). */
  int repetition;
  /** Definition level of a present value: 1 for a top-level column, deeper inside nested ones. */
  int definition = 1;

  ColumnEncoder(WriteColumn column, int vectorIndex, PrimitiveType parquetType) {
    this.column = column;
    this.vectorIndex = vectorIndex;
    this.parquetType = parquetType;
  }

  /** The column's type in the file's schema. */
  org.apache.parquet.schema.Type schemaType() {
    return parquetType;
  }

  /** The primitive columns this column is written as, in schema order: itself when flat. */
  List<ColumnEncoder> leaves() {
    return List.of(this);
  }

  /** A fresh statistics collector, one per file. */
  abstract StatsCollector newStats();

  /** Writes the top-level value at {@code row} (NULL included) and counts it in the leaves' {@link #stats}. */
  void write(FieldVector vector, int row) {
    if (vector.isNull(row)) {
      if (!column.nullable()) {
        throw new UserException("NOT NULL constraint failed: column '" + column.name() + "' got a NULL");
      }
      writer.writeNull(0, 0);
      stats.addNull();
    } else {
      writeValue(vector, row, stats);
    }
  }

  abstract void writeValue(FieldVector vector, int row, StatsCollector stats);

  UserException unrepresentable(String value, String why) {
    return new UserException("Cannot write " + value + " to column '" + column.name() + "' (" + column.type()
        + "): " + why);
  }

  static PrimitiveType primitive(WriteColumn column, PrimitiveTypeName physical, int length,
      LogicalTypeAnnotation annotation) {
    Types.PrimitiveBuilder<PrimitiveType> b = Types.primitive(physical, Repetition.OPTIONAL);
    if (length > 0) {
      b = b.length(length);
    }
    return b.as(annotation).id(column.fieldId()).named(column.name());
  }

  /** The encoder for a column, or an {@link UnsupportedFeatureException} for types Mallard cannot write. */
  static ColumnEncoder create(WriteColumn column, int vectorIndex) {
    DuckLakeType type = column.type();
    return switch (type.kind()) {
      case BOOLEAN -> new BooleanEncoder(column, vectorIndex);
      case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, DATE, TIME, TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP,
          TIMESTAMP_NS, TIMESTAMPTZ, TIMESTAMPTZ_NS -> new LongEncoder(column, vectorIndex);
      case UINT64 -> new Uint64Encoder(column, vectorIndex);
      case INT128, UINT128 -> new Int128Encoder(column, vectorIndex);
      case FLOAT32, FLOAT64 -> new FloatEncoder(column, vectorIndex);
      case DECIMAL -> new DecimalEncoder(column, vectorIndex);
      case VARCHAR, JSON, BLOB -> new BytesEncoder(column, vectorIndex);
      case UUID -> new UuidEncoder(column, vectorIndex);
      case TIMETZ -> new TimeTzEncoder(column, vectorIndex);
      case INTERVAL -> new IntervalEncoder(column, vectorIndex);
      case TIME_NS -> throw new UnsupportedFeatureException("Cannot write column '" + column.name()
          + "' of type time_ns: DuckDB 1.5 has no Parquet form for it (its own writer fails)");
      case STRUCT, LIST, MAP -> new NestedEncoder(column, vectorIndex);
      case GEOMETRY -> new GeometryEncoder(column, vectorIndex);
      case VARIANT -> new VariantEncoder(column, vectorIndex);
      default -> throw new UnsupportedFeatureException("Writing columns of type " + type + " ('" + column.name()
          + "') is not supported yet");
    };
  }

  // ---------------------------------------------------------------------------------------------

  /** boolean: BOOLEAN; statistics {@code 0} / {@code 1} as DuckDB's Parquet path records them. */
  static final class BooleanEncoder extends ColumnEncoder {
    BooleanEncoder(WriteColumn column, int vectorIndex) {
      super(column, vectorIndex, primitive(column, PrimitiveTypeName.BOOLEAN, 0, null));
    }

    @Override
    StatsCollector newStats() {
      return new StatsCollector.Longs(false, Long::toString);
    }

    @Override
    void writeValue(FieldVector vector, int row, StatsCollector stats) {
      boolean v = ((BitVector) vector).get(row) != 0;
      writer.write(v, repetition, definition);
      ((StatsCollector.Longs) stats).add(v ? 1 : 0);
    }
  }

  /**
   * Every type held as one long in the engine: integers (INT32 with INT(8/16/32), INT64 with
   * INT(64)), dates (INT32 DATE), times (INT64 TIME(MICROS)) and timestamps (INT64 TIMESTAMP of the
   * type's unit; timestamp_s as MICROS, as DuckDB writes it).
   */
  static final class LongEncoder extends ColumnEncoder {
    private final boolean int32;
    private final long min;
    private final long max;
    /** timestamp_s: seconds are written as microseconds. */
    private final boolean secondsToMicros;

    LongEncoder(WriteColumn column, int vectorIndex) {
      super(column, vectorIndex, parquetType(column));
      this.int32 = parquetType.getPrimitiveTypeName() == PrimitiveTypeName.INT32;
      this.secondsToMicros = column.type().kind() == dev.mallard.engine.types.TypeKind.TIMESTAMP_S;
      switch (column.type().kind()) {
        case UINT8 -> {
          min = 0;
          max = 0xff;
        }
        case UINT16 -> {
          min = 0;
          max = 0xffff;
        }
        case UINT32 -> {
          min = 0;
          max = 0xffff_ffffL;
        }
        default -> { // the vector's own width bounds the others
          min = Long.MIN_VALUE;
          max = Long.MAX_VALUE;
        }
      }
    }

    private static PrimitiveType parquetType(WriteColumn c) {
      return switch (c.type().kind()) {
        case INT8 -> primitive(c, PrimitiveTypeName.INT32, 0, LogicalTypeAnnotation.intType(8, true));
        case INT16 -> primitive(c, PrimitiveTypeName.INT32, 0, LogicalTypeAnnotation.intType(16, true));
        case INT32 -> primitive(c, PrimitiveTypeName.INT32, 0, LogicalTypeAnnotation.intType(32, true));
        case INT64 -> primitive(c, PrimitiveTypeName.INT64, 0, LogicalTypeAnnotation.intType(64, true));
        case UINT8 -> primitive(c, PrimitiveTypeName.INT32, 0, LogicalTypeAnnotation.intType(8, false));
        case UINT16 -> primitive(c, PrimitiveTypeName.INT32, 0, LogicalTypeAnnotation.intType(16, false));
        case UINT32 -> primitive(c, PrimitiveTypeName.INT32, 0, LogicalTypeAnnotation.intType(32, false));
        case DATE -> primitive(c, PrimitiveTypeName.INT32, 0, LogicalTypeAnnotation.dateType());
        case TIME -> primitive(c, PrimitiveTypeName.INT64, 0, LogicalTypeAnnotation.timeType(false, TimeUnit.MICROS));
        case TIMESTAMP_S, TIMESTAMP -> timestamp(c, false, TimeUnit.MICROS);
        case TIMESTAMP_MS -> timestamp(c, false, TimeUnit.MILLIS);
        case TIMESTAMP_NS -> timestamp(c, false, TimeUnit.NANOS);
        case TIMESTAMPTZ -> timestamp(c, true, TimeUnit.MICROS);
        case TIMESTAMPTZ_NS -> timestamp(c, true, TimeUnit.NANOS);
        default -> throw new IllegalArgumentException(c.type().toString());
      };
    }

    private static PrimitiveType timestamp(WriteColumn c, boolean utc, TimeUnit unit) {
      return primitive(c, PrimitiveTypeName.INT64, 0, LogicalTypeAnnotation.timestampType(utc, unit));
    }

    @Override
    StatsCollector newStats() {
      return switch (column.type().kind()) {
        case DATE -> new StatsCollector.Longs(false, v -> StatsText.date((int) v));
        case TIME -> new StatsCollector.Longs(false, v -> StatsText.time(v, 6));
        case TIMESTAMP_S -> new StatsCollector.Longs(false, v -> StatsText.timestamp(v, 0, false));
        case TIMESTAMP_MS -> new StatsCollector.Longs(false, v -> StatsText.timestamp(v, 3, false));
        case TIMESTAMP -> new StatsCollector.Longs(false, v -> StatsText.timestamp(v, 6, false));
        case TIMESTAMP_NS -> new StatsCollector.Longs(false, v -> StatsText.timestamp(v, 9, false));
        case TIMESTAMPTZ -> new StatsCollector.Longs(false, v -> StatsText.timestamp(v, 6, true));
        case TIMESTAMPTZ_NS -> new StatsCollector.Longs(false, v -> StatsText.timestamp(v, 9, true));
        default -> new StatsCollector.Longs(false, Long::toString);
      };
    }

    @Override
    void writeValue(FieldVector vector, int row, StatsCollector stats) {
      long v = switch (column.type().kind()) {
        case INT8 -> ((TinyIntVector) vector).get(row);
        case INT16, UINT8 -> ((SmallIntVector) vector).get(row);
        case INT32, UINT16 -> ((IntVector) vector).get(row);
        case INT64, UINT32 -> ((BigIntVector) vector).get(row);
        case DATE -> ((DateDayVector) vector).get(row);
        case TIME -> ((TimeMicroVector) vector).get(row);
        default -> ((TimeStampVector) vector).get(row);
      };
      if (v < min || v > max) {
        throw unrepresentable(Long.toString(v), "out of the type's range");
      }
      if (int32) {
        writer.write((int) v, repetition, definition); // uint32 above 2^31 wraps to negative, as Parquet's UINT_32 expects
      } else if (secondsToMicros && Math.abs(v) != Values.TIMESTAMP_INFINITY) {
        writer.write(Math.multiplyExact(v, 1_000_000L), repetition, definition);
      } else {
        writer.write(v, repetition, definition);
      }
      ((StatsCollector.Longs) stats).add(v);
    }
  }

  /** uint64: INT64 with INT(64, unsigned), from the engine's decimal(20,0) vector. */
  static final class Uint64Encoder extends ColumnEncoder {
    Uint64Encoder(WriteColumn column, int vectorIndex) {
      super(column, vectorIndex, primitive(column, PrimitiveTypeName.INT64, 0, LogicalTypeAnnotation.intType(64, false)));
    }

    @Override
    StatsCollector newStats() {
      return new StatsCollector.Longs(true, Long::toUnsignedString);
    }

    @Override
    void writeValue(FieldVector vector, int row, StatsCollector stats) {
      ArrowBuf data = vector.getDataBuffer();
      long lo = data.getLong((long) row * 16);
      long hi = data.getLong((long) row * 16 + 8);
      if (hi != 0) { // negative or 2^64 and above
        throw unrepresentable(StatsCollector.Int128s.toBigInteger(hi, lo).toString(), "out of the type's range");
      }
      writer.write(lo, repetition, definition);
      ((StatsCollector.Longs) stats).add(lo);
    }
  }

  /**
   * int128 / uint128. DuckDB writes them as DOUBLE, which keeps 53 significant bits; Mallard writes
   * FIXED_LEN_BYTE_ARRAY(16) DECIMAL(38,0) instead, which DuckDB 1.5.5 reads back into HUGEINT and
   * UHUGEINT exactly (its reader casts the file's decimal to the table's type). It holds every value
   * of up to 38 digits; larger ones (|v| >= 10^38) are refused. Statistics as DuckDB records them
   * for these types: counts only.
   */
  static final class Int128Encoder extends ColumnEncoder {
    private static final BigInteger LIMIT = BigInteger.TEN.pow(38);
    private static final long LIMIT_HI = LIMIT.shiftRight(64).longValue();
    private static final long LIMIT_LO = LIMIT.longValue();
    private final byte[] buffer = new byte[16];

    Int128Encoder(WriteColumn column, int vectorIndex) {
      super(column, vectorIndex, primitive(column, PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, 16,
          LogicalTypeAnnotation.decimalType(0, 38)));
    }

    @Override
    StatsCollector newStats() {
      return new StatsCollector.CountsOnly();
    }

    @Override
    void writeValue(FieldVector vector, int row, StatsCollector stats) {
      ArrowBuf data = vector.getDataBuffer(); // 256-bit little-endian two's complement
      long base = (long) row * 32;
      long lo = data.getLong(base);
      long hi = data.getLong(base + 8);
      long sign = hi >> 63;
      boolean fits128 = data.getLong(base + 16) == sign && data.getLong(base + 24) == sign;
      if (!fits128 || !below1e38(hi, lo)) {
        throw unrepresentable(((org.apache.arrow.vector.Decimal256Vector) vector).getObject(row).toPlainString(),
            "Mallard writes 128-bit integers as DECIMAL(38,0) (DuckDB's own DOUBLE would round them),"
                + " which holds at most 38 digits");
      }
      putBigEndian(hi, lo, buffer);
      writer.write(Binary.fromConstantByteArray(buffer.clone()), repetition, definition);
      stats.valueCount++;
    }

    /** |v| < 10^38 for the 128-bit two's complement v = (hi, lo). */
    private static boolean below1e38(long hi, long lo) {
      if (hi < 0) { // negate: -v = ~v + 1
        lo = ~lo + 1;
        hi = ~hi + (lo == 0 ? 1 : 0);
        if (hi < 0) {
          return false; // -2^127 itself
        }
      }
      return StatsCollector.Int128s.compare(hi, lo, LIMIT_HI, LIMIT_LO) < 0;
    }
  }

  static void putBigEndian(long hi, long lo, byte[] out) {
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (hi >>> (56 - 8 * i));
      out[8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
  }

  /** float32: FLOAT, float64: DOUBLE. */
  static final class FloatEncoder extends ColumnEncoder {
    private final boolean single;

    FloatEncoder(WriteColumn column, int vectorIndex) {
      super(column, vectorIndex, primitive(column, column.type().kind() == dev.mallard.engine.types.TypeKind.FLOAT32
          ? PrimitiveTypeName.FLOAT : PrimitiveTypeName.DOUBLE, 0, null));
      this.single = parquetType.getPrimitiveTypeName() == PrimitiveTypeName.FLOAT;
    }

    @Override
    StatsCollector newStats() {
      return new StatsCollector.Doubles(single);
    }

    @Override
    void writeValue(FieldVector vector, int row, StatsCollector stats) {
      if (single) {
        float v = ((Float4Vector) vector).get(row);
        writer.write(v, repetition, definition);
        ((StatsCollector.Doubles) stats).add(v);
      } else {
        double v = ((Float8Vector) vector).get(row);
        writer.write(v, repetition, definition);
        ((StatsCollector.Doubles) stats).add(v);
      }
    }
  }

  /**
   * decimal(P,S): INT32 for P <= 9, INT64 for P <= 18, FIXED_LEN_BYTE_ARRAY(16) (big-endian two's
   * complement) above, each with DECIMAL(P,S), as DuckDB writes them. Statistics at the type's
   * scale ({@code 0.0}, {@code 1.0000000000}).
   */
  static final class DecimalEncoder extends ColumnEncoder {
    private final int precision;
    private final int scale;
    private final long limitHi;
    private final long limitLo;
    private final byte[] buffer = new byte[16];

    DecimalEncoder(WriteColumn column, int vectorIndex) {
      super(column, vectorIndex, parquetType(column));
      this.precision = column.type().precision();
      this.scale = column.type().scale();
      BigInteger limit = BigInteger.TEN.pow(precision);
      this.limitHi = limit.shiftRight(64).longValue();
      this.limitLo = limit.longValue();
    }

    private static PrimitiveType parquetType(WriteColumn c) {
      int p = c.type().precision();
      LogicalTypeAnnotation decimal = LogicalTypeAnnotation.decimalType(c.type().scale(), p);
      if (p <= 9) {
        return primitive(c, PrimitiveTypeName.INT32, 0, decimal);
      }
      if (p <= 18) {
        return primitive(c, PrimitiveTypeName.INT64, 0, decimal);
      }
      return primitive(c, PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, 16, decimal);
    }

    @Override
    StatsCollector newStats() {
      return precision <= 18 ? new StatsCollector.Longs(false, v -> StatsText.decimal(BigInteger.valueOf(v), scale))
          : new StatsCollector.Int128s(scale);
    }

    @Override
    void writeValue(FieldVector vector, int row, StatsCollector stats) {
      ArrowBuf data = vector.getDataBuffer(); // 128-bit little-endian two's complement unscaled value
      long lo = data.getLong((long) row * 16);
      long hi = data.getLong((long) row * 16 + 8);
      if (!fits(hi, lo)) {
        throw unrepresentable(StatsCollector.Int128s.toBigInteger(hi, lo) + "E-" + scale,
            "more than " + precision + " digits");
      }
      if (precision <= 9) {
        writer.write((int) lo, repetition, definition);
        ((StatsCollector.Longs) stats).add(lo);
      } else if (precision <= 18) {
        writer.write(lo, repetition, definition);
        ((StatsCollector.Longs) stats).add(lo);
      } else {
        putBigEndian(hi, lo, buffer);
        writer.write(Binary.fromConstantByteArray(buffer.clone()), repetition, definition);
        ((StatsCollector.Int128s) stats).add(hi, lo);
      }
    }

    /** |unscaled| < 10^precision. */
    private boolean fits(long hi, long lo) {
      if (hi < 0) {
        lo = ~lo + 1;
        hi = ~hi + (lo == 0 ? 1 : 0);
        if (hi < 0) {
          return false;
        }
      }
      return StatsCollector.Int128s.compare(hi, lo, limitHi, limitLo) < 0;
    }
  }

  /** varchar: BYTE_ARRAY STRING; json: BYTE_ARRAY JSON; blob: BYTE_ARRAY (statistics in upper-case hex). */
  static final class BytesEncoder extends ColumnEncoder {
    private final boolean blob;

    BytesEncoder(WriteColumn column, int vectorIndex) {
      super(column, vectorIndex, primitive(column, PrimitiveTypeName.BINARY, 0, switch (column.type().kind()) {
        case VARCHAR -> LogicalTypeAnnotation.stringType();
        case JSON -> LogicalTypeAnnotation.jsonType();
        default -> null;
      }));
      this.blob = column.type().kind() == dev.mallard.engine.types.TypeKind.BLOB;
    }

    @Override
    StatsCollector newStats() {
      return blob ? new StatsCollector.Bytes(false, StatsText::hex)
          : new StatsCollector.Bytes(true, StatsCollector.Bytes::utf8);
    }

    @Override
    void writeValue(FieldVector vector, int row, StatsCollector stats) {
      byte[] v = blob ? ((VarBinaryVector) vector).get(row) : ((VarCharVector) vector).get(row);
      writer.write(Binary.fromConstantByteArray(v), repetition, definition);
      ((StatsCollector.Bytes) stats).add(v);
    }
  }

  /** uuid: FIXED_LEN_BYTE_ARRAY(16) UUID (big-endian), from the engine's canonical text. */
  static final class UuidEncoder extends ColumnEncoder {
    UuidEncoder(WriteColumn column, int vectorIndex) {
      super(column, vectorIndex, primitive(column, PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, 16,
          LogicalTypeAnnotation.uuidType()));
    }

    @Override
    StatsCollector newStats() {
      return new StatsCollector.Bytes(false, StatsText::uuid);
    }

    @Override
    void writeValue(FieldVector vector, int row, StatsCollector stats) {
      String text = new String(((VarCharVector) vector).get(row), StandardCharsets.US_ASCII);
      java.util.UUID uuid;
      try {
        if (text.length() != 36) {
          throw new IllegalArgumentException();
        }
        uuid = java.util.UUID.fromString(text);
      } catch (IllegalArgumentException e) {
        throw unrepresentable("'" + text + "'", "not a UUID");
      }
      byte[] bytes = new byte[16];
      putBigEndian(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits(), bytes);
      writer.write(Binary.fromConstantByteArray(bytes), repetition, definition);
      ((StatsCollector.Bytes) stats).add(bytes);
    }
  }

  /**
   * timetz: INT64 TIME(MICROS, adjustedToUTC), as DuckDB writes it. That form holds the UTC time of
   * day only: DuckDB converts each value to UTC and drops its offset, so {@code 01:02:03+05} reads
   * back as {@code 20:02:03+00} (and 24:00:00+00 as 00:00:00+00). Mallard writes the same, so both
   * read the same values back; the partition value and bucket of a row are taken from the value
   * with its offset, as DuckDB takes them. No statistics, as DuckDB (see {@link StatsCollector.None}).
   */
  static final class TimeTzEncoder extends ColumnEncoder {
    TimeTzEncoder(WriteColumn column, int vectorIndex) {
      super(column, vectorIndex, primitive(column, PrimitiveTypeName.INT64, 0,
          LogicalTypeAnnotation.timeType(true, TimeUnit.MICROS)));
    }

    @Override
    StatsCollector newStats() {
      return new StatsCollector.None();
    }

    @Override
    void writeValue(FieldVector vector, int row, StatsCollector stats) {
      String text = new String(((VarCharVector) vector).get(row), StandardCharsets.UTF_8);
      TimeTz value;
      try {
        value = TimeTz.parse(text);
      } catch (IllegalArgumentException e) {
        throw unrepresentable("'" + text + "'", "not a time with time zone");
      }
      writer.write(value.utcMicros(), repetition, definition);
      stats.valueCount++;
    }
  }

  /**
   * interval: FIXED_LEN_BYTE_ARRAY(12) INTERVAL, as DuckDB writes it: months, days and milliseconds
   * as unsigned little-endian 32-bit integers. The engine's interval has microseconds and signed
   * parts; DuckDB drops the sub-millisecond part, and wraps a time part of 2^32 ms or more.
   * Mallard refuses such values, and negative parts (which DuckDB refuses too), instead of losing
   * them. No statistics, as DuckDB.
   */
  static final class IntervalEncoder extends ColumnEncoder {
    private static final long MAX_MILLIS = 0xffff_ffffL;
    private final byte[] buffer = new byte[12];

    IntervalEncoder(WriteColumn column, int vectorIndex) {
      super(column, vectorIndex, primitive(column, PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, 12,
          LogicalTypeAnnotation.IntervalLogicalTypeAnnotation.getInstance()));
    }

    @Override
    StatsCollector newStats() {
      return new StatsCollector.None();
    }

    @Override
    void writeValue(FieldVector vector, int row, StatsCollector stats) {
      ArrowBuf data = vector.getDataBuffer(); // months int32, days int32, nanoseconds int64
      long base = (long) row * IntervalMonthDayNanoVector.TYPE_WIDTH;
      int months = data.getInt(base);
      int days = data.getInt(base + 4);
      long nanos = data.getLong(base + 8);
      if (months < 0 || days < 0 || nanos < 0) {
        throw unrepresentable(describe(months, days, nanos), "Parquet's INTERVAL has no negative parts");
      }
      if (nanos % 1_000_000L != 0) {
        throw unrepresentable(describe(months, days, nanos), "Parquet's INTERVAL holds whole milliseconds");
      }
      long millis = nanos / 1_000_000L;
      if (millis > MAX_MILLIS) {
        throw unrepresentable(describe(months, days, nanos), "Parquet's INTERVAL holds less than 2^32 ms"
            + " (about 1193 hours) in its time part");
      }
      putIntLe(buffer, 0, months);
      putIntLe(buffer, 4, days);
      putIntLe(buffer, 8, (int) millis);
      writer.write(Binary.fromConstantByteArray(buffer.clone()), repetition, definition);
      stats.valueCount++;
    }

    private static String describe(int months, int days, long nanos) {
      return "interval '" + new dev.mallard.engine.types.Interval(months, days, nanos / 1000) + "'"
          + (nanos % 1000 != 0 ? " (+" + nanos % 1000 + " ns)" : "");
    }

    private static void putIntLe(byte[] out, int at, int v) {
      out[at] = (byte) v;
      out[at + 1] = (byte) (v >>> 8);
      out[at + 2] = (byte) (v >>> 16);
      out[at + 3] = (byte) (v >>> 24);
    }
  }

  /**
   * geometry: BYTE_ARRAY with Parquet's GEOMETRY logical type (no CRS) holding the WKB, as DuckDB
   * 1.5.5 writes it (no GeoParquet key-value metadata); statistics: counts and the bounding box and
   * types as {@code extra_stats} (see {@link StatsCollector.Geometry}).
   */
  static final class GeometryEncoder extends ColumnEncoder {
    GeometryEncoder(WriteColumn column, int vectorIndex) {
      super(column, vectorIndex, primitive(column, PrimitiveTypeName.BINARY, 0, LogicalTypeAnnotation.geometryType(null)));
    }

    @Override
    StatsCollector newStats() {
      return new StatsCollector.Geometry();
    }

    @Override
    void writeValue(FieldVector vector, int row, StatsCollector stats) {
      byte[] wkb = ((VarBinaryVector) vector).get(row);
      try {
        ((StatsCollector.Geometry) stats).add(wkb);
      } catch (RuntimeException e) {
        throw unrepresentable(wkb.length + " bytes", "not WKB (" + e + ")");
      }
      writer.write(Binary.fromConstantByteArray(wkb), repetition, definition);
    }
  }

  /**
   * variant: an OPTIONAL group annotated VARIANT (specification version 1; the column's field id) of a
   * REQUIRED BYTE_ARRAY {@code metadata} and
   * an OPTIONAL BYTE_ARRAY {@code value} in the Parquet variant encoding, the layout DuckDB 1.5.5
   * writes without its shredded {@code typed_value} (which DuckDB's reader does not require). The
   * engine's value of a variant is its binary encoding ({@link dev.mallard.engine.types.Variant}),
   * written as it is, unshredded. A SQL NULL is a NULL group.
   * Statistics: one row for the column (counts, both leaves' sizes), no bounds and no
   * {@code ducklake_file_variant_stats}, as DuckDB for an unshredded file.
   */
  static final class VariantEncoder extends ColumnEncoder {
    private final Leaf metadata;
    private final Leaf value;
    private final org.apache.parquet.schema.GroupType group;

    VariantEncoder(WriteColumn column, int vectorIndex) {
      super(column, vectorIndex, null);
      this.metadata = new Leaf(column, Types.required(PrimitiveTypeName.BINARY).named("metadata"), 1);
      this.value = new Leaf(column, Types.optional(PrimitiveTypeName.BINARY).named("value"), 2);
      this.group = Types.buildGroup(Repetition.OPTIONAL).as(LogicalTypeAnnotation.variantType((byte) 1))
          .addField(metadata.parquetType).addField(value.parquetType).id(column.fieldId()).named(column.name());
    }

    @Override
    org.apache.parquet.schema.Type schemaType() {
      return group;
    }

    @Override
    List<ColumnEncoder> leaves() {
      return List.of(metadata, value);
    }

    @Override
    StatsCollector newStats() {
      return new StatsCollector.CountsOnly(); // unused: the leaves keep the statistics
    }

    @Override
    void write(FieldVector vector, int row) {
      if (vector.isNull(row)) {
        if (!column.nullable()) {
          throw new UserException("NOT NULL constraint failed: column '" + column.name() + "' got a NULL");
        }
        metadata.writer.writeNull(0, 0);
        value.writer.writeNull(0, 0);
        metadata.stats.addNull();
      } else {
        writeValue(vector, row, metadata.stats);
      }
    }

    @Override
    void writeValue(FieldVector vector, int row, StatsCollector stats) {
      dev.mallard.engine.types.Variant variant =
          dev.mallard.engine.types.Variant.fromBytes(((VarBinaryVector) vector).get(row));
      metadata.writer.write(Binary.fromConstantByteArray(variant.metadata()), 0, metadata.definition);
      value.writer.write(Binary.fromConstantByteArray(variant.value()), 0, value.definition);
      stats.valueCount++;
    }

    /** One of the two binary leaves; its values are written by the variant encoder. */
    private static final class Leaf extends ColumnEncoder {
      Leaf(WriteColumn column, PrimitiveType type, int definition) {
        super(column, -1, type);
        this.definition = definition;
      }

      @Override
      StatsCollector newStats() {
        return new StatsCollector.CountsOnly();
      }

      @Override
      void writeValue(FieldVector vector, int row, StatsCollector stats) {
        throw new IllegalStateException("written by its variant");
      }
    }
  }
}
