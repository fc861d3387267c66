package dev.silo.config;

import dev.silo.tenant.TenantContext;
import dev.silo.testing.Await;
import io.vertx.config.ConfigStoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  /** System properties that tests set through the real {@code sys} store; removed after each test. */
  private static final List<String> PROPERTIES = List.of("silo.http_port", "silo.admin_token", "silo.http_prot");

  @TempDir
  Path dir;

  @AfterEach
  void clearProperties() {
    PROPERTIES.forEach(System::clearProperty);
  }

  @Test
  void defaultsApplyWithoutLayers() {
    SiloOptions options = load().options();

    assertThat(options.get(SiloOptions.HTTP_HOST)).isEqualTo("0.0.0.0");
    assertThat(options.get(SiloOptions.HTTP_PORT)).isEqualTo(8080);
    assertThat(options.get(SiloOptions.HTTP_BODY_LIMIT)).isEqualTo(8 * 1024 * 1024);
    assertThat(options.get(SiloOptions.DATA_DIR)).isEqualTo("data");
    assertThat(options.get(SiloOptions.TENANT_MIGRATIONS)).containsExactly("classpath:db/tenant");
    assertThat(options.get(SiloOptions.SQLITE_SYNCHRONOUS)).isEqualTo("NORMAL");
    for (ConfigKey<?> key : SiloOptions.KEYS) {
      assertThat((Object) options.get(key)).as("value of %s", key.name()).isEqualTo(key.defaultValue());
    }
  }

  @Test
  void defaultsPassTheirOwnRules() {
    for (ConfigKey<?> key : SiloOptions.KEYS) {
      assertThat((Object) key.parse(key.defaultValue(), "test")).as("default of %s", key.name())
        .isEqualTo(key.defaultValue());
    }
  }

  @Test
  void laterLayersWin() throws IOException {
    Path file = write("{\"http_port\": 9000, \"data_dir\": \"from-file\", \"tenant_pool_size\": 2}");

    SiloOptions options = load(ConfigLayer.file(file),
      TestLayers.environment(Map.of("SILO_HTTP_PORT", "9100", "SILO_DATA_DIR", "from-env")),
      TestLayers.systemProperties(Map.of("silo.data_dir", "from-property"))).options();

    assertThat(options.get(SiloOptions.TENANT_POOL_SIZE)).isEqualTo(2);
    assertThat(options.get(SiloOptions.HTTP_PORT)).isEqualTo(9100);
    assertThat(options.get(SiloOptions.DATA_DIR)).isEqualTo("from-property");
  }

  @Test
  void productionLayersUseStoresInOrder() throws IOException {
    Path file = write("{}");
    Path absent = dir.resolve("absent.json");

    assertThat(types(ConfigLoader.layers(file, absent))).containsExactly("json", "file", "env", "sys");
    assertThat(types(ConfigLoader.layers(null, file))).containsExactly("json", "file", "env", "sys");
    assertThat(types(ConfigLoader.layers(null, absent))).containsExactly("json", "env", "sys");
    List<ConfigLayer> layers = ConfigLoader.layers(null, absent);
    assertThat(layers.get(1).store().getConfig().getBoolean("raw-data")).as("env raw-data").isTrue();
    assertThat(layers.get(2).store().getConfig().getBoolean("raw-data")).as("sys raw-data").isTrue();
  }

  @Test
  void systemPropertyReadThroughSysStore() {
    System.setProperty("silo.http_port", "9300");

    SiloOptions options = load(ConfigLayer.systemProperties()).options();

    assertThat(options.get(SiloOptions.HTTP_PORT)).isEqualTo(9300);
  }

  @Test
  void numericSystemPropertyStaysString() {
    System.setProperty("silo.admin_token", "007");

    SiloOptions options = load(ConfigLayer.systemProperties()).options();

    assertThat(options.get(SiloOptions.ADMIN_TOKEN)).isEqualTo("007");
  }

  @Test
  void invalidSystemPropertyNamesKeyAndSource() {
    System.setProperty("silo.http_port", "eighty");

    assertThatThrownBy(() -> load(ConfigLayer.systemProperties()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("http_port")
      .hasMessageContaining("system property silo.http_port")
      .hasMessageContaining("eighty");
  }

  @Test
  void migrationsSplitOnCommas() {
    SiloOptions options = load(TestLayers.environment(
      Map.of("SILO_TENANT_MIGRATIONS", "classpath:db/tenant, filesystem:/opt/silo/migrations"))).options();

    assertThat(options.get(SiloOptions.TENANT_MIGRATIONS))
      .isEqualTo(List.of("classpath:db/tenant", "filesystem:/opt/silo/migrations"));
  }

  @Test
  void invalidEnvironmentValueNamesKeyAndSource() {
    assertThatThrownBy(() -> load(TestLayers.environment(Map.of("SILO_HTTP_PORT", "eighty"))))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("http_port")
      .hasMessageContaining("environment variable SILO_HTTP_PORT")
      .hasMessageContaining("eighty");
  }

  @Test
  void outOfRangeValueNamesFile() throws IOException {
    Path file = write("{\"tenant_pool_size\": 0}");

    assertThatThrownBy(() -> load(ConfigLayer.file(file)))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("tenant_pool_size")
      .hasMessageContaining("(from file " + file + ")");
  }

  @Test
  void unknownFileKeyIsRejected() throws IOException {
    Path file = write("{\"htp_port\": 80}");

    assertThatThrownBy(() -> load(ConfigLayer.file(file)))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("unknown configuration key 'htp_port'")
      .hasMessageContaining(file.toString());
  }

  @Test
  void malformedFileIsRejected() throws IOException {
    Path file = write("{\"http_port\": ");

    assertThatThrownBy(() -> load(ConfigLayer.file(file)))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("not a JSON object")
      .hasMessageContaining(file.toString())
      .hasMessageContaining("Unexpected end-of-input")
      .hasMessageNotContaining("Source")
      .hasMessageNotContaining("start marker");
  }

  @Test
  void arrayFileIsRejected() throws IOException {
    Path file = write("[8080]");

    assertThatThrownBy(() -> load(ConfigLayer.file(file)))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("not a JSON object");
  }

  @Test
  void missingFileIsRejected() {
    Path file = dir.resolve("absent.json");

    assertThatThrownBy(() -> load(ConfigLoader.layers(file, dir.resolve("no-default.json"))))
      .isInstanceOf(ConfigException.class)
      .hasMessage("configuration file " + file + " does not exist");
  }

  @Test
  void synchronousModeIsCheckedAndNormalized() {
    SiloOptions options = load(TestLayers.environment(Map.of("SILO_SQLITE_SYNCHRONOUS", "full"))).options();
    assertThat(options.get(SiloOptions.SQLITE_SYNCHRONOUS)).isEqualTo("FULL");

    assertThatThrownBy(() -> load(TestLayers.environment(Map.of("SILO_SQLITE_SYNCHRONOUS", "fast"))))
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

    SiloOptions options = load(ConfigLoader.layers(null, defaultFile)).options();

    assertThat(options.get(SiloOptions.HTTP_PORT)).isEqualTo(9200);
  }

  @Test
  void malformedDefaultFileIsRejected() throws IOException {
    Path defaultFile = write("{\"http_port\": ");

    assertThatThrownBy(() -> load(ConfigLoader.layers(null, defaultFile)))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("not a JSON object");
  }

  @Test
  void unknownNamesAreListed() {
    LoadedConfig config = load(
      TestLayers.environment(Map.of("SILO_HTTP_PROT", "1", "SILO_HTTP_PORT", "1", "SILO_TOKEN", "t", "PATH", "/bin")),
      TestLayers.systemProperties(Map.of("silo.http_prot", "1", "silo.http_port", "1",
        "silo.test.blocked-thread-ms", "200", "java.version", "17")));

    assertThat(config.unknownNames()).containsExactly("SILO_HTTP_PROT", "silo.http_prot");
  }

  @Test
  void unknownSystemPropertyListedFromSysStore() {
    System.setProperty("silo.http_prot", "1");

    LoadedConfig config = load(ConfigLayer.systemProperties());

    assertThat(config.unknownNames()).contains("silo.http_prot");
  }

  @Test
  void loadClosesItsVertx() {
    TenantContext.register();
    Set<Thread> before = vertxThreads();

    LoadedConfig config = ConfigLoader.load((Path) null);

    assertThat(config.options().get(SiloOptions.HTTP_PORT)).isNotNull();
    Await.until("the loading Vert.x threads have ended", Duration.ofSeconds(10),
      () -> before.containsAll(vertxThreads()));
  }

  /** Loads the built-in defaults followed by {@code layers}. */
  private static LoadedConfig load(ConfigLayer... layers) {
    List<ConfigLayer> all = new ArrayList<>();
    all.add(ConfigLayer.defaults());
    all.addAll(List.of(layers));
    return load(all);
  }

  private static LoadedConfig load(List<ConfigLayer> layers) {
    return TestLayers.load(layers);
  }

  private static List<String> types(List<ConfigLayer> layers) {
    return layers.stream().map(ConfigLayer::store).map(ConfigStoreOptions::getType).collect(Collectors.toList());
  }

  private static Set<Thread> vertxThreads() {
    return Thread.getAllStackTraces().keySet().stream()
      .filter(thread -> thread.getName().startsWith("vert.x-") || thread.getName().startsWith("vertx-"))
      .collect(Collectors.toSet());
  }

  private Path write(String json) throws IOException {
    Path file = dir.resolve("silo.json");
    Files.writeString(file, json);
    return file;
  }
}
