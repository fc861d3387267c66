package dev.silo.data;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.sql.SQLException;

/**
 * Customers of the current tenant. Every method takes the tenant's pool from the Vert.x
 * context (see {@link TenantSql}) and completes on the calling context.
 */
final class CustomerRepository {

  static final Table TABLE = new Table("customers", Customer.COLUMNS, Customer::rowToJson, "customer");

  /**
   * Returns a page of customers in id order (SQLite's binary text order), starting after
   * id {@code after} when it is not null.
   */
  Future<JsonObject> list(int limit, String after) {
    return TenantSql.call(connection -> TABLE.list(connection, limit, after == null ? "" : after));
  }

  /** Returns the customer, or fails with {@code not_found}. */
  Future<JsonObject> get(String id) {
    return TenantSql.call(connection -> TABLE.get(connection, id));
  }

  /** Inserts a customer. Fails with {@code conflict} when its id is taken. */
  Future<JsonObject> create(Customer customer) {
    return TenantSql.call(connection -> {
      try {
        return TABLE.insert(connection, customer.values());
      } catch (SQLException e) {
        SqlErrors.throwIf(e, SqlErrors.PRIMARY_KEY, () -> TABLE.duplicate(customer.id()));
        throw e;
      }
    });
  }
}
