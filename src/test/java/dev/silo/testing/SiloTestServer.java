package dev.silo.testing;

import dev.silo.SiloServer;
import dev.silo.config.SiloOptions;
import dev.silo.metrics.SiloMetrics;
import dev.silo.tenant.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Silo server for tests: real SQLite files under a temporary folder, the HTTP API
 * on a free loopback port, and a blocked-thread checker with a low limit. {@link #close()}
 * fails the test when any event loop was blocked longer than that limit.
 */
public final class SiloTestServer implements AutoCloseable {

  static {
    TenantContext.register();
  }

  public static final String ADMIN_TOKEN = "silo_test_admin_token";

  /** Blocked-thread limit for event loops, from the build (silo.test.blocked-thread-ms). */
  public static final long BLOCKED_THREAD_MS = Long.getLong("silo.test.blocked-thread-ms", 200);

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Vertx vertx;
  private final SiloServer server;
  private final HttpClient http;
  private final Path dataDir;

  private SiloTestServer(Vertx vertx, SiloServer server, Path dataDir) {
    this.vertx = vertx;
    this.server = server;
    this.dataDir = dataDir;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  }

  /** Starts a server whose data folder is {@code dataDir}. */
  public static SiloTestServer start(Path dataDir) {
    return start(dataDir, UnaryOperator.identity());
  }

  /** Starts a server with options changed by {@code customize}. */
  public static SiloTestServer start(Path dataDir, UnaryOperator<SiloOptions> customize) {
    SiloOptions options = customize.apply(SiloOptions.defaults()
      .with(SiloOptions.HTTP_HOST, "127.0.0.1")
      .with(SiloOptions.HTTP_PORT, 0)
      .with(SiloOptions.HTTP_INSTANCES, 2)
      .with(SiloOptions.DATA_INSTANCES, 2)
      .with(SiloOptions.DATA_DIR, dataDir.toString())
      .with(SiloOptions.ADMIN_TOKEN, ADMIN_TOKEN));
    Vertx vertx = newVertx(options);
    try {
      SiloServer server = await(SiloServer.start(vertx, options));
      return new SiloTestServer(vertx, server, dataDir);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /** Returns a Vert.x instance with the tests' blocked-thread limit. */
  public static Vertx newVertx() {
    TenantContext.register();
    return Vertx.vertx(vertxOptions());
  }

  /** Returns a Vert.x instance with the tests' blocked-thread limit and the metrics of a server with {@code options}. */
  public static Vertx newVertx(SiloOptions options) {
    TenantContext.register();
    return SiloMetrics.newVertx(vertxOptions(), options);
  }

  private static VertxOptions vertxOptions() {
    return new VertxOptions()
      .setBlockedThreadCheckInterval(Math.max(10, BLOCKED_THREAD_MS / 4))
      .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
      .setMaxEventLoopExecuteTime(BLOCKED_THREAD_MS)
      .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
      // Every warning carries the blocked thread's stack, so the watch can tell class loading apart.
      .setWarningExceptionTime(BLOCKED_THREAD_MS)
      .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
  }

  /** Waits for a future from the test thread and returns its result, or throws its failure. */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out after " + TIMEOUT, e);
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public SiloServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Sends a request; {@code token} and {@code tenant} (the X-Tenant-ID header) may be null. */
  public HttpResult call(String method, String path, String token, String tenant, Object body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
      .timeout(TIMEOUT)
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body instanceof String ? (String) body : body.toString()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (tenant != null) {
      request.header("X-Tenant-ID", tenant);
    }
    return send(request.build());
  }

  /** Sends a request without waiting for the response, for tests that need many in flight. */
  public java.util.concurrent.CompletableFuture<HttpResult> callAsync(String method, String path, String token,
                                                                     String tenant, Object body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
      .timeout(TIMEOUT)
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (tenant != null) {
      request.header("X-Tenant-ID", tenant);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
      .thenApply(response -> new HttpResult(response.statusCode(), response.headers(), response.body()));
  }

  /** Sends a body with the admin token and the given Content-Type header. */
  public HttpResult callWithContentType(String method, String path, String contentType, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
      .timeout(TIMEOUT)
      .method(method, HttpRequest.BodyPublishers.ofString(body))
      .header("Content-Type", contentType)
      .header("Authorization", "Bearer " + ADMIN_TOKEN)
      .build();
    return send(request);
  }

  private HttpResult send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new HttpResult(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Sends a request with the admin token. */
  public HttpResult admin(String method, String path, Object body) {
    return call(method, path, ADMIN_TOKEN, null, body);
  }

  /** Provisions a tenant and returns the JSON the server replied with. */
  public JsonObject provision(String id) {
    HttpResult result = admin("POST", "/admin/tenants",
      new JsonObject().put("id", id).put("name", "Tenant " + id).put("plan", "standard"));
    assertThat(result.status()).as("provision %s: %s", id, result).isEqualTo(201);
    return result.json();
  }

  /** Creates a tenant token and returns its secret. */
  public String tenantToken(String id) {
    HttpResult result = admin("POST", "/admin/tenants/" + id + "/tokens", new JsonObject().put("name", "test"));
    assertThat(result.status()).as("token for %s: %s", id, result).isEqualTo(201);
    return result.json().getString("token");
  }

  /**
   * Stops the server and Vert.x, then fails when an event loop was blocked during the
   * test.
   */
  @Override
  public void close() {
    try {
      await(server.close());
    } finally {
      await(vertx.close());
    }
    List<String> blocked = BlockedThreadWatch.drain();
    assertThat(blocked).as("blocked-thread warnings (limit %d ms)", BLOCKED_THREAD_MS).isEmpty();
  }
}
