package dev.silo;

import dev.silo.testing.HttpResult;
import dev.silo.testing.JarProcess;
import dev.silo.testing.JarServers;
import dev.silo.util.SiloVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.silo.testing.JarServers.ADMIN_TOKEN;
import static dev.silo.testing.JarServers.provision;
import static dev.silo.testing.JarServers.tenantRequest;
import static dev.silo.testing.JarServers.tenantToken;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of the fat jar: {@code java -jar target/silo.jar} runs as a separate
 * process configured by {@code SILO_*} environment variables, and the test talks to it
 * over HTTP on loopback. Failsafe runs it after {@code package}.
 */
class FatJarIT {

  /** Silo handles SIGTERM: it stops gracefully and exits with 0, where a JVM would exit with 128 + 15. */
  private static final int EXIT_AFTER_SIGTERM = 0;

  @TempDir
  Path workDir;

  @RegisterExtension
  final JarServers jars = new JarServers(() -> workDir);

  @Test
  void lifecycleSurvivesRestart() throws IOException {
    Path dataDir = workDir.resolve("silo-data");
    // The shipped conf/silo.json is the base layer, and the environment overrides host, port and folder.
    List<String> arguments = List.of("-conf", Path.of("conf", "silo.json").toAbsolutePath().toString());
    JarProcess jar = jars.start(JarServers.environment(dataDir), arguments);

    HttpResult health = jar.call("GET", "/health", null, null);
    assertThat(health.status()).as("GET /health: %s", health).isEqualTo(200);

    JsonObject tenant = provision(jar, "fatjar-life");
    assertThat(tenant.getString("status")).isEqualTo("active");
    HttpResult duplicate = jar.call("POST", "/admin/tenants", ADMIN_TOKEN, tenantRequest("fatjar-life"));
    assertThat(duplicate.status()).as("second provision: %s", duplicate).isEqualTo(409);
    assertThat(duplicate.errorCode()).isEqualTo("conflict");

    HttpResult suspended = jar.call("POST", "/admin/tenants/fatjar-life/suspend", ADMIN_TOKEN,
      new JsonObject().put("reason", "invoice overdue"));
    assertThat(suspended.status()).as("suspend: %s", suspended).isEqualTo(200);
    assertThat(suspended.json().getString("status")).isEqualTo("suspended");
    assertThat(suspended.json().getString("suspended_reason")).isEqualTo("invoice overdue");
    HttpResult resumed = jar.call("POST", "/admin/tenants/fatjar-life/resume", ADMIN_TOKEN, null);
    assertThat(resumed.status()).as("resume: %s", resumed).isEqualTo(200);
    assertThat(resumed.json().getString("status")).isEqualTo("active");

    provision(jar, "fatjar-gone");
    String goneToken = tenantToken(jar, "fatjar-gone");
    HttpResult deleted = jar.call("DELETE", "/admin/tenants/fatjar-gone", ADMIN_TOKEN, null);
    assertThat(deleted.status()).as("delete: %s", deleted).isEqualTo(204);
    assertThat(dataDir.resolve("tenants").resolve("fatjar-gone.db")).doesNotExist();
    HttpResult afterDelete = jar.call("GET", "/api/products", goneToken, null);
    assertThat(afterDelete.status()).as("token of a deleted tenant: %s", afterDelete).isEqualTo(401);
    assertThat(afterDelete.errorCode()).isEqualTo("unauthorized");

    assertThat(jar.stop()).as("exit code after SIGTERM").isEqualTo(EXIT_AFTER_SIGTERM);
    assertThat(jar.output()).contains("Silo stopped");

    JarProcess restarted = jars.start(JarServers.environment(dataDir), arguments);
    HttpResult afterRestart = restarted.call("GET", "/admin/tenants/fatjar-life", ADMIN_TOKEN, null);
    assertThat(afterRestart.status()).as("tenant after restart: %s", afterRestart).isEqualTo(200);
    assertThat(afterRestart.json().getString("status")).isEqualTo("active");
    HttpResult goneAfterRestart = restarted.call("GET", "/admin/tenants/fatjar-gone", ADMIN_TOKEN, null);
    assertThat(goneAfterRestart.status()).as("deleted tenant after restart: %s", goneAfterRestart).isEqualTo(404);
    assertThat(goneAfterRestart.errorCode()).isEqualTo("tenant_not_found");
  }

