package dev.silo.isolation;

import dev.silo.bus.Actions;
import dev.silo.bus.SiloClient;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Many tenants written at once over HTTP and the event bus; each must see only its own rows. */
class TenantIsolationTest {

  private static final int TENANTS = 50;
  private static final int ROWS_PER_CHANNEL = 4;

  @TempDir
  Path dir;

  private SiloTestServer silo;
  private SiloClient client;
  private final Map<String, String> tokens = new HashMap<>();

  @BeforeEach
  void start() {
    silo = SiloTestServer.start(dir, options -> options.with(dev.silo.config.SiloOptions.DATA_INSTANCES, 3));
    client = SiloClient.create(silo.vertx());
    for (int i = 0; i < TENANTS; i++) {
      String id = "tenant-" + i;
      silo.provision(id);
      tokens.put(id, silo.tenantToken(id));
    }
  }

  @AfterEach
  void stop() {
    silo.close();
  }

  @Test
  void interleavedWritesStayInTheirTenant() {
    List<CompletableFuture<HttpResult>> httpWrites = new ArrayList<>();
    List<Future<JsonObject>> busWrites = new ArrayList<>();
    for (int row = 0; row < ROWS_PER_CHANNEL; row++) {
      for (String tenant : tokens.keySet()) {
        httpWrites.add(silo.callAsync("POST", "/api/products", tokens.get(tenant), null, new JsonObject()
          .put("sku", tenant + "/http/" + row).put("name", tenant).put("unit_price_cents", 1).put("units_in_stock", 1)));
        busWrites.add(client.createProduct(tenant, new JsonObject()
          .put("sku", tenant + "/bus/" + row).put("name", tenant).put("unit_price_cents", 1).put("units_in_stock", 1)));
      }
    }
    httpWrites.forEach(write -> assertThat(write.join().status()).isEqualTo(201));
    await(Future.all(busWrites));

    List<CompletableFuture<HttpResult>> httpReads = new ArrayList<>();
    List<Future<JsonObject>> busReads = new ArrayList<>();
    List<String> order = new ArrayList<>(tokens.keySet());
    for (String tenant : order) {
      httpReads.add(silo.callAsync("GET", "/api/products?limit=1000", tokens.get(tenant), null, null));
      busReads.add(client.data(tenant, Actions.PRODUCTS_LIST, new JsonObject().put("limit", 1000)));
    }
    for (int i = 0; i < order.size(); i++) {
      String tenant = order.get(i);
      assertOnlyOwnRows(tenant, httpReads.get(i).join().json());
      assertOnlyOwnRows(tenant, await(busReads.get(i)));
    }
  }

  private static void assertOnlyOwnRows(String tenant, JsonObject page) {
    assertThat(page.getJsonArray("items")).as("rows of %s", tenant).hasSize(2 * ROWS_PER_CHANNEL);
    page.getJsonArray("items").forEach(item -> {
      JsonObject product = (JsonObject) item;
      assertThat(product.getString("name")).as("row in %s", tenant).isEqualTo(tenant);
      assertThat(product.getString("sku")).startsWith(tenant + "/");
    });
  }
}
