package dev.mallard.engine.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.UserException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogConfigTest {
  @Test
  void parsesLocationAndOptionsFromTheUrl() {
    CatalogConfig c = CatalogConfig.parse("sqlite:/data/lake.sqlite?data_path=/data/files&snapshot=5&read_only=true",
        Map.of());
    assertThat(c.backend()).isEqualTo(CatalogConfig.Backend.SQLITE);
    assertThat(c.location()).isEqualTo("/data/lake.sqlite");
    assertThat(c.dataPathOverride()).isEqualTo("/data/files/");
    assertThat(c.snapshotId()).isEqualTo(5L);
    assertThat(c.readOnly()).isTrue();
  }

  @Test
  void urlOptionsWinOverPropertiesAndValuesArePercentDecoded() {
    CatalogConfig c = CatalogConfig.parse("sqlite:lake.sqlite?data_path=/my%20files/", Map.of("data_path", "/other/",
        "snapshot_time", "2025-01-06 10:00:00+00"));
    assertThat(c.dataPathOverride()).isEqualTo("/my files/");
    assertThat(c.snapshotTime()).isEqualTo(Instant.parse("2025-01-06T10:00:00Z"));
  }

  @Test
  void rejectsMalformedUrlsWithAClearMessage() {
    assertThatThrownBy(() -> CatalogConfig.parse("lake.sqlite", Map.of()))
        .isInstanceOf(UserException.class).hasMessageContaining("Malformed catalog URL");
    assertThatThrownBy(() -> CatalogConfig.parse("oracle:x", Map.of()))
        .isInstanceOf(UserException.class).hasMessageContaining("Unknown catalog database 'oracle'");
    assertThatThrownBy(() -> CatalogConfig.parse("sqlite:", Map.of()))
        .isInstanceOf(UserException.class).hasMessageContaining("location is empty");
    assertThatThrownBy(() -> CatalogConfig.parse("sqlite:x?snapshot=abc", Map.of()))
        .isInstanceOf(UserException.class).hasMessageContaining("must be a whole number");
    assertThatThrownBy(() -> CatalogConfig.parse("sqlite:x?snapshto=1", Map.of()))
        .isInstanceOf(UserException.class).hasMessageContaining("Unknown option 'snapshto'");
    assertThatThrownBy(() -> CatalogConfig.parse("sqlite:x?snapshot", Map.of()))
        .isInstanceOf(UserException.class).hasMessageContaining("Expected key=value");
    assertThatThrownBy(() -> CatalogConfig.parse("sqlite:x?snapshot=1&snapshot_time=2025-01-01", Map.of()))
        .isInstanceOf(UserException.class).hasMessageContaining("not both");
  }

  @Test
  void backendsOfLaterReleasesSayTheyAreNotSupportedYet() {
    assertThatThrownBy(() -> CatalogConfig.parse("postgresql://localhost/db", Map.of()))
        .isInstanceOf(UserException.class).hasMessageContaining("not supported yet");
  }
}
