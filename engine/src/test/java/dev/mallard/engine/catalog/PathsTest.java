package dev.mallard.engine.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.CatalogException;
import org.junit.jupiter.api.Test;

class PathsTest {
  @Test
  void relativePathsAreJoinedToTheirParentAndAbsoluteOnesKept() {
    assertThat(Paths.resolveDirectory("/lake/", "main/", true)).isEqualTo("/lake/main/");
    assertThat(Paths.resolveDirectory("/lake/", "/elsewhere", false)).isEqualTo("/elsewhere/");
    assertThat(Paths.resolveDirectory("/lake/main/", null, true)).isEqualTo("/lake/main/");
    assertThat(Paths.resolveFile("/lake/main/t/", "f.parquet", true)).isEqualTo("/lake/main/t/f.parquet");
    assertThat(Paths.resolveFile("/lake/main/t/", "s3://b/f.parquet", false)).isEqualTo("s3://b/f.parquet");
  }

  @Test
  void refusesPathsThatClimbOutOrHoldNulBytes() {
    assertThatThrownBy(() -> Paths.resolveFile("/lake/t/", "../../etc/passwd", true))
        .isInstanceOf(CatalogException.class).hasMessageContaining("climbs out");
    assertThatThrownBy(() -> Paths.resolveFile("/lake/t/", "a/../../b.parquet", true))
        .isInstanceOf(CatalogException.class).hasMessageContaining("climbs out");
    assertThatThrownBy(() -> Paths.resolveDirectory("/lake/", "a/..", true))
        .isInstanceOf(CatalogException.class).hasMessageContaining("climbs out");
    assertThat(Paths.resolveFile("/lake/t/", "..a/b..c.parquet", true)).isEqualTo("/lake/t/..a/b..c.parquet");
    assertThatThrownBy(() -> Paths.resolveDirectory("/lake/", "a\0b/", true))
        .isInstanceOf(CatalogException.class).hasMessageContaining("NUL");
  }

  @Test
  void readsLegacyPartialFileInfo() {
    PartialFileInfo list = PartialFileInfo.parse("2:4|6:7");
    assertThat(list.visibleRows(1)).isEqualTo(0L);
    assertThat(list.visibleRows(2)).isEqualTo(4L);
    assertThat(list.visibleRows(9)).isEqualTo(7L);
    assertThat(PartialFileInfo.parse("partial_max:9").partialMax()).isEqualTo(9L);
    assertThat(PartialFileInfo.parse(null).visibleRows(3)).isNull();
  }
}
