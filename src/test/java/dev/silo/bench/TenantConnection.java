package dev.silo.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * One sqlite-jdbc connection to a tenant file with its prepared statements, used by one
 * worker thread only. It serves the two routes of {@link SqliteTenantBaseline}: read a
 * product, and create an order that takes its lines from stock.
 * <p>
 * The connection stays in auto-commit mode and the order transaction is issued as
 * {@code BEGIN IMMEDIATE} and {@code COMMIT} statements, as in Silo. With
 * {@code setAutoCommit(false)} and the transaction mode {@code IMMEDIATE}, sqlite-jdbc
 * 3.54 begins the next transaction right after each commit, so an idle connection would
 * hold the tenant's write lock.
 */
final class TenantConnection implements AutoCloseable {

  private static final String PRODUCT_COLUMNS = "id, sku, name, unit_price_cents, units_in_stock, discontinued";

  private final Connection connection;
  private final PreparedStatement selectProduct;
  private final PreparedStatement begin;
  private final PreparedStatement commit;
  private final PreparedStatement rollback;
  private final PreparedStatement takeStock;
  private final PreparedStatement insertOrder;
  private final PreparedStatement insertLine;

  /** Opens the existing file with the SQLite settings of Silo's default configuration. Blocking. */
  TenantConnection(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(5_000);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    selectProduct = connection.prepareStatement("SELECT " + PRODUCT_COLUMNS + " FROM products WHERE id = ?");
    begin = connection.prepareStatement("BEGIN IMMEDIATE");
    commit = connection.prepareStatement("COMMIT");
    rollback = connection.prepareStatement("ROLLBACK");
    // One statement checks and takes the stock, which is safe inside BEGIN IMMEDIATE.
    takeStock = connection.prepareStatement("UPDATE products SET units_in_stock = units_in_stock - ?"
      + " WHERE id = ? AND discontinued = 0 AND units_in_stock >= ? RETURNING unit_price_cents");
    insertOrder = connection.prepareStatement("INSERT INTO orders (customer_id, status, ordered_at, total_cents,"
      + " stock_reserved) VALUES (?, 'pending', ?, ?, 1) RETURNING id");
    insertLine = connection.prepareStatement("INSERT INTO order_lines"
      + " (order_id, line_no, product_id, unit_price_cents, quantity, discount_percent) VALUES (?, ?, ?, ?, ?, 0)");
  }

  /** Returns the product as Silo's {@code GET /api/products/{id}} does, or null when there is none. */
  JsonObject readProduct(long id) throws SQLException {
    selectProduct.setLong(1, id);
    try (ResultSet row = selectProduct.executeQuery()) {
      if (!row.next()) {
        return null;
      }
      return new JsonObject()
        .put("id", row.getLong(1))
        .put("sku", row.getString(2))
        .put("name", row.getString(3))
        .put("unit_price_cents", row.getLong(4))
        .put("units_in_stock", row.getLong(5))
        .put("discontinued", row.getInt(6) == 1);
    }
  }

  /**
   * Inserts a pending order of {@code customerId} at the products' prices and takes every
   * line's quantity from stock, all in one transaction. Returns the order with the fields
   * of Silo's {@code POST /api/orders} reply, built from the inserted values.
   *
   * @throws BaselineException 409 when a product is missing, discontinued or short of stock,
   *                           400 when the customer does not exist; nothing is changed then
   */
  JsonObject createOrder(String customerId, List<OrderLine> lines) throws SQLException {
    begin.execute();
    try {
      JsonObject order = insertOrder(customerId, lines);
      commit.execute();
      return order;
    } catch (SQLException | RuntimeException e) {
      rollback.execute();
      throw e;
    }
  }

  private JsonObject insertOrder(String customerId, List<OrderLine> lines) throws SQLException {
    List<Long> prices = new ArrayList<>(lines.size());
    long totalCents = 0;
    for (OrderLine line : lines) {
      long price = takeStock(line);
      prices.add(price);
      totalCents += price * line.quantity();
    }
    String orderedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    long orderId = insertOrderRow(customerId, orderedAt, totalCents);

    JsonArray lineJson = new JsonArray();
    for (int i = 0; i < lines.size(); i++) {
      OrderLine line = lines.get(i);
      insertLine.setLong(1, orderId);
      insertLine.setInt(2, i + 1);
      insertLine.setLong(3, line.productId());
      insertLine.setLong(4, prices.get(i));
      insertLine.setLong(5, line.quantity());
      insertLine.executeUpdate();
      lineJson.add(new JsonObject().put("product_id", line.productId()).put("unit_price_cents", prices.get(i))
        .put("quantity", line.quantity()).put("discount_percent", 0));
    }
    return new JsonObject().put("id", orderId).put("customer_id", customerId).put("status", "pending")
      .put("ordered_at", orderedAt).putNull("required_at").putNull("shipped_at").put("freight_cents", 0)
      .putNull("ship_name").putNull("ship_city").putNull("ship_country")
      .put("lines", lineJson).put("total_cents", totalCents);
  }

  /** Takes the line's quantity from stock and returns the product's unit price. */
  private long takeStock(OrderLine line) throws SQLException {
    takeStock.setLong(1, line.quantity());
    takeStock.setLong(2, line.productId());
    takeStock.setLong(3, line.quantity());
    try (ResultSet row = takeStock.executeQuery()) {
      if (!row.next()) {
        throw new BaselineException(409, "insufficient_stock", "product " + line.productId()
          + " does not exist, is discontinued or has fewer than " + line.quantity() + " units in stock");
      }
      return row.getLong(1);
    }
  }

  private long insertOrderRow(String customerId, String orderedAt, long totalCents) throws SQLException {
    insertOrder.setString(1, customerId);
    insertOrder.setString(2, orderedAt);
    insertOrder.setLong(3, totalCents);
    try (ResultSet row = insertOrder.executeQuery()) {
      row.next();
      return row.getLong(1);
    } catch (SQLiteException e) {
      if (e.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY) {
        throw new BaselineException(400, "invalid_request", "customer '" + customerId + "' does not exist");
      }
      throw e;
    }
  }

  /** Closes the statements and the connection. Call it on the owning thread or after that thread has stopped. */
  @Override
  public void close() throws SQLException {
    for (PreparedStatement statement : List.of(selectProduct, begin, commit, rollback, takeStock, insertOrder,
      insertLine)) {
      statement.close();
    }
    connection.close();
  }

  /** A line of a new order: the product and how many units of it. */
  record OrderLine(long productId, long quantity) {
  }
}
