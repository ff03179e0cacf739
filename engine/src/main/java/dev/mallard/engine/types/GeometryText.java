package dev.mallard.engine.types;

import dev.mallard.engine.MallardException.FormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * DuckDB's text (WKT) of a GEOMETRY value from its WKB bytes, as DuckDB 1.5 prints it
 * ({@code CAST(g AS VARCHAR)}): {@code POINT (1 2)}, {@code POINT Z (1 2 3)},
 * {@code MULTIPOINT (1 2, 3 4)} (points of a multipoint without their own parentheses),
 * {@code POLYGON EMPTY}, {@code GEOMETRYCOLLECTION M (POINT M (1 2 3))}. An empty point is one whose
 * coordinates are all NaN. Coordinates are DuckDB's shortest double text without a trailing
 * {@code .0}: {@code 1}, {@code 0.1}, {@code -0}, {@code 1e+16}, {@code 1e-05}, {@code nan}.
 *
 * <p>Reads ISO WKB (types 1-7, plus 1000 for Z, 2000 for M, 3000 for ZM) and extended WKB (Z, M and
 * SRID flags in the high bits; the SRID is skipped), in either byte order.
 */
public final class GeometryText {
  private static final String[] NAMES = {null, "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING",
      "MULTIPOLYGON", "GEOMETRYCOLLECTION"};
  private static final int EWKB_Z = 0x80000000;
  private static final int EWKB_M = 0x40000000;
  private static final int EWKB_SRID = 0x20000000;

  private final ByteBuffer in;
  private final StringBuilder out = new StringBuilder();

  private GeometryText(byte[] wkb) {
    this.in = ByteBuffer.wrap(wkb);
  }

  /** The WKT of a WKB value; a {@link FormatException} if the bytes are not WKB. */
  public static String wkt(byte[] wkb) {
    GeometryText g = new GeometryText(wkb);
    try {
      g.geometry(true);
    } catch (RuntimeException e) {
      throw new FormatException("A GEOMETRY value is not valid WKB (" + wkb.length + " bytes): "
          + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }
    if (g.in.hasRemaining()) {
      throw new FormatException("A GEOMETRY value has " + g.in.remaining() + " bytes after its WKB");
    }
    return g.out.toString();
  }

  /** One geometry with its header; {@code tagged}: with its type name (not inside a multipoint etc.). */
  private void geometry(boolean tagged) {
    ByteOrder parentOrder = in.order();
    in.order(in.get() == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int code = in.getInt();
    boolean z = (code & EWKB_Z) != 0;
    boolean m = (code & EWKB_M) != 0;
    if ((code & EWKB_SRID) != 0) {
      in.getInt();
    }
    code &= 0x0fffffff;
    int base = code % 1000;
    int dims = code / 1000;
    z |= dims == 1 || dims == 3;
    m |= dims == 2 || dims == 3;
    if (base < 1 || base > 7 || dims > 3) {
      throw new IllegalArgumentException("unknown geometry type " + code);
    }
    int width = 2 + (z ? 1 : 0) + (m ? 1 : 0);
    if (tagged) {
      out.append(NAMES[base]).append(z && m ? " ZM" : z ? " Z" : m ? " M" : "");
    }
    switch (base) {
      case 1 -> point(width, tagged);
      case 2 -> points(in.getInt(), width, tagged);
      case 3 -> polygon(width, tagged);
      default -> collection(base, tagged);
    }
    in.order(parentOrder);
  }

  private void point(int width, boolean tagged) {
    double[] c = new double[width];
    boolean empty = true;
    for (int i = 0; i < width; i++) {
      c[i] = in.getDouble();
      empty &= Double.isNaN(c[i]);
    }
    if (!tagged) { // a point of a multipoint: DuckDB writes its coordinates without parentheses
      out.append(empty ? "EMPTY" : "");
    } else {
      out.append(empty ? " EMPTY" : " (");
    }
    if (!empty) {
      coordinates(c);
      out.append(tagged ? ")" : "");
    }
  }

  private void points(int n, int width, boolean tagged) {
    if (tagged) {
      out.append(' ');
    }
    if (n == 0) {
      out.append("EMPTY");
      return;
    }
    out.append('(');
    double[] c = new double[width];
    for (int p = 0; p < n; p++) {
      for (int i = 0; i < width; i++) {
        c[i] = in.getDouble();
      }
      out.append(p == 0 ? "" : ", ");
      coordinates(c);
    }
    out.append(')');
  }

  private void polygon(int width, boolean tagged) {
    int rings = in.getInt();
    if (tagged) {
      out.append(' ');
    }
    if (rings == 0) {
      out.append("EMPTY");
      return;
    }
    out.append('(');
    for (int r = 0; r < rings; r++) {
      out.append(r == 0 ? "" : ", ");
      points(in.getInt(), width, false);
    }
    out.append(')');
  }

  /** A multipoint, multilinestring, multipolygon (parts untagged) or a collection (parts tagged). */
  private void collection(int base, boolean tagged) {
    int parts = in.getInt();
    if (tagged) {
      out.append(' ');
    }
    if (parts == 0) {
      out.append("EMPTY");
      return;
    }
    out.append('(');
    for (int p = 0; p < parts; p++) {
      out.append(p == 0 ? "" : ", ");
      geometry(base == 7);
    }
    out.append(')');
  }

  private void coordinates(double[] c) {
    for (int i = 0; i < c.length; i++) {
      out.append(i == 0 ? "" : " ").append(number(c[i]));
    }
  }

  /** DuckDB's double text, without the {@code .0} it gives whole numbers elsewhere. */
  private static String number(double d) {
    String text = FloatText.format(d, false);
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }
}
