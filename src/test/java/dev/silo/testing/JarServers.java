package dev.silo.testing;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fat-jar processes of one end-to-end test, as a JUnit extension: register it with
 * {@code @RegisterExtension}. After a failed test it prints the output of every process
 * the test started, and after each test it kills the ones still running.
 */
public final class JarServers implements AfterTestExecutionCallback, AfterEachCallback {

  /** The initial admin token that {@link #environment} gives every server. */
  public static final String ADMIN_TOKEN = "silo_jar_it_admin_token";

  private final Supplier<Path> workDir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final List<JarProcess> started = new ArrayList<>();

  /**
   * @param workDir the working folder of the processes and of their log files. It is a
   *                supplier because JUnit sets a {@code @TempDir} field after this extension is built.
   */
  public JarServers(Supplier<Path> workDir) {
    this.workDir = workDir;
  }

  /**
   * Returns the environment of a server on a new free loopback port, as a map the caller
   * may change. With {@code dataDir} null, the data folder stays at its default,
   * {@code data} in the working folder.
   */
  public static Map<String, String> environment(Path dataDir) {
    Map<String, String> environment = new HashMap<>();
    environment.put("SILO_HTTP_HOST", "127.0.0.1");
    environment.put("SILO_HTTP_PORT", Integer.toString(JarProcess.freePort()));
    environment.put("SILO_ADMIN_TOKEN", ADMIN_TOKEN);
    if (dataDir != null) {
      environment.put("SILO_DATA_DIR", dataDir.toString());
    }
    return environment;
  }

  /** Starts the jar with this environment and these arguments, and waits until it is ready. */
  public JarProcess start(Map<String, String> environment, List<String> arguments) {
    int port = Integer.parseInt(environment.get("SILO_HTTP_PORT"));
    Path log = workDir.get().resolve("silo-" + (started.size() + 1) + ".log");
    JarProcess jar = JarProcess.start(workDir.get(), port, environment, arguments, log, http);
    started.add(jar);
    return jar.awaitReady();
  }

  /** Returns the request body that provisions tenant {@code id}. */
  public static JsonObject tenantRequest(String id) {
    return new JsonObject().put("id", id).put("name", "Tenant " + id).put("plan", "standard");
  }

  /** Provisions a tenant with the admin token and returns the reply, which must be 201. */
  public static JsonObject provision(JarProcess jar, String id) {
    HttpResult result = jar.call("POST", "/admin/tenants", ADMIN_TOKEN, tenantRequest(id));
    assertThat(result.status()).as("provision %s: %s", id, result).isEqualTo(201);
    return result.json();
  }

  /** Creates a token for a tenant with the admin token and returns its secret. */
  public static String tenantToken(JarProcess jar, String id) {
    HttpResult result = jar.call("POST", "/admin/tenants/" + id + "/tokens", ADMIN_TOKEN,
      new JsonObject().put("name", "end-to-end test"));
    assertThat(result.status()).as("token for %s: %s", id, result).isEqualTo(201);
    assertThat(result.json().getString("tenant_id")).isEqualTo(id);
    return result.json().getString("token");
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      for (JarProcess process : started) {
        System.err.printf("---- output of silo.jar on port %d ----%n%s---- end of output ----%n",
          process.port(), process.output());
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    started.forEach(JarProcess::close);
    started.clear();
  }
}
