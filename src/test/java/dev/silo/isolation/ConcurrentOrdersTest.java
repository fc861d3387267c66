package dev.silo.isolation;

import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentOrdersTest {

  private static final int STOCK = 50;
  private static final int ORDERS = 100;

  @TempDir
  Path dir;

  private SiloTestServer silo;
  private String token;

  @BeforeEach
  void start() {
    silo = SiloTestServer.start(dir);
    silo.provision("acme");
    token = silo.tenantToken("acme");
  }

  @AfterEach
  void stop() {
    silo.close();
  }

  @Test
  void concurrentOrdersNeverOversell() {
    long productId = silo.call("POST", "/api/products", token, null, new JsonObject()
      .put("sku", "LAST-50").put("name", "Limited").put("unit_price_cents", 100).put("units_in_stock", STOCK))
      .json().getLong("id");
    assertThat(silo.call("POST", "/api/customers", token, null, new JsonObject()
      .put("id", "BUYER").put("company_name", "Buyer Ltd")).status()).isEqualTo(201);
    JsonObject order = new JsonObject().put("customer_id", "BUYER")
      .put("lines", new JsonArray().add(new JsonObject().put("product_id", productId).put("quantity", 1)));

    List<CompletableFuture<HttpResult>> requests = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      requests.add(silo.callAsync("POST", "/api/orders", token, null, order));
    }
    List<HttpResult> results = requests.stream().map(CompletableFuture::join).collect(Collectors.toList());

    Map<Integer, Long> byStatus = results.stream()
      .collect(Collectors.groupingBy(HttpResult::status, Collectors.counting()));
    assertThat(byStatus).as("statuses: %s", results).containsOnlyKeys(201, 409);
    assertThat(byStatus.get(201)).isEqualTo(STOCK);
    assertThat(byStatus.get(409)).isEqualTo(ORDERS - STOCK);
    assertThat(results.stream().filter(r -> r.status() == 409).map(HttpResult::errorCode))
      .containsOnly("insufficient_stock");
    HttpResult product = silo.call("GET", "/api/products/" + productId, token, null, null);
    assertThat(product.json().getLong("units_in_stock")).isZero();
    HttpResult pending = silo.call("GET", "/api/orders?status=pending&limit=1000", token, null, null);
    assertThat(pending.items()).hasSize(STOCK);
  }

  @Test
  void failedOrderReservesNothing() {
    Function<String, Long> product = sku -> silo.call("POST", "/api/products", token, null, new JsonObject()
      .put("sku", sku).put("name", sku).put("unit_price_cents", 100).put("units_in_stock", 5))
      .json().getLong("id");
    long plenty = product.apply("PLENTY");
    long scarce = product.apply("SCARCE");
    silo.call("POST", "/api/customers", token, null, new JsonObject().put("id", "BUYER").put("company_name", "B"));

    HttpResult result = silo.call("POST", "/api/orders", token, null, new JsonObject().put("customer_id", "BUYER")
      .put("lines", new JsonArray()
        .add(new JsonObject().put("product_id", plenty).put("quantity", 2))
        .add(new JsonObject().put("product_id", scarce).put("quantity", 6))));

    assertThat(result.status()).isEqualTo(409);
    assertThat(result.errorCode()).isEqualTo("insufficient_stock");
    assertThat(silo.call("GET", "/api/products/" + plenty, token, null, null).json().getLong("units_in_stock"))
      .isEqualTo(5);
    assertThat(silo.call("GET", "/api/orders", token, null, null).items()).isEmpty();
  }
}
