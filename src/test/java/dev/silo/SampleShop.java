package dev.silo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A small document for {@code POST /api/import}: three Northwind products, two customers,
 * one shipped order and two pending ones, with the figures the tests expect back.
 */
final class SampleShop {

  static final List<Long> PENDING_ORDER_IDS = List.of(11008L, 11011L);

  static final long CHECKED_ORDER_ID = 11008;
  static final String CHECKED_ORDER_CUSTOMER = "ERNSH";
  static final int CHECKED_ORDER_LINES = 3;
  /**
   * Lines 1800 × 3 = 5400, 1900 × 10 × 95 / 100 = 18050, and 1005 × 1 × 90 / 100 = 904.5,
   * which rounds half up to 905; plus 7946 freight.
   */
  static final long CHECKED_ORDER_TOTAL_CENTS = 5400 + 18050 + 905 + 7946;

  static final long CHECKED_PRODUCT_ID = 2;
  static final long CHECKED_PRODUCT_STOCK = 17;

  private SampleShop() {
  }

  static JsonObject document() {
    JsonArray customers = new JsonArray()
      .add(customer("ALFKI", "Alfreds Futterkiste", "Maria Anders", "Berlin", "Germany"))
      .add(customer("ERNSH", "Ernst Handel", "Roland Mendel", "Graz", "Austria"));
    JsonArray products = new JsonArray()
      .add(product(1, "Chai", 1800, 39))
      .add(product(CHECKED_PRODUCT_ID, "Chang", 1900, CHECKED_PRODUCT_STOCK))
      .add(product(11, "Queso Cabrales", 2100, 22));
    JsonArray orders = new JsonArray()
      .add(order(10248, "ALFKI", "1996-07-04T00:00:00Z", "1996-07-16T00:00:00Z", 3238,
        new JsonArray().add(line(11, 1400, 12, 0))))
      .add(order(CHECKED_ORDER_ID, CHECKED_ORDER_CUSTOMER, "1998-04-08T00:00:00Z", null, 7946,
        new JsonArray().add(line(1, 1800, 3, 0)).add(line(2, 1900, 10, 5)).add(line(11, 1005, 1, 10))))
      .add(order(11011, "ALFKI", "1998-04-09T00:00:00Z", null, 121,
        new JsonArray().add(line(11, 2100, 7, 15))));
    return new JsonObject().put("customers", customers).put("products", products).put("orders", orders);
  }

  private static JsonObject customer(String id, String company, String contact, String city, String country) {
    return new JsonObject().put("id", id).put("company_name", company).put("contact_name", contact)
      .put("city", city).put("country", country);
  }

  private static JsonObject product(long id, String name, long priceCents, long stock) {
    return new JsonObject().put("id", id).put("sku", "NW-" + id).put("name", name)
      .put("unit_price_cents", priceCents).put("units_in_stock", stock).put("discontinued", false);
  }

  private static JsonObject order(long id, String customerId, String orderedAt, String shippedAt, long freightCents,
                                  JsonArray lines) {
    return new JsonObject().put("id", id).put("customer_id", customerId).put("ordered_at", orderedAt)
      .put("required_at", null).put("shipped_at", shippedAt).put("freight_cents", freightCents)
      .put("ship_name", null).put("ship_city", null).put("ship_country", null).put("lines", lines);
  }

  private static JsonObject line(long productId, long unitPriceCents, int quantity, int discountPercent) {
    return new JsonObject().put("product_id", productId).put("unit_price_cents", unitPriceCents)
      .put("quantity", quantity).put("discount_percent", discountPercent);
  }
}
