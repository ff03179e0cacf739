package dev.mallard.engine.parquet;

import dev.mallard.engine.exec.NestedText;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.FloatText;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * DuckDB's text of a Parquet VARIANT value ({@code CAST(v AS VARCHAR)} in DuckDB 1.5), from the
 * variant's {@code metadata} and {@code value} (the Parquet variant binary encoding) and, where the
 * writer shredded it, its {@code typed_value} tree (objects as groups of fields, arrays as LIST
 * groups, leaves as typed columns), which is merged back with the binary part.
 *
 * <p>The text, as DuckDB prints it after reading a variant back from Parquet: a scalar as the
 * type's own text ({@code 42}, {@code 1.0}, {@code hello}, {@code 2024-01-01 01:02:03+00},
 * {@code \x00ab}); an array as {@code [1, a, NULL]}; an object as {@code {'a': 1, 'b': x}} with its
 * keys in sorted order and always quoted. Inside an object (at any depth) a leaf is quoted like
 * DuckDB's struct text quotes it (empty, {@code NULL}, blanks at an end, or one of
 * {@code "'(),:=[]{}}), elsewhere in an array only for those characters; quotes and backslashes in
 * quoted text are escaped with a backslash. A variant NULL at the top is SQL NULL.
 */
final class VariantText {
  /** An object field that the value does not have (both value and typed_value absent). */
  private static final Object MISSING = new Object();
  private static final DuckLakeType DATE = DuckLakeType.of(TypeKind.DATE);
  private static final DuckLakeType TIME = DuckLakeType.of(TypeKind.TIME);
  private static final DuckLakeType TIMESTAMP = DuckLakeType.of(TypeKind.TIMESTAMP);
  private static final DuckLakeType TIMESTAMPTZ = DuckLakeType.of(TypeKind.TIMESTAMPTZ);
  private static final DuckLakeType TIMESTAMP_NS = DuckLakeType.of(TypeKind.TIMESTAMP_NS);
  private static final DuckLakeType TIMESTAMPTZ_NS = DuckLakeType.of(TypeKind.TIMESTAMPTZ_NS);

  private final String[] dictionary;

  private VariantText(String[] dictionary) {
    this.dictionary = dictionary;
  }

  /** The text of one non-null variant group ({@code metadata}, {@code value}, {@code typed_value}); null for a variant NULL. */
  static String text(Group variant, GroupType schema) {
    VariantText v = new VariantText(dictionary(variant.getBinary("metadata", 0).getBytes()));
    Object value = v.shredded(variant, schema);
    if (value == null || value == MISSING) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    format(value, true, false, out);
    return out.toString();
  }

  // ---- the model: null (variant null), String (a leaf's text), List (array), TreeMap (object)

  /** A value from its {@code value} and {@code typed_value} fields; MISSING when it has neither. */
  private Object shredded(Group g, GroupType schema) {
    boolean hasValue = schema.containsField("value") && g.getFieldRepetitionCount("value") > 0;
    boolean hasTyped = schema.containsField("typed_value") && g.getFieldRepetitionCount("typed_value") > 0;
    if (!hasTyped) {
      return hasValue ? binary(ByteBuffer.wrap(g.getBinary("value", 0).getBytes()).order(ByteOrder.LITTLE_ENDIAN))
          : MISSING;
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
    if (hasValue) { // a partially shredded object: the fields not shredded are in value
      Object rest = binary(ByteBuffer.wrap(g.getBinary("value", 0).getBytes()).order(ByteOrder.LITTLE_ENDIAN));
      if (rest instanceof Map<?, ?> more) {
        more.forEach((k, v) -> object.put((String) k, v));
      }
    }
    return object;
  }

  private static Object primitive(Group g, PrimitiveType type) {
    LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case BOOLEAN:
        return Boolean.toString(g.getBoolean("typed_value", 0));
      case INT32: {
        int i = g.getInteger("typed_value", 0);
        if (a instanceof DecimalLogicalTypeAnnotation d) {
          return BigDecimal.valueOf(i, d.getScale()).toPlainString();
        }
        if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          return Values.format(DATE, i);
        }
        if (a == null || a instanceof IntLogicalTypeAnnotation) {
          return Integer.toString(i);
        }
        break;
      }
      case INT64: {
        long l = g.getLong("typed_value", 0);
        if (a instanceof DecimalLogicalTypeAnnotation d) {
          return BigDecimal.valueOf(l, d.getScale()).toPlainString();
        }
        if (a instanceof TimestampLogicalTypeAnnotation ts && ts.getUnit() != TimeUnit.MILLIS) {
          boolean nanos = ts.getUnit() == TimeUnit.NANOS;
          return Values.format(ts.isAdjustedToUTC() ? (nanos ? TIMESTAMPTZ_NS : TIMESTAMPTZ)
              : (nanos ? TIMESTAMP_NS : TIMESTAMP), l);
        }
        if (a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation t && t.getUnit() == TimeUnit.MICROS) {
          return Values.format(TIME, l);
        }
        if (a == null || a instanceof IntLogicalTypeAnnotation) {
          return Long.toString(l);
        }
        break;
      }
      case FLOAT:
        return FloatText.format(g.getFloat("typed_value", 0), true);
      case DOUBLE:
        return FloatText.format(g.getDouble("typed_value", 0), false);
      case BINARY:
      case FIXED_LEN_BYTE_ARRAY: {
        byte[] b = g.getBinary("typed_value", 0).getBytes();
        if (a instanceof DecimalLogicalTypeAnnotation d) {
          return new BigDecimal(new BigInteger(b), d.getScale()).toPlainString();
        }
        if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
          return new String(b, StandardCharsets.UTF_8);
        }
        if (a instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
          return uuid(ByteBuffer.wrap(b));
        }
        if (a == null) {
          return blob(b);
        }
        break;
      }
      default:
        break;
    }
    throw new IllegalArgumentException("a shredded variant value of Parquet type " + type + " is not supported");
  }

  // ---- the Parquet variant binary encoding

  private static String[] dictionary(byte[] metadata) {
    ByteBuffer b = ByteBuffer.wrap(metadata).order(ByteOrder.LITTLE_ENDIAN);
    int header = b.get() & 0xff;
    if ((header & 0x0f) != 1) {
      throw new IllegalArgumentException("variant metadata version " + (header & 0x0f) + " is not supported");
    }
    int offsetSize = ((header >> 6) & 3) + 1;
    int size = (int) unsigned(b, 1, offsetSize);
    int[] offsets = new int[size + 1];
    for (int i = 0; i <= size; i++) {
      offsets[i] = (int) unsigned(b, 1 + offsetSize * (i + 1), offsetSize);
    }
    int start = 1 + offsetSize * (size + 2);
    String[] out = new String[size];
    for (int i = 0; i < size; i++) {
      out[i] = new String(metadata, start + offsets[i], offsets[i + 1] - offsets[i], StandardCharsets.UTF_8);
    }
    return out;
  }

  /** The value at the buffer's position (its limit is the end of the enclosing value). */
  private Object binary(ByteBuffer b) {
    int p = b.position();
    int header = b.get(p) & 0xff;
    int basic = header & 3;
    int h = header >> 2;
    switch (basic) {
      case 0:
        return primitive(b, p + 1, h);
      case 1:
        return new String(b.array(), b.arrayOffset() + p + 1, h, StandardCharsets.UTF_8);
      case 2: {
        int offsetSize = (h & 3) + 1;
        int idSize = ((h >> 2) & 3) + 1;
        boolean large = ((h >> 4) & 1) != 0;
        int n = (int) unsigned(b, p + 1, large ? 4 : 1);
        int ids = p + 1 + (large ? 4 : 1);
        int offsets = ids + n * idSize;
        int values = offsets + (n + 1) * offsetSize;
        Map<String, Object> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
          String key = dictionary[(int) unsigned(b, ids + i * idSize, idSize)];
          out.put(key, binary(b.duplicate().order(ByteOrder.LITTLE_ENDIAN)
              .position(values + (int) unsigned(b, offsets + i * offsetSize, offsetSize))));
        }
        return out;
      }
      default: {
        int offsetSize = (h & 3) + 1;
        boolean large = ((h >> 2) & 1) != 0;
        int n = (int) unsigned(b, p + 1, large ? 4 : 1);
        int offsets = p + 1 + (large ? 4 : 1);
        int values = offsets + (n + 1) * offsetSize;
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          out.add(binary(b.duplicate().order(ByteOrder.LITTLE_ENDIAN)
              .position(values + (int) unsigned(b, offsets + i * offsetSize, offsetSize))));
        }
        return out;
      }
    }
  }

  private static Object primitive(ByteBuffer b, int p, int typeId) {
    return switch (typeId) {
      case 0 -> null;
      case 1 -> "true";
      case 2 -> "false";
      case 3 -> Byte.toString(b.get(p));
      case 4 -> Short.toString(b.getShort(p));
      case 5 -> Integer.toString(b.getInt(p));
      case 6 -> Long.toString(b.getLong(p));
      case 7 -> FloatText.format(b.getDouble(p), false);
      case 8 -> BigDecimal.valueOf(b.getInt(p + 1), b.get(p)).toPlainString();
      case 9 -> BigDecimal.valueOf(b.getLong(p + 1), b.get(p)).toPlainString();
      case 10 -> {
        byte[] be = new byte[16];
        for (int i = 0; i < 16; i++) {
          be[i] = b.get(p + 16 - i); // little-endian on disk
        }
        yield new BigDecimal(new BigInteger(be), b.get(p)).toPlainString();
      }
      case 11 -> Values.format(DATE, b.getInt(p));
      case 12 -> Values.format(TIMESTAMPTZ, b.getLong(p));
      case 13 -> Values.format(TIMESTAMP, b.getLong(p));
      case 14 -> FloatText.format(b.getFloat(p), true);
      case 15 -> {
        byte[] bytes = new byte[b.getInt(p)];
        b.duplicate().position(p + 4).get(bytes);
        yield blob(bytes);
      }
      case 16 -> new String(b.array(), b.arrayOffset() + p + 4, b.getInt(p), StandardCharsets.UTF_8);
      case 17 -> Values.format(TIME, b.getLong(p));
      case 18 -> Values.format(TIMESTAMPTZ_NS, b.getLong(p));
      case 19 -> Values.format(TIMESTAMP_NS, b.getLong(p));
      case 20 -> uuid(b.duplicate().order(ByteOrder.BIG_ENDIAN).position(p));
      default -> throw new IllegalArgumentException("variant primitive type " + typeId + " is not supported");
    };
  }

  private static long unsigned(ByteBuffer b, int at, int size) {
    long v = 0;
    for (int i = size - 1; i >= 0; i--) {
      v = (v << 8) | (b.get(at + i) & 0xff);
    }
    return v;
  }

  private static String uuid(ByteBuffer b) {
    long hi = b.getLong(b.position());
    long lo = b.getLong(b.position() + 8);
    return new java.util.UUID(hi, lo).toString();
  }

  /** DuckDB's blob text: printable ASCII as is, other bytes (and quotes, backslash) as {@code \xHH}. */
  private static String blob(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte x : bytes) {
      int c = x & 0xff;
      if (c >= 32 && c <= 126 && c != '\\' && c != '\'' && c != '"') {
        out.append((char) c);
      } else {
        out.append(String.format(Locale.ROOT, "\\x%02X", c));
      }
    }
    return out.toString();
  }

  // ---- the text

  private static void format(Object value, boolean top, boolean inObject, StringBuilder out) {
    if (value == null) {
      out.append("NULL");
    } else if (value instanceof String leaf) {
      boolean quote = !top && (inObject ? NestedText.needsQuotes(leaf) : NestedText.holdsSyntax(leaf));
      out.append(quote ? NestedText.quote(leaf) : leaf);
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ", ");
        format(list.get(i), false, inObject, out);
      }
      out.append(']');
    } else {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        out.append(first ? "" : ", ").append(NestedText.quote((String) e.getKey())).append(": ");
        first = false;
        format(e.getValue(), false, true, out);
      }
      out.append('}');
    }
  }
}
