package dev.silo.data;

import dev.silo.error.SiloException;
import dev.silo.util.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Invoices of the current tenant, at most one per order, for the order's total. Every
 * method takes the tenant's pool from the Vert.x context (see {@link TenantSql}) and
 * completes on the calling context.
 */
final class InvoiceRepository {

  static final String OPEN = "open";
  static final String PAID = "paid";

  private static final String COLUMNS = "id, order_id, number, amount_cents, status, issued_at, paid_at";
  private static final Table TABLE = new Table("invoices", COLUMNS, InvoiceRepository::rowToJson, "invoice");

  /**
   * Inserts the invoice with the next id and a number derived from it, such as
   * {@code INV-000042}. Binds the order id, the amount and the issue time.
   */
  private static final String INSERT = "INSERT INTO invoices (" + COLUMNS + ")"
    + " SELECT next.id, ?, printf('INV-%06d', next.id), ?, '" + OPEN + "', ?, NULL"
    + " FROM (SELECT COALESCE(MAX(id), 0) + 1 AS id FROM invoices) AS next"
    + " RETURNING " + COLUMNS;

  /** Returns a page of invoices in id order, starting after id {@code after} when it is not null. */
  Future<JsonObject> list(int limit, Long after) {
    return TenantSql.call(connection -> TABLE.list(connection, limit, after == null ? 0 : after));
  }

  /** Returns the invoice, or fails with {@code not_found}. */
  Future<JsonObject> get(long id) {
    return TenantSql.call(connection -> TABLE.get(connection, id));
  }

  /**
   * Issues an open invoice for the order's {@code total_cents}. Fails with
   * {@code invalid_request} for an unknown order and with {@code conflict} for a cancelled
   * order or one that already has an invoice.
   */
  Future<JsonObject> create(long orderId) {
    return TenantSql.inTransaction(connection -> {
      InvoicedOrder order = connection.first("SELECT status, total_cents FROM orders WHERE id = ?",
          row -> new InvoicedOrder(row.getString("status"), row.getLong("total_cents")), orderId)
        .orElseThrow(() -> SiloException.invalid("field 'order_id': order " + orderId + " does not exist"));
      if (Order.CANCELLED.equals(order.status())) {
        throw SiloException.conflict("order " + orderId + " is cancelled and cannot be invoiced");
      }
      return insert(connection, orderId, order.totalCents());
    });
  }

  /** Marks an open invoice paid now. Fails with {@code not_found}, or with {@code conflict} when it is already paid. */
  Future<JsonObject> pay(long id) {
    return TenantSql.inTransaction(connection -> {
      JsonObject invoice = TABLE.get(connection, id);
      if (!OPEN.equals(invoice.getString("status"))) {
        throw SiloException.conflict("invoice " + id + " was already paid at " + invoice.getString("paid_at"));
      }
      String sql = "UPDATE invoices SET status = ?, paid_at = ? WHERE id = ? RETURNING " + COLUMNS;
      return connection.first(sql, InvoiceRepository::rowToJson, PAID, Times.now(), id)
        .orElseThrow(() -> TABLE.notFound(id));
    });
  }

  /** The fields of an order that its invoice needs. */
  private record InvoicedOrder(String status, long totalCents) {
  }

  private static JsonObject insert(TenantConnection connection, long orderId, long amountCents) throws SQLException {
    try {
      return connection.first(INSERT, InvoiceRepository::rowToJson, orderId, amountCents, Times.now()).orElseThrow();
    } catch (SQLException e) {
      SqlErrors.throwIf(e, SqlErrors.UNIQUE, () -> SiloException.conflict("order " + orderId
        + " already has an invoice"));
      throw e;
    }
  }

  private static JsonObject rowToJson(ResultSet row) throws SQLException {
    return new JsonObject()
      .put("id", row.getLong("id"))
      .put("order_id", row.getLong("order_id"))
      .put("number", row.getString("number"))
      .put("amount_cents", row.getLong("amount_cents"))
      .put("status", row.getString("status"))
      .put("issued_at", row.getString("issued_at"))
      .put("paid_at", row.getString("paid_at"));
  }
}
