package dev.silo.data;

import dev.silo.util.Fields;
import io.vertx.core.json.JsonObject;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * A product of a tenant's catalogue: {@code {id, sku, name, unit_price_cents,
 * units_in_stock, discontinued}}. A {@code null} id lets SQLite assign one on insert.
 */
record Product(Long id, String sku, String name, long unitPriceCents, long unitsInStock, boolean discontinued) {

  static final int MAX_SKU_LENGTH = 64;
  static final int MAX_NAME_LENGTH = 200;

  /**
   * Highest unit price, 100 million dollars in cents. It keeps
   * {@code unit_price_cents × quantity × 100} of an order line within a {@code long}.
   */
  static final long MAX_PRICE_CENTS = 10_000_000_000L;

  static final long MAX_UNITS_IN_STOCK = 1_000_000_000L;

  /** The fields a product request may have. */
  static final Set<String> FIELDS = Set.of("id", "sku", "name", "unit_price_cents", "units_in_stock", "discontinued");

  /** The columns that {@link #fromRow} reads, in the order of {@link #values}. */
  static final String COLUMNS = "id, sku, name, unit_price_cents, units_in_stock, discontinued";

  /**
   * Reads and validates a product from a request. {@code units_in_stock} defaults to 0 and
   * {@code discontinued} to false.
   */
  static Product fromJson(JsonObject json) {
    Fields.rejectUnknown(json, FIELDS);
    Long id = Fields.optionalId(json, "id");
    String sku = Fields.requiredString(json, "sku", MAX_SKU_LENGTH);
    String name = Fields.requiredString(json, "name", MAX_NAME_LENGTH);
    long unitPriceCents = Fields.requiredLong(json, "unit_price_cents", 0, MAX_PRICE_CENTS);
    Long unitsInStock = Fields.optionalLong(json, "units_in_stock", 0, MAX_UNITS_IN_STOCK);
    boolean discontinued = Fields.optionalBoolean(json, "discontinued", false);
    return new Product(id, sku, name, unitPriceCents, unitsInStock == null ? 0 : unitsInStock, discontinued);
  }

  static Product fromRow(ResultSet row) throws SQLException {
    return new Product(row.getLong("id"), row.getString("sku"), row.getString("name"),
      row.getLong("unit_price_cents"), row.getLong("units_in_stock"), row.getInt("discontinued") == 1);
  }

  static JsonObject rowToJson(ResultSet row) throws SQLException {
    return fromRow(row).toJson();
  }

  /** Returns the values of {@link #COLUMNS}, with {@code discontinued} as SQLite stores it: 0 or 1. */
  Object[] values() {
    return new Object[] {id, sku, name, unitPriceCents, unitsInStock, discontinued ? 1 : 0};
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("id", id)
      .put("sku", sku)
      .put("name", name)
      .put("unit_price_cents", unitPriceCents)
      .put("units_in_stock", unitsInStock)
      .put("discontinued", discontinued);
  }
}