  @Test
  void importedOrdersSurviveRestart() {
    Path dataDir = workDir.resolve("silo-data");
    JarProcess jar = jars.start(JarServers.environment(dataDir), List.of());
    provision(jar, "fatjar-shop");
    String token = tenantToken(jar, "fatjar-shop");

    HttpResult imported = jar.call("POST", "/api/import", token, SampleShop.document());
    assertThat(imported.status()).as("import: %s", imported).isEqualTo(200);

    HttpResult pending = jar.call("GET", "/api/orders?status=pending", token, null);
    assertThat(pending.status()).as("pending orders: %s", pending).isEqualTo(200);
    assertThat(ids(pending.items())).containsExactlyInAnyOrderElementsOf(SampleShop.PENDING_ORDER_IDS);
    assertThat(pending.json().getValue("next")).isNull();

    HttpResult suspended = jar.call("POST", "/admin/tenants/fatjar-shop/suspend", ADMIN_TOKEN,
      new JsonObject().put("reason", "end-to-end test"));
    assertThat(suspended.status()).as("suspend: %s", suspended).isEqualTo(200);
    HttpResult whileSuspended = jar.call("GET", "/api/orders?status=pending", token, null);
    assertThat(whileSuspended.status()).as("request while suspended: %s", whileSuspended).isEqualTo(403);
    assertThat(whileSuspended.errorCode()).isEqualTo("tenant_suspended");
    HttpResult resumed = jar.call("POST", "/admin/tenants/fatjar-shop/resume", ADMIN_TOKEN, null);
    assertThat(resumed.status()).as("resume: %s", resumed).isEqualTo(200);
    HttpResult afterResume = jar.call("GET", "/api/orders?status=pending", token, null);
    assertThat(afterResume.status()).as("request after resume: %s", afterResume).isEqualTo(200);

    assertThat(jar.stop()).as("exit code after SIGTERM").isEqualTo(EXIT_AFTER_SIGTERM);

    JarProcess restarted = jars.start(JarServers.environment(dataDir), List.of());
    HttpResult order = restarted.call("GET", "/api/orders/" + SampleShop.CHECKED_ORDER_ID, token, null);
    assertThat(order.status()).as("order after restart: %s", order).isEqualTo(200);
    assertThat(order.json().getString("status")).isEqualTo("pending");
    assertThat(order.json().getString("customer_id")).isEqualTo(SampleShop.CHECKED_ORDER_CUSTOMER);
    assertThat(order.json().getJsonArray("lines")).hasSize(SampleShop.CHECKED_ORDER_LINES);
    assertThat(order.json().getLong("total_cents")).isEqualTo(SampleShop.CHECKED_ORDER_TOTAL_CENTS);
    HttpResult pendingAfterRestart = restarted.call("GET", "/api/orders?status=pending", token, null);
    assertThat(ids(pendingAfterRestart.items())).containsExactlyInAnyOrderElementsOf(SampleShop.PENDING_ORDER_IDS);
    HttpResult product = restarted.call("GET", "/api/products/" + SampleShop.CHECKED_PRODUCT_ID, token, null);
    assertThat(product.status()).as("product after restart: %s", product).isEqualTo(200);
    // An imported order reserves no stock, so the stock is the imported figure.
    assertThat(product.json().getLong("units_in_stock")).isEqualTo(SampleShop.CHECKED_PRODUCT_STOCK);
  }

  @Test
  void generatedAdminTokenFileWorks() throws IOException {
    // No SILO_DATA_DIR and no SILO_ADMIN_TOKEN: the jar uses ./data and generates the token.
    Map<String, String> environment = JarServers.environment(null);
    environment.remove("SILO_ADMIN_TOKEN");
    JarProcess jar = jars.start(environment, List.of());

    Path tokenFile = workDir.resolve("data").resolve("admin.token");
    assertThat(tokenFile).isRegularFile();
    assertThat(Files.getPosixFilePermissions(tokenFile))
      .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    String token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
    assertThat(token).startsWith("silo_");

    HttpResult tenants = jar.call("GET", "/admin/tenants", token, null);
    assertThat(tenants.status()).as("GET /admin/tenants with the generated token: %s", tenants).isEqualTo(200);
    HttpResult unknown = jar.call("GET", "/admin/tenants", token + "x", null);
    assertThat(unknown.status()).as("GET /admin/tenants with a wrong token: %s", unknown).isEqualTo(401);
    assertThat(jar.output()).as("server output").contains(tokenFile.getFileName().toString())
      .doesNotContain(token);

    assertThat(jar.stop()).as("exit code after SIGTERM").isEqualTo(EXIT_AFTER_SIGTERM);
    JarProcess restarted = jars.start(environment, List.of());
    assertThat(Files.readString(tokenFile, StandardCharsets.UTF_8).trim()).as("token after restart").isEqualTo(token);
    HttpResult afterRestart = restarted.call("GET", "/admin/tenants", token, null);
    assertThat(afterRestart.status()).as("generated token after restart: %s", afterRestart).isEqualTo(200);
  }

