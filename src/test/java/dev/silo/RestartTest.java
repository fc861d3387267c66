package dev.silo;

import dev.silo.config.SiloOptions;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestartTest {

  @TempDir
  Path dir;

  @Test
  void dataAndTokensSurviveRestart() {
    String token;
    long productId;
    try (SiloTestServer silo = SiloTestServer.start(dir)) {
      silo.provision("acme");
      token = silo.tenantToken("acme");
      HttpResult created = silo.call("POST", "/api/products", token, null, new JsonObject()
        .put("sku", "KEEP-1").put("name", "Kept").put("unit_price_cents", 990).put("units_in_stock", 7));
      assertThat(created.status()).isEqualTo(201);
      productId = created.json().getLong("id");
      assertThat(silo.admin("POST", "/admin/tenants/acme/suspend", new JsonObject().put("reason", "check")).status())
        .isEqualTo(200);
    }

    try (SiloTestServer silo = SiloTestServer.start(dir)) {
      JsonObject tenant = silo.admin("GET", "/admin/tenants/acme", null).json();
      assertThat(tenant.getString("status")).isEqualTo("suspended");
      assertThat(tenant.getString("suspended_reason")).isEqualTo("check");
      assertThat(silo.admin("POST", "/admin/tenants/acme/resume", null).status()).isEqualTo(200);

      HttpResult product = silo.call("GET", "/api/products/" + productId, token, null, null);

      assertThat(product.status()).isEqualTo(200);
      assertThat(product.json().getString("sku")).isEqualTo("KEEP-1");
      assertThat(product.json().getLong("units_in_stock")).isEqualTo(7);
    }
  }

  @Test
  void secondServerOnSameDataFolderIsRejected() {
    try (SiloTestServer silo = SiloTestServer.start(dir)) {
      assertThatThrownBy(() -> SiloTestServer.start(dir))
        .hasMessageContaining("is in use by another Silo server")
        .hasMessageContaining("silo.lock");
      assertThat(silo.admin("GET", "/admin/tenants", null).status()).isEqualTo(200);
    }

    try (SiloTestServer silo = SiloTestServer.start(dir)) {
      assertThat(silo.admin("GET", "/admin/tenants", null).status()).isEqualTo(200);
    }
  }

  @Test
  void revokedInitialTokenStaysRevoked() {
    try (SiloTestServer silo = SiloTestServer.start(dir)) {
      String otherAdmin = silo.admin("POST", "/admin/users", new JsonObject().put("name", "Ada").put("role", "admin"))
        .json().getString("token");
      String initialId = silo.admin("GET", "/admin/tokens?user_id=" + dev.silo.system.Users.INITIAL_ADMIN_ID, null)
        .items().getJsonObject(0).getString("id");
      assertThat(silo.call("DELETE", "/admin/tokens/" + initialId, otherAdmin, null, null).status()).isEqualTo(204);
    }

    try (SiloTestServer silo = SiloTestServer.start(dir)) {
      assertThat(silo.admin("GET", "/admin/tenants", null).status()).isEqualTo(401);
    }
  }

  @Test
  void generatedAdminTokenFileIsPrivate() throws IOException {
    Path tokenFile = dir.resolve("admin.token");
    String secret;
    try (SiloTestServer silo = SiloTestServer.start(dir, options -> options.with(SiloOptions.ADMIN_TOKEN, ""))) {
      assertThat(tokenFile).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
      secret = Files.readString(tokenFile).trim();
      assertThat(secret).startsWith("silo_");
      assertThat(silo.call("GET", "/admin/tenants", secret, null, null).status()).isEqualTo(200);
    }

    try (SiloTestServer silo = SiloTestServer.start(dir, options -> options.with(SiloOptions.ADMIN_TOKEN, ""))) {
      assertThat(Files.readString(tokenFile).trim()).isEqualTo(secret);
      assertThat(silo.call("GET", "/admin/tenants", secret, null, null).status()).isEqualTo(200);
    }
  }
}
