package dev.silo.data;

import dev.silo.testing.HttpResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.silo.data.TenantApi.line;
import static org.assertj.core.api.Assertions.assertThat;

class ImportApiTest extends DataApiTestBase {

  private static JsonObject customer(String id) {
    return new JsonObject().put("id", id).put("company_name", "Company " + id);
  }

  private static JsonObject product(long id, long unitPriceCents, long unitsInStock) {
    return new JsonObject().put("id", id).put("sku", "NW-" + id).put("name", "Product " + id)
      .put("unit_price_cents", unitPriceCents).put("units_in_stock", unitsInStock);
  }

  private static JsonObject order(long id, String customerId, JsonObject... lines) {
    return new JsonObject().put("id", id).put("customer_id", customerId).put("ordered_at", "1996-07-04T00:00:00Z")
      .put("lines", new JsonArray(List.of(lines)));
  }

  private static JsonObject pricedLine(long productId, long unitPriceCents, long quantity, int discountPercent) {
    return line(productId, quantity).put("unit_price_cents", unitPriceCents).put("discount_percent", discountPercent);
  }

  private static JsonObject document(List<JsonObject> customers, List<JsonObject> products, List<JsonObject> orders) {
    return new JsonObject()
      .put("customers", new JsonArray(customers))
      .put("products", new JsonArray(products))
      .put("orders", new JsonArray(orders));
  }

  /** Returns a valid document with two customers, two products and three orders. */
  private static JsonObject sample() {
    return document(
      List.of(customer("VINET"), customer("TOMSP")),
      List.of(product(11, 2100, 22), product(42, 1400, 26)),
      List.of(
        order(10248, "VINET", pricedLine(11, 1400, 12, 0), pricedLine(42, 980, 10, 0))
          .put("shipped_at", "1996-07-16T00:00:00Z").put("freight_cents", 3238),
        order(10249, "TOMSP", pricedLine(42, 1860, 9, 5)).put("freight_cents", 1161),
        order(10250, "VINET", pricedLine(11, 5, 1, 10)).put("status", "cancelled")));
  }

  private void assertTenantEmpty() {
    for (String list : List.of("/api/customers", "/api/products", "/api/orders")) {
      assertThat(api.read(list).getJsonArray("items")).as(list).isEmpty();
    }
  }

  @Test
  void importLoadsRecordsWithTheirIds() {
    HttpResult result = api.post("/api/import", sample());

    assertThat(result.status()).as(result.toString()).isEqualTo(200);
    assertThat(result.json()).isEqualTo(new JsonObject().put("customers", 2).put("products", 2).put("orders", 3));
    assertThat(api.walk("/api/customers", 10).textIds()).containsExactly("TOMSP", "VINET");
    assertThat(api.walk("/api/products", 10).ids()).containsExactly(11L, 42L);
    assertThat(api.walk("/api/orders", 10).ids()).containsExactly(10248L, 10249L, 10250L);
  }

  @Test
  void importComputesTotalsAndStatus() {
    api.post("/api/import", sample());

    JsonObject shipped = api.read("/api/orders/10248");
    JsonObject pending = api.read("/api/orders/10249");
    JsonObject cancelled = api.read("/api/orders/10250");

    assertThat(shipped.getString("status")).isEqualTo("shipped");
    assertThat(shipped.getString("shipped_at")).isEqualTo("1996-07-16T00:00:00Z");
    assertThat(shipped.getLong("total_cents")).isEqualTo(12 * 1400 + 10 * 980 + 3238);
    assertThat(pending.getString("status")).isEqualTo("pending");
    // 1860 × 9 × 0.95 = 15903 cents exactly
    assertThat(pending.getLong("total_cents")).isEqualTo(15903 + 1161);
    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    // 5 × 0.9 = 4.5 cents, rounded half up
    assertThat(cancelled.getLong("total_cents")).isEqualTo(5);
    assertThat(pending.getJsonArray("lines")).containsExactly(pricedLine(42, 1860, 9, 5));
  }

  @Test
  void importReservesNoStock() {
    api.post("/api/import", sample());

    HttpResult cancelled = api.post("/api/orders/10249/cancel", null);

    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    assertThat(api.unitsInStock(11)).isEqualTo(22);
    assertThat(api.unitsInStock(42)).isEqualTo(26);
  }

