package dev.mallard.engine.types;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.exec.NestedText;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The engine's value of a VARIANT: the Parquet variant binary encoding, its {@code metadata} (the
 * key dictionary) and {@code value}, unshredded. Held in vectors as {@link #bytes()}, the two
 * concatenated (the metadata says its own length). It keeps the value's type, so a variant copied
 * from one table to another is written back as it was read.
 *
 * <p>A variant read from text only ({@link #ofText}: rows inlined in a DuckDB-file catalog, whose
 * catalog gives their text) has no known type: it shows its text, and writing it is refused.
 *
 * <p>Decoded values ({@link #decode}) are a small model: {@code null} (variant NULL), a
 * {@link Leaf} (a primitive or string, kept encoded), a {@code List} (array) or a sorted
 * {@code Map} (object); {@link #encode} makes a variant of one.
 */
public final class Variant {
  /** A primitive or string value in its own variant encoding (header byte included). */
  public record Leaf(byte[] encoded) {}

  private static final byte TEXT_ONLY = 0; // never a metadata header, whose version is 1
  private static final DuckLakeType DATE = DuckLakeType.of(TypeKind.DATE);
  private static final DuckLakeType TIME = DuckLakeType.of(TypeKind.TIME);
  private static final DuckLakeType TIMESTAMP = DuckLakeType.of(TypeKind.TIMESTAMP);
  private static final DuckLakeType TIMESTAMPTZ = DuckLakeType.of(TypeKind.TIMESTAMPTZ);
  private static final DuckLakeType TIMESTAMP_NS = DuckLakeType.of(TypeKind.TIMESTAMP_NS);
  private static final DuckLakeType TIMESTAMPTZ_NS = DuckLakeType.of(TypeKind.TIMESTAMPTZ_NS);

  private final byte[] bytes; // metadata then value, or TEXT_ONLY then UTF-8 text
  private final int metadataLength;

  private Variant(byte[] bytes, int metadataLength) {
    this.bytes = bytes;
    this.metadataLength = metadataLength;
  }

  /** A variant from its metadata and value as a Parquet file holds them. */
  public static Variant of(byte[] metadata, byte[] value) {
    byte[] b = Arrays.copyOf(metadata, metadata.length + value.length);
    System.arraycopy(value, 0, b, metadata.length, value.length);
    return new Variant(b, metadata.length);
  }

  /** A variant from {@link #bytes()}. */
  public static Variant fromBytes(byte[] bytes) {
    return new Variant(bytes, bytes.length > 0 && bytes[0] == TEXT_ONLY ? -1 : metadataLength(bytes));
  }

  /** A variant known only by DuckDB's text of it. */
  public static Variant ofText(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[utf8.length + 1];
    System.arraycopy(utf8, 0, b, 1, utf8.length);
    return new Variant(b, -1);
  }

  public byte[] bytes() {
    return bytes;
  }

  /** Whether only the text is known (see {@link #ofText}). */
  public boolean textOnly() {
    return metadataLength < 0;
  }

  public byte[] metadata() {
    return Arrays.copyOf(bytes, requireTyped());
  }

  public byte[] value() {
    return Arrays.copyOfRange(bytes, requireTyped(), bytes.length);
  }

  private int requireTyped() {
    if (textOnly()) {
      throw new UserException("This variant was read from a DuckDB-file catalog's inlined rows, whose type Mallard"
          + " does not know (only its text): it cannot be written or inspected; CAST it to VARCHAR to use its text");
    }
    return metadataLength;
  }

  // ---- the model

  /** The value as the model (see the class comment). */
  public Object decode() {
    requireTyped();
    return new Decoder(dictionary(bytes)).value(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        .position(metadataLength));
  }

  /** Whether this is a variant NULL (which SQL shows as NULL). */
  public boolean isVariantNull() {
    return !textOnly() && (bytes[metadataLength] & 0xff) == 0;
  }

  /** A variant of the model: keys in a sorted dictionary, as DuckDB writes it. */
  public static Variant encode(Object model) {
    TreeSet<String> keys = new TreeSet<>();
    collectKeys(model, keys);
    List<String> dictionary = new ArrayList<>(keys);
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    write(model, dictionary, value);
    return of(metadata(dictionary), value.toByteArray());
  }

  private static void collectKeys(Object model, TreeSet<String> keys) {
    if (model instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        keys.add((String) k);
        collectKeys(v, keys);
      });
    } else if (model instanceof List<?> l) {
      l.forEach(e -> collectKeys(e, keys));
    }
  }

  private static byte[] metadata(List<String> dictionary) {
    List<byte[]> strings = new ArrayList<>();
    int total = 0;
    for (String k : dictionary) {
      byte[] s = k.getBytes(StandardCharsets.UTF_8);
      strings.add(s);
      total += s.length;
    }
    int offsetSize = sizeFor(Math.max(total, dictionary.size()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(1 | 0x10 | ((offsetSize - 1) << 6)); // version 1, sorted strings
    little(out, dictionary.size(), offsetSize);
    int offset = 0;
    little(out, 0, offsetSize);
    for (byte[] s : strings) {
      offset += s.length;
      little(out, offset, offsetSize);
    }
    for (byte[] s : strings) {
      out.writeBytes(s);
    }
    return out.toByteArray();
  }

  private static void write(Object model, List<String> dictionary, ByteArrayOutputStream out) {
    if (model == null) {
      out.write(0);
    } else if (model instanceof Leaf leaf) {
      out.writeBytes(leaf.encoded());
    } else if (model instanceof List<?> list) {
      List<byte[]> values = new ArrayList<>();
      for (Object e : list) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        write(e, dictionary, v);
        values.add(v.toByteArray());
      }
      int total = values.stream().mapToInt(v -> v.length).sum();
      int offsetSize = sizeFor(total);
      boolean large = list.size() > 255;
      out.write(3 | ((offsetSize - 1) << 2 | (large ? 1 << 4 : 0)));
      little(out, list.size(), large ? 4 : 1);
      int offset = 0;
      little(out, 0, offsetSize);
      for (byte[] v : values) {
        offset += v.length;
        little(out, offset, offsetSize);
      }
      values.forEach(out::writeBytes);
    } else {
      Map<?, ?> object = (Map<?, ?>) model;
      List<String> names = new ArrayList<>(new TreeSet<>(object.keySet().stream().map(k -> (String) k).toList()));
      List<byte[]> values = new ArrayList<>();
      for (String name : names) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        write(object.get(name), dictionary, v);
        values.add(v.toByteArray());
      }
      int total = values.stream().mapToInt(v -> v.length).sum();
      int offsetSize = sizeFor(total);
      int idSize = sizeFor(Math.max(0, dictionary.size() - 1));
      boolean large = names.size() > 255;
      out.write(2 | (((offsetSize - 1) | (idSize - 1) << 2 | (large ? 1 << 4 : 0)) << 2));
      little(out, names.size(), large ? 4 : 1);
      for (String name : names) {
        little(out, java.util.Collections.binarySearch(dictionary, name), idSize);
      }
      int offset = 0;
      little(out, 0, offsetSize);
      for (byte[] v : values) {
        offset += v.length;
        little(out, offset, offsetSize);
      }
      values.forEach(out::writeBytes);
    }
  }

  private static int sizeFor(long max) {
    return max <= 0xff ? 1 : max <= 0xffff ? 2 : max <= 0xffffff ? 3 : 4;
  }

  private static void little(ByteArrayOutputStream out, long v, int size) {
    for (int i = 0; i < size; i++) {
      out.write((int) (v >>> (8 * i)) & 0xff);
    }
  }

  // ---- leaves

  /** A primitive leaf: its type id and its little-endian payload. */
  public static Leaf primitive(int typeId, byte[] payload) {
    byte[] b = new byte[payload.length + 1];
    b[0] = (byte) (typeId << 2);
    System.arraycopy(payload, 0, b, 1, payload.length);
    return new Leaf(b);
  }

  private static byte[] le(long v, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  public static Leaf bool(boolean v) {
    return new Leaf(new byte[] {(byte) ((v ? 1 : 2) << 2)});
  }

  public static Leaf int8(long v) {
    return primitive(3, le(v, 1));
  }

  public static Leaf int16(long v) {
    return primitive(4, le(v, 2));
  }

  public static Leaf int32(long v) {
    return primitive(5, le(v, 4));
  }

  public static Leaf int64(long v) {
    return primitive(6, le(v, 8));
  }

  public static Leaf float64(double v) {
    return primitive(7, le(Double.doubleToRawLongBits(v), 8));
  }

  public static Leaf float32(float v) {
    return primitive(14, le(Float.floatToRawIntBits(v), 4));
  }

  /** A decimal of {@code precision} digits: decimal4, 8 or 16 as the precision needs. */
  public static Leaf decimal(BigDecimal v, int precision) {
    BigInteger unscaled = v.unscaledValue();
    int size = precision <= 9 ? 4 : precision <= 18 ? 8 : 16;
    byte[] payload = new byte[1 + size];
    payload[0] = (byte) v.scale();
    byte[] be = unscaled.toByteArray();
    for (int i = 0; i < size; i++) {
      payload[1 + i] = i < be.length ? be[be.length - 1 - i] : (byte) (unscaled.signum() < 0 ? 0xff : 0);
    }
    return primitive(size == 4 ? 8 : size == 8 ? 9 : 10, payload);
  }

  public static Leaf date(int days) {
    return primitive(11, le(days, 4));
  }

  /** A timestamp (id 12 with time zone, 13 without, in microseconds; 18 and 19 in nanoseconds) or a time (17). */
  public static Leaf temporal(int typeId, long units) {
    return primitive(typeId, le(units, 8));
  }

  public static Leaf string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (utf8.length < 64) {
      byte[] out = new byte[1 + utf8.length];
      out[0] = (byte) (utf8.length << 2 | 1);
      System.arraycopy(utf8, 0, out, 1, utf8.length);
      return new Leaf(out);
    }
    byte[] payload = new byte[4 + utf8.length];
    System.arraycopy(le(utf8.length, 4), 0, payload, 0, 4);
    System.arraycopy(utf8, 0, payload, 4, utf8.length);
    return primitive(16, payload);
  }

  public static Leaf binary(byte[] bytes) {
    byte[] payload = new byte[4 + bytes.length];
    System.arraycopy(le(bytes.length, 4), 0, payload, 0, 4);
    System.arraycopy(bytes, 0, payload, 4, bytes.length);
    return primitive(15, payload);
  }

  public static Leaf uuid(String uuid) {
    java.util.UUID u = java.util.UUID.fromString(uuid);
    return primitive(20, ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
        .putLong(u.getLeastSignificantBits()).array());
  }

  /**
   * The variant DuckDB makes of an engine value of a column's type ({@code CAST(x AS VARIANT)}):
   * integers of their width (an unsigned one of the next wider signed width, a 64- or 128-bit one an
   * INT64 when it fits), floats, decimals, strings, booleans, dates, times, timestamps, blobs and
   * uuids as the primitive of that type, JSON as the value it holds, structs as objects, lists as
   * arrays, maps as arrays of {@code {key, value}} objects, a variant as itself.
   */
  public static Variant of(ColumnInfo column, Object value) {
    if (column.type().kind() == TypeKind.VARIANT) {
      return (Variant) value;
    }
    return encode(model(column, value));
  }

  private static Object model(ColumnInfo column, Object value) {
    if (value == null) {
      return null;
    }
    DuckLakeType type = column.type();
    return switch (type.kind()) {
      case BOOLEAN -> bool((Boolean) value);
      case INT8 -> int8(((Number) value).longValue());
      case INT16 -> int16(((Number) value).longValue());
      case INT32 -> int32(((Number) value).longValue());
      case INT64 -> int64(((Number) value).longValue());
      // the Parquet variant has no unsigned or 128-bit integers: DuckDB writes the next wider signed
      // one, an int64 for the widest, and fails for a value out of its range
      case UINT8 -> int16(((Number) value).longValue());
      case UINT16 -> int32(((Number) value).longValue());
      case UINT32 -> int64(((Number) value).longValue());
      case UINT64, INT128, UINT128 -> int64(int64Exact(column, (BigInteger) value));
      case FLOAT32 -> float32(((Number) value).floatValue());
      case FLOAT64 -> float64(((Number) value).doubleValue());
      case DECIMAL -> decimal((BigDecimal) value, type.precision());
      case VARCHAR -> string((String) value);
      case JSON -> json(column, (String) value);
      case BLOB -> binary((byte[]) value);
      case UUID -> uuid((String) value);
      case DATE -> date((Integer) value);
      case TIME -> temporal(17, (Long) value);
      case TIMESTAMP -> temporal(13, (Long) value);
      case TIMESTAMP_MS -> temporal(13, Math.multiplyExact((Long) value, 1000L));
      case TIMESTAMP_S -> temporal(13, Math.multiplyExact((Long) value, 1_000_000L));
      case TIMESTAMPTZ -> temporal(12, (Long) value);
      case TIMESTAMP_NS -> temporal(19, (Long) value);
      case TIMESTAMPTZ_NS -> temporal(18, (Long) value);
      case VARIANT -> ((Variant) value).decode();
      case STRUCT -> {
        Map<String, Object> out = new TreeMap<>();
        List<?> fields = (List<?>) value;
        for (int i = 0; i < fields.size(); i++) {
          out.put(column.children().get(i).name(), model(column.children().get(i), fields.get(i)));
        }
        yield out;
      }
      case LIST -> {
        List<Object> out = new ArrayList<>();
        for (Object e : (List<?>) value) {
          out.add(model(column.children().get(0), e));
        }
        yield out;
      }
      case MAP -> { // DuckDB makes a map an array of {key, value} objects, in the map's order
        List<Object> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          Map<String, Object> entry = new TreeMap<>();
          entry.put("key", model(column.children().get(0), e.getKey()));
          entry.put("value", model(column.children().get(1), e.getValue()));
          out.add(entry);
        }
        yield out;
      }
      default -> throw new UserException("Mallard cannot make a VARIANT of a value of type " + type
          + " yet (column " + column.name() + ")");
    };
  }

  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /**
   * The model of a JSON text as DuckDB makes it: objects (the first of duplicate keys kept), arrays,
   * strings, booleans and null as they are; an integer as an INT64 (DuckDB's UINT64 for one of 0 and
   * more, which it writes as an INT64 and fails beyond it); an integer beyond both, a fraction or an
   * exponent as a DOUBLE.
   */
  private static Object json(ColumnInfo column, String text) {
    try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(text)) {
      p.nextToken();
      Object model = json(column, p);
      if (p.nextToken() != null) {
        throw new UserException("Not one JSON value: " + text + " (column " + column.name() + ")");
      }
      return model;
    } catch (java.io.IOException e) {
      throw new UserException("Malformed JSON in column " + column.name() + ": " + e.getMessage());
    }
  }

  private static Object json(ColumnInfo column, com.fasterxml.jackson.core.JsonParser p) throws java.io.IOException {
    switch (p.currentToken()) {
      case START_OBJECT: {
        Map<String, Object> out = new TreeMap<>();
        while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_OBJECT) {
          String key = p.currentName();
          p.nextToken();
          Object value = json(column, p);
          out.putIfAbsent(key, value);
        }
        return out;
      }
      case START_ARRAY: {
        List<Object> out = new ArrayList<>();
        while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
          out.add(json(column, p));
        }
        return out;
      }
      case VALUE_STRING:
        return string(p.getText());
      case VALUE_TRUE:
        return bool(true);
      case VALUE_FALSE:
        return bool(false);
      case VALUE_NULL:
        return null;
      case VALUE_NUMBER_INT: {
        BigInteger i = p.getBigIntegerValue();
        if (i.bitLength() <= 63) {
          return int64(i.longValue());
        }
        if (i.signum() > 0 && i.compareTo(UINT64_MAX) <= 0) {
          throw new UserException("The JSON integer " + i + " is out of the range of a variant's INT64, the widest"
              + " integer a Parquet variant holds (column " + column.name() + ")");
        }
        return float64(i.doubleValue());
      }
      case VALUE_NUMBER_FLOAT:
        return float64(Double.parseDouble(p.getText()));
      default:
        throw new UserException("Unexpected JSON " + p.currentToken() + " in column " + column.name());
    }
  }

  private static long int64Exact(ColumnInfo column, BigInteger value) {
    if (value.bitLength() > 63) {
      throw new UserException("The " + column.type() + " value " + value + " is out of the range of a variant's"
          + " INT64, the widest integer a Parquet variant holds (column " + column.name() + ")");
    }
    return value.longValue();
  }

  // ---- reading

  private static int metadataLength(byte[] b) {
    int header = b[0] & 0xff;
    if ((header & 0x0f) != 1) {
      throw new IllegalArgumentException("variant metadata version " + (header & 0x0f) + " is not supported");
    }
    int offsetSize = ((header >> 6) & 3) + 1;
    ByteBuffer buf = ByteBuffer.wrap(b);
    int size = (int) unsigned(buf, 1, offsetSize);
    int start = 1 + offsetSize * (size + 2);
    return start + (int) unsigned(buf, 1 + offsetSize * (size + 1), offsetSize);
  }

  private static String[] dictionary(byte[] metadata) {
    ByteBuffer b = ByteBuffer.wrap(metadata);
    int header = b.get(0) & 0xff;
    int offsetSize = ((header >> 6) & 3) + 1;
    int size = (int) unsigned(b, 1, offsetSize);
    int start = 1 + offsetSize * (size + 2);
    String[] out = new String[size];
    for (int i = 0; i < size; i++) {
      int from = (int) unsigned(b, 1 + offsetSize * (i + 1), offsetSize);
      int to = (int) unsigned(b, 1 + offsetSize * (i + 2), offsetSize);
      out[i] = new String(metadata, start + from, to - from, StandardCharsets.UTF_8);
    }
    return out;
  }

  static long unsigned(ByteBuffer b, int at, int size) {
    long v = 0;
    for (int i = size - 1; i >= 0; i--) {
      v = (v << 8) | (b.get(at + i) & 0xff);
    }
    return v;
  }

  /** Decodes values of one variant (whose keys are in {@code dictionary}) into the model. */
  private record Decoder(String[] dictionary) {
    Object value(ByteBuffer b) {
      int p = b.position();
      int header = b.get(p) & 0xff;
      int basic = header & 3;
      int h = header >> 2;
      switch (basic) {
        case 0: {
          if (h == 0) {
            return null;
          }
          byte[] leaf = new byte[1 + payloadSize(b, p + 1, h)];
          b.duplicate().position(p).get(leaf);
          return new Leaf(leaf);
        }
        case 1: {
          byte[] leaf = new byte[1 + h];
          b.duplicate().position(p).get(leaf);
          return new Leaf(leaf);
        }
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
            out.put(key, value(b.duplicate().order(ByteOrder.LITTLE_ENDIAN)
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
            out.add(value(b.duplicate().order(ByteOrder.LITTLE_ENDIAN)
                .position(values + (int) unsigned(b, offsets + i * offsetSize, offsetSize))));
          }
          return out;
        }
      }
    }

    private static int payloadSize(ByteBuffer b, int p, int typeId) {
      return switch (typeId) {
        case 1, 2 -> 0;
        case 3 -> 1;
        case 4 -> 2;
        case 5, 11, 14 -> 4;
        case 6, 7, 12, 13, 17, 18, 19 -> 8;
        case 8 -> 5;
        case 9 -> 9;
        case 10 -> 17;
        case 15, 16 -> 4 + b.getInt(p);
        case 20 -> 16;
        default -> throw new IllegalArgumentException("variant primitive type " + typeId + " is not supported");
      };
    }
  }

  /** The primitive type id of a leaf (a short string is 16, a string). */
  public static int typeId(Leaf leaf) {
    int header = leaf.encoded()[0] & 0xff;
    return (header & 3) == 1 ? 16 : header >> 2;
  }

  /** DuckDB's text of a leaf's value (a string as it is). */
  public static String leafText(Leaf leaf) {
    byte[] e = leaf.encoded();
    ByteBuffer b = ByteBuffer.wrap(e).order(ByteOrder.LITTLE_ENDIAN);
    if ((e[0] & 3) == 1) {
      return new String(e, 1, e.length - 1, StandardCharsets.UTF_8);
    }
    int p = 1;
    return switch (typeId(leaf)) {
      case 1 -> "true";
      case 2 -> "false";
      case 3 -> Byte.toString(b.get(p));
      case 4 -> Short.toString(b.getShort(p));
      case 5 -> Integer.toString(b.getInt(p));
      case 6 -> Long.toString(b.getLong(p));
      case 7 -> FloatText.format(b.getDouble(p), false);
      case 8, 9, 10 -> decimalValue(leaf).toPlainString();
      case 11 -> Values.format(DATE, b.getInt(p));
      case 12 -> Values.format(TIMESTAMPTZ, b.getLong(p));
      case 13 -> Values.format(TIMESTAMP, b.getLong(p));
      case 14 -> FloatText.format(b.getFloat(p), true);
      case 15 -> NestedText.blobText(Arrays.copyOfRange(e, 5, 5 + b.getInt(p)));
      case 16 -> new String(e, 5, b.getInt(p), StandardCharsets.UTF_8);
      case 17 -> Values.format(TIME, b.getLong(p));
      case 18 -> Values.format(TIMESTAMPTZ_NS, b.getLong(p));
      case 19 -> Values.format(TIMESTAMP_NS, b.getLong(p));
      case 20 -> new java.util.UUID(ByteBuffer.wrap(e).getLong(1), ByteBuffer.wrap(e).getLong(9)).toString();
      default -> throw new IllegalArgumentException("variant primitive type " + typeId(leaf) + " is not supported");
    };
  }

  /** The value of a decimal leaf (type id 8, 9 or 10). */
  public static BigDecimal decimalValue(Leaf leaf) {
    byte[] e = leaf.encoded();
    int size = typeId(leaf) == 8 ? 4 : typeId(leaf) == 9 ? 8 : 16;
    byte[] be = new byte[size];
    for (int i = 0; i < size; i++) {
      be[i] = e[2 + size - 1 - i];
    }
    return new BigDecimal(new BigInteger(be), e[1]);
  }

  // ---- text and type

  /** DuckDB's text of the value ({@code CAST(v AS VARCHAR)}); null for a variant NULL. */
  public String text() {
    if (textOnly()) {
      return new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
    }
    Object model = decode();
    if (model == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    format(model, true, false, out);
    return out.toString();
  }

  @Override
  public String toString() {
    String text = text();
    return text == null ? "NULL" : text;
  }

  /**
   * DuckDB's text of a model value: a leaf as its text (quoted inside objects as DuckDB quotes
   * struct fields, inside arrays only where it holds syntax), an array as {@code [1, a, NULL]}, an
   * object as {@code {'a': 1}} with its keys sorted and quoted.
   */
  public static void format(Object value, boolean top, boolean inObject, StringBuilder out) {
    if (value == null) {
      out.append("NULL");
    } else if (value instanceof Leaf leaf) {
      String text = leafText(leaf);
      boolean quote = !top && (inObject ? NestedText.needsQuotes(text) : NestedText.holdsSyntax(text));
      out.append(quote ? NestedText.quote(text) : text);
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

  /** DuckDB's {@code variant_typeof} of a model value: {@code INT32}, {@code OBJECT(a, b)}, {@code ARRAY(2)}. */
  public static String typeName(Object model) {
    if (model == null) {
      return "VARIANT_NULL";
    }
    if (model instanceof List<?> list) {
      return "ARRAY(" + list.size() + ")";
    }
    if (model instanceof Map<?, ?> map) {
      return "OBJECT(" + String.join(", ", map.keySet().stream().map(k -> (String) k).toList()) + ")";
    }
    Leaf leaf = (Leaf) model;
    return switch (typeId(leaf)) {
      case 1 -> "BOOL_TRUE";
      case 2 -> "BOOL_FALSE";
      case 3 -> "INT8";
      case 4 -> "INT16";
      case 5 -> "INT32";
      case 6 -> "INT64";
      case 7 -> "DOUBLE";
      // DuckDB reads an unshredded decimal4 or decimal8 with the digits its value needs, a decimal16 with 38
      case 8, 9 -> {
        BigDecimal d = decimalValue(leaf);
        yield "DECIMAL(" + Math.max(d.unscaledValue().abs().toString().length(), d.scale()) + ", " + d.scale() + ")";
      }
      case 10 -> "DECIMAL(38, " + leaf.encoded()[1] + ")";
      case 11 -> "DATE";
      case 12 -> "TIMESTAMP_MICROS_TZ";
      case 13 -> "TIMESTAMP_MICROS";
      case 14 -> "FLOAT";
      case 15 -> "BLOB";
      case 16 -> "VARCHAR";
      case 17 -> "TIME_MICROS";
      case 18 -> "TIMESTAMP_NANOS_TZ";
      case 19 -> "TIMESTAMP_NANOS";
      case 20 -> "UUID";
      default -> "UNKNOWN";
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Variant v && Arrays.equals(bytes, v.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
