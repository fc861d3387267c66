package dev.silo.admin;

import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SupportRoleTest {

  @TempDir
  Path dataDir;

  private SiloTestServer server;
  private String supportToken;

  @BeforeEach
  void startServer() {
    server = SiloTestServer.start(dataDir);
    HttpResult user = server.admin("POST", "/admin/users", new JsonObject().put("name", "Sam").put("role", "support"));
    assertThat(user.status()).as(user.toString()).isEqualTo(201);
    supportToken = user.json().getString("token");
    server.admin("PUT", "/admin/flags/beta", new JsonObject().put("enabled", true));
    server.admin("PUT", "/admin/settings/theme", new JsonObject().put("value", "dark"));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void supportReadsFlagsAndSettings() {
    HttpResult flags = server.call("GET", "/admin/flags", supportToken, null, null);
    HttpResult settings = server.call("GET", "/admin/settings", supportToken, null, null);

    assertThat(flags.status()).as(flags.toString()).isEqualTo(200);
    assertThat(flags.items().getJsonObject(0).getString("name")).isEqualTo("beta");
    assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
    assertThat(settings.items().getJsonObject(0).getString("value")).isEqualTo("dark");
  }

  @Test
  void supportCannotChangeFlagsSettingsOrJobs() {
    HttpResult flag = server.call("PUT", "/admin/flags/beta", supportToken, null, new JsonObject().put("enabled", false));
    HttpResult setting = server.call("PUT", "/admin/settings/theme", supportToken, null,
      new JsonObject().put("value", "light"));
    HttpResult job = server.call("POST", "/admin/migrations", supportToken, null, null);

    assertThat(flag.status()).as(flag.toString()).isEqualTo(403);
    assertThat(flag.errorCode()).isEqualTo("forbidden");
    assertThat(setting.status()).as(setting.toString()).isEqualTo(403);
    assertThat(setting.errorCode()).isEqualTo("forbidden");
    assertThat(job.status()).as(job.toString()).isEqualTo(403);
    assertThat(job.errorCode()).isEqualTo("forbidden");
    assertThat(server.admin("GET", "/admin/flags", null).items().getJsonObject(0).getBoolean("enabled")).isTrue();
    assertThat(server.admin("GET", "/admin/settings", null).items().getJsonObject(0).getString("value"))
      .isEqualTo("dark");
  }

  @Test
  void tenantTokenCannotReadFlagAdministration() {
    server.provision("acme");
    String tenantToken = server.tenantToken("acme");

    HttpResult flags = server.call("GET", "/admin/flags", tenantToken, null, null);

    assertThat(flags.status()).as(flags.toString()).isEqualTo(403);
    assertThat(flags.errorCode()).isEqualTo("forbidden");
  }
}
