package dev.silo.http;

import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationHttpTest {

  @TempDir
  Path dir;

  private SiloTestServer silo;

  @BeforeEach
  void start() {
    silo = SiloTestServer.start(dir, options -> options.with(dev.silo.config.SiloOptions.HTTP_BODY_LIMIT, 4096));
    silo.provision("acme");
    silo.provision("globex");
  }

  @AfterEach
  void stop() {
    silo.close();
  }

  @Test
  void missingTokenIsUnauthorized() {
    for (String path : new String[] {"/admin/tenants", "/api/products"}) {
      HttpResult result = silo.call("GET", path, null, null, null);

      assertThat(result.status()).as(path).isEqualTo(401);
      assertThat(result.errorCode()).as(path).isEqualTo("unauthorized");
    }
  }

  @Test
  void unknownTokenIsUnauthorized() {
    HttpResult result = silo.call("GET", "/admin/tenants", "silo_not-a-real-token", null, null);

    assertThat(result.status()).isEqualTo(401);
  }

  @Test
  void tenantTokenCannotUseAdmin() {
    String token = silo.tenantToken("acme");

    HttpResult result = silo.call("GET", "/admin/tenants", token, null, null);

    assertThat(result.status()).isEqualTo(403);
    assertThat(result.errorCode()).isEqualTo("forbidden");
  }

  @Test
  void tenantTokenCannotNameAnotherTenant() {
    String token = silo.tenantToken("acme");

    HttpResult other = silo.call("GET", "/api/products", token, "globex", null);
    HttpResult own = silo.call("GET", "/api/products", token, "acme", null);

    assertThat(other.status()).isEqualTo(403);
    assertThat(other.errorCode()).isEqualTo("forbidden");
    assertThat(own.status()).isEqualTo(200);
  }

  @Test
  void staffDataRequestNeedsTenantHeader() {
    HttpResult missing = silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, null, null);
    HttpResult invalid = silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, "../system", null);

    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.errorCode()).isEqualTo("tenant_required");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errorCode()).isEqualTo("invalid_tenant_id");
  }

  @Test
  void supportRoleOnlyReads() {
    HttpResult created = silo.admin("POST", "/admin/users", new JsonObject().put("name", "Sam").put("role", "support"));
    String support = created.json().getString("token");

    assertThat(created.status()).isEqualTo(201);
    assertThat(silo.call("GET", "/admin/tenants", support, null, null).status()).isEqualTo(200);
    assertThat(silo.call("GET", "/api/products", support, "acme", null).status()).isEqualTo(200);
    HttpResult adminWrite = silo.call("POST", "/admin/tenants/acme/suspend", support, null, new JsonObject());
    HttpResult dataWrite = silo.call("POST", "/api/products", support, "acme", new JsonObject().put("sku", "X"));
    assertThat(adminWrite.status()).isEqualTo(403);
    assertThat(dataWrite.status()).isEqualTo(403);
    assertThat(silo.admin("GET", "/admin/tenants/acme", null).json().getString("status")).isEqualTo("active");
  }

  @Test
  void newAdminUserTokenWorks() {
    HttpResult created = silo.admin("POST", "/admin/users", new JsonObject().put("name", "Ada").put("role", "admin"));

    HttpResult list = silo.call("GET", "/admin/tenants", created.json().getString("token"), null, null);

    assertThat(list.status()).isEqualTo(200);
  }

  @Test
  void unknownRoleIsRejected() {
    HttpResult created = silo.admin("POST", "/admin/users", new JsonObject().put("name", "Eve").put("role", "root"));

    assertThat(created.status()).isEqualTo(400);
    assertThat(created.json().getJsonObject("error").getString("message")).contains("'role'");
  }

  @Test
  void tokensListWithoutSecrets() {
    String first = silo.tenantToken("acme");
    String second = silo.tenantToken("acme");
    silo.tenantToken("globex");

    HttpResult list = silo.admin("GET", "/admin/tokens?tenant_id=acme", null);

    assertThat(list.status()).isEqualTo(200);
    assertThat(list.items()).hasSize(2);
    assertThat(list.items()).allSatisfy(item -> {
      assertThat(((JsonObject) item).getString("tenant_id")).isEqualTo("acme");
      assertThat(((JsonObject) item).containsKey("token")).isFalse();
    });
    assertThat(list.body()).doesNotContain(first).doesNotContain(second);
  }

  @Test
  void revokedTokenIsUnauthorized() {
    String token = silo.tenantToken("acme");
    String tokenId = silo.admin("GET", "/admin/tokens?tenant_id=acme", null).items().getJsonObject(0).getString("id");
    assertThat(silo.call("GET", "/api/products", token, null, null).status()).isEqualTo(200);

    HttpResult revoked = silo.admin("DELETE", "/admin/tokens/" + tokenId, null);
    HttpResult again = silo.admin("DELETE", "/admin/tokens/" + tokenId, null);

    assertThat(revoked.status()).isEqualTo(204);
    assertThat(silo.call("GET", "/api/products", token, null, null).status()).isEqualTo(401);
    assertThat(again.status()).isEqualTo(404);
    assertThat(silo.admin("GET", "/admin/tokens?tenant_id=acme", null).items().getJsonObject(0)
      .getString("revoked_at")).isNotNull();
  }

  @Test
  void errorsAreJson() {
    HttpResult unknownRoute = silo.admin("GET", "/admin/nothing-here", null);
    HttpResult malformed = silo.admin("POST", "/admin/tenants", "{\"id\": ");
    HttpResult notObject = silo.admin("POST", "/admin/tenants", "[1, 2]");
    HttpResult tooLarge = silo.admin("POST", "/admin/tenants",
      new JsonObject().put("id", "big").put("name", "x".repeat(10_000)).put("plan", "p"));

    assertThat(unknownRoute.status()).isEqualTo(404);
    assertThat(unknownRoute.errorCode()).isEqualTo("not_found");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.errorCode()).isEqualTo("invalid_request");
    assertThat(notObject.status()).isEqualTo(400);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.errorCode()).isEqualTo("payload_too_large");
  }

  @Test
  void formBodyIsUnsupportedMediaType() {
    HttpResult result = silo.callWithContentType("POST", "/admin/tenants", "application/x-www-form-urlencoded",
      "{\"id\": \"form\", \"name\": \"50% off\", \"plan\": \"p\"}");

    assertThat(result.status()).isEqualTo(415);
    assertThat(result.errorCode()).isEqualTo("unsupported_media_type");
    assertThat(result.json().getJsonObject("error").getString("message")).contains("Content-Type: application/json");
  }

  @Test
  void jsonWithCharsetIsAccepted() {
    HttpResult result = silo.callWithContentType("POST", "/admin/tenants", "application/json; charset=utf-8",
      "{\"id\": \"charset\", \"name\": \"50% off\", \"plan\": \"p\"}");

    assertThat(result.status()).isEqualTo(201);
  }

  @Test
  void healthAndReadyNeedNoToken() {
    assertThat(silo.call("GET", "/health", null, null, null).json().getString("status")).isEqualTo("UP");
    assertThat(silo.call("GET", "/ready", null, null, null).json().getString("status")).isEqualTo("UP");
  }
}
