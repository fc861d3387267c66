package dev.silo.data;

import dev.silo.bus.Actions;
import dev.silo.bus.Addresses;
import dev.silo.bus.MessageHeaders;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.silo.data.TenantApi.line;
import static dev.silo.data.TenantApi.order;
import static org.assertj.core.api.Assertions.assertThat;

class OrderApiTest extends DataApiTestBase {

  private static final String ISO_UTC_SECONDS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

  @Test
  void createReservesStockAndPrices() {
    long chai = api.product("CHAI", 1800, 10);
    api.customer("ALFKI");

    JsonObject created = api.create("/api/orders", order("ALFKI", line(chai, 3)).put("freight_cents", 250)
      .put("ship_name", "Alfreds").put("ship_city", "Berlin").put("ship_country", "Germany")
      .put("required_at", "2026-12-24T12:00:00Z"));

    assertThat(created.getLong("id")).isPositive();
    assertThat(created.getString("status")).isEqualTo("pending");
    assertThat(created.getString("ordered_at")).matches(ISO_UTC_SECONDS);
    assertThat(created.getString("required_at")).isEqualTo("2026-12-24T12:00:00Z");
    assertThat(created.getString("shipped_at")).isNull();
    assertThat(created.getString("ship_city")).isEqualTo("Berlin");
    assertThat(created.getJsonArray("lines")).containsExactly(new JsonObject().put("product_id", chai)
      .put("unit_price_cents", 1800).put("quantity", 3).put("discount_percent", 0));
    assertThat(created.getLong("total_cents")).isEqualTo(3 * 1800 + 250);
    assertThat(api.unitsInStock(chai)).isEqualTo(7);
    assertThat(api.read("/api/orders/" + created.getLong("id"))).isEqualTo(created);
  }

  @Test
  void createInsufficientStockReservesNothing() {
    long plenty = api.product("PLENTY", 100, 10);
    long scarce = api.product("SCARCE", 100, 1);
    api.customer("ALFKI");

    HttpResult result = api.post("/api/orders", order("ALFKI", line(plenty, 3), line(scarce, 2)));

    assertThat(result.status()).as(result.toString()).isEqualTo(409);
    assertThat(result.errorCode()).isEqualTo("insufficient_stock");
    assertThat(result.body()).contains("product " + scarce + " has 1 units in stock, the order needs 2");
    assertThat(api.unitsInStock(plenty)).isEqualTo(10);
    assertThat(api.unitsInStock(scarce)).isEqualTo(1);
    assertThat(api.read("/api/orders").getJsonArray("items")).isEmpty();
  }

  @Test
  void createSumsLinesOfOneProduct() {
    long chai = api.product("CHAI", 100, 5);
    api.customer("ALFKI");

    HttpResult result = api.post("/api/orders", order("ALFKI", line(chai, 3), line(chai, 3)));

    assertThat(result.status()).as(result.toString()).isEqualTo(409);
    assertThat(result.errorCode()).isEqualTo("insufficient_stock");
    assertThat(api.unitsInStock(chai)).isEqualTo(5);
  }

  @Test
  void createUnknownProductNamed() {
    long chai = api.product("CHAI", 100, 5);
    api.customer("ALFKI");

    HttpResult result = api.post("/api/orders", order("ALFKI", line(chai, 1), line(999, 1)));

    assertThat(result.status()).as(result.toString()).isEqualTo(400);
    assertThat(result.errorCode()).isEqualTo("invalid_request");
    assertThat(result.body()).contains("lines[1]").contains("product 999 does not exist");
    assertThat(api.unitsInStock(chai)).isEqualTo(5);
  }

  @Test
  void createUnknownCustomerRollsBackStock() {
    long chai = api.product("CHAI", 100, 5);

    HttpResult result = api.post("/api/orders", order("NOBODY", line(chai, 2)));

    assertThat(result.status()).as(result.toString()).isEqualTo(400);
    assertThat(result.body()).contains("'customer_id'").contains("'NOBODY' does not exist");
    assertThat(api.unitsInStock(chai)).isEqualTo(5);
    assertThat(api.read("/api/orders").getJsonArray("items")).isEmpty();
  }

