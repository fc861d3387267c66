package dev.silo.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  @Test
  void defaultsApplyWithoutLayers() {
    SiloOptions options = load(null, Map.of(), new Properties());

    assertThat(options.get(SiloOptions.HTTP_HOST)).isEqualTo("0.0.0.0");
    assertThat(options.get(SiloOptions.HTTP_PORT)).isEqualTo(8080);
    assertThat(options.get(SiloOptions.HTTP_BODY_LIMIT)).isEqualTo(8 * 1024 * 1024);
    assertThat(options.get(SiloOptions.DATA_DIR)).isEqualTo("data");
    assertThat(options.get(SiloOptions.TENANT_MIGRATIONS)).containsExactly("classpath:db/tenant");
    assertThat(options.get(SiloOptions.SQLITE_SYNCHRONOUS)).isEqualTo("NORMAL");
  }

  @Test
  void laterLayersWin() throws IOException {
    Path file = write("{\"http_port\": 9000, \"data_dir\": \"from-file\", \"tenant_pool_size\": 2}");
    Properties properties = new Properties();
    properties.setProperty("silo.data_dir", "from-property");

    SiloOptions options = ConfigLoader.load(file,
      Map.of("SILO_HTTP_PORT", "9100", "SILO_DATA_DIR", "from-env"), properties);

    assertThat(options.get(SiloOptions.TENANT_POOL_SIZE)).isEqualTo(2);
    assertThat(options.get(SiloOptions.HTTP_PORT)).isEqualTo(9100);
    assertThat(options.get(SiloOptions.DATA_DIR)).isEqualTo("from-property");
  }

  @Test
  void migrationsSplitOnCommas() {
    SiloOptions options = ConfigLoader.load(null,
      Map.of("SILO_TENANT_MIGRATIONS", "classpath:db/tenant, filesystem:/opt/silo/migrations"), new Properties());

    assertThat(options.get(SiloOptions.TENANT_MIGRATIONS))
      .isEqualTo(List.of("classpath:db/tenant", "filesystem:/opt/silo/migrations"));
  }

  @Test
  void invalidEnvironmentValueNamesKeyAndSource() {
    assertThatThrownBy(() -> load(null, Map.of("SILO_HTTP_PORT", "eighty"), new Properties()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("http_port")
      .hasMessageContaining("SILO_HTTP_PORT")
      .hasMessageContaining("eighty");
  }

  @Test
  void outOfRangeValueNamesFile() throws IOException {
    Path file = write("{\"tenant_pool_size\": 0}");

    assertThatThrownBy(() -> load(file, Map.of(), new Properties()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("tenant_pool_size")
      .hasMessageContaining(file.toString());
  }

  @Test
  void unknownFileKeyIsRejected() throws IOException {
    Path file = write("{\"htp_port\": 80}");

    assertThatThrownBy(() -> load(file, Map.of(), new Properties()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("htp_port");
  }

  @Test
  void malformedFileIsRejected() throws IOException {
    Path file = write("{\"http_port\": ");

    assertThatThrownBy(() -> load(file, Map.of(), new Properties()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("not a JSON object");
  }

  @Test
  void missingFileIsRejected() {
    Path file = dir.resolve("absent.json");

    assertThatThrownBy(() -> load(file, Map.of(), new Properties()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("absent.json");
  }

  @Test
  void synchronousModeIsCheckedAndNormalized() {
    SiloOptions options = load(null, Map.of("SILO_SQLITE_SYNCHRONOUS", "full"), new Properties());
    assertThat(options.get(SiloOptions.SQLITE_SYNCHRONOUS)).isEqualTo("FULL");

    assertThatThrownBy(() -> load(null, Map.of("SILO_SQLITE_SYNCHRONOUS", "fast"), new Properties()))
      .hasMessageContaining("sqlite_synchronous");
  }

  @Test
  void safeJsonMasksAdminToken() {
    SiloOptions options = SiloOptions.defaults().with(SiloOptions.ADMIN_TOKEN, "secret-value");

    assertThat(options.toSafeJson().encode()).doesNotContain("secret-value");
  }

  @Test
  void defaultFileReadWithoutConf() throws IOException {
    Path defaultFile = write("{\"http_port\": 9200}");

    SiloOptions options = ConfigLoader.load(null, defaultFile, Map.of(), new Properties());

    assertThat(options.get(SiloOptions.HTTP_PORT)).isEqualTo(9200);
  }

  @Test
  void unknownNamesAreListed() {
    Properties properties = new Properties();
    properties.setProperty("silo.http_prot", "1");
    properties.setProperty("silo.http_port", "1");
    properties.setProperty("silo.test.blocked-thread-ms", "200");

    List<String> unknown = ConfigLoader.unknownNames(
      Map.of("SILO_HTTP_PROT", "1", "SILO_HTTP_PORT", "1", "SILO_TOKEN", "t", "PATH", "/bin"), properties);

    assertThat(unknown).containsExactly("SILO_HTTP_PROT", "silo.http_prot");
  }

  /** Loads with a default file that does not exist, so a conf/silo.json in the working folder has no effect. */
  private SiloOptions load(Path file, Map<String, String> environment, Properties properties) {
    return ConfigLoader.load(file, dir.resolve("no-default.json"), environment, properties);
  }

  private Path write(String json) throws IOException {
    Path file = dir.resolve("silo.json");
    Files.writeString(file, json);
    return file;
  }
}
