package dev.silo.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Builds {@link SiloOptions} from its layers with vertx-config, later wins: built-in
 * defaults ({@code json} store), the JSON file ({@code file}), environment variables
 * {@code SILO_<KEY>} ({@code env}), system properties {@code silo.<key>} ({@code sys}).
 * <p>
 * vertx-config merges the stores of one retriever into one JSON object, which does not
 * record the store of each value. So each layer is read by a retriever of its own, and
 * this class applies the layers in order. Every value is checked once, by its
 * {@link ConfigKey}, and the first invalid value stops the load with a
 * {@link ConfigException} naming the key and where the value came from.
 */
public final class ConfigLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  /** The file read when no {@code -conf} is given; a missing default file is not an error. */
  public static final Path DEFAULT_FILE = Path.of("conf", "silo.json");

  private static final long TIMEOUT_SECONDS = 60;

  private ConfigLoader() {
  }

  /**
   * Loads the configuration of this process on a short-lived Vert.x instance, which is
   * closed before this returns. The server's own instance cannot do it, because its
   * options (metrics) come from this configuration.
   * <p>
   * Blocks the calling thread, so call it from {@code main}, never on a Vert.x thread.
   * Register every {@code ContextLocal} before calling it, because the instance it creates
   * may be the first of the JVM, and an instance cannot use a local registered after it.
   *
   * @param file the file given with {@code -conf}, or {@code null} for {@link #DEFAULT_FILE} if present
   * @throws ConfigException when the file is missing or malformed, or a value is invalid
   */
  public static LoadedConfig load(Path file) {
    return load(layers(file, DEFAULT_FILE));
  }

  /** Loads {@code layers} like {@link #load(Path)}, on a short-lived Vert.x instance. */
  static LoadedConfig load(List<ConfigLayer> layers) {
    Vertx vertx = Vertx.vertx(loadingVertxOptions());
    try {
      return read(vertx, layers);
    } finally {
      close(vertx);
    }
  }

  /**
   * Returns the options of the short-lived Vert.x instance: one thread of each kind, and
   * no class-path lookup of files, which would create a file cache folder for nothing.
   */
  private static VertxOptions loadingVertxOptions() {
    return new VertxOptions()
      .setEventLoopPoolSize(1)
      .setWorkerPoolSize(1)
      .setInternalBlockingPoolSize(1)
      .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false));
  }

  /**
   * Returns the layers in the order in which a later one wins. Checks on the calling thread
   * whether {@code defaultFile} exists.
   *
   * @param file the file given with {@code -conf}, which must exist, or {@code null}
   */
  static List<ConfigLayer> layers(Path file, Path defaultFile) {
    List<ConfigLayer> layers = new ArrayList<>();
    layers.add(ConfigLayer.defaults());
    // The store's optional flag is not used, because it would also hide a malformed default file.
    if (file != null) {
      layers.add(ConfigLayer.file(file));
    } else if (Files.isRegularFile(defaultFile)) {
      layers.add(ConfigLayer.file(defaultFile));
    }
    layers.add(ConfigLayer.environment());
    layers.add(ConfigLayer.systemProperties());
    return layers;
  }

  /**
   * Reads every layer on {@code vertx} and applies them in order. Blocks the calling thread
   * until the stores have returned, so never call it on a Vert.x thread.
   */
  private static LoadedConfig read(Vertx vertx, List<ConfigLayer> layers) {
    // Retrievers are created on the calling thread, because each one loads the store factories with ServiceLoader.
    List<Future<JsonObject>> contents = new ArrayList<>();
    for (ConfigLayer layer : layers) {
      ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .setScanPeriod(0)
        .addStore(layer.store()));
      contents.add(retriever.getConfig().eventually(retriever::close));
    }
    // Waits for every store, failed or not, because select() reports a failure with its layer.
    await(Future.join(contents).otherwiseEmpty(), "reading the configuration");

    Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
    List<String> unknownNames = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      ConfigLayer.Selection selection = select(layers.get(i), contents.get(i));
      for (ConfigLayer.Setting setting : selection.settings()) {
        values.put(setting.key(), setting.key().parse(setting.raw(), setting.source()));
      }
      unknownNames.addAll(selection.unknownNames());
    }
    return new LoadedConfig(SiloOptions.of(values), unknownNames);
  }

  private static ConfigLayer.Selection select(ConfigLayer layer, Future<JsonObject> content) {
    if (content.failed()) {
      throw readFailed(layer, content.cause());
    }
    ConfigLayer.Selection selection = layer.select(content.result());
    if (layer.kind() == ConfigLayer.Kind.FILE && !selection.unknownNames().isEmpty()) {
      throw new ConfigException("unknown configuration key '" + selection.unknownNames().get(0) + "' in "
        + layer.file() + "; run with --help to list the keys");
    }
    return selection;
  }

  /** Returns the error for a store that failed, naming the file and the cause in plain words. */
  private static ConfigException readFailed(ConfigLayer layer, Throwable failure) {
    if (layer.kind() != ConfigLayer.Kind.FILE) {
      return new ConfigException("reading the configuration layer " + layer.kind() + " failed: " + failure);
    }
    Path file = layer.file();
    if (failure.getCause() instanceof NoSuchFileException) {
      return new ConfigException("configuration file " + file + " does not exist");
    }
    if (failure instanceof DecodeException || failure instanceof ClassCastException) {
      return new ConfigException("configuration file " + file + " is not a JSON object: " + firstSentence(failure));
    }
    Throwable reason = failure.getCause() != null ? failure.getCause() : failure;
    return new ConfigException("reading configuration file " + file + " failed: " + reason);
  }

  /**
   * Returns the parser's message up to the first source excerpt that Jackson adds, such as
   * {@code (start marker at [Source: ...])} or {@code at [Source: ...; line: 1, column: 18]}.
   */
  private static String firstSentence(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int source = message.indexOf("[Source");
    if (source >= 0) {
      message = message.substring(0, source).replaceAll("\\s*(\\(start marker at|at)\\s*$", "");
    }
    return message.replace('\n', ' ').trim();
  }

  private static <T> T await(Future<T> future, String operation) {
    try {
      return future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new ConfigException(operation + " timed out after " + TIMEOUT_SECONDS + " s");
    }
  }

  /** Closes the loading instance. A close that times out is logged and leaves its threads behind. */
  private static void close(Vertx vertx) {
    try {
      vertx.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      LOG.warn("Closing the Vert.x instance that loaded the configuration timed out after {} s", TIMEOUT_SECONDS);
    }
  }
}