  @Test
  void createKeepsGivenIdOnce() {
    long chai = api.product("CHAI", 100, 5);
    api.customer("ALFKI");

    JsonObject created = api.create("/api/orders", order("ALFKI", line(chai, 1)).put("id", 500));
    HttpResult again = api.post("/api/orders", order("ALFKI", line(chai, 1)).put("id", 500));

    assertThat(created.getLong("id")).isEqualTo(500);
    assertThat(again.status()).as(again.toString()).isEqualTo(409);
    assertThat(again.errorCode()).isEqualTo("conflict");
    assertThat(again.body()).contains("order 500 already exists");
    assertThat(api.unitsInStock(chai)).isEqualTo(4);
  }

  @Test
  void createDiscontinuedProductConflicts() {
    long old = api.create("/api/products", new JsonObject().put("sku", "OLD").put("name", "Old")
      .put("unit_price_cents", 100).put("units_in_stock", 5).put("discontinued", true)).getLong("id");
    api.customer("ALFKI");

    HttpResult result = api.post("/api/orders", order("ALFKI", line(old, 1)));

    assertThat(result.status()).as(result.toString()).isEqualTo(409);
    assertThat(result.body()).contains("discontinued");
    assertThat(api.unitsInStock(old)).isEqualTo(5);
  }

  @Test
  void createInvalidFieldsNamed() {
    long chai = api.product("CHAI", 100, 5);
    api.customer("ALFKI");
    Map<String, JsonObject> invalid = Map.of(
      "customer_id", order(null, line(chai, 1)),
      "lines", order("ALFKI"),
      "quantity", order("ALFKI", line(chai, 0)),
      "discount_percent", order("ALFKI", line(chai, 1).put("discount_percent", 101)),
      "unit_price_cents", order("ALFKI", line(chai, 1).put("unit_price_cents", -5)),
      "product_id", order("ALFKI", new JsonObject().put("quantity", 1)),
      "ordered_at", order("ALFKI", line(chai, 1)).put("ordered_at", "yesterday"),
      "freight_cents", order("ALFKI", line(chai, 1)).put("freight_cents", -1));

    invalid.forEach((field, body) -> {
      HttpResult result = api.post("/api/orders", body);
      assertThat(result.status()).as("%s: %s", field, result).isEqualTo(400);
      assertThat(result.errorCode()).isEqualTo("invalid_request");
      assertThat(result.json().getJsonObject("error").getString("message")).as(field).contains(field);
    });
    assertThat(api.unitsInStock(chai)).isEqualTo(5);
  }

  @Test
  void lineAmountsRoundHalfUp() {
    long product = api.product("P", 1999, 100);
    api.customer("ALFKI");
    JsonObject body = order("ALFKI",
      line(product, 1).put("unit_price_cents", 5).put("discount_percent", 10),
      line(product, 1).put("unit_price_cents", 1).put("discount_percent", 50),
      line(product, 1).put("unit_price_cents", 3).put("discount_percent", 50),
      line(product, 3).put("discount_percent", 15),
      line(product, 7).put("unit_price_cents", 333).put("discount_percent", 33))
      .put("freight_cents", 100);

    JsonObject created = api.create("/api/orders", body);

    // 4.5 -> 5, 0.5 -> 1, 1.5 -> 2, 5097.45 -> 5097, 1561.77 -> 1562 cents
    assertThat(created.getLong("total_cents")).isEqualTo(5 + 1 + 2 + 5097 + 1562 + 100);
    assertThat(created.getJsonArray("lines").getJsonObject(3).getLong("unit_price_cents")).isEqualTo(1999);
  }

