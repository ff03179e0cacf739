package dev.mallard.engine.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.FormatException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The WKB forms DuckDB does not write itself (big-endian, extended WKB); DuckDB's own little-endian
 * ISO WKB is compared with DuckDB in GeometryVariantInteropTest.
 */
class GeometryTextTest {
  private static String wkt(String hex) {
    return GeometryText.wkt(HexFormat.of().parseHex(hex));
  }

  @Test
  void readsBigEndianWkb() {
    // POINT (1 2), big-endian
    assertThat(wkt("00" + "00000001" + "3ff0000000000000" + "4000000000000000")).isEqualTo("POINT (1 2)");
  }

  @Test
  void readsExtendedWkbWithZAndSrid() {
    // EWKB point with the Z and SRID flags, SRID 4326, little-endian
    assertThat(wkt("01" + "010000a0" + "e6100000" + "000000000000f03f" + "0000000000000040" + "0000000000000840"))
        .isEqualTo("POINT Z (1 2 3)");
  }

  @Test
  void readsEachPartInItsOwnByteOrder() {
    // little-endian MULTIPOINT of a big-endian and a little-endian point
    assertThat(wkt("01" + "04000000" + "02000000" + "00" + "00000001" + "3ff0000000000000" + "4000000000000000"
        + "01" + "01000000" + "0000000000000840" + "0000000000001040")).isEqualTo("MULTIPOINT (1 2, 3 4)");
  }

  @Test
  void refusesBytesThatAreNotWkb() {
    assertThatThrownBy(() -> wkt("0101000000")).isInstanceOf(FormatException.class).hasMessageContaining("not valid WKB");
    assertThatThrownBy(() -> wkt("0109000000")).isInstanceOf(FormatException.class)
        .hasMessageContaining("unknown geometry type 9");
  }
}
