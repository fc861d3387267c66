package dev.silo.data;

import dev.silo.error.SiloException;
import dev.silo.tenant.TenantContext;
import dev.silo.util.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Loads a document {@code {customers, products, orders}} into the current tenant, all or
 * nothing, in one transaction with one batch insert per table.
 * <p>
 * Records keep their ids and load as given: imported orders reserve no stock, and
 * cancelling one later gives none back. Their {@code total_cents} follows the same rule as
 * for new orders.
 */
final class ImportService {

  private static final Logger LOG = LoggerFactory.getLogger(ImportService.class);

  /** The records of an import document, validated. */
  record Document(List<Customer> customers, List<Product> products, List<Order> orders) {

    /** Reads and validates every record. Each error names the record, such as {@code orders[3]: }. */
    static Document fromJson(JsonObject json) {
      Fields.rejectUnknown(json, Set.of("customers", "products", "orders"));
      return new Document(
        readAll(json, "customers", Customer::fromJson),
        readAll(json, "products", Product::fromJson),
        readAll(json, "orders", Order::forImport));
    }
  }

  /** Inserts every record of the document and returns the count of each kind. */
  Future<JsonObject> load(Document document) {
    String tenantId = TenantContext.current().tenantId();
    long start = System.nanoTime();
    return TenantSql.inTransaction(connection -> insertCustomers(connection, document.customers())
        .compose(v -> insertProducts(connection, document.products()))
        .compose(v -> insertOrders(connection, document.orders())))
      .map(v -> new JsonObject()
        .put("customers", document.customers().size())
        .put("products", document.products().size())
        .put("orders", document.orders().size()))
      .onSuccess(counts -> LOG.info("Imported {} into tenant {} in {} ms", counts.encode(), tenantId,
        (System.nanoTime() - start) / 1_000_000));
  }

  private static Future<Void> insertCustomers(SqlConnection connection, List<Customer> customers) {
    return TenantSql.batch(connection, CustomerRepository.TABLE.insertSql(), tuples(customers, Customer::toTuple))
      .recover(SqlErrors.on(SqlErrors.PRIMARY_KEY, () -> duplicate("customers", "id", customers, Customer::id)));
  }

  private static Future<Void> insertProducts(SqlConnection connection, List<Product> products) {
    return TenantSql.batch(connection, ProductRepository.TABLE.insertSql(), tuples(products, Product::toTuple))
      .recover(SqlErrors.on(SqlErrors.PRIMARY_KEY, () -> duplicate("products", "id", products, Product::id)))
      .recover(SqlErrors.on(SqlErrors.UNIQUE, () -> duplicate("products", "sku", products, Product::sku)));
  }

  private static Future<Void> insertOrders(SqlConnection connection, List<Order> orders) {
    List<Tuple> lines = new ArrayList<>();
    for (Order order : orders) {
      lines.addAll(order.lineTuples(order.id()));
    }
    return TenantSql.batch(connection, Order.INSERT, tuples(orders, order -> order.toTuple(false)))
      .recover(SqlErrors.on(SqlErrors.PRIMARY_KEY, () -> duplicate("orders", "id", orders, Order::id)))
      .recover(SqlErrors.on(SqlErrors.FOREIGN_KEY, missing("customer_id", "customer")))
      .compose(v -> TenantSql.batch(connection, OrderLine.INSERT, lines))
      .recover(SqlErrors.on(SqlErrors.FOREIGN_KEY, missing("lines[].product_id", "product")));
  }

  /**
   * Returns the error for a duplicate key. It names the first record whose key repeats an
   * earlier one of the document, or else reports that a key already exists in the tenant.
   */
  private static <T> SiloException duplicate(String field, String key, List<T> records, Function<T, Object> keyOf) {
    Set<Object> seen = new HashSet<>();
    for (int i = 0; i < records.size(); i++) {
      Object value = keyOf.apply(records.get(i));
      if (value != null && !seen.add(value)) {
        return SiloException.conflict("field '" + field + "[" + i + "]." + key + "': " + value
          + " appears twice in the document");
      }
    }
    return SiloException.conflict("field '" + field + "': one of its " + key
      + " values already exists in the tenant, so the import changed nothing");
  }

  private static Supplier<SiloException> missing(String key, String entity) {
    // SQLite does not report which row broke the foreign key, so the message names the field only.
    return () -> SiloException.invalid("field 'orders': an order's " + key + " refers to a " + entity
      + " that is neither in the document nor in the tenant");
  }

  private static <T> List<T> readAll(JsonObject json, String field, Function<JsonObject, T> reader) {
    JsonArray array = Fields.optionalArray(json, field);
    List<T> records = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      records.add(Fields.element(array, field, i, reader));
    }
    return records;
  }

  private static <T> List<Tuple> tuples(List<T> records, Function<T, Tuple> toTuple) {
    List<Tuple> tuples = new ArrayList<>(records.size());
    for (T record : records) {
      tuples.add(toTuple.apply(record));
    }
    return tuples;
  }
}
