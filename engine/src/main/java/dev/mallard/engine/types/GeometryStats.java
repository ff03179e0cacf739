package dev.mallard.engine.types;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code extra_stats} DuckDB's ducklake 1.5.5 records for a GEOMETRY column, in its file and
 * table column statistics: the bounding box of every vertex (each axis on its own, NaN coordinates
 * skipped, so an empty point adds nothing) and the sorted set of top-level geometry types
 * ({@code point}, {@code linestring_z}, {@code multipolygon_m}, {@code geometrycollection_zm}, ...),
 * as the text {@code {"bbox": {"xmin": 0.000000, ..., "mmax": null}, "types": ["point"]}} (bounds
 * in C's {@code %f}, {@code null} when no vertex has that axis).
 */
public final class GeometryStats {
  private static final String[] AXES = {"xmin", "xmax", "ymin", "ymax", "zmin", "zmax", "mmin", "mmax"};
  private static final String[] TYPE_NAMES = {null, "point", "linestring", "polygon", "multipoint",
      "multilinestring", "multipolygon", "geometrycollection"};
  private static final Pattern BOUND = Pattern.compile("\"([xyzm](?:min|max))\"\\s*:\\s*([^,}\\s]+)");
  private static final Pattern TYPES = Pattern.compile("\"types\"\\s*:\\s*\\[([^\\]]*)\\]");
  private static final Pattern NAME = Pattern.compile("\"([^\"]*)\"");

  /** min and max per axis (x, y, z, m); NaN while unknown. */
  private final double[] bounds = new double[8];
  private final TreeSet<String> types = new TreeSet<>();

  public GeometryStats() {
    java.util.Arrays.fill(bounds, Double.NaN);
  }

  /** Counts one value (its WKB). */
  public void add(byte[] wkb) {
    ByteBuffer in = ByteBuffer.wrap(wkb);
    types.add(walk(in, true));
  }

  /** Widens these statistics by another's text (as written by {@link #toString}, or DuckDB); null is ignored. */
  public void merge(String json) {
    if (json == null) {
      return;
    }
    Matcher m = BOUND.matcher(json);
    while (m.find()) {
      int axis = java.util.Arrays.asList(AXES).indexOf(m.group(1));
      if (!m.group(2).equals("null")) {
        widen(axis / 2, parse(m.group(2)));
      }
    }
    Matcher t = TYPES.matcher(json);
    if (t.find()) {
      Matcher name = NAME.matcher(t.group(1));
      while (name.find()) {
        types.add(name.group(1));
      }
    }
  }

  private static double parse(String text) {
    return switch (text) {
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  /** One geometry at the buffer's position; returns its type's name. */
  private String walk(ByteBuffer in, boolean top) {
    in.order(in.get() == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int code = in.getInt();
    boolean z = (code & 0x80000000) != 0;
    boolean m = (code & 0x40000000) != 0;
    if ((code & 0x20000000) != 0) {
      in.getInt(); // EWKB SRID
    }
    code &= 0x0fffffff;
    int base = code % 1000;
    z |= code / 1000 == 1 || code / 1000 == 3;
    m |= code / 1000 == 2 || code / 1000 == 3;
    switch (base) {
      case 1 -> vertex(in, z, m);
      case 2 -> vertices(in, in.getInt(), z, m);
      case 3 -> {
        int rings = in.getInt();
        for (int r = 0; r < rings; r++) {
          vertices(in, in.getInt(), z, m);
        }
      }
      case 4, 5, 6, 7 -> {
        int parts = in.getInt();
        ByteOrder order = in.order();
        for (int p = 0; p < parts; p++) {
          walk(in, false);
          in.order(order);
        }
      }
      default -> throw new IllegalArgumentException("unknown geometry type " + code);
    }
    return top ? TYPE_NAMES[base] + (z && m ? "_zm" : z ? "_z" : m ? "_m" : "") : null;
  }

  private void vertices(ByteBuffer in, int count, boolean z, boolean m) {
    for (int i = 0; i < count; i++) {
      vertex(in, z, m);
    }
  }

  private void vertex(ByteBuffer in, boolean z, boolean m) {
    widen(0, in.getDouble());
    widen(1, in.getDouble());
    if (z) {
      widen(2, in.getDouble());
    }
    if (m) {
      widen(3, in.getDouble());
    }
  }

  private void widen(int axis, double v) {
    if (Double.isNaN(v)) {
      return;
    }
    double lo = bounds[2 * axis];
    double hi = bounds[2 * axis + 1];
    bounds[2 * axis] = Double.isNaN(lo) || v < lo ? v : lo;
    bounds[2 * axis + 1] = Double.isNaN(hi) || v > hi ? v : hi;
  }

  /**
   * The {@code extra_stats} text. As DuckDB's Parquet writer, which ducklake takes them from: no box
   * at all (every bound null) unless x and y both have finite bounds; z or m with an infinite bound
   * have none.
   */
  @Override
  public String toString() {
    boolean box = true;
    for (int i = 0; i < 4; i++) {
      box &= Double.isFinite(bounds[i]);
    }
    StringBuilder s = new StringBuilder("{\"bbox\": {");
    for (int i = 0; i < AXES.length; i++) {
      boolean known = box && Double.isFinite(bounds[i]) && Double.isFinite(bounds[i ^ 1]);
      s.append(i == 0 ? "" : ", ").append('"').append(AXES[i]).append("\": ").append(known ? cFixed(bounds[i]) : "null");
    }
    s.append("}, \"types\": [");
    String sep = "";
    for (String type : types) {
      s.append(sep).append('"').append(type).append('"');
      sep = ", ";
    }
    return s.append("]}").toString();
  }

  /** C's {@code %f} of a finite double (what {@code std::to_string} gives). */
  static String cFixed(double d) {
    String text = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    boolean negative = d < 0 || (d == 0 && 1 / d < 0);
    return negative && !text.startsWith("-") ? "-" + text : text;
  }
}
