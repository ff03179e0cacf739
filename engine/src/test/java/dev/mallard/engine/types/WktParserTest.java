package dev.mallard.engine.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.UserException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** WKT to WKB as DuckDB 1.5.5 casts it (hex strings from {@code hex(st_aswkb(text::GEOMETRY))}). */
class WktParserTest {
  private static String hex(String wkt) {
    return HexFormat.of().withUpperCase().formatHex(WktParser.wkb(wkt));
  }

  @Test
  void writesDuckDbsWkb() {
    assertThat(hex("POINT(1 2)")).isEqualTo("0101000000000000000000F03F0000000000000040");
    assertThat(hex("POINTZ(1 2 3)")).isEqualTo("01E9030000000000000000F03F00000000000000400000000000000840");
    assertThat(hex("POINT ZM (1 2 3 4)"))
        .isEqualTo("01B90B0000000000000000F03F000000000000004000000000000008400000000000001040");
    assertThat(hex("POINT EMPTY")).isEqualTo("0101000000000000000000F87F000000000000F87F");
    assertThat(hex("MULTIPOINT (EMPTY, (1 2))")).isEqualTo("0104000000020000000101000000000000000000F87F"
        + "000000000000F87F0101000000000000000000F03F0000000000000040");
    assertThat(hex("POLYGON EMPTY")).isEqualTo("010300000000000000");
    assertThat(hex("GEOMETRYCOLLECTION Z (POINT Z (1 2 3))"))
        .isEqualTo("01EF0300000100000001E9030000000000000000F03F00000000000000400000000000000840");
    assertThat(hex("SRID=4326;POINT(1 2)")).isEqualTo(hex("point (1 2)"));
    assertThat(hex("  POINT  ( 1e3   -2.5 )  ")).isEqualTo("01010000000000000000408F4000000000000004C0");
    assertThat(hex("POINT(1e400 -0)")).isEqualTo("0101000000000000000000F07F0000000000000080");
  }

  @Test
  void roundTripsThroughDuckDbsText() {
    for (String wkt : new String[] {"POINT (1 2)", "MULTIPOINT (1 2, EMPTY)", "POLYGON ((0 0, 1 0, 1 1, 0 0))",
        "MULTIPOLYGON ZM (((0 0 1 2, 1 0 1 2, 1 1 1 2, 0 0 1 2)))", "POINT (0.1 1e+16)", "POINT (5e-324 nan)",
        "GEOMETRYCOLLECTION M (POINT M (1 2 3), LINESTRING M EMPTY)"}) {
      assertThat(GeometryText.wkt(WktParser.wkb(wkt))).isEqualTo(wkt);
    }
  }

  @Test
  void refusesWhatIsNotWkt() {
    for (String bad : new String[] {"", "POINT(1)", "POINT (1 2 3)", "TRIANGLE((0 0))", "POINT(1 2", "POINT(+1 2)",
        "POINT(1e 2)", "POINT (1 2) x", "GEOMETRYCOLLECTION (POINT Z (1 2 3))", "POLYGON((0 0, 1 1), EMPTY)",
        "SRID=x;POINT(1 2)", "LINESTRING()"}) {
      assertThatThrownBy(() -> WktParser.wkb(bad)).as(bad).isInstanceOf(UserException.class)
          .hasMessageContaining("Invalid WKT for a GEOMETRY value");
    }
  }

  @Test
  void statisticsAreDuckDbsExtraStats() {
    GeometryStats s = new GeometryStats();
    assertThat(s.toString()).isEqualTo("{\"bbox\": {\"xmin\": null, \"xmax\": null, \"ymin\": null, \"ymax\": null,"
        + " \"zmin\": null, \"zmax\": null, \"mmin\": null, \"mmax\": null}, \"types\": []}");
    s.add(WktParser.wkb("POINT(nan 1)"));
    s.add(WktParser.wkb("POINT Z (2 3 -1e-7)"));
    s.add(WktParser.wkb("GEOMETRYCOLLECTION (LINESTRING (0.1 1e20, 5 5))"));
    assertThat(s.toString()).isEqualTo("{\"bbox\": {\"xmin\": 0.100000, \"xmax\": 5.000000, \"ymin\": 1.000000,"
        + " \"ymax\": 100000000000000000000.000000, \"zmin\": -0.000000, \"zmax\": -0.000000, \"mmin\": null,"
        + " \"mmax\": null}, \"types\": [\"geometrycollection\", \"point\", \"point_z\"]}");
    GeometryStats merged = new GeometryStats();
    merged.merge(s.toString());
    merged.merge("{\"bbox\": {\"xmin\": -3.5, \"xmax\": null}, \"types\": [\"polygon_zm\"]}");
    assertThat(merged.toString()).startsWith("{\"bbox\": {\"xmin\": -3.500000, \"xmax\": 5.000000,")
        .endsWith("\"types\": [\"geometrycollection\", \"point\", \"point_z\", \"polygon_zm\"]}");
    s.add(WktParser.wkb("POINT (-inf 1)"));
    assertThat(s.toString()).startsWith("{\"bbox\": {\"xmin\": null, \"xmax\": null, \"ymin\": null,");
  }
}
