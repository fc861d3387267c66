package dev.silo.http;

import dev.silo.config.SiloOptions;
import dev.silo.testing.Await;
import dev.silo.testing.HttpResult;
import dev.silo.testing.ProcessResources;
import dev.silo.testing.SiloTestServer;
import dev.silo.testing.SqliteWriteLock;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TenantLifecycleHttpTest {

  @TempDir
  Path dir;

  private SiloTestServer silo;

  @BeforeEach
  void start() {
    silo = SiloTestServer.start(dir);
  }

  @AfterEach
  void stop() {
    silo.close();
  }

  @Test
  void provisionCreatesActiveTenantWithFile() {
    JsonObject tenant = silo.provision("acme");

    assertThat(tenant.getString("id")).isEqualTo("acme");
    assertThat(tenant.getString("name")).isEqualTo("Tenant acme");
    assertThat(tenant.getString("plan")).isEqualTo("standard");
    assertThat(tenant.getString("status")).isEqualTo("active");
    assertThat(tenant.getString("schema_version")).isEqualTo("1");
    assertThat(tenant.getString("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(dir.resolve("tenants/acme.db")).exists();
    assertThat(silo.admin("GET", "/admin/tenants/acme", null).json().getString("status")).isEqualTo("active");
  }

  @Test
  void provisionTwiceIsConflict() {
    silo.provision("acme");

    HttpResult second = silo.admin("POST", "/admin/tenants", tenantBody("acme"));

    assertThat(second.status()).isEqualTo(409);
    assertThat(second.errorCode()).isEqualTo("conflict");
  }

  @Test
  void provisionRejectsInvalidIdsWithoutFiles() throws IOException {
    for (String id : List.of("..", "../system", "ACME", "a/b", "a?mode=ro", "system", "ab", "a".repeat(300))) {
      HttpResult result = silo.admin("POST", "/admin/tenants", tenantBody(id));

      assertThat(result.status()).as("id %s", id).isEqualTo(400);
      assertThat(result.errorCode()).as("id %s", id).isEqualTo("invalid_tenant_id");
    }
    assertThat(filesUnder(dir.resolve("tenants"))).isEmpty();
    assertThat(silo.admin("GET", "/admin/tenants", null).items()).isEmpty();
  }

  @Test
  void provisionNamesMissingField() {
    HttpResult result = silo.admin("POST", "/admin/tenants", new JsonObject().put("id", "acme").put("plan", "pro"));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorCode()).isEqualTo("invalid_request");
    assertThat(result.json().getJsonObject("error").getString("message")).contains("'name'");
  }

  @Test
  void listPagesThroughTenants() {
    for (String id : List.of("t-a", "t-b", "t-c")) {
      silo.provision(id);
    }

    HttpResult first = silo.admin("GET", "/admin/tenants?limit=2", null);
    HttpResult second = silo.admin("GET", "/admin/tenants?limit=2&after=" + first.json().getString("next"), null);

    assertThat(ids(first)).containsExactly("t-a", "t-b");
    assertThat(ids(second)).containsExactly("t-c");
    assertThat(second.json().getValue("next")).isNull();
  }

  @Test
  void unknownTenantIsNotFound() {
    HttpResult result = silo.admin("GET", "/admin/tenants/nobody", null);

    assertThat(result.status()).isEqualTo(404);
    assertThat(result.errorCode()).isEqualTo("tenant_not_found");
  }

  @Test
  void suspendRefusesDataUntilResume() {
    silo.provision("acme");
    String token = silo.tenantToken("acme");
    assertThat(createProduct(token, "SKU-1").status()).isEqualTo(201);

    HttpResult suspended = silo.admin("POST", "/admin/tenants/acme/suspend", new JsonObject().put("reason", "unpaid"));
    HttpResult byTenant = silo.call("GET", "/api/products", token, null, null);
    HttpResult byStaff = silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, "acme", null);
    HttpResult resumed = silo.admin("POST", "/admin/tenants/acme/resume", null);
    HttpResult afterResume = silo.call("GET", "/api/products", token, null, null);

    assertThat(suspended.status()).isEqualTo(200);
    assertThat(suspended.json().getString("status")).isEqualTo("suspended");
    assertThat(suspended.json().getString("suspended_reason")).isEqualTo("unpaid");
    assertThat(byTenant.status()).isEqualTo(403);
    assertThat(byTenant.errorCode()).isEqualTo("tenant_suspended");
    assertThat(byStaff.errorCode()).isEqualTo("tenant_suspended");
    assertThat(resumed.json().getString("status")).isEqualTo("active");
    assertThat(afterResume.status()).isEqualTo(200);
    assertThat(afterResume.items()).hasSize(1);
  }

  @Test
  void deleteRemovesFilesAndRevokesTokens() throws IOException {
    silo.provision("acme");
    String token = silo.tenantToken("acme");
    assertThat(createProduct(token, "SKU-1").status()).isEqualTo(201);
    assertThat(dir.resolve("tenants/acme.db-wal")).exists();

    HttpResult deleted = silo.admin("DELETE", "/admin/tenants/acme", null);

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(filesUnder(dir.resolve("tenants"))).isEmpty();
    assertThat(silo.call("GET", "/api/products", token, null, null).status()).isEqualTo(401);
    assertThat(silo.admin("GET", "/admin/tenants/acme", null).status()).isEqualTo(404);
    HttpResult byStaff = silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, "acme", null);
    assertThat(byStaff.status()).isEqualTo(404);
    assertThat(byStaff.errorCode()).isEqualTo("tenant_not_found");
    assertThat(filesUnder(dir.resolve("tenants"))).as("a request after delete creates no file").isEmpty();
  }

  @Test
  void deleteLetsRequestsInFlightFinish() throws Exception {
    silo.close();
    silo = SiloTestServer.start(dir, options -> options.with(SiloOptions.SQLITE_BUSY_TIMEOUT_MS, 30_000));
    silo.provision("acme");
    Path database = dir.resolve("tenants/acme.db");
    List<CompletableFuture<HttpResult>> writes = new ArrayList<>();
    CompletableFuture<HttpResult> delete;
    List<HttpResult> during = new ArrayList<>();
    try (SqliteWriteLock lock = SqliteWriteLock.hold(database)) {
      for (int i = 0; i < 3; i++) {
        writes.add(silo.callAsync("POST", "/api/products", SiloTestServer.ADMIN_TOKEN, "acme",
          productBody("SKU-" + i)));
      }
      // The test's connection plus one server connection for each write in flight.
      Await.until("three writes hold connections", () -> ProcessResources.self().openCount(database) >= 4);

      delete = silo.callAsync("DELETE", "/admin/tenants/acme", SiloTestServer.ADMIN_TOKEN, null, null);
      // The registration goes first, then the pool closes once the writes have ended.
      Await.until("acme is no longer registered",
        () -> silo.admin("GET", "/admin/tenants/acme", null).status() == 404);
      for (int i = 0; i < 5; i++) {
        during.add(silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, "acme", null));
      }
      assertThat(delete).as("delete while writes are in flight").isNotDone();
      lock.release();

      for (CompletableFuture<HttpResult> write : writes) {
        assertThat(write.join().status()).as("write in flight during the delete: %s", write.join()).isEqualTo(201);
      }
      assertThat(delete.join().status()).as("delete: %s", delete.join()).isEqualTo(204);
    }

    // A request that reached the pool before its close was served; later ones find no tenant.
    assertThat(during).allSatisfy(result -> assertThat(result.status()).as("%s", result).isIn(200, 404));
    HttpResult read = silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, "acme", null);
    HttpResult write = silo.call("POST", "/api/products", SiloTestServer.ADMIN_TOKEN, "acme", productBody("SKU-9"));
    assertThat(read.status()).as("read after delete: %s", read).isEqualTo(404);
    assertThat(read.errorCode()).isEqualTo("tenant_not_found");
    assertThat(write.status()).as("write after delete: %s", write).isEqualTo(404);
    assertThat(filesUnder(dir.resolve("tenants"))).as("files after the delete").isEmpty();
  }

  @Test
  void recreatedTenantStartsEmpty() {
    silo.provision("acme");
    String oldToken = silo.tenantToken("acme");
    assertThat(createProduct(oldToken, "SKU-1").status()).isEqualTo(201);
    assertThat(silo.admin("DELETE", "/admin/tenants/acme", null).status()).isEqualTo(204);

    silo.provision("acme");
    String newToken = silo.tenantToken("acme");

    assertThat(silo.call("GET", "/api/products", oldToken, null, null).status()).isEqualTo(401);
    assertThat(silo.call("GET", "/api/products", newToken, null, null).items()).isEmpty();
  }

  @Test
  void deleteUnknownTenantIsNotFound() {
    HttpResult result = silo.admin("DELETE", "/admin/tenants/nobody", null);

    assertThat(result.status()).isEqualTo(404);
    assertThat(result.errorCode()).isEqualTo("tenant_not_found");
  }

  private HttpResult createProduct(String token, String sku) {
    return silo.call("POST", "/api/products", token, null, productBody(sku));
  }

  private static JsonObject productBody(String sku) {
    return new JsonObject().put("sku", sku).put("name", "Product " + sku).put("unit_price_cents", 1250)
      .put("units_in_stock", 10);
  }

  private static JsonObject tenantBody(String id) {
    return new JsonObject().put("id", id).put("name", "Tenant " + id).put("plan", "standard");
  }

  private static List<String> ids(HttpResult list) {
    return list.items().stream().map(item -> ((JsonObject) item).getString("id")).collect(Collectors.toList());
  }

  private static List<Path> filesUnder(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.collect(Collectors.toList());
    }
  }
}
