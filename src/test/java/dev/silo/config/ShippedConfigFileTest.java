package dev.silo.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

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
    SiloOptions options = ConfigLoader.load(FILE, Map.of(), new Properties());

    assertThat(options.get(SiloOptions.HTTP_PORT)).isEqualTo(8080);
    assertThat(options.get(SiloOptions.DATA_DIR)).isEqualTo("data");
  }

  @Test
  void shippedFileRepeatsDefaults() throws IOException {
    JsonObject json = new JsonObject(Files.readString(FILE, StandardCharsets.UTF_8));
    SiloOptions loaded = ConfigLoader.load(FILE, Map.of(), new Properties());

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
    SiloOptions options = ConfigLoader.load(FILE, Map.of("SILO_HTTP_PORT", "9090"), new Properties());

    assertThat(options.get(SiloOptions.HTTP_PORT)).isEqualTo(9090);
  }

  @Test
  void systemPropertyOverridesEnvironment() {
    Properties properties = new Properties();
    properties.setProperty("silo.http_port", "9191");

    SiloOptions options = ConfigLoader.load(FILE, Map.of("SILO_HTTP_PORT", "9090"), properties);

    assertThat(options.get(SiloOptions.HTTP_PORT)).isEqualTo(9191);
  }
}