  @Test
  void listFiltersByStatus() {
    long chai = api.product("CHAI", 100, 10);
    api.customer("ALFKI");
    long pending = api.create("/api/orders", order("ALFKI", line(chai, 1))).getLong("id");
    long shipped = api.create("/api/orders", order("ALFKI", line(chai, 1))).getLong("id");
    long cancelled = api.create("/api/orders", order("ALFKI", line(chai, 1))).getLong("id");
    api.post("/api/orders/" + shipped + "/ship", null);
    api.post("/api/orders/" + cancelled + "/cancel", null);

    assertThat(api.walk("/api/orders?status=pending", 1).ids()).containsExactly(pending);
    assertThat(api.walk("/api/orders?status=shipped", 1).ids()).containsExactly(shipped);
    assertThat(api.walk("/api/orders?status=cancelled", 1).ids()).containsExactly(cancelled);
    assertThat(api.walk("/api/orders", 1).ids()).containsExactly(pending, shipped, cancelled);
    HttpResult unknown = api.get("/api/orders?status=lost");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body()).contains("'status'");
  }

  @Test
  void pendingActionOverEventBus() {
    long chai = api.product("CHAI", 100, 10);
    api.customer("ALFKI");
    long pending = api.create("/api/orders", order("ALFKI", line(chai, 1))).getLong("id");
    long shipped = api.create("/api/orders", order("ALFKI", line(chai, 1))).getLong("id");
    api.post("/api/orders/" + shipped + "/ship", null);
    DeliveryOptions headers = new DeliveryOptions()
      .addHeader(MessageHeaders.TENANT, api.tenantId())
      .addHeader(MessageHeaders.ACTION, Actions.ORDERS_PENDING);

    // The action fixes the status to pending, whatever the request contains.
    Message<JsonObject> reply = SiloTestServer.await(server.vertx().eventBus()
      .request(Addresses.DATA, new JsonObject().put("status", "shipped"), headers));

    JsonArray items = reply.body().getJsonArray("items");
    assertThat(items).hasSize(1);
    assertThat(items.getJsonObject(0).getLong("id")).isEqualTo(pending);
    assertThat(reply.body().getString("next")).isNull();
  }

  @Test
  void shipSetsStatusAndTime() {
    long chai = api.product("CHAI", 100, 10);
    api.customer("ALFKI");
    long id = api.create("/api/orders", order("ALFKI", line(chai, 4))).getLong("id");

    HttpResult shipped = api.post("/api/orders/" + id + "/ship", null);

    assertThat(shipped.status()).as(shipped.toString()).isEqualTo(200);
    assertThat(shipped.json().getString("status")).isEqualTo("shipped");
    assertThat(shipped.json().getString("shipped_at")).matches(ISO_UTC_SECONDS);
    assertThat(api.unitsInStock(chai)).isEqualTo(6);
    assertThat(api.read("/api/orders/" + id)).isEqualTo(shipped.json());
  }

  @Test
  void shipTakesGivenTime() {
    long chai = api.product("CHAI", 100, 10);
    api.customer("ALFKI");
    long id = api.create("/api/orders", order("ALFKI", line(chai, 1))).getLong("id");

    HttpResult shipped = api.post("/api/orders/" + id + "/ship",
      new JsonObject().put("shipped_at", "2026-12-04T19:03:15.250Z"));

    assertThat(shipped.status()).as(shipped.toString()).isEqualTo(200);
    assertThat(shipped.json().getString("shipped_at")).isEqualTo("2026-12-04T19:03:15Z");
  }

  @Test
  void cancelReleasesStock() {
    long chai = api.product("CHAI", 100, 10);
    long chang = api.product("CHANG", 100, 10);
    api.customer("ALFKI");
    long id = api.create("/api/orders", order("ALFKI", line(chai, 4), line(chang, 1), line(chai, 2)))
      .getLong("id");
    assertThat(api.unitsInStock(chai)).isEqualTo(4);

    HttpResult cancelled = api.post("/api/orders/" + id + "/cancel", null);

    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    assertThat(cancelled.json().getString("status")).isEqualTo("cancelled");
    assertThat(api.unitsInStock(chai)).isEqualTo(10);
    assertThat(api.unitsInStock(chang)).isEqualTo(10);
  }

  @Test
  void onlyPendingOrdersChange() {
    long chai = api.product("CHAI", 100, 10);
    api.customer("ALFKI");
    long shipped = api.create("/api/orders", order("ALFKI", line(chai, 1))).getLong("id");
    long cancelled = api.create("/api/orders", order("ALFKI", line(chai, 1))).getLong("id");
    api.post("/api/orders/" + shipped + "/ship", null);
    api.post("/api/orders/" + cancelled + "/cancel", null);

    for (String path : List.of(shipped + "/ship", shipped + "/cancel", cancelled + "/ship", cancelled + "/cancel")) {
      HttpResult result = api.post("/api/orders/" + path, null);
      assertThat(result.status()).as("%s: %s", path, result).isEqualTo(409);
      assertThat(result.errorCode()).as(path).isEqualTo("conflict");
      assertThat(result.body()).as(path).contains("only a pending order");
    }
    // A second cancel must not give the stock back twice.
    assertThat(api.unitsInStock(chai)).isEqualTo(9);
  }

  @Test
  void unknownOrderNotFound() {
    for (String path : List.of("/api/orders/999", "/api/orders/999/ship", "/api/orders/999/cancel")) {
      HttpResult result = path.endsWith("999") ? api.get(path) : api.post(path, null);
      assertThat(result.status()).as("%s: %s", path, result).isEqualTo(404);
      assertThat(result.errorCode()).as(path).isEqualTo("not_found");
    }
  }
}
