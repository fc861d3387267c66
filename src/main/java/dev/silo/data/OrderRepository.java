package dev.silo.data;

import dev.silo.error.SiloException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders of the current tenant with their lines. Every method takes the tenant's pool
 * from the Vert.x context (see {@link TenantSql}) and completes on the calling context.
 * <p>
 * An order is created pending and leaves that state once: shipped or cancelled.
 */
final class OrderRepository {

  private static final String SELECT_BY_ID = Order.SELECT + " WHERE o.id = ?";

  /**
   * Returns a page of orders in id order, only those with {@code status} when it is not
   * null, starting after id {@code after} when it is not null. With status
   * {@code pending} this is the query for orders still to ship.
   */
  Future<JsonObject> list(String status, int limit, Long after) {
    List<Object> arguments = new ArrayList<>(List.of(after == null ? 0 : after));
    String sql = Order.SELECT + " WHERE o.id > ?";
    if (status != null) {
      sql += " AND o.status = ?";
      arguments.add(status);
    }
    String query = sql + " ORDER BY o.id LIMIT ?";
    return TenantSql.call(connection -> TenantSql.page(connection, query, arguments.toArray(), limit,
      Order::rowToJson));
  }

  /** Returns the order, or fails with {@code not_found}. */
  Future<JsonObject> get(long id) {
    return TenantSql.call(connection -> find(connection, id));
  }

  /**
   * Inserts a pending order and reserves the stock of its lines in one transaction, so a
   * failure of any line leaves every product's stock as it was. See
   * {@link Stock#reserve} for the failures of the lines.
   */
  Future<JsonObject> create(Order order) {
    return TenantSql.inTransaction(connection -> {
      Order priced = order.withLines(Stock.reserve(connection, order.lines()));
      return find(connection, insert(connection, priced));
    });
  }

  /**
   * Marks a pending order shipped at {@code shippedAt}. Fails with {@code not_found} or,
   * for an order that is not pending, with {@code conflict}.
   */
  Future<JsonObject> ship(long id, String shippedAt) {
    return changePending(id, "shipped", (connection, stockReserved) ->
      connection.update("UPDATE orders SET status = ?, shipped_at = ? WHERE id = ?", Order.SHIPPED, shippedAt, id));
  }

  /**
   * Cancels a pending order and gives the stock it reserved back. Fails with
   * {@code not_found} or, for an order that is not pending, with {@code conflict}.
   */
  Future<JsonObject> cancel(long id) {
    return changePending(id, "cancelled", (connection, stockReserved) -> {
      if (stockReserved) {
        Stock.release(connection, id);
      }
      connection.update("UPDATE orders SET status = ? WHERE id = ?", Order.CANCELLED, id);
    });
  }

  /** A change of a pending order, given whether creating the order reserved stock. */
  @FunctionalInterface
  private interface PendingChange {
    void apply(TenantConnection connection, boolean stockReserved) throws SQLException;
  }

  private record PendingState(String status, boolean stockReserved) {
  }

  private Future<JsonObject> changePending(long id, String newState, PendingChange change) {
    return TenantSql.inTransaction(connection -> {
      PendingState state = connection.first("SELECT status, stock_reserved FROM orders WHERE id = ?",
          row -> new PendingState(row.getString("status"), row.getInt("stock_reserved") == 1), id)
        .orElseThrow(() -> notFound(id));
      if (!Order.PENDING.equals(state.status())) {
        throw SiloException.conflict("order " + id + " is " + state.status() + "; only a pending order can be "
          + newState);
      }
      change.apply(connection, state.stockReserved());
      return find(connection, id);
    });
  }

  private static long insert(TenantConnection connection, Order order) throws SQLException {
    long id;
    try {
      id = connection.first(Order.INSERT + " RETURNING id", row -> row.getLong("id"), order.values(true))
        .orElseThrow();
    } catch (SQLException e) {
      SqlErrors.throwIf(e, SqlErrors.PRIMARY_KEY, () -> SiloException.conflict("order " + order.id()
        + " already exists"));
      SqlErrors.throwIf(e, SqlErrors.FOREIGN_KEY, () -> SiloException.invalid("field 'customer_id': customer '"
        + order.customerId() + "' does not exist"));
      throw e;
    }
    connection.batch(OrderLine.INSERT, order.lineValues(id));
    return id;
  }

  private static JsonObject find(TenantConnection connection, long id) throws SQLException {
    return connection.first(SELECT_BY_ID, Order::rowToJson, id).orElseThrow(() -> notFound(id));
  }

  private static SiloException notFound(long id) {
    return SiloException.notFound("order " + id + " does not exist");
  }
}
