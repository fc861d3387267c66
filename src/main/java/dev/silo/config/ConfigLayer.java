package dev.silo.config;

import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One layer of the configuration: the vertx-config store that reads it, and how the names
 * in that store map to {@link ConfigKey}s.
 * <p>
 * The {@code env} and {@code sys} stores return every variable and property of the
 * process. {@link #select} is the one place that keeps the names of Silo's keys and
 * reports the other names that look like Silo's.
 */
final class ConfigLayer {

  /** The kinds of layer, in the order in which a later layer wins. */
  enum Kind {
    DEFAULTS(ConfigKey::name, ""),
    FILE(ConfigKey::name, ""),
    ENVIRONMENT(ConfigKey::environmentVariable, "SILO_"),
    SYSTEM_PROPERTIES(ConfigKey::systemProperty, "silo.");

    /** Names that other Silo tools read: the admin commands and the test harness. */
    private static final Set<String> OTHER_TOOLS = Set.of("SILO_TOKEN", "SILO_URL");
    private static final String TEST_PROPERTIES = "silo.test.";

    private final Map<String, ConfigKey<?>> keysByName = new HashMap<>();
    private final String prefix;

    Kind(Function<ConfigKey<?>, String> nameOfKey, String prefix) {
      SiloOptions.KEYS.forEach(key -> keysByName.put(nameOfKey.apply(key), key));
      this.prefix = prefix;
    }

    /** Returns whether an unknown name looks like one of Silo's, so that it is likely a typo. */
    private boolean looksLikeSilo(String name) {
      return name.startsWith(prefix) && !OTHER_TOOLS.contains(name) && !name.startsWith(TEST_PROPERTIES);
    }
  }

  /** One value of a layer for one key. */
  record Setting(ConfigKey<?> key, Object raw, String source) {
  }

  /** The settings of one layer, and the names in it that look like Silo's but name no key. */
  record Selection(List<Setting> settings, List<String> unknownNames) {
  }

  private final Kind kind;
  private final ConfigStoreOptions store;
  private final Path file;

  ConfigLayer(Kind kind, ConfigStoreOptions store, Path file) {
    this.kind = kind;
    this.store = store;
    this.file = file;
  }

  /** Returns the layer of built-in defaults, a {@code json} store built from the key table. */
  static ConfigLayer defaults() {
    JsonObject defaults = new JsonObject();
    for (ConfigKey<?> key : SiloOptions.KEYS) {
      Object value = key.defaultValue();
      defaults.put(key.name(), value instanceof List ? new JsonArray((List<?>) value) : value);
    }
    return new ConfigLayer(Kind.DEFAULTS, new ConfigStoreOptions().setType("json").setConfig(defaults), null);
  }

  /**
   * Returns the layer of a JSON file, a {@code file} store. The store gets the absolute
   * path, because Vert.x searches the class path for a relative path that is not on disk.
   */
  static ConfigLayer file(Path file) {
    JsonObject config = new JsonObject().put("path", file.toAbsolutePath().toString());
    return new ConfigLayer(Kind.FILE, new ConfigStoreOptions().setType("file").setFormat("json").setConfig(config),
      file);
  }

  /**
   * Returns the layer of environment variables, an {@code env} store. Raw data keeps every
   * value a string, so the key's parser receives what the operator wrote. Without it the
   * store turns {@code 007} into a number and {@code a,b} into an array.
   */
  static ConfigLayer environment() {
    JsonObject config = new JsonObject().put("raw-data", true);
    return new ConfigLayer(Kind.ENVIRONMENT, new ConfigStoreOptions().setType("env").setConfig(config), null);
  }

  /** Returns the layer of system properties, a {@code sys} store with raw data like {@link #environment()}. */
  static ConfigLayer systemProperties() {
    JsonObject config = new JsonObject().put("raw-data", true).put("cache", false);
    return new ConfigLayer(Kind.SYSTEM_PROPERTIES, new ConfigStoreOptions().setType("sys").setConfig(config), null);
  }

  Kind kind() {
    return kind;
  }

  ConfigStoreOptions store() {
    return store;
  }

  /** Returns the file of a {@link Kind#FILE} layer, else {@code null}. */
  Path file() {
    return file;
  }

  /**
   * Returns the values of {@code content}, the JSON object that this layer's store
   * returned, that set a key. Names are sorted, so that the first error is always the same.
   * A name that sets no key is dropped, and listed when it {@link Kind#looksLikeSilo looks like Silo's}.
   */
  Selection select(JsonObject content) {
    List<Setting> settings = new ArrayList<>();
    List<String> unknownNames = new ArrayList<>();
    content.fieldNames().stream().sorted().forEach(name -> {
      ConfigKey<?> key = kind.keysByName.get(name);
      if (key != null) {
        settings.add(new Setting(key, content.getValue(name), source(name)));
      } else if (kind.looksLikeSilo(name)) {
        unknownNames.add(name);
      }
    });
    return new Selection(settings, unknownNames);
  }

  /** Returns where a value came from, for messages. */
  String source(String name) {
    switch (kind) {
      case DEFAULTS:
        return "built-in default";
      case FILE:
        return "file " + file;
      case ENVIRONMENT:
        return "environment variable " + name;
      default:
        return "system property " + name;
    }
  }
}
