package dev.silo.data;

import dev.silo.error.SiloException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.sql.SQLException;

/**
 * Products of the current tenant. Every method takes the tenant's pool from the Vert.x
 * context (see {@link TenantSql}) and completes on the calling context.
 */
final class ProductRepository {

  static final Table TABLE = new Table("products", Product.COLUMNS, Product::rowToJson, "product");

  private static final String UPDATE = "UPDATE products SET sku = ?, name = ?, unit_price_cents = ?,"
    + " units_in_stock = ?, discontinued = ? WHERE id = ? RETURNING " + Product.COLUMNS;

  /** Returns a page of products in id order, starting after id {@code after} when it is not null. */
  Future<JsonObject> list(int limit, Long after) {
    return TenantSql.call(connection -> TABLE.list(connection, limit, after == null ? 0 : after));
  }

  /** Returns the product, or fails with {@code not_found}. */
  Future<JsonObject> get(long id) {
    return TenantSql.call(connection -> TABLE.get(connection, id));
  }

  /**
   * Inserts a product with its own id, or with one SQLite assigns when the id is null.
   * Fails with {@code conflict} when the id or the SKU is taken.
   */
  Future<JsonObject> create(Product product) {
    return TenantSql.call(connection -> {
      try {
        return TABLE.insert(connection, product.values());
      } catch (SQLException e) {
        SqlErrors.throwIf(e, SqlErrors.PRIMARY_KEY, () -> TABLE.duplicate(product.id()));
        SqlErrors.throwIf(e, SqlErrors.UNIQUE, () -> skuTaken(product.sku()));
        throw e;
      }
    });
  }

  /**
   * Replaces every field of product {@code id} with those of {@code product}. Fails with
   * {@code not_found} when there is no such product and {@code conflict} when the SKU is taken.
   */
  Future<JsonObject> update(long id, Product product) {
    return TenantSql.call(connection -> {
      try {
        return connection.first(UPDATE, Product::rowToJson, product.sku(), product.name(), product.unitPriceCents(),
          product.unitsInStock(), product.discontinued() ? 1 : 0, id).orElseThrow(() -> TABLE.notFound(id));
      } catch (SQLException e) {
        SqlErrors.throwIf(e, SqlErrors.UNIQUE, () -> skuTaken(product.sku()));
        throw e;
      }
    });
  }

  /**
   * Deletes the product and completes with {@code null}. Fails with {@code conflict} while
   * order lines refer to it, because order history must keep its products.
   */
  Future<JsonObject> delete(long id) {
    return TenantSql.call(connection -> {
      int deleted;
      try {
        deleted = connection.update("DELETE FROM products WHERE id = ?", id);
      } catch (SQLException e) {
        SqlErrors.throwIf(e, SqlErrors.FOREIGN_KEY, () -> SiloException.conflict("product " + id
          + " is used by orders and cannot be deleted; set 'discontinued' to true instead"));
        throw e;
      }
      if (deleted == 0) {
        throw TABLE.notFound(id);
      }
      return null;
    });
  }

  static SiloException skuTaken(String sku) {
    return SiloException.conflict("another product already has sku '" + sku + "'");
  }
}