  @Test
  void invalidRecordInMiddleLoadsNothing() {
    JsonObject document = sample();
    document.getJsonArray("orders").getJsonObject(1).getJsonArray("lines").getJsonObject(0).put("quantity", 0);

    HttpResult result = api.post("/api/import", document);

    assertThat(result.status()).as(result.toString()).isEqualTo(400);
    assertThat(result.errorCode()).isEqualTo("invalid_request");
    assertThat(result.body()).contains("orders[1]: lines[0]: field 'quantity'");
    assertTenantEmpty();
  }

  @Test
  void duplicateOrderInMiddleRollsBack() {
    JsonObject document = sample();
    document.getJsonArray("orders").getJsonObject(1).put("id", 10248);

    HttpResult result = api.post("/api/import", document);

    // Customers and products were inserted before the orders failed: the rollback removes them.
    assertThat(result.status()).as(result.toString()).isEqualTo(409);
    assertThat(result.errorCode()).isEqualTo("conflict");
    assertThat(result.body()).contains("orders[1].id").contains("10248 appears twice");
    assertTenantEmpty();
  }

  @Test
  void unknownProductRollsBack() {
    JsonObject document = sample();
    document.getJsonArray("orders").getJsonObject(2).getJsonArray("lines").getJsonObject(0).put("product_id", 77);

    HttpResult result = api.post("/api/import", document);

    assertThat(result.status()).as(result.toString()).isEqualTo(400);
    assertThat(result.body()).contains("product_id").contains("neither in the document nor in the tenant");
    assertTenantEmpty();
  }

  @Test
  void unknownCustomerRollsBack() {
    JsonObject document = sample();
    document.getJsonArray("orders").getJsonObject(1).put("customer_id", "NOBODY");

    HttpResult result = api.post("/api/import", document);

    assertThat(result.status()).as(result.toString()).isEqualTo(400);
    assertThat(result.body()).contains("customer_id");
    assertTenantEmpty();
  }

  @Test
  void ordersMayReferToExistingRecords() {
    api.customer("ALFKI");
    long productId = api.product("OLD", 100, 5);
    JsonObject document = document(List.of(), List.of(), List.of(order(1, "ALFKI", pricedLine(productId, 100, 2, 0))));

    HttpResult result = api.post("/api/import", document);

    assertThat(result.status()).as(result.toString()).isEqualTo(200);
    assertThat(result.json().getInteger("orders")).isEqualTo(1);
    assertThat(api.unitsInStock(productId)).isEqualTo(5);
  }

  @Test
  void existingIdConflicts() {
    api.customer("VINET");

    HttpResult result = api.post("/api/import", sample());

    assertThat(result.status()).as(result.toString()).isEqualTo(409);
    assertThat(result.body()).contains("already exists in the tenant");
    assertThat(result.json().getJsonObject("error").getString("message")).matches(
      "field 'customers\\[\\d+]\\.id': VINET already exists in the tenant, so the import changed nothing");
    assertThat(api.walk("/api/customers", 10).textIds()).containsExactly("VINET");
    assertThat(api.read("/api/products").getJsonArray("items")).isEmpty();
  }

  @Test
  void totalBeyondLongRejected() {
    // Each line is 10^10 cents × 10^6 units = 10^16 cents, so 1000 lines sum to 10^19 > 2^63 - 1.
    JsonObject[] lines = new JsonObject[1000];
    Arrays.fill(lines, pricedLine(11, 10_000_000_000L, 1_000_000, 0));
    JsonObject document = document(List.of(customer("VINET")), List.of(product(11, 1, 1)),
      List.of(order(1, "VINET", lines)));

    HttpResult result = api.post("/api/import", document);

    assertThat(result.status()).as(result.toString()).isEqualTo(400);
    assertThat(result.body()).contains("orders[0]").contains("total");
    assertTenantEmpty();
  }

  @Test
  void invalidDocumentShapeRejected() {
    HttpResult notArray = api.post("/api/import", new JsonObject().put("customers", "VINET"));
    HttpResult noOrderId = api.post("/api/import", document(List.of(customer("VINET")), List.of(),
      List.of(order(1, "VINET").putNull("id"))));
    HttpResult notObject = api.post("/api/import", new JsonObject().put("products", new JsonArray().add(5)));

    assertThat(notArray.status()).isEqualTo(400);
    assertThat(notArray.body()).contains("'customers'");
    assertThat(noOrderId.status()).isEqualTo(400);
    assertThat(noOrderId.body()).contains("orders[0]").contains("'id'");
    assertThat(notObject.status()).isEqualTo(400);
    assertThat(notObject.body()).contains("'products[0]'");
    assertTenantEmpty();
  }
}
