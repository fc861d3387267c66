package dev.silo.data;

import dev.silo.error.SiloException;
import dev.silo.util.Fields;
import dev.silo.util.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An order of a customer with its lines. {@code total_cents} is not a field: it follows
 * from the lines and the freight (see {@link #totalCents()}) and is stored on insert.
 */
record Order(Long id, String customerId, String status, String orderedAt, String requiredAt, String shippedAt,
             long freightCents, String shipName, String shipCity, String shipCountry, List<OrderLine> lines) {

  static final String PENDING = "pending";
  static final String SHIPPED = "shipped";
  static final String CANCELLED = "cancelled";
  static final List<String> STATUSES = List.of(PENDING, SHIPPED, CANCELLED);

  static final int MAX_LINES = 1000;
  static final int MAX_TEXT_LENGTH = 200;

  /** Selects orders as {@link #rowToJson} reads them, each with its lines as a JSON array in line order. */
  static final String SELECT = "SELECT o.id, o.customer_id, o.status, o.ordered_at, o.required_at, o.shipped_at,"
    + " o.freight_cents, o.ship_name, o.ship_city, o.ship_country, o.total_cents,"
    + " (SELECT json_group_array(json_object('product_id', l.product_id, 'unit_price_cents', l.unit_price_cents,"
    + " 'quantity', l.quantity, 'discount_percent', l.discount_percent) ORDER BY l.line_no)"
    + " FROM order_lines l WHERE l.order_id = o.id) AS lines"
    + " FROM orders o";

  /** Inserts an order with the values of {@link #values}. */
  static final String INSERT = "INSERT INTO orders (id, customer_id, status, ordered_at, required_at, shipped_at,"
    + " freight_cents, ship_name, ship_city, ship_country, total_cents, stock_reserved)"
    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /**
   * Reads a new order of {@code POST /api/orders}: it starts pending and unshipped, SQLite
   * assigns its id unless it has one, and its lines may leave out their unit prices.
   */
  static Order forCreate(JsonObject json) {
    return read(json, Fields.optionalId(json, "id"), PENDING, null, false);
  }

  /**
   * Reads an order of an import document: it keeps its id, which is required, and its
   * status, which defaults to shipped when it has {@code shipped_at} and to pending
   * otherwise. Every line needs its unit price.
   */
  static Order forImport(JsonObject json) {
    long id = Fields.requiredId(json, "id");
    String shippedAt = Fields.optionalTime(json, "shipped_at");
    String status = Fields.optionalOneOf(json, "status", STATUSES);
    if (status == null) {
      status = shippedAt == null ? PENDING : SHIPPED;
    }
    Order order = read(json, id, status, shippedAt, true);
    // Fails now, before any insert, when the total does not fit a long.
    order.totalCents();
    return order;
  }

  /**
   * Fields an order request may have. {@code status}, {@code shipped_at} and
   * {@code total_cents} are read from imports only; a new order ignores them, so an order
   * read from the API can be sent back as it is.
   */
  static final Set<String> FIELDS = Set.of("id", "customer_id", "status", "ordered_at", "required_at", "shipped_at",
    "freight_cents", "ship_name", "ship_city", "ship_country", "lines", "total_cents");

  /** Reads the fields that new and imported orders share. {@code ordered_at} defaults to the current time. */
  private static Order read(JsonObject json, Long id, String status, String shippedAt, boolean imported) {
    Fields.rejectUnknown(json, FIELDS);
    String customerId = Fields.requiredString(json, "customer_id", Customer.MAX_ID_LENGTH);
    String orderedAt = Fields.optionalTime(json, "ordered_at");
    String requiredAt = Fields.optionalTime(json, "required_at");
    Long freightCents = Fields.optionalLong(json, "freight_cents", 0, Product.MAX_PRICE_CENTS);
    String shipName = Fields.optionalString(json, "ship_name", MAX_TEXT_LENGTH);
    String shipCity = Fields.optionalString(json, "ship_city", MAX_TEXT_LENGTH);
    String shipCountry = Fields.optionalString(json, "ship_country", MAX_TEXT_LENGTH);
    // An imported order loads as given, even without lines, but a new order must sell something.
    JsonArray lineArray = imported ? Fields.optionalArray(json, "lines") : Fields.requiredArray(json, "lines", MAX_LINES);
    if (lineArray.size() > MAX_LINES) {
      throw SiloException.invalid("field 'lines' must have at most " + MAX_LINES + " elements");
    }
    List<OrderLine> lines = new ArrayList<>(lineArray.size());
    for (int i = 0; i < lineArray.size(); i++) {
      lines.add(Fields.element(lineArray, "lines", i, line -> OrderLine.fromJson(line, imported)));
    }
    return new Order(id, customerId, status, orderedAt == null ? Times.now() : orderedAt, requiredAt, shippedAt,
      freightCents == null ? 0 : freightCents, shipName, shipCity, shipCountry, List.copyOf(lines));
  }

  Order withLines(List<OrderLine> pricedLines) {
    return new Order(id, customerId, status, orderedAt, requiredAt, shippedAt, freightCents, shipName, shipCity,
      shipCountry, List.copyOf(pricedLines));
  }

  /**
   * Returns the sum of the line amounts plus the freight, in cents. Every line must have
   * its unit price. Fails with {@code invalid_request} when the sum does not fit a long.
   */
  long totalCents() {
    try {
      long total = freightCents;
      for (OrderLine line : lines) {
        total = Math.addExact(total, line.amountCents());
      }
      return total;
    } catch (ArithmeticException e) {
      throw SiloException.invalid("the order total is larger than " + Long.MAX_VALUE + " cents");
    }
  }

  /** Returns the values of {@link #INSERT}. */
  Object[] values(boolean stockReserved) {
    return new Object[] {id, customerId, status, orderedAt, requiredAt, shippedAt, freightCents, shipName, shipCity,
      shipCountry, totalCents(), stockReserved ? 1 : 0};
  }

  /** Returns the values of {@link OrderLine#INSERT} for every line, numbered from 1. */
  List<Object[]> lineValues(long orderId) {
    List<Object[]> values = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      values.add(lines.get(i).values(orderId, i + 1));
    }
    return values;
  }

  static JsonObject rowToJson(ResultSet row) throws SQLException {
    return new JsonObject()
      .put("id", row.getLong("id"))
      .put("customer_id", row.getString("customer_id"))
      .put("status", row.getString("status"))
      .put("ordered_at", row.getString("ordered_at"))
      .put("required_at", row.getString("required_at"))
      .put("shipped_at", row.getString("shipped_at"))
      .put("freight_cents", row.getLong("freight_cents"))
      .put("ship_name", row.getString("ship_name"))
      .put("ship_city", row.getString("ship_city"))
      .put("ship_country", row.getString("ship_country"))
      .put("lines", new JsonArray(row.getString("lines")))
      .put("total_cents", row.getLong("total_cents"));
  }
}
