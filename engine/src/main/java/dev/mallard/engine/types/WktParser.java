package dev.mallard.engine.types;

import dev.mallard.engine.MallardException.UserException;
import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * A GEOMETRY value from its WKT text, as the WKB DuckDB 1.5.5 makes of it ({@code CAST(text AS
 * GEOMETRY)}): ISO WKB, little-endian, type codes 1-7 plus 1000 for Z, 2000 for M, 3000 for ZM, an
 * empty point as NaN coordinates. It takes what DuckDB's parser takes: keywords in any case, the
 * dimension apart or attached ({@code POINT Z (1 2 3)}, {@code POINTZ(1 2 3)}), points of a
 * multipoint with or without parentheses, {@code EMPTY} parts, {@code nan}, {@code inf} and
 * {@code infinity}, and a leading {@code SRID=n;} (dropped, as DuckDB drops it: the column has no
 * CRS). Stricter than DuckDB in one way: text after the geometry is refused (DuckDB ignores it).
 * Errors are {@link UserException}s naming the offset, as DuckDB's do.
 */
public final class WktParser {
  private static final String[] TYPES = {"GEOMETRYCOLLECTION", "MULTILINESTRING", "MULTIPOLYGON", "MULTIPOINT",
      "LINESTRING", "POLYGON", "POINT"};
  private static final int[] CODES = {7, 5, 6, 4, 2, 3, 1};

  private final String text;
  private int at;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private WktParser(String text) {
    this.text = text;
  }

  /** The WKB of a WKT text; a {@link UserException} if it is not WKT. */
  public static byte[] wkb(String wkt) {
    WktParser p = new WktParser(wkt);
    p.srid();
    p.tagged(-1, -1);
    p.skipSpace();
    if (p.at < wkt.length()) {
      throw p.error("unexpected text after the geometry");
    }
    return p.out.toByteArray();
  }

  private void srid() {
    skipSpace();
    if (text.regionMatches(true, at, "SRID=", 0, 5)) {
      int semicolon = text.indexOf(';', at);
      if (semicolon < 0 || !text.substring(at + 5, semicolon).trim().matches("-?\\d+")) {
        throw error("expected SRID=<number>;");
      }
      at = semicolon + 1;
    }
  }

  /**
   * A geometry with its type name; {@code parentZ} / {@code parentM} the dimensions a collection
   * requires of its parts (-1 at the top).
   */
  private void tagged(int parentZ, int parentM) {
    skipSpace();
    int start = at;
    int code = 0;
    for (int i = 0; i < TYPES.length; i++) {
      if (text.regionMatches(true, at, TYPES[i], 0, TYPES[i].length())) {
        code = CODES[i];
        at += TYPES[i].length();
        break;
      }
    }
    if (code == 0) {
      throw error("unknown geometry type");
    }
    skipSpace();
    boolean z = false;
    boolean m = false;
    if (keyword("ZM")) {
      z = true;
      m = true;
    } else if (keyword("Z")) {
      z = true;
    } else if (keyword("M")) {
      m = true;
    }
    if (parentZ >= 0 && (z != (parentZ == 1) || m != (parentM == 1))) {
      at = start;
      throw error("the parts of a geometry collection must have its Z and M dimensions");
    }
    body(code, z, m);
  }

  /** A geometry's body after its type name: EMPTY or its parts, with its WKB header first. */
  private void body(int code, boolean z, boolean m) {
    header(code, z, m);
    int width = 2 + (z ? 1 : 0) + (m ? 1 : 0);
    skipSpace();
    if (keyword("EMPTY")) {
      if (code == 1) {
        for (int i = 0; i < width; i++) {
          putDouble(Double.NaN);
        }
      } else {
        putInt(0);
      }
      return;
    }
    expect('(');
    if (code == 1) {
      coordinates(width);
      expect(')');
      return;
    }
    int countAt = out.size();
    putInt(0);
    int count = 0;
    do {
      count++;
      switch (code) {
        case 2 -> coordinates(width);
        case 3 -> ring(width);
        case 4 -> multipointPart(z, m, width);
        case 5 -> part(2, z, m);
        case 6 -> part(3, z, m);
        default -> tagged(z ? 1 : 0, m ? 1 : 0);
      }
      skipSpace();
    } while (accept(','));
    expect(')');
    patchInt(countAt, count);
  }

