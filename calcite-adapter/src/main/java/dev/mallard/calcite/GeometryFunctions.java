package dev.mallard.calcite;

import dev.mallard.engine.MallardException.FormatException;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.types.GeometryText;
import dev.mallard.engine.types.WktParser;
import org.apache.calcite.avatica.util.ByteString;

/**
 * DuckDB 1.5.5's core geometry conversions, on SQL's form of a geometry (its WKT, see
 * {@code SqlTypes}): {@code st_geomfromwkb(blob)} to insert WKB bytes into a GEOMETRY column, and
 * {@code st_aswkb(geometry)} for the WKB DuckDB holds (ISO, little-endian).
 */
public final class GeometryFunctions {
  private GeometryFunctions() {}

  /** {@code st_geomfromwkb}: the geometry (as WKT) of WKB bytes, ISO or extended, either byte order. */
  public static String geomFromWkb(ByteString wkb) {
    if (wkb == null) {
      return null;
    }
    try {
      return GeometryText.wkt(wkb.getBytes());
    } catch (FormatException e) {
      throw new UserException("st_geomfromwkb: " + e.getMessage(), e);
    }
  }

  /** {@code st_aswkb}: the WKB of a geometry (given as WKT). */
  public static ByteString asWkb(String wkt) {
    return wkt == null ? null : new ByteString(WktParser.wkb(wkt));
  }
}
