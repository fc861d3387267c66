package dev.silo.data;

import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP calls to the data API as one freshly provisioned tenant, with that tenant's token. */
final class TenantApi {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final SiloTestServer server;
  private final String tenantId;
  private final String token;

  private TenantApi(SiloTestServer server, String tenantId, String token) {
    this.server = server;
    this.tenantId = tenantId;
    this.token = token;
  }

  /** Provisions a new tenant whose id starts with {@code prefix} and creates its token. */
  static TenantApi provision(SiloTestServer server, String prefix) {
    String tenantId = prefix + "-" + SEQUENCE.incrementAndGet();
    server.provision(tenantId);
    return new TenantApi(server, tenantId, server.tenantToken(tenantId));
  }

  String tenantId() {
    return tenantId;
  }

  HttpResult get(String path) {
    return server.call("GET", path, token, null, null);
  }

  HttpResult post(String path, Object body) {
    return server.call("POST", path, token, null, body);
  }

  HttpResult put(String path, Object body) {
    return server.call("PUT", path, token, null, body);
  }

  HttpResult delete(String path) {
    return server.call("DELETE", path, token, null, null);
  }

  /** Posts {@code body} and returns the reply, which must be 201. */
  JsonObject create(String path, JsonObject body) {
    HttpResult result = post(path, body);
    assertThat(result.status()).as("POST %s: %s", path, result).isEqualTo(201);
    return result.json();
  }

  /** Gets {@code path} and returns the reply, which must be 200. */
  JsonObject read(String path) {
    HttpResult result = get(path);
    assertThat(result.status()).as("GET %s: %s", path, result).isEqualTo(200);
    return result.json();
  }

  /** Creates a product and returns its id. */
  long product(String sku, long unitPriceCents, long unitsInStock) {
    return create("/api/products", new JsonObject()
      .put("sku", sku)
      .put("name", "Product " + sku)
      .put("unit_price_cents", unitPriceCents)
      .put("units_in_stock", unitsInStock)).getLong("id");
  }

  /** Creates a customer with the id {@code id}. */
  void customer(String id) {
    create("/api/customers", new JsonObject().put("id", id).put("company_name", "Company " + id));
  }

  /** Items and page sizes of a list, read page by page through {@code next}. */
  record Pages(List<JsonObject> items, List<Integer> sizes) {

    List<Long> ids() {
      return items.stream().map(item -> item.getLong("id")).toList();
    }

    List<String> textIds() {
      return items.stream().map(item -> item.getString("id")).toList();
    }
  }

  /** Reads every page of {@code path} with {@code limit} items a page, following {@code next} until it is null. */
  Pages walk(String path, int limit) {
    List<JsonObject> items = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String separator = path.contains("?") ? "&" : "?";
    String next = null;
    do {
      JsonObject page = read(path + separator + "limit=" + limit + (next == null ? "" : "&after=" + next));
      JsonArray pageItems = page.getJsonArray("items");
      sizes.add(pageItems.size());
      pageItems.forEach(item -> items.add((JsonObject) item));
      next = page.getString("next");
    } while (next != null);
    return new Pages(items, sizes);
  }

  long unitsInStock(long productId) {
    return read("/api/products/" + productId).getLong("units_in_stock");
  }

  static JsonObject line(long productId, long quantity) {
    return new JsonObject().put("product_id", productId).put("quantity", quantity);
  }

  static JsonObject order(String customerId, JsonObject... lines) {
    return new JsonObject().put("customer_id", customerId).put("lines", new JsonArray(List.of(lines)));
  }
}
