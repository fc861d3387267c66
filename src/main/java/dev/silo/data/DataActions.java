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
import java.util.Set;

import static dev.silo.bus.ActionHandler.accepting;

/** The action table of {@code silo.data}: action name to handler. */
public final class DataActions {

  private static final Set<String> ID = Set.of("id");
  private static final Set<String> PAGE = Set.of("limit", "after");
  private static final Set<String> ORDER_PAGE = Set.of("limit", "after", "status");
  private static final Set<String> SHIP = Set.of("id", "shipped_at");

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
    actions.put(Actions.PRODUCTS_LIST, accepting(PAGE, request -> products.list(Page.limit(request),
      Page.afterId(request))));
    actions.put(Actions.PRODUCTS_GET, accepting(ID, request -> products.get(Fields.requiredId(request, "id"))));
    actions.put(Actions.PRODUCTS_CREATE, request -> products.create(Product.fromJson(request)));
    actions.put(Actions.PRODUCTS_UPDATE, request -> products.update(Fields.requiredId(request, "id"),
      Product.fromJson(request)));
    actions.put(Actions.PRODUCTS_DELETE, accepting(ID, request -> products.delete(Fields.requiredId(request, "id"))));
    actions.put(Actions.CUSTOMERS_LIST, accepting(PAGE, request -> customers.list(Page.limit(request),
      Page.afterText(request, Customer.MAX_ID_LENGTH))));
    actions.put(Actions.CUSTOMERS_GET, accepting(ID, request -> customers.get(Fields.requiredString(request, "id",
      Customer.MAX_ID_LENGTH))));
    actions.put(Actions.CUSTOMERS_CREATE, request -> customers.create(Customer.fromJson(request)));
    actions.put(Actions.ORDERS_LIST, accepting(ORDER_PAGE, request -> orders.list(
      Fields.optionalOneOf(request, "status", Order.STATUSES), Page.limit(request), Page.afterId(request))));
    // A status in the request is allowed and ignored: this action always lists pending orders.
    actions.put(Actions.ORDERS_PENDING, accepting(ORDER_PAGE, request -> orders.list(Order.PENDING, Page.limit(request),
      Page.afterId(request))));
    actions.put(Actions.ORDERS_GET, accepting(ID, request -> orders.get(Fields.requiredId(request, "id"))));
    actions.put(Actions.ORDERS_CREATE, request -> orders.create(Order.forCreate(request)));
    actions.put(Actions.ORDERS_SHIP, accepting(SHIP, request -> orders.ship(Fields.requiredId(request, "id"),
      shippedAtOrNow(request))));
    actions.put(Actions.ORDERS_CANCEL, accepting(ID, request -> orders.cancel(Fields.requiredId(request, "id"))));
    actions.put(Actions.INVOICES_LIST, accepting(PAGE, request -> invoices.list(Page.limit(request),
      Page.afterId(request))));
    actions.put(Actions.INVOICES_GET, accepting(ID, request -> invoices.get(Fields.requiredId(request, "id"))));
    actions.put(Actions.INVOICES_CREATE, accepting(Set.of("order_id"), request -> invoices.create(
      Fields.requiredId(request, "order_id"))));
    actions.put(Actions.INVOICES_PAY, accepting(ID, request -> invoices.pay(Fields.requiredId(request, "id"))));
    actions.put(Actions.IMPORT, request -> imports.load(ImportService.Document.fromJson(request)));
    actions.put(Actions.FLAGS_EVALUATE, accepting(Set.of(), new FlagEvaluation(systemDatabase)));
    return Map.copyOf(actions);
  }

  private static String shippedAtOrNow(JsonObject request) {
    String shippedAt = Fields.optionalTime(request, "shipped_at");
    return shippedAt == null ? Times.now() : shippedAt;
  }
}
