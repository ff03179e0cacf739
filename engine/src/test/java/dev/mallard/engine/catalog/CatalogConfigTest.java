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
  void connectTimeoutBoundsTheCatalogServerAndS3() {
    CatalogConfig given = CatalogConfig.parse("postgresql://h/lake?connect_timeout=3&data_path=s3://b/l/", Map.of(),
        Map.of());
    assertThat(given.connectTimeoutSeconds()).isEqualTo(3);
    assertThat(given.s3().connectTimeout()).isEqualTo(java.time.Duration.ofSeconds(3));
    CatalogConfig defaults = CatalogConfig.parse("sqlite:lake.sqlite", Map.of());
    assertThat(defaults.connectTimeoutSeconds()).isEqualTo(CatalogConfig.DEFAULT_CONNECT_TIMEOUT_SECONDS);
    assertThat(defaults.s3().connectTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThatThrownBy(() -> CatalogConfig.parse("sqlite:lake.sqlite?connect_timeout=0", Map.of()))
        .isInstanceOf(UserException.class).hasMessageContaining("connect_timeout must be");
  }

  @Test
  void theTimeZoneIsTheOptionsElseTheJvmsDefaultLikeDuckDbsSystemZone() {
    assertThat(CatalogConfig.parse("sqlite:lake.sqlite?time_zone=Asia/Kolkata", Map.of()).timeZone())
        .isEqualTo(java.time.ZoneId.of("Asia/Kolkata"));
    assertThat(CatalogConfig.parse("sqlite:lake.sqlite", Map.of("TIME_ZONE", "UTC")).timeZone())
        .isEqualTo(java.time.ZoneId.of("UTC"));
    assertThat(CatalogConfig.parse("sqlite:lake.sqlite", Map.of()).timeZone()).isEqualTo(java.time.ZoneId.systemDefault());
    assertThatThrownBy(() -> CatalogConfig.parse("sqlite:lake.sqlite?time_zone=Mars/Olympus", Map.of()))
        .isInstanceOf(UserException.class).hasMessageContaining("time_zone 'Mars/Olympus' is not a time zone");
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
  void serverCatalogsTakeCredentialsFromTheUrlThenOptionsThenEnvironmentAndNeverShowThePassword() {
    CatalogConfig fromUrl = CatalogConfig.parse("postgresql://ann:s3cret@db.example:6543/lake?metadata_schema=meta",
        Map.of("user", "bob", "password", "other"), Map.of());
    assertThat(fromUrl.backend()).isEqualTo(CatalogConfig.Backend.POSTGRESQL);
    assertThat(fromUrl.server()).isEqualTo(new CatalogConfig.ServerAddress("db.example", 6543, "lake"));
    assertThat(fromUrl.credentials()).isEqualTo(new CatalogConfig.Credentials("ann", "s3cret"));
    assertThat(fromUrl.metadataSchema()).isEqualTo("meta");
    assertThat(fromUrl.toString()).doesNotContain("s3cret");

    CatalogConfig fromEnvironment = CatalogConfig.parse("mysql://localhost/lake", Map.of(),
        Map.of("MYSQL_USER", "carl", "MYSQL_PWD", "pw"));
    assertThat(fromEnvironment.server()).isEqualTo(new CatalogConfig.ServerAddress("localhost", 3306, "lake"));
    assertThat(fromEnvironment.credentials()).isEqualTo(new CatalogConfig.Credentials("carl", "pw"));

    assertThatThrownBy(() -> CatalogConfig.parse("postgresql://ann:s3cret@host/lake?pasword=x", Map.of(), Map.of()))
        .isInstanceOf(UserException.class).hasMessageContaining("Unknown option 'pasword'")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> CatalogConfig.parse("postgresql:lake", Map.of(), Map.of()))
        .isInstanceOf(UserException.class).hasMessageContaining("Expected postgresql://host[:port]/database");
    assertThatThrownBy(() -> CatalogConfig.parse("postgresql://h/lake?metadata_schema=a\"b", Map.of(), Map.of()))
        .isInstanceOf(UserException.class).hasMessageContaining("plain identifier");
  }
}
