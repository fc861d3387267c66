package dev.silo.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Builds {@link SiloOptions} from its layers, later wins: built-in defaults, the JSON
 * file, environment variables {@code SILO_<KEY>}, system properties {@code silo.<key>}.
 * <p>
 * Every value is checked here, once, at start-up. The first invalid value stops the
 * load with a {@link ConfigException} naming the key and where the value came from.
 */
public final class ConfigLoader {

  /** The file read when no {@code -conf} is given; a missing default file is not an error. */
  public static final Path DEFAULT_FILE = Path.of("conf", "silo.json");

  private ConfigLoader() {
  }

  /**
   * Loads the configuration of this process. Runs on the calling thread and reads the
   * file synchronously: call it before Vert.x starts.
   *
   * @param file the file given with {@code -conf}, or {@code null} for {@link #DEFAULT_FILE} if present
   */
  public static SiloOptions load(Path file, Map<String, String> environment, Properties systemProperties) {
    return load(file, DEFAULT_FILE, environment, systemProperties);
  }

  /** Like {@link #load(Path, Map, Properties)}, reading {@code defaultFile} when no file is given. */
  public static SiloOptions load(Path file, Path defaultFile, Map<String, String> environment,
                                 Properties systemProperties) {
    SiloOptions options = SiloOptions.defaults();
    if (file != null) {
      options = applyFile(options, file);
    } else if (Files.isRegularFile(defaultFile)) {
      options = applyFile(options, defaultFile);
    }
    for (ConfigKey<?> key : SiloOptions.KEYS) {
      String fromEnvironment = environment.get(key.environmentVariable());
      if (fromEnvironment != null) {
        options = apply(options, key, fromEnvironment, key.environmentVariable());
      }
      String fromProperty = systemProperties.getProperty(key.systemProperty());
      if (fromProperty != null) {
        options = apply(options, key, fromProperty, key.systemProperty());
      }
    }
    return options;
  }

  private static SiloOptions applyFile(SiloOptions options, Path file) {
    JsonObject json = readJson(file);
    for (String name : json.fieldNames()) {
      ConfigKey<?> key = SiloOptions.KEYS.stream().filter(k -> k.name().equals(name)).findFirst()
        .orElseThrow(() -> new ConfigException("unknown configuration key '" + name + "' in " + file
          + "; run with --help to list the keys"));
      options = apply(options, key, json.getValue(name), file.toString());
    }
    return options;
  }

  private static JsonObject readJson(Path file) {
    try {
      return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new ConfigException("configuration file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException("configuration file " + file + " is not a JSON object: " + firstSentence(e));
    }
  }

  /** Returns the parser's message without the source excerpt that Jackson appends. */
  private static String firstSentence(Exception e) {
    String message = String.valueOf(e.getMessage());
    int source = message.indexOf("\n at [Source");
    int excerpt = message.indexOf(" [Source");
    int end = message.length();
    if (source >= 0) {
      end = source;
    } else if (excerpt >= 0) {
      end = excerpt;
    }
    return message.substring(0, end).replace('\n', ' ').trim();
  }

  /**
   * Returns the {@code SILO_*} environment variables and {@code silo.*} system properties
   * that name no configuration key, so that start-up can warn about a likely typo.
   * Names that other Silo tools read ({@code SILO_TOKEN}, {@code SILO_URL}) are not listed.
   */
  public static List<String> unknownNames(Map<String, String> environment, Properties systemProperties) {
    Set<String> known = new HashSet<>(List.of("SILO_TOKEN", "SILO_URL"));
    for (ConfigKey<?> key : SiloOptions.KEYS) {
      known.add(key.environmentVariable());
      known.add(key.systemProperty());
    }
    List<String> unknown = new java.util.ArrayList<>();
    environment.keySet().stream().filter(name -> name.startsWith("SILO_") && !known.contains(name))
      .sorted().forEach(unknown::add);
    systemProperties.stringPropertyNames().stream()
      .filter(name -> name.startsWith("silo.") && !name.startsWith("silo.test.") && !known.contains(name))
      .sorted().forEach(unknown::add);
    return unknown;
  }

  private static SiloOptions apply(SiloOptions options, ConfigKey<?> key, Object raw, String source) {
    return options.withValue(key, parse(key, raw, source));
  }

  static Object parse(ConfigKey<?> key, Object raw, String source) {
    if (raw == null) {
      throw new ConfigException("invalid configuration: " + key.name() + " must not be null (from " + source + ")");
    }
    try {
      return key.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid configuration: " + key.name() + " " + e.getMessage()
        + ", got '" + raw + "' (from " + source + ")");
    }
  }
}
