package dev.silo.data;

import dev.silo.testing.HttpResult;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProductApiTest extends DataApiTestBase {

  private static JsonObject chai() {
    return new JsonObject().put("sku", "NW-1").put("name", "Chai").put("unit_price_cents", 1800)
      .put("units_in_stock", 39).put("discontinued", false);
  }

  @Test
  void createAssignsIdAndGetReturnsIt() {
    JsonObject created = api.create("/api/products", chai());

    assertThat(created.getLong("id")).isPositive();
    assertThat(created.copy().put("id", 0)).isEqualTo(chai().put("id", 0));
    assertThat(api.read("/api/products/" + created.getLong("id"))).isEqualTo(created);
  }

  @Test
  void createKeepsGivenIdAndDefaults() {
    JsonObject created = api.create("/api/products",
      new JsonObject().put("id", 42).put("sku", "S-42").put("name", "Answer").put("unit_price_cents", 5));

    assertThat(created.getLong("id")).isEqualTo(42);
    assertThat(created.getLong("units_in_stock")).isZero();
    assertThat(created.getBoolean("discontinued")).isFalse();
  }

  @Test
  void createDuplicateIdOrSkuConflicts() {
    api.create("/api/products", chai().put("id", 1));

    HttpResult sameId = api.post("/api/products", chai().put("id", 1).put("sku", "other"));
    HttpResult sameSku = api.post("/api/products", chai().put("id", 2));

    assertThat(sameId.status()).as(sameId.toString()).isEqualTo(409);
    assertThat(sameId.errorCode()).isEqualTo("conflict");
    assertThat(sameId.body()).contains("product 1 already exists").doesNotContainIgnoringCase("sqlite");
    assertThat(sameSku.status()).as(sameSku.toString()).isEqualTo(409);
    assertThat(sameSku.body()).contains("sku 'NW-1'").doesNotContainIgnoringCase("constraint");
  }

  @Test
  void createInvalidFieldsNamed() {
    Map<String, JsonObject> invalid = Map.of(
      "sku", chai().put("sku", ""),
      "name", chai().putNull("name"),
      "unit_price_cents", chai().put("unit_price_cents", -1),
      "units_in_stock", chai().put("units_in_stock", 1.5),
      "discontinued", chai().put("discontinued", "no"),
      "id", chai().put("id", 0));

    invalid.forEach((field, body) -> {
      HttpResult result = api.post("/api/products", body);
      assertThat(result.status()).as("%s: %s", field, result).isEqualTo(400);
      assertThat(result.errorCode()).isEqualTo("invalid_request");
      assertThat(result.json().getJsonObject("error").getString("message")).as(field).contains("'" + field + "'");
    });
    assertThat(api.read("/api/products").getJsonArray("items")).isEmpty();
  }

  @Test
  void createMalformedJsonRejected() {
    HttpResult result = api.post("/api/products", "{\"sku\": ");

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorCode()).isEqualTo("invalid_request");
  }

  @Test
  void getUnknownOrMalformedId() {
    HttpResult unknown = api.get("/api/products/999");
    HttpResult malformed = api.get("/api/products/abc");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("not_found");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body()).contains("'id'");
  }

  @Test
  void updateReplacesFields() {
    long id = api.create("/api/products", chai()).getLong("id");
    JsonObject replacement = new JsonObject().put("sku", "NW-1b").put("name", "Chai tea").put("unit_price_cents", 1900)
      .put("units_in_stock", 5).put("discontinued", true);

    HttpResult result = api.put("/api/products/" + id, replacement);

    assertThat(result.status()).as(result.toString()).isEqualTo(200);
    assertThat(result.json()).isEqualTo(replacement.copy().put("id", id));
    assertThat(api.read("/api/products/" + id)).isEqualTo(result.json());
  }

  @Test
  void updatePathIdWinsOverBodyId() {
    long id = api.create("/api/products", chai()).getLong("id");

    HttpResult result = api.put("/api/products/" + id, chai().put("id", id + 100).put("name", "Renamed"));

    assertThat(result.status()).as(result.toString()).isEqualTo(200);
    assertThat(result.json().getLong("id")).isEqualTo(id);
    assertThat(api.get("/api/products/" + (id + 100)).status()).isEqualTo(404);
  }

  @Test
  void updateUnknownOrTakenSku() {
    api.create("/api/products", chai());
    long other = api.product("S-2", 100, 1);

    HttpResult unknown = api.put("/api/products/999", chai().put("sku", "S-999"));
    HttpResult duplicateSku = api.put("/api/products/" + other, chai());

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(duplicateSku.status()).as(duplicateSku.toString()).isEqualTo(409);
    assertThat(duplicateSku.errorCode()).isEqualTo("conflict");
  }

  @Test
  void deleteRemovesProduct() {
    long id = api.product("S-1", 100, 1);

    HttpResult deleted = api.delete("/api/products/" + id);

    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertThat(api.get("/api/products/" + id).status()).isEqualTo(404);
    assertThat(api.delete("/api/products/" + id).status()).isEqualTo(404);
  }

  @Test
  void deleteOrderedProductConflicts() {
    long id = api.product("S-1", 100, 5);
    api.customer("ALFKI");
    api.create("/api/orders", TenantApi.order("ALFKI", TenantApi.line(id, 1)));

    HttpResult result = api.delete("/api/products/" + id);

    assertThat(result.status()).as(result.toString()).isEqualTo(409);
    assertThat(result.body()).contains("used by orders");
    assertThat(api.get("/api/products/" + id).status()).isEqualTo(200);
  }

  @Test
  void listPagesWithLimitAndNext() {
    List<Long> ids = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      ids.add(api.product("S-" + i, 100 * i, i));
    }

    TenantApi.Pages pages = api.walk("/api/products", 2);

    assertThat(pages.sizes()).containsExactly(2, 2, 1);
    assertThat(pages.ids()).isEqualTo(ids);
  }

  @Test
  void listDefaultsToOnePage() {
    api.product("S-1", 100, 1);
    api.product("S-2", 100, 1);

    JsonObject page = api.read("/api/products");

    assertThat(page.getJsonArray("items")).hasSize(2);
    assertThat(page.containsKey("next")).isTrue();
    assertThat(page.getString("next")).isNull();
  }

  @Test
  void listAfterSkipsEarlierIds() {
    long first = api.product("S-1", 100, 1);
    long second = api.product("S-2", 100, 1);

    JsonObject page = api.read("/api/products?after=" + first);

    assertThat(page.getJsonArray("items")).hasSize(1);
    assertThat(page.getJsonArray("items").getJsonObject(0).getLong("id")).isEqualTo(second);
  }

  @Test
  void listLimitOutOfRangeRejected() {
    for (String query : List.of("limit=0", "limit=1001", "limit=abc", "after=-1", "after=x")) {
      HttpResult result = api.get("/api/products?" + query);
      assertThat(result.status()).as("%s: %s", query, result).isEqualTo(400);
      assertThat(result.errorCode()).as(query).isEqualTo("invalid_request");
    }
    assertThat(api.get("/api/products?limit=1000").status()).isEqualTo(200);
  }
}