  /** A point of a multipoint: EMPTY, (x y) or x y. */
  private void multipointPart(boolean z, boolean m, int width) {
    skipSpace();
    if (peek() == '(') {
      header(1, z, m);
      at++;
      coordinates(width);
      expect(')');
    } else if (isKeyword("EMPTY")) {
      body(1, z, m);
    } else {
      header(1, z, m);
      coordinates(width);
    }
  }

  /** An untagged linestring or polygon of a multilinestring or multipolygon. */
  private void part(int code, boolean z, boolean m) {
    body(code, z, m);
  }

  private void ring(int width) {
    skipSpace();
    expect('(');
    int countAt = out.size();
    putInt(0);
    int count = 0;
    do {
      count++;
      coordinates(width);
      skipSpace();
    } while (accept(','));
    expect(')');
    patchInt(countAt, count);
  }

  /** One vertex's {@code width} numbers; a line's vertices are counted by the caller. */
  private void coordinates(int width) {
    for (int i = 0; i < width; i++) {
      putDouble(number());
    }
  }

  private double number() {
    skipSpace();
    int start = at;
    if (peek() == '-') {
      at++;
    }
    for (String word : new String[] {"infinity", "inf", "nan"}) {
      if (text.regionMatches(true, at, word, 0, word.length())) {
        at += word.length();
        boolean negative = text.charAt(start) == '-';
        return word.equals("nan") ? Double.NaN : negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
    }
    int digits = skipDigits();
    if (peek() == '.') {
      at++;
      digits += skipDigits();
    }
    if (digits == 0) {
      at = start;
      throw error("expected a number");
    }
    if (peek() == 'e' || peek() == 'E') {
      at++;
      if (peek() == '+' || peek() == '-') {
        at++;
      }
      if (skipDigits() == 0) {
        at = start;
        throw error("expected a number");
      }
    }
    return Double.parseDouble(text.substring(start, at));
  }

  private int skipDigits() {
    int n = 0;
    while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
      at++;
      n++;
    }
    return n;
  }

  private void header(int code, boolean z, boolean m) {
    out.write(1); // little-endian
    putInt(code + (z ? 1000 : 0) + (m ? 2000 : 0));
  }

  private void putInt(int v) {
    for (int i = 0; i < 4; i++) {
      out.write(v >>> (8 * i));
    }
  }

  private void patchInt(int offset, int v) {
    byte[] bytes = out.toByteArray();
    for (int i = 0; i < 4; i++) {
      bytes[offset + i] = (byte) (v >>> (8 * i));
    }
    out.reset();
    out.writeBytes(bytes);
  }

  private void putDouble(double d) {
    long bits = Double.doubleToRawLongBits(d);
    for (int i = 0; i < 8; i++) {
      out.write((int) (bits >>> (8 * i)));
    }
  }

  private void skipSpace() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  /** Whether the word (a keyword, not the start of a longer word) comes next. */
  private boolean isKeyword(String word) {
    if (!text.regionMatches(true, at, word, 0, word.length())) {
      return false;
    }
    int end = at + word.length();
    return end >= text.length() || !Character.isLetter(text.charAt(end));
  }

  private boolean keyword(String word) {
    if (isKeyword(word)) {
      at += word.length();
      skipSpace();
      return true;
    }
    return false;
  }

  private boolean accept(char c) {
    skipSpace();
    if (peek() == c) {
      at++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    skipSpace();
    if (peek() != c) {
      throw error("expected '" + c + "' but got " + (at < text.length() ? "'" + text.charAt(at) + "'" : "the end"));
    }
    at++;
  }

  private UserException error(String what) {
    String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    return new UserException(String.format(Locale.ROOT, "Invalid WKT for a GEOMETRY value: %s at offset %d of '%s'",
        what, at, shown));
  }
}
