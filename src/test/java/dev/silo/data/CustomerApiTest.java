package dev.silo.data;

import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerApiTest {

  @TempDir
  static Path dataDir;

  static SiloTestServer server;

  TenantApi api;

  @BeforeAll
  static void startServer() {
    server = SiloTestServer.start(dataDir);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void provisionTenant() {
    api = TenantApi.provision(server, "customers");
  }

  private static JsonObject alfreds() {
    return new JsonObject().put("id", "ALFKI").put("company_name", "Alfreds Futterkiste")
      .put("contact_name", "Maria Anders").put("city", "Berlin").put("country", "Germany");
  }

  @Test
  void createThenGetReturnsCustomer() {
    JsonObject created = api.create("/api/customers", alfreds());

    assertThat(created).isEqualTo(alfreds());
    assertThat(api.read("/api/customers/ALFKI")).isEqualTo(alfreds());
  }

  @Test
  void createOptionalFieldsNull() {
    JsonObject created = api.create("/api/customers", new JsonObject().put("id", "BARE").put("company_name", "Bare"));

    assertThat(created.getString("contact_name")).isNull();
    assertThat(created.getString("city")).isNull();
    assertThat(created.getString("country")).isNull();
  }

  @Test
  void createDuplicateIdConflicts() {
    api.create("/api/customers", alfreds());

    HttpResult result = api.post("/api/customers", alfreds().put("company_name", "Other"));

    assertThat(result.status()).as(result.toString()).isEqualTo(409);
    assertThat(result.errorCode()).isEqualTo("conflict");
    assertThat(result.body()).contains("customer 'ALFKI' already exists");
  }

  @Test
  void createInvalidFieldsNamed() {
    Map<String, JsonObject> invalid = Map.of(
      "id", alfreds().putNull("id"),
      "company_name", alfreds().put("company_name", " "),
      "contact_name", alfreds().put("contact_name", 7),
      "city", alfreds().put("city", "x".repeat(201)),
      "country", alfreds().put("country", "nul\u0000"));

    invalid.forEach((field, body) -> {
      HttpResult result = api.post("/api/customers", body);
      assertThat(result.status()).as("%s: %s", field, result).isEqualTo(400);
      assertThat(result.errorCode()).isEqualTo("invalid_request");
      assertThat(result.json().getJsonObject("error").getString("message")).as(field).contains("'" + field + "'");
    });
    assertThat(api.read("/api/customers").getJsonArray("items")).isEmpty();
  }

  @Test
  void getUnknownNotFound() {
    HttpResult result = api.get("/api/customers/NOPE");

    assertThat(result.status()).isEqualTo(404);
    assertThat(result.errorCode()).isEqualTo("not_found");
    assertThat(result.body()).contains("'NOPE'");
  }

  @Test
  void listPagesByTextId() {
    for (String id : List.of("CCC", "AAA", "EEE", "BBB", "DDD")) {
      api.create("/api/customers", new JsonObject().put("id", id).put("company_name", id));
    }

    List<String> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String next = null;
    do {
      JsonObject page = api.read("/api/customers?limit=2" + (next == null ? "" : "&after=" + next));
      pageSizes.add(page.getJsonArray("items").size());
      page.getJsonArray("items").forEach(item -> seen.add(((JsonObject) item).getString("id")));
      next = page.getString("next");
    } while (next != null);

    assertThat(pageSizes).containsExactly(2, 2, 1);
    assertThat(seen).containsExactly("AAA", "BBB", "CCC", "DDD", "EEE");
  }

  @Test
  void listLimitOutOfRangeRejected() {
    HttpResult tooLarge = api.get("/api/customers?limit=1001");
    HttpResult zero = api.get("/api/customers?limit=0");

    assertThat(tooLarge.status()).isEqualTo(400);
    assertThat(tooLarge.body()).contains("'limit'");
    assertThat(zero.status()).isEqualTo(400);
  }
}
