package dev.silo.data;

import dev.silo.bus.ActionHandler;
import dev.silo.bus.Actions;
import dev.silo.system.SystemDatabase;
import dev.silo.util.Fields;
import dev.silo.util.Page;
import dev.silo.util.Times;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/** The action table of {@code silo.data}: action name to handler. */
public final class DataActions {

  private DataActions() {
  }

  /**
   * Builds the table. Handlers are stateless and shared by all data verticle instances.
   * Each handler reads and validates its request, then calls a repository, which runs on
   * the pool of the tenant in the current Vert.x context.
   */
  public static Map<String, ActionHandler> create(SystemDatabase systemDatabase) {
    ProductRepository products = new ProductRepository();
    CustomerRepository customers = new CustomerRepository();
    OrderRepository orders = new OrderRepository();
    InvoiceRepository invoices = new InvoiceRepository();
    ImportService imports = new ImportService();

    Map<String, ActionHandler> actions = new HashMap<>();
    actions.put(Actions.PRODUCTS_LIST, request -> products.list(Page.limit(request), Page.afterId(request)));
    actions.put(Actions.PRODUCTS_GET, request -> products.get(Fields.requiredId(request, "id")));
    actions.put(Actions.PRODUCTS_CREATE, request -> products.create(Product.fromJson(request)));
    actions.put(Actions.PRODUCTS_UPDATE, request -> products.update(Fields.requiredId(request, "id"),
      Product.fromJson(request)));
    actions.put(Actions.PRODUCTS_DELETE, request -> products.delete(Fields.requiredId(request, "id")));
    actions.put(Actions.CUSTOMERS_LIST, request -> customers.list(Page.limit(request),
      Page.afterText(request, Customer.MAX_ID_LENGTH)));
    actions.put(Actions.CUSTOMERS_GET, request -> customers.get(Fields.requiredString(request, "id",
      Customer.MAX_ID_LENGTH)));
    actions.put(Actions.CUSTOMERS_CREATE, request -> customers.create(Customer.fromJson(request)));
    actions.put(Actions.ORDERS_LIST, request -> orders.list(Fields.optionalOneOf(request, "status", Order.STATUSES),
      Page.limit(request), Page.afterId(request)));
    actions.put(Actions.ORDERS_PENDING, request -> orders.list(Order.PENDING, Page.limit(request),
      Page.afterId(request)));
    actions.put(Actions.ORDERS_GET, request -> orders.get(Fields.requiredId(request, "id")));
    actions.put(Actions.ORDERS_CREATE, request -> orders.create(Order.forCreate(request)));
    actions.put(Actions.ORDERS_SHIP, request -> orders.ship(Fields.requiredId(request, "id"),
      shippedAtOrNow(request)));
    actions.put(Actions.ORDERS_CANCEL, request -> orders.cancel(Fields.requiredId(request, "id")));
    actions.put(Actions.INVOICES_LIST, request -> invoices.list(Page.limit(request), Page.afterId(request)));
    actions.put(Actions.INVOICES_GET, request -> invoices.get(Fields.requiredId(request, "id")));
    actions.put(Actions.INVOICES_CREATE, request -> invoices.create(Fields.requiredId(request, "order_id")));
    actions.put(Actions.INVOICES_PAY, request -> invoices.pay(Fields.requiredId(request, "id")));
    actions.put(Actions.IMPORT, request -> imports.load(ImportService.Document.fromJson(request)));
    actions.put(Actions.FLAGS_EVALUATE, new FlagEvaluation(systemDatabase));
    return Map.copyOf(actions);
  }

  private static String shippedAtOrNow(JsonObject request) {
    String shippedAt = Fields.optionalTime(request, "shipped_at");
    return shippedAt == null ? Times.now() : shippedAt;
  }
}
