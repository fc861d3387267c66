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
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SettingAdminTest {

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
  void putKeepsEveryJsonValueType() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("a.text", "hello");
    values.put("b.number", 42);
    values.put("c.fraction", 0.5);
    values.put("d.flag", false);
    values.put("e.list", new JsonArray().add("x").add(1));
    values.put("f.object", new JsonObject().put("limit", 10).put("nested", new JsonObject().put("on", true)));

    values.forEach((key, value) -> {
      HttpResult result = server.admin("PUT", "/admin/settings/" + key, new JsonObject().put("value", value));
      assertThat(result.status()).as("%s: %s", key, result).isEqualTo(200);
      assertThat(result.json().getString("key")).isEqualTo(key);
      assertThat(result.json().getValue("value")).as(key).isEqualTo(value);
    });

    HttpResult list = server.admin("GET", "/admin/settings", null);
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    assertThat(list.items()).hasSize(values.size());
    for (Object item : list.items()) {
      JsonObject setting = (JsonObject) item;
      assertThat(setting.getValue("value")).as(setting.getString("key")).isEqualTo(values.get(setting.getString("key")));
      assertThat(setting.getString("updated_at")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    }
  }

  @Test
  void putReplacesValue() {
    server.admin("PUT", "/admin/settings/support.email", new JsonObject().put("value", "old@example.com"));

    HttpResult replaced = server.admin("PUT", "/admin/settings/support.email",
      new JsonObject().put("value", "new@example.com"));

    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    HttpResult list = server.admin("GET", "/admin/settings", null);
    assertThat(list.items()).hasSize(1);
    assertThat(list.items().getJsonObject(0).getString("value")).isEqualTo("new@example.com");
  }

  @Test
  void listPagesByKey() {
    for (String key : new String[] {"b", "a", "c"}) {
      server.admin("PUT", "/admin/settings/" + key, new JsonObject().put("value", key));
    }

    HttpResult first = server.admin("GET", "/admin/settings?limit=2", null);
    HttpResult second = server.admin("GET", "/admin/settings?limit=2&after=a", null);

    assertThat(first.items().stream().map(item -> ((JsonObject) item).getString("key"))).containsExactly("a", "b");
    assertThat(first.json().getString("next")).isEqualTo("b");
    assertThat(second.items().stream().map(item -> ((JsonObject) item).getString("key"))).containsExactly("b", "c");
    assertThat(second.json().getValue("next")).isNull();
  }

  @Test
  void putRejectsInvalidSettings() {
    JsonObject valid = new JsonObject().put("value", 1);
    Map<String, Object> invalid = new LinkedHashMap<>();
    invalid.put("/admin/settings/Upper", valid);
    invalid.put("/admin/settings/_leading", valid);
    invalid.put("/admin/settings/" + "k".repeat(65), valid);
    invalid.put("/admin/settings/no_value", new JsonObject());
    invalid.put("/admin/settings/null_value", new JsonObject().putNull("value"));
    invalid.put("/admin/settings/too_large", new JsonObject().put("value", "v".repeat(SettingAdmin.MAX_VALUE_BYTES)));
    invalid.put("/admin/settings/not_an_object", "[1, 2]");
    invalid.put("/admin/settings/not_json", "{value: ");

    invalid.forEach((path, body) -> {
      HttpResult result = server.admin("PUT", path, body);
      assertThat(result.status()).as("%s: %s", path, result).isEqualTo(400);
      assertThat(result.errorCode()).as(path).isEqualTo("invalid_request");
    });
    assertThat(server.admin("GET", "/admin/settings", null).items()).isEmpty();
  }
}
