package dev.silo;

import dev.silo.cli.SiloCli;
import dev.silo.config.ConfigException;
import dev.silo.config.ConfigKey;
import dev.silo.config.ConfigLoader;
import dev.silo.config.LoadedConfig;
import dev.silo.config.SiloOptions;
import dev.silo.logging.SiloLayout;
import dev.silo.metrics.SiloMetrics;
import dev.silo.tenant.TenantContext;
import dev.silo.util.SiloVersion;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of the fat jar: {@code java -jar silo.jar [-conf conf/silo.json]} starts the
 * server, and {@code java -jar silo.jar COMMAND ...} runs an admin command of {@link SiloCli}
 * against a running server.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && SiloCli.COMMANDS.contains(args[0])) {
      System.exit(SiloCli.run(args, System.out, System.err, System.getenv()));
    }
    Path configFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-h":
        case "--help":
          printHelp();
          return;
        case "--version":
          System.out.println("silo " + SiloVersion.get());
          return;
        case "-conf":
        case "--conf":
          if (i + 1 >= args.length) {
            exit("missing file after " + args[i]);
          }
          configFile = Path.of(args[++i]);
          break;
        default:
          exit("unknown argument '" + args[i] + "'; run with --help");
      }
    }

    // Context locals must be registered before the first Vertx of the JVM, and the
    // short-lived one that loads the configuration is that first one.
    TenantContext.register();
    LoadedConfig config;
    try {
      config = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      exit(e.getMessage());
      return;
    }
    SiloOptions options = config.options();

    applyLogging(options);
    for (String name : config.unknownNames()) {
      LOG.warn("Ignoring {}: it is not a configuration key; run with --help to list the keys", name);
    }

    Vertx vertx = SiloMetrics.newVertx(new VertxOptions(), options);
    SiloServer server;
    try {
      server = SiloServer.start(vertx, options).await(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      // SiloServer has logged the reason.
      LOG.debug("Start-up failed", e);
      vertx.close();
      System.exit(1);
      return;
    }
    Shutdown.install(vertx, server);
  }

  /** Applies log_format and log_access; logging starts before the configuration is loaded. */
  private static void applyLogging(SiloOptions options) {
    SiloLayout.useJson("JSON".equals(options.get(SiloOptions.LOG_FORMAT)));
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.silo.access"))
      .setLevel(ch.qos.logback.classic.Level.toLevel(options.get(SiloOptions.LOG_ACCESS)));
  }

  private static void printHelp() {
    System.out.print(help());
  }

  /** Returns the text of {@code --help}: usage, the admin commands and the configuration keys. */
  @SuppressWarnings("unchecked")
  static String help() {
    StringBuilder help = new StringBuilder()
      .append("Usage: java -jar silo.jar [-conf FILE]\n")
      .append("       java -jar silo.jar COMMAND [OPTIONS]\n")
      .append("       java -jar silo.jar --version\n\n")
      .append("Without a command, starts the Silo server. Configuration layers, later wins: built-in defaults,\n")
      .append("FILE (default conf/silo.json when present), environment variables SILO_<KEY>,\n")
      .append("system properties silo.<key>.\n\nKeys:\n");
    for (ConfigKey<?> key : SiloOptions.KEYS) {
      Object value = key.defaultValue();
      String shown = value instanceof List ? String.join(",", (List<String>) value) : String.valueOf(value);
      help.append(String.format("  %s (%s)%n      %s (default: %s)%n", key.name(), key.environmentVariable(),
        key.description(), shown.isEmpty() ? "(empty)" : shown));
    }
    help.append("\nCommands, run against a running server at --url (default: SILO_URL, else ")
      .append(SiloCli.DEFAULT_URL).append(")\nwith the token of --token, SILO_TOKEN or data/admin.token;")
      .append(" COMMAND --help lists their options:\n")
      .append("  tenants create|list|get|suspend|resume|delete\n")
      .append("  tokens create TENANT\n")
      .append("  migrate        migrates every tenant to the current schema, showing a progress bar\n")
      .append("  backup create|list TENANT\n")
      .append("  restore TENANT BACKUP_ID\n");
    return help.toString();
  }

  private static void exit(String message) {
    System.err.println("silo: " + message);
    System.exit(2);
  }
}
