package dev.silo.data;

import dev.silo.error.SiloException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

/**
 * Products of the current tenant. Every method takes the tenant's pool from the Vert.x
 * context (see {@link TenantSql}) and completes on the calling context.
 */
final class ProductRepository {

  static final Table TABLE = new Table("products", Product.COLUMNS, Product::rowToJson, "product");

  /** Returns a page of products in id order, starting after id {@code after} when it is not null. */
  Future<JsonObject> list(int limit, Long after) {
    return TABLE.list(limit, after == null ? 0 : after);
  }

  /** Returns the product, or fails with {@code not_found}. */
  Future<JsonObject> get(long id) {
    return TABLE.get(id);
  }

  /**
   * Inserts a product with its own id, or with one SQLite assigns when the id is null.
   * Fails with {@code conflict} when the id or the SKU is taken.
   */
  Future<JsonObject> create(Product product) {
    return TABLE.insert(product.toTuple())
      .recover(SqlErrors.on(SqlErrors.PRIMARY_KEY, () -> TABLE.duplicate(product.id())))
      .recover(SqlErrors.on(SqlErrors.UNIQUE, () -> skuTaken(product.sku())));
  }

  /**
   * Replaces every field of product {@code id} with those of {@code product}. Fails with
   * {@code not_found} when there is no such product and {@code conflict} when the SKU is taken.
   */
  Future<JsonObject> update(long id, Product product) {
    String sql = "UPDATE products SET sku = ?, name = ?, unit_price_cents = ?, units_in_stock = ?, discontinued = ?"
      + " WHERE id = ? RETURNING " + Product.COLUMNS;
    Tuple values = Tuple.of(product.sku(), product.name(), product.unitPriceCents(), product.unitsInStock(),
      product.discontinued() ? 1 : 0, id);
    return TenantSql.one(sql, values, Product::rowToJson, () -> TABLE.notFound(id))
      .recover(SqlErrors.on(SqlErrors.UNIQUE, () -> skuTaken(product.sku())));
  }

  /**
   * Deletes the product and completes with {@code null}. Fails with {@code conflict} while
   * order lines refer to it, because order history must keep its products.
   */
  Future<JsonObject> delete(long id) {
    return TenantSql.query("DELETE FROM products WHERE id = ?", Tuple.of(id))
      .recover(SqlErrors.on(SqlErrors.FOREIGN_KEY, () -> SiloException.conflict("product " + id
        + " is used by orders and cannot be deleted; set 'discontinued' to true instead")))
      .compose(rows -> rows.rowCount() == 0 ? Future.failedFuture(TABLE.notFound(id)) : Future.succeededFuture());
  }

  static SiloException skuTaken(String sku) {
    return SiloException.conflict("another product already has sku '" + sku + "'");
  }
}
