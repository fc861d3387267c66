package dev.silo.data;

import dev.silo.bus.Addresses;
import dev.silo.config.SiloOptions;
import dev.silo.testing.Await;
import dev.silo.testing.HttpResult;
import dev.silo.testing.ProcessResources;
import dev.silo.testing.SiloTestServer;
import dev.silo.testing.SqliteWriteLock;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool budget of a server with two data verticles: which tenant databases are open,
 * read from {@code /proc/self/fd}, and what requests get when the budget is used up.
 */
class PoolBudgetTest {

  private static final int DATA_INSTANCES = 2;

  @TempDir
  Path dir;

  private SiloTestServer silo;

  @AfterEach
  void stop() {
    if (silo != null) {
      silo.close();
    }
  }

  @Test
  void budgetSpansDataVerticles() {
    start(options -> options.with(SiloOptions.TENANT_MAX_OPEN, 3));
    List<String> first = tenantsOwnedBy(0, 3);
    String onSecond = tenantsOwnedBy(1, 1).get(0);
    provision(first);
    provision(List.of(onSecond));

    touch(onSecond);
    touch(first.get(0));
    touch(first.get(1));
    assertThat(openTenants()).containsExactlyInAnyOrder(onSecond, first.get(0), first.get(1));

    // The first verticle has two open pools, no more than an even split of the budget
    // gives it, yet the least recently used pool of the server is on the second verticle.
    touch(first.get(2));

    assertThat(openTenants()).containsExactlyInAnyOrder(first.get(0), first.get(1), first.get(2));
  }

  @Test
  void evictedTenantKeepsItsData() {
    start(options -> options.with(SiloOptions.TENANT_MAX_OPEN, 1));
    provision(List.of("keep-a", "keep-b"));
    HttpResult created = createProduct("keep-a", "KEEP-1");
    assertThat(created.status()).as("create: %s", created).isEqualTo(201);

    touch("keep-b");
    assertThat(openTenants()).containsExactly("keep-b");
    HttpResult reread = silo.call("GET", "/api/products/" + created.json().getLong("id"), SiloTestServer.ADMIN_TOKEN,
      "keep-a", null);

    assertThat(reread.status()).as("product after eviction: %s", reread).isEqualTo(200);
    assertThat(reread.json().getString("sku")).isEqualTo("KEEP-1");
    assertThat(openTenants()).containsExactly("keep-a");
  }

