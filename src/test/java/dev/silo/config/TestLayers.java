package dev.silo.config;

import dev.silo.tenant.TenantContext;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layers whose content a test sets. vertx-config's {@code env} and {@code sys} stores read
 * the real environment and system properties of the process, so a {@code json} store with
 * the given names and string values replaces them. The layer kind still decides the names
 * and sources, as in production.
 */
final class TestLayers {

  private TestLayers() {
  }

  /**
   * Loads {@code layers} as start-up does, on a short-lived Vert.x instance. Registers the
   * context locals first, as {@code Main} does, because that instance may be the test JVM's first.
   */
  static LoadedConfig load(List<ConfigLayer> layers) {
    TenantContext.register();
    return ConfigLoader.load(layers);
  }

  static ConfigLayer environment(Map<String, String> variables) {
    return standIn(ConfigLayer.Kind.ENVIRONMENT, variables);
  }

  static ConfigLayer systemProperties(Map<String, String> properties) {
    return standIn(ConfigLayer.Kind.SYSTEM_PROPERTIES, properties);
  }

  private static ConfigLayer standIn(ConfigLayer.Kind kind, Map<String, String> values) {
    JsonObject content = new JsonObject(new LinkedHashMap<>(values));
    return new ConfigLayer(kind, new ConfigStoreOptions().setType("json").setConfig(content), null);
  }
}
