package dev.silo.data;

import dev.silo.error.SiloException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

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
    Tuple arguments = Tuple.of(after == null ? 0 : after);
    String sql = Order.SELECT + " WHERE o.id > ?";
    if (status != null) {
      sql += " AND o.status = ?";
      arguments.addString(status);
    }
    return TenantSql.page(sql + " ORDER BY o.id LIMIT ?", arguments, limit, Order::rowToJson);
  }

  /** Returns the order, or fails with {@code not_found}. */
  Future<JsonObject> get(long id) {
    return TenantSql.one(SELECT_BY_ID, Tuple.of(id), Order::rowToJson, () -> notFound(id));
  }

  /**
   * Inserts a pending order and reserves the stock of its lines in one transaction, so a
   * failure of any line leaves every product's stock as it was. See
   * {@link Stock#reserve} for the failures of the lines.
   */
  Future<JsonObject> create(Order order) {
    return TenantSql.inTransaction(connection -> Stock.reserve(connection, order.lines())
      .map(order::withLines)
      .compose(priced -> insert(connection, priced))
      .compose(id -> find(connection, id)));
  }

  /**
   * Marks a pending order shipped at {@code shippedAt}. Fails with {@code not_found} or,
   * for an order that is not pending, with {@code conflict}.
   */
  Future<JsonObject> ship(long id, String shippedAt) {
    return changePending(id, "shipped", (connection, stockReserved) -> connection
      .preparedQuery("UPDATE orders SET status = ?, shipped_at = ? WHERE id = ?")
      .execute(Tuple.of(Order.SHIPPED, shippedAt, id)));
  }

  /**
   * Cancels a pending order and gives the stock it reserved back. Fails with
   * {@code not_found} or, for an order that is not pending, with {@code conflict}.
   */
  Future<JsonObject> cancel(long id) {
    return changePending(id, "cancelled", (connection, stockReserved) ->
      (stockReserved ? Stock.release(connection, id) : Future.<Void>succeededFuture())
        .compose(v -> connection.preparedQuery("UPDATE orders SET status = ? WHERE id = ?")
          .execute(Tuple.of(Order.CANCELLED, id))));
  }

  /** A change of a pending order, given whether creating the order reserved stock. */
  @FunctionalInterface
  private interface PendingChange {
    Future<?> apply(SqlConnection connection, boolean stockReserved);
  }

  private Future<JsonObject> changePending(long id, String newState, PendingChange change) {
    return TenantSql.inTransaction(connection -> connection
      .preparedQuery("SELECT status, stock_reserved FROM orders WHERE id = ?")
      .execute(Tuple.of(id))
      .compose(rows -> {
        if (rows.size() == 0) {
          return Future.failedFuture(notFound(id));
        }
        Row row = rows.iterator().next();
        String status = row.getString("status");
        if (!Order.PENDING.equals(status)) {
          return Future.failedFuture(SiloException.conflict("order " + id + " is " + status
            + "; only a pending order can be " + newState));
        }
        return change.apply(connection, row.getInteger("stock_reserved") == 1);
      })
      .compose(v -> find(connection, id)));
  }

  private static Future<Long> insert(SqlConnection connection, Order order) {
    return connection.preparedQuery(Order.INSERT + " RETURNING id")
      .execute(order.toTuple(true))
      .recover(SqlErrors.on(SqlErrors.PRIMARY_KEY, () -> SiloException.conflict("order " + order.id()
        + " already exists")))
      .recover(SqlErrors.on(SqlErrors.FOREIGN_KEY, () -> SiloException.invalid("field 'customer_id': customer '"
        + order.customerId() + "' does not exist")))
      .map(rows -> rows.iterator().next().getLong("id"))
      .compose(id -> TenantSql.batch(connection, OrderLine.INSERT, order.lineTuples(id)).map(id));
  }

  private static Future<JsonObject> find(SqlClient client, long id) {
    return TenantSql.one(client, SELECT_BY_ID, Tuple.of(id), Order::rowToJson, () -> notFound(id));
  }

  private static SiloException notFound(long id) {
    return SiloException.notFound("order " + id + " does not exist");
  }
}