  @Test
  void metricsServedFromJar() {
    JarProcess jar = jars.start(JarServers.environment(workDir.resolve("silo-data")), List.of());
    provision(jar, "fatjar-metrics");

    HttpResult metrics = jar.call("GET", "/metrics", null, null);

    // Vert.x finds the Micrometer metrics factory through a merged META-INF/services file.
    assertThat(metrics.status()).as("GET /metrics: %s", metrics).isEqualTo(200);
    assertThat(metrics.body()).contains("vertx_http_server_requests_total{code=\"201\",method=\"POST\",route=\"/admin/tenants\"}");
    assertThat(metrics.body()).contains("silo_tenant_pools_open");
  }

  @Test
  void adminCommandsRunFromJar() throws Exception {
    JarProcess jar = jars.start(JarServers.environment(workDir.resolve("silo-data")), List.of());
    String url = "http://127.0.0.1:" + jar.port();

    CommandResult created = runJar("tenants", "create", "fatjar-cli", "--plan", "pro", "--url", url, "--token", ADMIN_TOKEN);
    CommandResult listed = runJar("tenants", "list", "--json", "--url", url, "--token", ADMIN_TOKEN);
    CommandResult missing = runJar("tenants", "get", "fatjar-none", "--url", url, "--token", ADMIN_TOKEN);
    CommandResult help = runJar("--help");
    CommandResult version = runJar("--version");

    assertThat(created.exitCode()).as(created.output()).isZero();
    assertThat(created.output()).contains("fatjar-cli", "active");
    assertThat(listed.exitCode()).as(listed.output()).isZero();
    assertThat(new JsonObject(listed.output()).getJsonArray("items")).hasSize(1);
    assertThat(missing.exitCode()).as(missing.output()).isEqualTo(3);
    assertThat(missing.output()).contains("tenant_not_found");
    assertThat(help.exitCode()).as(help.output()).isZero();
    assertThat(help.output()).contains("http_port", "tenants create|list|get|suspend|resume|delete");
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output().trim()).isEqualTo("silo " + SiloVersion.get());
  }

  @Test
  void invalidConfigurationStopsJar() throws Exception {
    // Loopback and a free port, so that a jar that wrongly starts serves nothing outside.
    Map<String, String> environment = JarServers.environment(workDir.resolve("silo-data"));
    Files.writeString(workDir.resolve("bad.json"), "{\"tenant_pool_size\": 0}");
    Map<String, String> invalidPort = new HashMap<>(environment);
    invalidPort.put("SILO_HTTP_PORT", "eighty");

    CommandResult invalidVariable = runJar(invalidPort);
    CommandResult invalidFile = runJar(environment, "-conf", "bad.json");
    CommandResult missingFile = runJar(environment, "-conf", "absent.json");

    assertThat(invalidVariable.exitCode()).as(invalidVariable.output()).isEqualTo(2);
    assertThat(invalidVariable.output())
      .contains("invalid configuration: http_port", "'eighty'", "(from environment variable SILO_HTTP_PORT)");
    assertThat(invalidFile.exitCode()).as(invalidFile.output()).isEqualTo(2);
    assertThat(invalidFile.output()).contains("invalid configuration: tenant_pool_size", "(from file bad.json)");
    assertThat(missingFile.exitCode()).as(missingFile.output()).isEqualTo(2);
    assertThat(missingFile.output()).contains("silo: configuration file absent.json does not exist");
  }

  @Test
  void unknownEnvironmentNameWarnedByJar() {
    Map<String, String> environment = JarServers.environment(workDir.resolve("silo-data"));
    environment.put("SILO_HTTP_PROT", "9999");

    JarProcess jar = jars.start(environment, List.of());

    assertThat(jar.output()).contains("Ignoring SILO_HTTP_PROT: it is not a configuration key");
  }

  private record CommandResult(int exitCode, String output) {
  }

  /** Runs {@code java -jar silo.jar ARGS} without {@code SILO_*} variables; see {@link #runJar(Map, String...)}. */
  private CommandResult runJar(String... args) throws IOException, InterruptedException {
    return runJar(Map.of(), args);
  }

  /**
   * Runs {@code java -jar silo.jar ARGS} to completion with {@code environment} in place of
   * the test's {@code SILO_*} variables, and returns its exit code and combined output.
   */
  private CommandResult runJar(Map<String, String> environment, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-jar", JarProcess.jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("SILO_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("java -jar silo.jar " + String.join(" ", args) + " did not exit within 60 s");
    }
    return new CommandResult(process.exitValue(), output);
  }

  private static Set<Long> ids(JsonArray items) {
    return items.stream().map(item -> ((JsonObject) item).getLong("id")).collect(Collectors.toSet());
  }
}
