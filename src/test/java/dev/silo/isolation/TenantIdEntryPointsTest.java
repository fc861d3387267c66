package dev.silo.isolation;

import dev.silo.bus.Actions;
import dev.silo.bus.SiloClient;
import dev.silo.error.SiloException;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Walks a table of invalid tenant ids through every place an id enters Silo. */
class TenantIdEntryPointsTest {

  private static final List<String> INVALID_IDS = List.of("..", ".hidden", "../system", "%2e%2e", "a?mode=ro",
    "a#b", "a/b", "ACME", "acm\u0435", "\uff41cme", "system", "admin", "api", "", "a".repeat(300),
    "acme;drop", "acme ", " acme", "acme\t");

  @TempDir
  Path dir;

  private SiloTestServer silo;
  private Set<Path> filesBefore;

  @BeforeEach
  void start() throws IOException {
    silo = SiloTestServer.start(dir);
    silo.provision("acme");
    filesBefore = files();
  }

  @AfterEach
  void stop() {
    silo.close();
  }

  @Test
  void jsonBodyRejectsInvalidIds() throws IOException {
    for (String id : INVALID_IDS) {
      HttpResult result = silo.admin("POST", "/admin/tenants",
        new JsonObject().put("id", id).put("name", "x").put("plan", "p"));

      assertThat(result.status()).as("id '%s'", id).isEqualTo(400);
      assertThat(result.errorCode()).as("id '%s'", id).isEqualTo("invalid_tenant_id");
    }
    assertThat(files()).isEqualTo(filesBefore);
  }

  @Test
  void tenantHeaderRejectsInvalidIds() throws IOException {
    for (String id : INVALID_IDS) {
      if (id.isEmpty() || !id.strip().equals(id) || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        // HTTP clients drop, trim or refuse such header values before they are sent.
        continue;
      }
      HttpResult result = silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, id, null);

      assertThat(result.status()).as("id '%s'", id).isEqualTo(400);
      assertThat(result.errorCode()).as("id '%s'", id).isEqualTo("invalid_tenant_id");
    }
    assertThat(files()).isEqualTo(filesBefore);
  }

  @Test
  void pathRejectsInvalidIds() throws IOException {
    for (String id : INVALID_IDS) {
      if (id.isEmpty()) {
        continue;
      }
      String segment = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
      for (String route : List.of("/admin/tenants/%s", "/admin/tenants/%s/suspend", "/admin/tenants/%s/tokens")) {
        String method = route.endsWith("%s") ? "GET" : "POST";
        HttpResult result = silo.admin(method, String.format(route, segment), new JsonObject());

        assertThat(result.status()).as("%s %s", method, String.format(route, segment)).isEqualTo(400);
        assertThat(result.errorCode()).as("%s %s", method, String.format(route, segment))
          .isEqualTo("invalid_tenant_id");
      }
    }
    assertThat(files()).isEqualTo(filesBefore);
  }

  @Test
  void eventBusHeaderRejectsInvalidIds() throws IOException {
    SiloClient client = SiloClient.create(silo.vertx());
    for (String id : INVALID_IDS) {
      if (id.isEmpty()) {
        continue;
      }
      assertThatThrownBy(() -> await(client.data(id, Actions.PRODUCTS_LIST, null)))
        .as("id '%s'", id)
        .isInstanceOfSatisfying(SiloException.class,
          e -> assertThat(e.code().code()).isEqualTo("invalid_tenant_id"));
    }
    assertThatThrownBy(() -> await(client.data("", Actions.PRODUCTS_LIST, null)))
      .isInstanceOfSatisfying(SiloException.class, e -> assertThat(e.code().code()).isEqualTo("tenant_required"));
    assertThat(files()).isEqualTo(filesBefore);
  }

  private Set<Path> files() throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("system.db"))
        .collect(Collectors.toSet());
    }
  }
}
