package dev.mallard.engine.parquet;

import dev.mallard.engine.types.Variant;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * A Parquet VARIANT value as the engine's {@link Variant}, from its {@code metadata} and
 * {@code value} (the Parquet variant binary encoding) and, where the writer shredded it, its
 * {@code typed_value} tree (objects as groups of fields, arrays as LIST groups, leaves as typed
 * columns), merged back with the binary part into one unshredded variant of the same value and
 * type. An unshredded value is taken as it is.
 */
final class VariantShreds {
  /** An object field that the value does not have (both value and typed_value absent). */
  private static final Object MISSING = new Object();

  private final byte[] metadata;

  private VariantShreds(byte[] metadata) {
    this.metadata = metadata;
  }

  /** One non-null variant group ({@code metadata}, {@code value}, {@code typed_value}). */
  static Variant read(Group variant, GroupType schema) {
    byte[] metadata = variant.getBinary("metadata", 0).getBytes();
    if (!schema.containsField("typed_value") || variant.getFieldRepetitionCount("typed_value") == 0) {
      return variant.getFieldRepetitionCount("value") == 0 ? null
          : Variant.of(metadata, variant.getBinary("value", 0).getBytes());
    }
    Object value = new VariantShreds(metadata).shredded(variant, schema);
    return value == MISSING ? null : Variant.encode(value);
  }

  /** The model of a value from its {@code value} and {@code typed_value} fields; MISSING when it has neither. */
  private Object shredded(Group g, GroupType schema) {
    boolean hasValue = schema.containsField("value") && g.getFieldRepetitionCount("value") > 0;
    boolean hasTyped = schema.containsField("typed_value") && g.getFieldRepetitionCount("typed_value") > 0;
    if (!hasTyped) {
      return hasValue ? decode(g) : MISSING;
    }
    Type typed = schema.getType("typed_value");
    if (typed.isPrimitive()) {
      return primitive(g, typed.asPrimitiveType());
    }
    Group t = g.getGroup("typed_value", 0);
    GroupType tt = typed.asGroupType();
    if (tt.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
      GroupType repeated = tt.getType(0).asGroupType();
      GroupType element = repeated.getType(0).asGroupType();
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < t.getFieldRepetitionCount(0); i++) {
        Group r = t.getGroup(0, i);
        Object e = r.getFieldRepetitionCount(0) == 0 ? null : shredded(r.getGroup(0, 0), element);
        out.add(e == MISSING ? null : e);
      }
      return out;
    }
    Map<String, Object> object = new TreeMap<>();
    for (int f = 0; f < tt.getFieldCount(); f++) {
      if (t.getFieldRepetitionCount(f) > 0) {
        Object field = shredded(t.getGroup(f, 0), tt.getType(f).asGroupType());
        if (field != MISSING) {
          object.put(tt.getFieldName(f), field);
        }
      }
    }
    if (hasValue && decode(g) instanceof Map<?, ?> more) { // a partially shredded object: the rest is in value
      more.forEach((k, v) -> object.put((String) k, v));
    }
    return object;
  }

  /** The model of the binary {@code value} of a group, with this variant's metadata. */
  private Object decode(Group g) {
    return Variant.of(metadata, g.getBinary("value", 0).getBytes()).decode();
  }

  private static Object primitive(Group g, PrimitiveType type) {
    LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case BOOLEAN:
        return Variant.bool(g.getBoolean("typed_value", 0));
      case INT32: {
        int i = g.getInteger("typed_value", 0);
        if (a instanceof DecimalLogicalTypeAnnotation d) {
          return Variant.decimal(BigDecimal.valueOf(i, d.getScale()), 9);
        }
        if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          return Variant.date(i);
        }
        if (a instanceof IntLogicalTypeAnnotation n && n.getBitWidth() == 8) {
          return Variant.int8(i);
        }
        if (a instanceof IntLogicalTypeAnnotation n && n.getBitWidth() == 16) {
          return Variant.int16(i);
        }
        if (a == null || a instanceof IntLogicalTypeAnnotation) {
          return Variant.int32(i);
        }
        break;
      }
      case INT64: {
        long l = g.getLong("typed_value", 0);
        if (a instanceof DecimalLogicalTypeAnnotation d) {
          return Variant.decimal(BigDecimal.valueOf(l, d.getScale()), 18);
        }
        if (a instanceof TimestampLogicalTypeAnnotation ts && ts.getUnit() != TimeUnit.MILLIS) {
          boolean nanos = ts.getUnit() == TimeUnit.NANOS;
          return Variant.temporal(ts.isAdjustedToUTC() ? (nanos ? 18 : 12) : (nanos ? 19 : 13), l);
        }
        if (a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation t && t.getUnit() == TimeUnit.MICROS) {
          return Variant.temporal(17, l);
        }
        if (a == null || a instanceof IntLogicalTypeAnnotation) {
          return Variant.int64(l);
        }
        break;
      }
      case FLOAT:
        return Variant.float32(g.getFloat("typed_value", 0));
      case DOUBLE:
        return Variant.float64(g.getDouble("typed_value", 0));
      case BINARY:
      case FIXED_LEN_BYTE_ARRAY: {
        byte[] b = g.getBinary("typed_value", 0).getBytes();
        if (a instanceof DecimalLogicalTypeAnnotation d) {
          return Variant.decimal(new BigDecimal(new BigInteger(b), d.getScale()), 38);
        }
        if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
          return Variant.string(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        }
        if (a instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
          java.nio.ByteBuffer u = java.nio.ByteBuffer.wrap(b);
          return Variant.uuid(new java.util.UUID(u.getLong(0), u.getLong(8)).toString());
        }
        if (a == null) {
          return Variant.binary(b);
        }
        break;
      }
      default:
        break;
    }
    throw new IllegalArgumentException("a shredded variant value of Parquet type " + type + " is not supported");
  }
}
