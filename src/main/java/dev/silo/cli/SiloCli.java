package dev.silo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The admin commands of the jar ({@code java -jar silo.jar tenants list}), a client of a
 * running server's {@code /admin} API. See {@link ExitCodes} for the exit codes.
 * <p>
 * The token comes from {@code --token}, else {@code SILO_TOKEN}, else the file
 * {@code admin.token} in {@code SILO_DATA_DIR} (default {@code data}).
 */
@Command(name = "java -jar silo.jar",
  subcommands = {TenantsCommand.class, TokensCommand.class, MigrateCommand.class, BackupCommand.class,
    RestoreCommand.class},
  description = "Administers a running Silo server over its /admin API.",
  footer = {"", "Exit codes: 0 success, 1 other failure (server unreachable, 5xx, failed migration job),",
    "2 usage error, 3 not found, 4 conflict or invalid request, 5 missing, unknown or forbidden token."})
public final class SiloCli implements Callable<Integer> {

  /** Names of the commands: {@code Main} runs this CLI when its first argument is one of them. */
  public static final List<String> COMMANDS = List.of("tenants", "tokens", "migrate", "backup", "restore");

  /** Server address used when neither --url nor SILO_URL is set. */
  public static final String DEFAULT_URL = "http://127.0.0.1:8080";

  @Spec
  CommandSpec spec;

  @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
    description = "address of the server (default: SILO_URL, else " + DEFAULT_URL + ")")
  String url;

  @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
    description = "staff token (default: SILO_TOKEN, else the file admin.token in SILO_DATA_DIR, default data)")
  String token;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help and exit")
  boolean help;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "print JSON instead of a table")
  boolean json;

  private final Map<String, String> environment;
  private PrintWriter out;
  private PrintWriter err;

  SiloCli(Map<String, String> environment) {
    this.environment = environment;
  }

  /**
   * Runs a command line and returns its exit code. Blocking: it waits for the server's replies.
   *
   * @param environment the environment variables to read {@code SILO_URL}, {@code SILO_TOKEN} and
   *                    {@code SILO_DATA_DIR} from
   */
  public static int run(String[] args, PrintStream stdout, PrintStream stderr, Map<String, String> environment) {
    SiloCli cli = new SiloCli(environment);
    cli.out = new PrintWriter(stdout, true, StandardCharsets.UTF_8);
    cli.err = new PrintWriter(stderr, true, StandardCharsets.UTF_8);
    CommandLine commandLine = new CommandLine(cli)
      .setOut(cli.out)
      .setErr(cli.err)
      .setExecutionExceptionHandler((e, line, parseResult) -> {
        if (e instanceof CliException) {
          cli.err.println("silo: " + e.getMessage());
          return ((CliException) e).exitCode();
        }
        throw e;
      });
    int code = commandLine.execute(args);
    cli.out.flush();
    cli.err.flush();
    return code;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing command: one of " + String.join(", ", COMMANDS));
  }

  AdminClient client() {
    return new AdminClient(baseUri(), resolveToken());
  }

  Output output() {
    return new Output(out, json);
  }

  PrintWriter err() {
    return err;
  }

  private URI baseUri() {
    String value = url != null ? url : environment.getOrDefault("SILO_URL", DEFAULT_URL);
    URI uri;
    try {
      uri = URI.create(value.endsWith("/") ? value : value + "/");
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "invalid --url '" + value + "': " + e.getMessage());
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new ParameterException(spec.commandLine(), "invalid --url '" + value + "': use http://HOST:PORT");
    }
    return uri;
  }

  private String resolveToken() {
    if (token != null && !token.isBlank()) {
      return token.trim();
    }
    String fromEnvironment = environment.get("SILO_TOKEN");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment.trim();
    }
    Path file = Path.of(environment.getOrDefault("SILO_DATA_DIR", "data"), "admin.token");
    if (Files.isRegularFile(file)) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new CliException(ExitCodes.AUTH, "cannot read the token file " + file + ": " + e.getMessage());
      }
    }
    throw new CliException(ExitCodes.AUTH, "no token: pass --token, set SILO_TOKEN, or run where " + file + " exists");
  }
}
