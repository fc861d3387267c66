package dev.silo.data;

import dev.silo.error.SiloException;
import dev.silo.tenant.TenantContext;
import dev.silo.util.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
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
    return TenantSql.inTransaction(connection -> {
        insertCustomers(connection, document.customers());
        insertProducts(connection, document.products());
        insertOrders(connection, document.orders());
        return new JsonObject()
          .put("customers", document.customers().size())
          .put("products", document.products().size())
          .put("orders", document.orders().size());
      })
      .onSuccess(counts -> LOG.info("Imported {} into tenant {} in {} ms", counts.encode(), tenantId,
        (System.nanoTime() - start) / 1_000_000));
  }

  private static void insertCustomers(TenantConnection connection, List<Customer> customers) throws SQLException {
    try {
      connection.batch(CustomerRepository.TABLE.insertSql(), valuesOf(customers, Customer::values));
    } catch (SQLException e) {
      SqlErrors.throwIf(e, SqlErrors.PRIMARY_KEY, () -> duplicate(e, "customers", "id", customers, Customer::id));
      throw e;
    }
  }

  private static void insertProducts(TenantConnection connection, List<Product> products) throws SQLException {
    try {
      connection.batch(ProductRepository.TABLE.insertSql(), valuesOf(products, Product::values));
    } catch (SQLException e) {
      SqlErrors.throwIf(e, SqlErrors.PRIMARY_KEY, () -> duplicate(e, "products", "id", products, Product::id));
      SqlErrors.throwIf(e, SqlErrors.UNIQUE, () -> duplicate(e, "products", "sku", products, Product::sku));
      throw e;
    }
  }

  private static void insertOrders(TenantConnection connection, List<Order> orders) throws SQLException {
    try {
      connection.batch(Order.INSERT, valuesOf(orders, order -> order.values(false)));
    } catch (SQLException e) {
      SqlErrors.throwIf(e, SqlErrors.PRIMARY_KEY, () -> duplicate(e, "orders", "id", orders, Order::id));
      SqlErrors.throwIf(e, SqlErrors.FOREIGN_KEY, missing("customer_id", "customer"));
      throw e;
    }
    List<Object[]> lines = new ArrayList<>();
    for (Order order : orders) {
      lines.addAll(order.lineValues(order.id()));
    }
    try {
      connection.batch(OrderLine.INSERT, lines);
    } catch (SQLException e) {
      SqlErrors.throwIf(e, SqlErrors.FOREIGN_KEY, missing("lines[].product_id", "product"));
      throw e;
    }
  }

  /**
   * Returns the error for a duplicate key, naming the record whose insert failed: its key
   * repeats an earlier record of the document, or exists in the tenant already.
   */
  private static <T> SiloException duplicate(SQLException failure, String field, String key, List<T> records,
                                             Function<T, Object> keyOf) {
    if (!(failure instanceof BatchFailure)) {
      return SiloException.conflict("field '" + field + "': one of its " + key
        + " values already exists, so the import changed nothing");
    }
    int index = ((BatchFailure) failure).index();
    Object value = keyOf.apply(records.get(index));
    String record = "field '" + field + "[" + index + "]." + key + "': " + value;
    for (int i = 0; i < index; i++) {
      if (value != null && value.equals(keyOf.apply(records.get(i)))) {
        return SiloException.conflict(record + " appears twice in the document");
      }
    }
    return SiloException.conflict(record + " already exists in the tenant, so the import changed nothing");
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

  private static <T> List<Object[]> valuesOf(List<T> records, Function<T, Object[]> values) {
    List<Object[]> rows = new ArrayList<>(records.size());
    for (T record : records) {
      rows.add(values.apply(record));
    }
    return rows;
  }
}
