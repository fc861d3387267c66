package dev.silo.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration key: its name in {@code conf/silo.json}, its default, and how a raw
 * value becomes a checked one.
 * <p>
 * The same key is read from the environment as {@code SILO_<NAME>} and from system
 * properties as {@code silo.<name>}.
 */
public final class ConfigKey<T> {

  private final String name;
  private final T defaultValue;
  private final String description;
  private final Function<Object, T> parser;

  ConfigKey(String name, T defaultValue, String description, Function<Object, T> parser) {
    this.name = name;
    this.defaultValue = defaultValue;
    this.description = description;
    this.parser = parser;
  }

  /** Returns the key as written in {@code conf/silo.json}, for example {@code http_port}. */
  public String name() {
    return name;
  }

  /** Returns the environment variable that sets this key, for example {@code SILO_HTTP_PORT}. */
  public String environmentVariable() {
    return "SILO_" + name.toUpperCase(Locale.ROOT);
  }

  /** Returns the system property that sets this key, for example {@code silo.http_port}. */
  public String systemProperty() {
    return "silo." + name;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /**
   * Converts a raw value from JSON, the environment or a system property into a checked one.
   *
   * @param source where the value came from, for the message, for example {@code environment variable SILO_HTTP_PORT}
   * @throws ConfigException naming this key, the rule the value breaks, the value and its source
   */
  T parse(Object raw, String source) {
    if (raw == null) {
      throw new ConfigException("invalid configuration: " + name + " must not be null (from " + source + ")");
    }
    try {
      return parser.apply(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid configuration: " + name + " " + e.getMessage()
        + ", got '" + raw + "' (from " + source + ")");
    }
  }
}
