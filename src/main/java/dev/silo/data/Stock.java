package dev.silo.data;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reserves and releases the stock of order lines inside the caller's transaction.
 * <p>
 * The check and the update are two statements, which is safe because every tenant
 * transaction starts with {@code BEGIN IMMEDIATE}: no other writer runs in between.
 */
final class Stock {

  private Stock() {
  }

  /**
   * Takes the quantity of every line from its product's stock and returns the lines with
   * unit prices, a missing one set to the product's price. Fails, having changed nothing,
   * with {@code invalid_request} for an unknown product, {@code conflict} for a
   * discontinued one, and {@code insufficient_stock} when any product has too few units.
   */
  static List<OrderLine> reserve(TenantConnection connection, List<OrderLine> lines) throws SQLException {
    List<Long> productIds = lines.stream().map(OrderLine::productId).distinct().toList();
    String sql = "SELECT " + Product.COLUMNS + " FROM products WHERE id IN ("
      + TenantSql.placeholders(productIds.size()) + ")";
    Map<Long, Product> products = new HashMap<>();
    for (Product product : connection.list(sql, Product::fromRow, productIds.toArray())) {
      products.put(product.id(), product);
    }

    List<OrderLine> priced = price(lines, products);
    Map<Long, Long> quantities = requireStock(priced, products);
    List<Object[]> updates = new ArrayList<>();
    quantities.forEach((productId, quantity) -> updates.add(new Object[] {quantity, productId}));
    connection.batch("UPDATE products SET units_in_stock = units_in_stock - ? WHERE id = ?", updates);
    return priced;
  }

  /** Gives the quantities of every line of the order back to its product's stock. */
  static void release(TenantConnection connection, long orderId) throws SQLException {
    String sql = "UPDATE products SET units_in_stock = units_in_stock"
      + " + (SELECT SUM(l.quantity) FROM order_lines l WHERE l.order_id = ? AND l.product_id = products.id)"
      + " WHERE id IN (SELECT product_id FROM order_lines WHERE order_id = ?)";
    connection.update(sql, orderId, orderId);
  }

  private static List<OrderLine> price(List<OrderLine> lines, Map<Long, Product> products) {
    List<OrderLine> priced = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      OrderLine line = lines.get(i);
      Product product = products.get(line.productId());
      if (product == null) {
        throw SiloException.invalid("lines[" + i + "]: product " + line.productId() + " does not exist");
      }
      if (product.discontinued()) {
        throw SiloException.conflict("lines[" + i + "]: product " + line.productId() + " is discontinued");
      }
      priced.add(line.unitPriceCents() == null ? line.withUnitPrice(product.unitPriceCents()) : line);
    }
    return priced;
  }

  /** Returns the total quantity per product, or fails when any product has fewer units in stock. */
  private static Map<Long, Long> requireStock(List<OrderLine> lines, Map<Long, Product> products) {
    Map<Long, Long> quantities = new LinkedHashMap<>();
    for (OrderLine line : lines) {
      quantities.merge(line.productId(), line.quantity(), Long::sum);
    }
    List<String> shortages = new ArrayList<>();
    quantities.forEach((productId, quantity) -> {
      long inStock = products.get(productId).unitsInStock();
      if (quantity > inStock) {
        shortages.add("product " + productId + " has " + inStock + " units in stock, the order needs " + quantity);
      }
    });
    if (!shortages.isEmpty()) {
      throw new SiloException(ErrorCode.INSUFFICIENT_STOCK, "not enough stock: " + String.join("; ", shortages));
    }
    return quantities;
  }
}
