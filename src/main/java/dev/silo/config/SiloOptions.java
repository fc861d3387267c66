package dev.silo.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checked configuration of one Silo server.
 * <p>
 * Instances are immutable and complete: every key has a value, either set by an operator
 * or its default. Build one with {@link ConfigLoader}, or with {@link #defaults()} and
 * {@link #with(ConfigKey, Object)} in tests.
 */
public final class SiloOptions {

  private static final int AVAILABLE_PROCESSORS = Runtime.getRuntime().availableProcessors();

  public static final ConfigKey<String> HTTP_HOST = new ConfigKey<>("http_host", "0.0.0.0",
    "address the HTTP server binds to", Parsers.text(false));
  public static final ConfigKey<Integer> HTTP_PORT = new ConfigKey<>("http_port", 8080,
    "HTTP port; 0 picks a free port", Parsers.integer(0, 65535));
  public static final ConfigKey<Integer> HTTP_BODY_LIMIT = new ConfigKey<>("http_body_limit", 8 * 1024 * 1024,
    "largest accepted request body, in bytes", Parsers.integer(1024, Integer.MAX_VALUE));
  public static final ConfigKey<Integer> HTTP_INSTANCES = new ConfigKey<>("http_instances", AVAILABLE_PROCESSORS,
    "HTTP verticle instances (event loops serving HTTP)", Parsers.integer(1, 256));
  public static final ConfigKey<Integer> RATE_LIMIT_PER_SECOND = new ConfigKey<>("rate_limit_per_second", 0,
    "requests per second allowed to one token on /admin and /api; 0 turns the limit off", Parsers.integer(0, 1_000_000));
  public static final ConfigKey<Integer> RATE_LIMIT_BURST = new ConfigKey<>("rate_limit_burst", 0,
    "requests one token may send at once above its rate; 0 means one second's worth", Parsers.integer(0, 10_000_000));
  public static final ConfigKey<String> LOG_FORMAT = new ConfigKey<>("log_format", "TEXT",
    "format of log lines: TEXT, or JSON for one object per line",
    Parsers.oneOf("TEXT", "JSON"));
  public static final ConfigKey<String> LOG_ACCESS = new ConfigKey<>("log_access", "INFO",
    "level of the access log, one line per HTTP response: INFO, WARN (5xx responses only) or OFF",
    Parsers.oneOf("INFO", "WARN", "OFF"));
  public static final ConfigKey<String> DATA_DIR = new ConfigKey<>("data_dir", "data",
    "folder of system.db, tenants/ and backups/", Parsers.text(false));
  public static final ConfigKey<String> ADMIN_TOKEN = new ConfigKey<>("admin_token", "",
    "initial admin token; generated into <data_dir>/admin.token when empty", Parsers.text(true));
  public static final ConfigKey<List<String>> TENANT_MIGRATIONS = new ConfigKey<>("tenant_migrations",
    List.of("classpath:db/tenant"),
    "Flyway locations of tenant migrations, comma-separated (classpath: or filesystem:)", Parsers.list());
  public static final ConfigKey<Integer> TENANT_MAX_OPEN = new ConfigKey<>("tenant_max_open", 256,
    "most tenant pools open at once, across all data verticles", Parsers.integer(1, 100_000));
  public static final ConfigKey<Integer> TENANT_POOL_SIZE = new ConfigKey<>("tenant_pool_size", 4,
    "connections per tenant pool", Parsers.integer(1, 64));
  public static final ConfigKey<Integer> TENANT_ACQUIRE_TIMEOUT_MS = new ConfigKey<>("tenant_acquire_timeout_ms", 5_000,
    "longest wait for a tenant connection, and for a free pool slot, in milliseconds", Parsers.integer(1, 600_000));
  public static final ConfigKey<Integer> TENANT_IDLE_TIMEOUT_MS = new ConfigKey<>("tenant_idle_timeout_ms", 300_000,
    "idle time after which a tenant pool is closed, in milliseconds", Parsers.integer(1_000, Integer.MAX_VALUE));
  public static final ConfigKey<Integer> DATA_INSTANCES = new ConfigKey<>("data_instances", Math.max(2, AVAILABLE_PROCESSORS),
    "tenant data verticle instances; each owns the pools of a share of the tenants", Parsers.integer(1, 256));
  public static final ConfigKey<String> SQLITE_SYNCHRONOUS = new ConfigKey<>("sqlite_synchronous", "NORMAL",
    "SQLite synchronous mode of every connection: OFF, NORMAL, FULL or EXTRA", Parsers.oneOf("OFF", "NORMAL", "FULL", "EXTRA"));
  public static final ConfigKey<Integer> SQLITE_BUSY_TIMEOUT_MS = new ConfigKey<>("sqlite_busy_timeout_ms", 5_000,
    "SQLite busy timeout of every connection, in milliseconds", Parsers.integer(0, 600_000));
  public static final ConfigKey<Boolean> TENANT_MIGRATE_ON_OPEN = new ConfigKey<>("tenant_migrate_on_open", true,
    "migrate a tenant that is behind the target schema version when its pool opens; when false it gets 503 "
      + "until a migrate-all job has run", Parsers.bool());
  public static final ConfigKey<Integer> MIGRATION_PARALLELISM = new ConfigKey<>("migration_parallelism", 1,
    "tenants migrated at once by a migrate-all job", Parsers.integer(1, 64));
  public static final ConfigKey<Integer> BACKUP_RETENTION = new ConfigKey<>("backup_retention", 7,
    "backups kept per tenant; each new backup deletes the oldest beyond this number", Parsers.integer(1, 10_000));
  public static final ConfigKey<Integer> READY_MIN_FREE_MB = new ConfigKey<>("ready_min_free_mb", 100,
    "free space the data folder's file system needs for GET /ready to report ready, in MiB", Parsers.integer(0, Integer.MAX_VALUE));
  public static final ConfigKey<Integer> SHUTDOWN_TIMEOUT_MS = new ConfigKey<>("shutdown_timeout_ms", 10_000,
    "longest wait for in-flight requests at shutdown, in milliseconds", Parsers.integer(0, 600_000));

  /** Every key, in the order `--help` and the README list them. */
  public static final List<ConfigKey<?>> KEYS = List.of(HTTP_HOST, HTTP_PORT, HTTP_BODY_LIMIT, HTTP_INSTANCES,
    RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST, LOG_FORMAT, LOG_ACCESS, DATA_DIR, ADMIN_TOKEN, TENANT_MIGRATIONS, TENANT_MAX_OPEN, TENANT_POOL_SIZE, TENANT_ACQUIRE_TIMEOUT_MS,
    TENANT_IDLE_TIMEOUT_MS, DATA_INSTANCES, SQLITE_SYNCHRONOUS, SQLITE_BUSY_TIMEOUT_MS, TENANT_MIGRATE_ON_OPEN, MIGRATION_PARALLELISM,
    BACKUP_RETENTION, READY_MIN_FREE_MB, SHUTDOWN_TIMEOUT_MS);

  private final Map<ConfigKey<?>, Object> values;

  private SiloOptions(Map<ConfigKey<?>, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /** Returns the options with every key at its default. */
  public static SiloOptions defaults() {
    Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
    KEYS.forEach(key -> values.put(key, key.defaultValue()));
    return new SiloOptions(values);
  }

  /**
   * Returns the options with these checked values, which must cover every key.
   *
   * @throws IllegalStateException when a key has no value
   */
  static SiloOptions of(Map<ConfigKey<?>, Object> checkedValues) {
    Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
    for (ConfigKey<?> key : KEYS) {
      if (!checkedValues.containsKey(key)) {
        throw new IllegalStateException("no value for configuration key " + key.name());
      }
      values.put(key, checkedValues.get(key));
    }
    return new SiloOptions(values);
  }

  /**
   * Returns a copy with one key changed.
   *
   * @throws ConfigException when the value breaks the key's rule
   */
  public SiloOptions with(ConfigKey<?> key, Object raw) {
    Map<ConfigKey<?>, Object> copy = new LinkedHashMap<>(values);
    copy.put(key, key.parse(raw, "code"));
    return new SiloOptions(copy);
  }

  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    return (T) values.get(key);
  }

  public Path dataDir() {
    return Path.of(get(DATA_DIR));
  }

  public Duration duration(ConfigKey<Integer> millisKey) {
    return Duration.ofMillis(get(millisKey));
  }

  /** Returns the options as JSON, with the admin token masked, for logs and diagnostics. */
  @SuppressWarnings("unchecked")
  public JsonObject toSafeJson() {
    JsonObject json = new JsonObject();
    values.forEach((key, value) -> json.put(key.name(), value instanceof List ? String.join(",", (List<String>) value) : value));
    if (!get(ADMIN_TOKEN).isEmpty()) {
      json.put(ADMIN_TOKEN.name(), "***");
    }
    return json;
  }
}
