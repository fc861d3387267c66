package dev.silo.http;

import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token cache of a real server: every token used below is cached first, which the
 * test checks through the {@code silo_token_cache_gets_total} counter, and then made
 * invalid through the admin API.
 */
class TokenCacheHttpTest {

  private static final Pattern GETS = Pattern.compile("^silo_token_cache_gets_total\\{result=\"(hit|miss)\"} (\\S+)$",
    Pattern.MULTILINE);

  @TempDir
  Path dir;

  private SiloTestServer silo;

  @BeforeEach
  void start() {
    silo = SiloTestServer.start(dir);
    silo.provision("acme");
  }

  @AfterEach
  void stop() {
    silo.close();
  }

  @Test
  void repeatedRequestsHitCache() {
    String token = silo.tenantToken("acme");
    long hitsBefore = gets("hit");
    long missesBefore = gets("miss");

    for (int i = 0; i < 3; i++) {
      assertThat(products(token).status()).isEqualTo(200);
    }

    assertThat(gets("miss") - missesBefore).as("database lookups").isEqualTo(1);
    assertThat(gets("hit") - hitsBefore).as("cache hits").isEqualTo(2);
  }

  @Test
  void revokedCachedTokensAreUnauthorized() {
    String tenantToken = silo.tenantToken("acme");
    JsonObject staff = silo.admin("POST", "/admin/users", new JsonObject().put("name", "Ada").put("role", "admin"))
      .json();
    String staffToken = staff.getString("token");
    String tenantTokenId = silo.admin("GET", "/admin/tokens?tenant_id=acme", null).items().getJsonObject(0)
      .getString("id");
    requireCached(() -> products(tenantToken));
    requireCached(() -> silo.call("GET", "/admin/tenants", staffToken, null, null));

    assertThat(silo.admin("DELETE", "/admin/tokens/" + tenantTokenId, null).status()).isEqualTo(204);
    assertThat(silo.admin("DELETE", "/admin/tokens/" + staff.getString("token_id"), null).status()).isEqualTo(204);

    assertThat(products(tenantToken).status()).as("revoked tenant token").isEqualTo(401);
    assertThat(silo.call("GET", "/admin/tenants", staffToken, null, null).status()).as("revoked staff token")
      .isEqualTo(401);
  }

  @Test
  void deletedTenantTokenIsUnauthorized() {
    String token = silo.tenantToken("acme");
    requireCached(() -> products(token));

    assertThat(silo.admin("DELETE", "/admin/tenants/acme", null).status()).isEqualTo(204);

    HttpResult afterDelete = products(token);
    assertThat(afterDelete.status()).isEqualTo(401);
    assertThat(afterDelete.errorCode()).isEqualTo("unauthorized");
  }

  @Test
  void recreatedTenantRejectsOldToken() {
    String oldToken = silo.tenantToken("acme");
    requireCached(() -> products(oldToken));
    assertThat(silo.admin("DELETE", "/admin/tenants/acme", null).status()).isEqualTo(204);

    silo.provision("acme");
    String newToken = silo.tenantToken("acme");

    assertThat(products(oldToken).status()).isEqualTo(401);
    assertThat(products(newToken).status()).isEqualTo(200);
  }

  @Test
  void suspensionAppliesToCachedToken() {
    String token = silo.tenantToken("acme");
    requireCached(() -> products(token));

    assertThat(silo.admin("POST", "/admin/tenants/acme/suspend", new JsonObject()).status()).isEqualTo(200);
    HttpResult suspended = products(token);
    assertThat(silo.admin("POST", "/admin/tenants/acme/resume", null).status()).isEqualTo(200);
    HttpResult resumed = products(token);

    assertThat(suspended.status()).isEqualTo(403);
    assertThat(suspended.errorCode()).isEqualTo("tenant_suspended");
    assertThat(resumed.status()).isEqualTo(200);
  }

  private HttpResult products(String token) {
    return silo.call("GET", "/api/products", token, null, null);
  }

  /** Sends a request twice and checks that the second one was authenticated from the cache. */
  private void requireCached(Supplier<HttpResult> request) {
    assertThat(request.get().status()).isEqualTo(200);
    long hitsBefore = gets("hit");
    assertThat(request.get().status()).isEqualTo(200);
    assertThat(gets("hit") - hitsBefore).as("cache hits of the second request").isEqualTo(1);
  }

  /** Returns the value of {@code silo_token_cache_gets_total} for one result, scraped from {@code GET /metrics}. */
  private long gets(String result) {
    HttpResult metrics = silo.call("GET", "/metrics", null, null, null);
    assertThat(metrics.status()).as("GET /metrics").isEqualTo(200);
    Matcher matcher = GETS.matcher(metrics.body());
    while (matcher.find()) {
      if (matcher.group(1).equals(result)) {
        return (long) Double.parseDouble(matcher.group(2));
      }
    }
    throw new AssertionError("no silo_token_cache_gets_total sample with result=" + result + " in GET /metrics");
  }
}
