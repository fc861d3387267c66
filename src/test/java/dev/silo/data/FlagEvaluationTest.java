package dev.silo.data;

import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FlagEvaluationTest {

  @TempDir
  Path dataDir;

  private SiloTestServer server;

  @BeforeEach
  void startServer() {
    server = SiloTestServer.start(dataDir);
    provision("acme", "pro");
    provision("bolt", "pro");
    provision("cask", "free");
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void flagsWithoutRulesFollowEnabled() {
    putFlag("everyone", new JsonObject().put("enabled", true));
    putFlag("nobody", new JsonObject().put("enabled", false));

    JsonObject flags = evaluate("cask");

    assertThat(flags.getBoolean("everyone")).isTrue();
    assertThat(flags.getBoolean("nobody")).isFalse();
    assertThat(flags.size()).isEqualTo(2);
  }

  @Test
  void planListLimitsFlag() {
    putFlag("pro_reports", new JsonObject().put("enabled", true).put("plans", new JsonArray().add("pro")));

    assertThat(evaluate("acme").getBoolean("pro_reports")).isTrue();
    assertThat(evaluate("bolt").getBoolean("pro_reports")).isTrue();
    assertThat(evaluate("cask").getBoolean("pro_reports")).isFalse();
  }

  @Test
  void tenantListLimitsFlag() {
    putFlag("beta", new JsonObject().put("enabled", true).put("tenants", new JsonArray().add("bolt").add("cask")));

    assertThat(evaluate("acme").getBoolean("beta")).isFalse();
    assertThat(evaluate("bolt").getBoolean("beta")).isTrue();
    assertThat(evaluate("cask").getBoolean("beta")).isTrue();
  }

  @Test
  void planAndTenantListsMustBothMatch() {
    putFlag("pilot", new JsonObject().put("enabled", true)
      .put("plans", new JsonArray().add("pro")).put("tenants", new JsonArray().add("bolt").add("cask")));

    assertThat(evaluate("acme").getBoolean("pilot")).as("pro plan, not listed").isFalse();
    assertThat(evaluate("bolt").getBoolean("pilot")).as("pro plan, listed").isTrue();
    assertThat(evaluate("cask").getBoolean("pilot")).as("free plan, listed").isFalse();
  }

  @Test
  void disabledFlagIsOffForListedTenant() {
    putFlag("paused", new JsonObject().put("enabled", false)
      .put("plans", new JsonArray().add("pro")).put("tenants", new JsonArray().add("acme")));

    assertThat(evaluate("acme").getBoolean("paused")).isFalse();
  }

  @Test
  void staffEvaluatesForChosenTenant() {
    putFlag("pro_reports", new JsonObject().put("enabled", true).put("plans", new JsonArray().add("pro")));

    HttpResult acme = server.call("GET", "/api/flags", SiloTestServer.ADMIN_TOKEN, "acme", null);
    HttpResult cask = server.call("GET", "/api/flags", SiloTestServer.ADMIN_TOKEN, "cask", null);

    assertThat(acme.status()).as(acme.toString()).isEqualTo(200);
    assertThat(acme.json().getJsonObject("flags").getBoolean("pro_reports")).isTrue();
    assertThat(cask.status()).as(cask.toString()).isEqualTo(200);
    assertThat(cask.json().getJsonObject("flags").getBoolean("pro_reports")).isFalse();
  }

  @Test
  void noFlagsGiveEmptyObject() {
    assertThat(evaluate("acme")).isEqualTo(new JsonObject());
  }

  private void provision(String id, String plan) {
    HttpResult result = server.admin("POST", "/admin/tenants",
      new JsonObject().put("id", id).put("name", "Tenant " + id).put("plan", plan));
    assertThat(result.status()).as("provision %s: %s", id, result).isEqualTo(201);
  }

  private void putFlag(String name, JsonObject body) {
    HttpResult result = server.admin("PUT", "/admin/flags/" + name, body);
    assertThat(result.status()).as("put flag %s: %s", name, result).isEqualTo(200);
  }

  /** Returns the flags of GET /api/flags called with the tenant's own token. */
  private JsonObject evaluate(String tenantId) {
    HttpResult result = server.call("GET", "/api/flags", server.tenantToken(tenantId), null, null);
    assertThat(result.status()).as("flags of %s: %s", tenantId, result).isEqualTo(200);
    return result.json().getJsonObject("flags");
  }
}
