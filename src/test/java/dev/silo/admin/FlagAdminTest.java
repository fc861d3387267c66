package dev.silo.admin;

import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FlagAdminTest {

  @TempDir
  Path dataDir;

  private SiloTestServer server;

  @BeforeEach
  void startServer() {
    server = SiloTestServer.start(dataDir);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void putCreatesAndReplacesFlag() {
    HttpResult created = server.admin("PUT", "/admin/flags/new_checkout", new JsonObject()
      .put("enabled", true).put("plans", new JsonArray().add("pro").add("pro")).put("tenants", new JsonArray().add("acme")));

    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    JsonObject flag = created.json();
    assertThat(flag.getString("name")).isEqualTo("new_checkout");
    assertThat(flag.getBoolean("enabled")).isTrue();
    assertThat(flag.getJsonArray("plans")).containsExactly("pro");
    assertThat(flag.getJsonArray("tenants")).containsExactly("acme");
    assertThat(flag.getString("updated_at")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

    HttpResult replaced = server.admin("PUT", "/admin/flags/new_checkout", new JsonObject().put("enabled", false));

    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    HttpResult list = server.admin("GET", "/admin/flags", null);
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    assertThat(list.items()).hasSize(1);
    JsonObject stored = list.items().getJsonObject(0);
    assertThat(stored.getString("name")).isEqualTo("new_checkout");
    assertThat(stored.getBoolean("enabled")).isFalse();
    assertThat(stored.getJsonArray("plans")).isEmpty();
    assertThat(stored.getJsonArray("tenants")).isEmpty();
    assertThat(list.json().getValue("next")).isNull();
  }

  @Test
  void listPagesByName() {
    for (String name : new String[] {"c.flag", "a-flag", "b_flag"}) {
      assertThat(server.admin("PUT", "/admin/flags/" + name, new JsonObject().put("enabled", true)).status())
        .isEqualTo(200);
    }

    HttpResult first = server.admin("GET", "/admin/flags?limit=2", null);
    HttpResult second = server.admin("GET", "/admin/flags?limit=2&after=" + first.json().getString("next"), null);

    assertThat(first.items().stream().map(item -> ((JsonObject) item).getString("name")))
      .containsExactly("a-flag", "b_flag");
    assertThat(first.json().getString("next")).isEqualTo("b_flag");
    assertThat(second.items().stream().map(item -> ((JsonObject) item).getString("name"))).containsExactly("c.flag");
    assertThat(second.json().getValue("next")).isNull();
  }

  @Test
  void putRejectsInvalidFlags() {
    JsonObject enabled = new JsonObject().put("enabled", true);
    JsonArray tooManyPlans = new JsonArray();
    for (int i = 0; i <= FlagAdmin.MAX_PLANS; i++) {
      tooManyPlans.add("plan" + i);
    }
    Map<String, JsonObject> invalid = Map.of(
      "/admin/flags/Upper", enabled,
      "/admin/flags/-leading-dash", enabled,
      "/admin/flags/" + "x".repeat(65), enabled,
      "/admin/flags/no_enabled", new JsonObject(),
      "/admin/flags/text_enabled", new JsonObject().put("enabled", "yes"),
      "/admin/flags/plans_not_array", enabled.copy().put("plans", "pro"),
      "/admin/flags/plan_not_string", enabled.copy().put("plans", new JsonArray().add(1)),
      "/admin/flags/blank_plan", enabled.copy().put("plans", new JsonArray().add(" ")),
      "/admin/flags/too_many_plans", enabled.copy().put("plans", tooManyPlans));

    invalid.forEach((path, body) -> {
      HttpResult result = server.admin("PUT", path, body);
      assertThat(result.status()).as("%s %s: %s", path, body, result).isEqualTo(400);
      assertThat(result.errorCode()).as("%s %s", path, body).isEqualTo("invalid_request");
    });
    assertThat(server.admin("GET", "/admin/flags", null).items()).isEmpty();
  }

  @Test
  void putRejectsInvalidTenantIds() {
    JsonObject body = new JsonObject().put("enabled", true).put("tenants", new JsonArray().add("acme").add("Not Valid"));

    HttpResult result = server.admin("PUT", "/admin/flags/beta", body);

    assertThat(result.status()).as(result.toString()).isEqualTo(400);
    assertThat(result.errorCode()).isEqualTo("invalid_tenant_id");
    assertThat(result.json().getJsonObject("error").getString("message")).contains("tenants[1]");
  }
}
