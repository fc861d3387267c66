package dev.silo.data;

import dev.silo.testing.HttpResult;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerApiTest extends DataApiTestBase {

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

    TenantApi.Pages pages = api.walk("/api/customers", 2);

    assertThat(pages.sizes()).containsExactly(2, 2, 1);
    assertThat(pages.textIds()).containsExactly("AAA", "BBB", "CCC", "DDD", "EEE");
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
