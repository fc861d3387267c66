package dev.silo;

import dev.silo.testing.Await;
import dev.silo.testing.HttpResult;
import dev.silo.testing.JarProcess;
import dev.silo.testing.ProcessResources;
import dev.silo.testing.SqliteWriteLock;
import dev.silo.testing.JarServers;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to the fat jar under load: requests in flight finish, new ones get 503, every
 * acknowledged write is there after a restart, the process exits with 0 within
 * {@code shutdown_timeout_ms}, and every WAL file is empty or gone afterwards.
 */
class GracefulShutdownIT {

  private static final String ADMIN_TOKEN = JarServers.ADMIN_TOKEN;
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
  private static final String LOCKED = "drain-locked";
  private static final List<String> LOADED = List.of("drain-load-1", "drain-load-2");
  /** Writes to the locked tenant, each holding one of its pool's connections (tenant_pool_size is 4). */
  private static final int BLOCKED_WRITES = 4;
  private static final int LOAD_THREADS = 4;
  /** Upper bound on the writes of one load thread, so the test ends even if the server never drains. */
  private static final int MAX_WRITES_PER_THREAD = 2_000;

  @TempDir
  Path workDir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(10)).build();

  @RegisterExtension
  final JarServers jars = new JarServers(() -> workDir);

  /** One write that the server acknowledged with 201. */
  private record Ack(String tenant, String sku, long id) {
  }

  @Test
  void sigtermDrainsLoadAndEmptiesWal() throws Exception {
    Path dataDir = workDir.resolve("silo-data");
    Map<String, String> environment = serverEnvironment(dataDir);
    JarProcess jar = startJar(environment);
    JarServers.provision(jar, LOCKED);
    LOADED.forEach(tenant -> JarServers.provision(jar, tenant));
    Path lockedDatabase = dataDir.resolve("tenants").resolve(LOCKED + ".db");

    Queue<Ack> acknowledged = new ConcurrentLinkedQueue<>();
    Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    AtomicLong sigtermAt = new AtomicLong(Long.MAX_VALUE);
    List<CompletableFuture<HttpResult>> blocked = new ArrayList<>();
    List<CompletableFuture<Void>> load = new ArrayList<>();
    long exitMillis;
    int exitCode;
    ExecutorService loadThreads = Executors.newFixedThreadPool(LOAD_THREADS);
    try (SqliteWriteLock lock = SqliteWriteLock.hold(lockedDatabase)) {
      for (int i = 0; i < BLOCKED_WRITES; i++) {
        blocked.add(http.sendAsync(request(jar, "POST", "/api/products", LOCKED, product("BLOCKED-" + i)).build(),
            HttpResponse.BodyHandlers.ofString())
          .thenApply(response -> new HttpResult(response.statusCode(), response.headers(), response.body())));
      }
      Await.until(BLOCKED_WRITES + " writes hold connections of the server",
        () -> ProcessResources.of(jar.pid()).openCount(lockedDatabase) >= BLOCKED_WRITES);
      for (int i = 0; i < LOAD_THREADS; i++) {
        String tenant = LOADED.get(i % LOADED.size());
        String prefix = "LOAD-" + i + "-";
        load.add(CompletableFuture.runAsync(() -> writeUntilRefused(jar, tenant, prefix, acknowledged, unexpected,
          sigtermAt), loadThreads));
      }
      Await.until("the load has written", () -> acknowledged.size() >= 4 * LOAD_THREADS);

      long sigterm = System.nanoTime();
      sigtermAt.set(sigterm);
      jar.sendSigterm();
      Await.until("the server refuses new requests", () -> refusesWhileDraining(jar));
      assertThat(blocked).as("writes in flight while the server drains").allSatisfy(write ->
        assertThat(write).isNotDone());
      lock.release();

      for (CompletableFuture<HttpResult> write : blocked) {
        HttpResult result = write.join();
        assertThat(result.status()).as("write in flight at SIGTERM: %s", result).isEqualTo(201);
        acknowledged.add(new Ack(LOCKED, result.json().getString("sku"), result.json().getLong("id")));
      }
      exitCode = jar.awaitExit(SHUTDOWN_TIMEOUT.plusSeconds(10));
      exitMillis = (System.nanoTime() - sigterm) / 1_000_000;
      // The lock's connection keeps the file open, so SQLite could not delete this WAL on close.
      assertThat(walSize(lockedDatabase)).as("WAL of %s after the stop", LOCKED).isZero();
      load.forEach(CompletableFuture::join);
    } finally {
      loadThreads.shutdownNow();
    }

    assertThat(exitCode).as("exit code after SIGTERM").isZero();
    assertThat(exitMillis).as("ms from SIGTERM to exit").isLessThan(SHUTDOWN_TIMEOUT.toMillis());
    assertThat(unexpected).as("responses other than 201 and 503").isEmpty();
    for (String tenant : LOADED) {
      assertThat(walSize(dataDir.resolve("tenants").resolve(tenant + ".db"))).as("WAL of %s", tenant).isZero();
    }
    assertThat(jar.output()).contains("Drained HTTP requests", "Silo stopped");
    System.out.printf("%d writes acknowledged, %d of them in flight at SIGTERM; exit %d ms after SIGTERM%n",
      acknowledged.size(), BLOCKED_WRITES, exitMillis);

    JarProcess restarted = startJar(serverEnvironment(dataDir));
    for (Ack ack : acknowledged) {
      HttpResult product = send(restarted, "GET", "/api/products/" + ack.id(), ack.tenant(), null);
      assertThat(product.status()).as("acknowledged %s after restart: %s", ack, product).isEqualTo(200);
      assertThat(product.json().getString("sku")).isEqualTo(ack.sku());
    }
    assertThat(restarted.stop()).as("exit code of the restarted server").isZero();
  }

  /**
   * Writes products one after another until the server refuses one. A 201 is recorded as
   * acknowledged. A 503 {@code unavailable} or a refused connection ends the loop, and
   * either is expected only after SIGTERM; anything else is recorded as unexpected.
   */
  private void writeUntilRefused(JarProcess jar, String tenant, String prefix, Queue<Ack> acknowledged,
                                 Queue<String> unexpected, AtomicLong sigtermAt) {
    for (int i = 0; i < MAX_WRITES_PER_THREAD; i++) {
      String sku = prefix + i;
      try {
        HttpResult result = post(jar, tenant, sku);
        if (result.status() == 201) {
          acknowledged.add(new Ack(tenant, sku, result.json().getLong("id")));
          continue;
        }
        if (result.status() != 503 || !"unavailable".equals(result.errorCode())
          || result.headers().firstValue("Retry-After").isEmpty() || System.nanoTime() < sigtermAt.get()) {
          unexpected.add(sku + ": " + result);
        }
      } catch (IOException e) {
        if (System.nanoTime() < sigtermAt.get()) {
          unexpected.add(sku + ": " + e);
        }
      }
      return;
    }
    unexpected.add(prefix + ": the server never refused a write");
  }

  private boolean refusesWhileDraining(JarProcess jar) {
    try {
      HttpResult result = send(jar, "GET", "/api/products", LOADED.get(0), null);
      return result.status() == 503 && "unavailable".equals(result.errorCode());
    } catch (IOException e) {
      throw new AssertionError("the server stopped listening while writes were in flight", e);
    }
  }

  private HttpResult post(JarProcess jar, String tenant, String sku) throws IOException {
    return send(jar, "POST", "/api/products", tenant, product(sku));
  }

  private static JsonObject product(String sku) {
    return new JsonObject().put("sku", sku).put("name", "Product " + sku).put("unit_price_cents", 100)
      .put("units_in_stock", 5);
  }

  /** Builds a request with the admin token that names the tenant in {@code X-Tenant-ID}. */
  private static HttpRequest.Builder request(JarProcess jar, String method, String path, String tenant,
                                             JsonObject body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jar.port() + path))
      .timeout(Duration.ofSeconds(60))
      .header("Authorization", "Bearer " + ADMIN_TOKEN)
      .header("X-Tenant-ID", tenant)
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.encode()));
  }

  private HttpResult send(JarProcess jar, String method, String path, String tenant, JsonObject body)
    throws IOException {
    try {
      HttpResponse<String> response = http.send(request(jar, method, path, tenant, body).build(),
        HttpResponse.BodyHandlers.ofString());
      return new HttpResult(response.statusCode(), response.headers(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Returns the size of the database's WAL file, 0 when it does not exist. */
  private static long walSize(Path database) throws IOException {
    Path wal = database.resolveSibling(database.getFileName() + "-wal");
    return Files.exists(wal) ? Files.size(wal) : 0;
  }

  private static Map<String, String> serverEnvironment(Path dataDir) {
    Map<String, String> environment = JarServers.environment(dataDir);
    // Long enough that the blocked writes wait for the lock instead of failing as busy.
    environment.put("SILO_SQLITE_BUSY_TIMEOUT_MS", "60000");
    environment.put("SILO_SHUTDOWN_TIMEOUT_MS", Long.toString(SHUTDOWN_TIMEOUT.toMillis()));
    return environment;
  }

  private JarProcess startJar(Map<String, String> environment) {
    return jars.start(environment, List.of());
  }
}