  @Test
  void busyPoolsAreNotEvicted() throws Exception {
    start(options -> options.with(SiloOptions.TENANT_MAX_OPEN, 2).with(SiloOptions.SQLITE_BUSY_TIMEOUT_MS, 30_000));
    provision(List.of("busy-a", "busy-b", "busy-c"));
    List<CompletableFuture<HttpResult>> writes = new ArrayList<>();
    List<SqliteWriteLock> locks = new ArrayList<>();
    try {
      for (String tenant : List.of("busy-a", "busy-b")) {
        locks.add(SqliteWriteLock.hold(database(tenant)));
        writes.add(createProductAsync(tenant, "SKU-" + tenant));
        awaitServerConnections(tenant, 1);
      }

      HttpResult third = silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, "busy-c", null);

      assertThat(third.status()).as("request while every pool is busy: %s", third).isEqualTo(503);
      assertThat(third.errorCode()).isEqualTo("unavailable");
      assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(writes).allSatisfy(write -> assertThat(write).isNotDone());
    } finally {
      for (SqliteWriteLock lock : locks) {
        lock.close();
      }
    }
    for (CompletableFuture<HttpResult> write : writes) {
      assertThat(write.join().status()).as("write that held a pool: %s", write.join()).isEqualTo(201);
    }
    HttpResult later = silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, "busy-c", null);
    assertThat(later.status()).as("request once a pool is idle: %s", later).isEqualTo(200);
  }

  @Test
  void suspendLetsWriteInFlightFinish() throws Exception {
    start(options -> options.with(SiloOptions.SQLITE_BUSY_TIMEOUT_MS, 30_000));
    provision(List.of("drain-a"));
    CompletableFuture<HttpResult> write;
    CompletableFuture<HttpResult> suspend;
    try (SqliteWriteLock lock = SqliteWriteLock.hold(database("drain-a"))) {
      write = createProductAsync("drain-a", "SKU-IN-FLIGHT");
      awaitServerConnections("drain-a", 1);

      suspend = silo.callAsync("POST", "/admin/tenants/drain-a/suspend", SiloTestServer.ADMIN_TOKEN, null,
        new JsonObject().put("reason", "test"));
      // The registry changes first and the pool closes after it, which the waiting write holds up.
      Await.until("drain-a is suspended in the registry", () -> "suspended".equals(
        silo.admin("GET", "/admin/tenants/drain-a", null).json().getString("status")));
      assertThat(suspend).as("suspend while a write is in flight").isNotDone();
      lock.release();
    }

    assertThat(write.join().status()).as("write in flight during the close: %s", write.join()).isEqualTo(201);
    assertThat(suspend.join().status()).as("suspend: %s", suspend.join()).isEqualTo(200);
    assertThat(openTenants()).isEmpty();
  }

  @Test
  void idlePoolCloses() {
    start(options -> options.with(SiloOptions.TENANT_IDLE_TIMEOUT_MS, 1_000));
    provision(List.of("idle-a"));

    touch("idle-a");
    long touched = System.nanoTime();
    assertThat(openTenants()).containsExactly("idle-a");

    Await.until("the pool of idle-a has closed", Duration.ofSeconds(10), () -> openTenants().isEmpty());
    assertThat(Duration.ofNanos(System.nanoTime() - touched)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    touch("idle-a");
    assertThat(openTenants()).containsExactly("idle-a");
  }

  private void start(UnaryOperator<SiloOptions> customize) {
    silo = SiloTestServer.start(dir,
      options -> customize.apply(options.with(SiloOptions.DATA_INSTANCES, DATA_INSTANCES)));
  }

  private void provision(List<String> tenants) {
    tenants.forEach(silo::provision);
  }

  private void touch(String tenant) {
    HttpResult result = silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, tenant, null);
    assertThat(result.status()).as("GET /api/products of %s: %s", tenant, result).isEqualTo(200);
  }

  private HttpResult createProduct(String tenant, String sku) {
    return silo.call("POST", "/api/products", SiloTestServer.ADMIN_TOKEN, tenant, product(sku));
  }

  private CompletableFuture<HttpResult> createProductAsync(String tenant, String sku) {
    return silo.callAsync("POST", "/api/products", SiloTestServer.ADMIN_TOKEN, tenant, product(sku));
  }

  private static JsonObject product(String sku) {
    return new JsonObject().put("sku", sku).put("name", "Product " + sku).put("unit_price_cents", 100)
      .put("units_in_stock", 5);
  }

  private Path database(String tenant) {
    return dir.resolve("tenants").resolve(tenant + ".db");
  }

  /**
   * Waits until the server holds {@code count} connections to the tenant's database, each
   * one a request in flight, besides the test's own connection that holds the write lock.
   */
  private void awaitServerConnections(String tenant, int count) {
    Path database = database(tenant);
    Await.until(count + " server connections to " + tenant,
      () -> ProcessResources.self().openCount(database) >= count + 1);
  }

  /** Returns the tenants whose database the test JVM has open, sorted. */
  private Set<String> openTenants() {
    Set<String> tenants = new TreeSet<>();
    for (Path file : ProcessResources.self().openFilesIn(dir.resolve("tenants"))) {
      String name = file.getFileName().toString();
      if (name.endsWith(".db")) {
        tenants.add(name.substring(0, name.length() - ".db".length()));
      }
    }
    return tenants;
  }

  /** Returns {@code count} tenant ids that data verticle {@code owner} owns. */
  private static List<String> tenantsOwnedBy(int owner, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; ids.size() < count; i++) {
      String id = "owned-" + i;
      if (Addresses.ownerOf(id, DATA_INSTANCES) == owner) {
        ids.add(id);
      }
    }
    return ids;
  }
}
