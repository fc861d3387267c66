package dev.silo.http;

import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the access rules on every row of the route table. */
class RouteAccessTest {

  @TempDir
  Path dir;

  private SiloTestServer silo;
  private String tenantToken;
  private String supportToken;

  @BeforeEach
  void start() {
    silo = SiloTestServer.start(dir);
    silo.provision("acme");
    silo.provision("globex");
    tenantToken = silo.tenantToken("acme");
    supportToken = silo.admin("POST", "/admin/users", new JsonObject().put("name", "Sam").put("role", "support"))
      .json().getString("token");
  }

  @AfterEach
  void stop() {
    silo.close();
  }

  @Test
  void everyRouteNeedsToken() {
    for (ApiRoute route : allRoutes()) {
      HttpResult missing = send(route, null, null);
      HttpResult unknown = send(route, "silo_unknown", null);

      assertThat(missing.status()).as("%s %s without token", route.method(), route.path()).isEqualTo(401);
      assertThat(unknown.status()).as("%s %s with unknown token", route.method(), route.path()).isEqualTo(401);
    }
  }

  @Test
  void tenantTokenIsForbiddenOnAdminRoutes() {
    for (ApiRoute route : ApiRoutes.ADMIN) {
      HttpResult result = send(route, tenantToken, null);

      assertThat(result.status()).as("%s %s", route.method(), route.path()).isEqualTo(403);
      assertThat(result.errorCode()).isEqualTo("forbidden");
    }
  }

  @Test
  void tenantTokenIsForbiddenOnOtherTenant() {
    for (ApiRoute route : ApiRoutes.DATA) {
      HttpResult result = send(route, tenantToken, "globex");

      assertThat(result.status()).as("%s %s", route.method(), route.path()).isEqualTo(403);
      assertThat(result.errorCode()).isEqualTo("forbidden");
    }
  }

  @Test
  void supportRoleIsForbiddenToWrite() {
    for (ApiRoute route : allRoutes()) {
      if (!route.writes()) {
        continue;
      }
      HttpResult result = send(route, supportToken, "acme");

      assertThat(result.status()).as("%s %s", route.method(), route.path()).isEqualTo(403);
      assertThat(result.errorCode()).isEqualTo("forbidden");
    }
    assertThat(silo.admin("GET", "/admin/tenants/acme", null).json().getString("status")).isEqualTo("active");
  }

  @Test
  void supportRoleMayRead() {
    for (ApiRoute route : allRoutes()) {
      if (route.writes()) {
        continue;
      }
      HttpResult result = send(route, supportToken, "acme");

      assertThat(result.status()).as("%s %s: %s", route.method(), route.path(), result).isNotIn(401, 403);
    }
  }

  private HttpResult send(ApiRoute route, String token, String tenant) {
    String path = route.path()
      .replace("/admin/tenants/:id", "/admin/tenants/acme")
      .replace(":id", "1")
      .replace(":name", "sample")
      .replace(":key", "sample");
    return silo.call(route.method().name(), path, token, tenant, route.writes() ? new JsonObject() : null);
  }

  private static List<ApiRoute> allRoutes() {
    List<ApiRoute> routes = new ArrayList<>(ApiRoutes.ADMIN);
    routes.addAll(ApiRoutes.DATA);
    return routes;
  }
}
