package dev.silo.data;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Northwind sample data, read from its CSV export and turned into an import document.
 * The folder comes from the system property {@code silo.northwind.dir}, by default
 * {@code ../shared/data/northwind} relative to the working directory (the project folder
 * under Maven).
 */
final class Northwind {

  static final String DIR_PROPERTY = "silo.northwind.dir";
  private static final List<String> FILES = List.of("customers.csv", "products.csv", "orders.csv", "order_details.csv");

  final List<Map<String, String>> customers;
  final List<Map<String, String>> products;
  final List<Map<String, String>> orders;
  final Map<String, List<Map<String, String>>> detailsByOrder = new LinkedHashMap<>();

  /** CustomerIDs of orders.csv that customers.csv lacks. The document gets a placeholder customer for each. */
  final Set<String> missingCustomers = new LinkedHashSet<>();

  private Northwind(Path dir) throws IOException {
    customers = Csv.read(dir.resolve("customers.csv"));
    products = Csv.read(dir.resolve("products.csv"));
    orders = Csv.read(dir.resolve("orders.csv"));
    for (Map<String, String> detail : Csv.read(dir.resolve("order_details.csv"))) {
      detailsByOrder.computeIfAbsent(detail.get("OrderID"), id -> new ArrayList<>()).add(detail);
    }
    Set<String> known = new LinkedHashSet<>();
    customers.forEach(customer -> known.add(customer.get("CustomerID")));
    for (Map<String, String> order : orders) {
      if (!known.contains(order.get("CustomerID"))) {
        missingCustomers.add(order.get("CustomerID"));
      }
    }
  }

  /** Reads the CSV files, or fails with a message that names the folder they belong in. */
  static Northwind load() throws IOException {
    Path dir = Paths.get(System.getProperty(DIR_PROPERTY, "../shared/data/northwind")).toAbsolutePath().normalize();
    for (String file : FILES) {
      if (!Files.isRegularFile(dir.resolve(file))) {
        throw new AssertionError("The Northwind CSV export is missing: " + dir.resolve(file) + " does not exist. "
          + "Put customers.csv, products.csv, orders.csv and order_details.csv in " + dir
          + ", or pass -D" + DIR_PROPERTY + "=<folder> to Maven.");
      }
    }
    return new Northwind(dir);
  }

  /** Returns the import document {customers, products, orders}. */
  JsonObject document() {
    JsonArray customerArray = new JsonArray();
    customers.forEach(customer -> customerArray.add(new JsonObject()
      .put("id", customer.get("CustomerID"))
      .put("company_name", customer.get("CompanyName"))
      .put("contact_name", emptyToNull(customer.get("ContactName")))
      .put("city", emptyToNull(customer.get("City")))
      .put("country", emptyToNull(customer.get("Country")))));
    // An order whose customer is missing from customers.csv would break the customer_id
    // foreign key. Rather than drop such orders, the document gets a placeholder customer.
    missingCustomers.forEach(id -> customerArray.add(new JsonObject()
      .put("id", id).put("company_name", "Unknown customer " + id)));

    JsonArray productArray = new JsonArray();
    products.forEach(product -> productArray.add(new JsonObject()
      .put("id", Long.parseLong(product.get("ProductID")))
      .put("sku", "NW-" + product.get("ProductID"))
      .put("name", product.get("ProductName"))
      .put("unit_price_cents", cents(product.get("UnitPrice")))
      .put("units_in_stock", Long.parseLong(product.get("UnitsInStock")))
      .put("discontinued", "1".equals(product.get("Discontinued")))));

    JsonArray orderArray = new JsonArray();
    orders.forEach(order -> orderArray.add(orderJson(order)));
    return new JsonObject().put("customers", customerArray).put("products", productArray).put("orders", orderArray);
  }

  private JsonObject orderJson(Map<String, String> order) {
    JsonArray lines = new JsonArray();
    for (Map<String, String> detail : detailsByOrder.getOrDefault(order.get("OrderID"), List.of())) {
      lines.add(new JsonObject()
        .put("product_id", Long.parseLong(detail.get("ProductID")))
        .put("unit_price_cents", cents(detail.get("UnitPrice")))
        .put("quantity", Long.parseLong(detail.get("Quantity")))
        .put("discount_percent", new BigDecimal(detail.get("Discount")).movePointRight(2).intValueExact()));
    }
    return new JsonObject()
      .put("id", Long.parseLong(order.get("OrderID")))
      .put("customer_id", order.get("CustomerID"))
      .put("ordered_at", isoTime(order.get("OrderDate")))
      .put("required_at", isoTime(order.get("RequiredDate")))
      .put("shipped_at", isoTime(order.get("ShippedDate")))
      .put("freight_cents", cents(order.get("Freight")))
      .put("ship_name", emptyToNull(order.get("ShipName")))
      .put("ship_city", emptyToNull(order.get("ShipCity")))
      .put("ship_country", emptyToNull(order.get("ShipCountry")))
      .put("lines", lines);
  }

  /**
   * Returns the order's total in cents, computed from the CSV's dollar amounts in decimal
   * arithmetic: each line's price × quantity × (1 − discount) rounded half up to a cent,
   * plus the freight.
   */
  long expectedTotalCents(String orderId) {
    Map<String, String> order = orders.stream().filter(o -> o.get("OrderID").equals(orderId)).findFirst()
      .orElseThrow();
    BigDecimal total = new BigDecimal(order.get("Freight"));
    for (Map<String, String> detail : detailsByOrder.getOrDefault(orderId, List.of())) {
      BigDecimal line = new BigDecimal(detail.get("UnitPrice"))
        .multiply(new BigDecimal(detail.get("Quantity")))
        .multiply(BigDecimal.ONE.subtract(new BigDecimal(detail.get("Discount"))));
      total = total.add(line.setScale(2, RoundingMode.HALF_UP));
    }
    return total.movePointRight(2).longValueExact();
  }

  /** Returns the OrderIDs without a ShippedDate, in file order. */
  List<String> unshippedOrderIds() {
    return orders.stream().filter(order -> order.get("ShippedDate").isEmpty()).map(order -> order.get("OrderID"))
      .toList();
  }

  private static long cents(String dollars) {
    return new BigDecimal(dollars).movePointRight(2).longValueExact();
  }

  /** Turns {@code 1996-07-04 00:00:00.000} into {@code 1996-07-04T00:00:00Z}, and an empty field into null. */
  private static String isoTime(String text) {
    if (text.isEmpty()) {
      return null;
    }
    return text.substring(0, 10) + "T" + text.substring(11, 19) + "Z";
  }

  private static String emptyToNull(String text) {
    return text.isEmpty() ? null : text;
  }
}
