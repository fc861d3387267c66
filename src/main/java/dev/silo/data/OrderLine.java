package dev.silo.data;

import dev.silo.util.Fields;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * One line of an order: {@code {product_id, unit_price_cents, quantity, discount_percent}}.
 * {@code unitPriceCents} is null only while a new order's line still takes the product's price.
 */
record OrderLine(long productId, Long unitPriceCents, long quantity, int discountPercent) {

  static final long MAX_QUANTITY = 1_000_000;

  /** The fields an order line may have. */
  static final Set<String> FIELDS = Set.of("product_id", "unit_price_cents", "quantity", "discount_percent");

  /** Inserts a line with the values of {@link #values}. */
  static final String INSERT = "INSERT INTO order_lines"
    + " (order_id, line_no, product_id, unit_price_cents, quantity, discount_percent) VALUES (?, ?, ?, ?, ?, ?)";

  /**
   * Reads and validates a line. {@code discount_percent} defaults to 0, and
   * {@code unit_price_cents} may be left out unless {@code priceRequired}.
   */
  static OrderLine fromJson(JsonObject json, boolean priceRequired) {
    Fields.rejectUnknown(json, FIELDS);
    long productId = Fields.requiredId(json, "product_id");
    Long unitPriceCents = priceRequired
      ? Long.valueOf(Fields.requiredLong(json, "unit_price_cents", 0, Product.MAX_PRICE_CENTS))
      : Fields.optionalLong(json, "unit_price_cents", 0, Product.MAX_PRICE_CENTS);
    long quantity = Fields.requiredLong(json, "quantity", 1, MAX_QUANTITY);
    Long discountPercent = Fields.optionalLong(json, "discount_percent", 0, 100);
    return new OrderLine(productId, unitPriceCents, quantity, discountPercent == null ? 0 : discountPercent.intValue());
  }

  OrderLine withUnitPrice(long cents) {
    return new OrderLine(productId, cents, quantity, discountPercent);
  }

  /**
   * Returns {@code round_half_up(unit_price_cents × quantity × (100 − discount_percent) / 100)}
   * in whole cents, computed exactly on longs. The field limits keep the product below
   * 10^18, so it cannot overflow.
   */
  long amountCents() {
    long hundredthsOfCents = unitPriceCents * quantity * (100 - discountPercent);
    // The product is never negative, so adding half a cent before the integer division rounds half up.
    return (hundredthsOfCents + 50) / 100;
  }

  /** Returns the values of {@link #INSERT}. {@code lineNumber} counts from 1 in the order's line order. */
  Object[] values(long orderId, int lineNumber) {
    return new Object[] {orderId, lineNumber, productId, unitPriceCents, quantity, discountPercent};
  }
}
