package dev.silo.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks {@code conf/silo.json}, the file operators start from: it loads, it only repeats
 * defaults, and it contains no secret.
 */
class ShippedConfigFileTest {

  /** Surefire runs tests in the project folder, so this is the file in the repository. */
  private static final Path FILE = Path.of("conf", "silo.json");

  @Test
  void shippedFileLoads() {
    SiloOptions options = load(Map.of(), Map.of());

    assertThat(options.get(SiloOptions.HTTP_PORT)).isEqualTo(8080);
    assertThat(options.get(SiloOptions.DATA_DIR)).isEqualTo("data");
  }

  @Test
  void shippedFileRepeatsDefaults() throws IOException {
    JsonObject json = new JsonObject(Files.readString(FILE, StandardCharsets.UTF_8));
    SiloOptions loaded = load(Map.of(), Map.of());

    assertThat(json.fieldNames()).as("keys in %s", FILE).isNotEmpty();
    for (ConfigKey<?> key : SiloOptions.KEYS) {
      assertThat((Object) loaded.get(key)).as("value of %s", key.name()).isEqualTo(key.defaultValue());
    }
  }

  @Test
  void shippedFileHasNoAdminToken() throws IOException {
    JsonObject json = new JsonObject(Files.readString(FILE, StandardCharsets.UTF_8));

    assertThat(json.containsKey(SiloOptions.ADMIN_TOKEN.name())).isFalse();
  }

  @Test
  void environmentOverridesShippedFile() {
    SiloOptions options = load(Map.of("SILO_HTTP_PORT", "9090"), Map.of());

    assertThat(options.get(SiloOptions.HTTP_PORT)).isEqualTo(9090);
  }

  @Test
  void systemPropertyOverridesEnvironment() {
    SiloOptions options = load(Map.of("SILO_HTTP_PORT", "9090"), Map.of("silo.http_port", "9191"));

    assertThat(options.get(SiloOptions.HTTP_PORT)).isEqualTo(9191);
  }

  /** Loads the shipped file over the defaults, then the given variables and properties. */
  private static SiloOptions load(Map<String, String> environment, Map<String, String> properties) {
    return TestLayers.load(List.of(ConfigLayer.defaults(), ConfigLayer.file(FILE),
      TestLayers.environment(environment), TestLayers.systemProperties(properties))).options();
  }
}
