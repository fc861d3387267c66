package dev.silo;

import dev.silo.testing.HttpResult;
import dev.silo.testing.JarProcess;
import dev.silo.testing.JarServers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.silo.testing.JarServers.provision;
import static dev.silo.testing.JarServers.tenantToken;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durability when the process dies without a shutdown: {@code silo.jar} is killed with
 * SIGKILL, started again on the same data folder, and every write that got a 2xx reply
 * before the kill must be there. {@code sqlite_synchronous} stays at its default, NORMAL.
 */
class CrashDurabilityIT {

  /** SIGKILL ends a process with 128 + 9, and no shutdown hook runs. */
  private static final int EXIT_AFTER_SIGKILL = 137;

  @TempDir
  Path workDir;

  @RegisterExtension
  final JarServers jars = new JarServers(() -> workDir);

  @Test
  void writesAfterTransactionsSurviveSigkill() {
    Map<String, String> environment = JarServers.environment(workDir.resolve("silo-data"));
    // With one connection per tenant pool, each write below reuses the connection of the
    // transaction before it, so a transaction left open on that connection would hold the
    // write uncommitted until the kill.
    environment.put("SILO_TENANT_POOL_SIZE", "1");
    JarProcess jar = jars.start(environment, List.of());
    provision(jar, "durable");
    String token = tenantToken(jar, "durable");
    created(jar, token, "/api/customers", new JsonObject().put("id", "ALFKI").put("company_name", "Alfreds"));
    long scarce = created(jar, token, "/api/products", product("SCARCE", 2)).getLong("id");

    long orderId = created(jar, token, "/api/orders", order(scarce, 1)).getLong("id");
    long invoiceId = created(jar, token, "/api/invoices", new JsonObject().put("order_id", orderId)).getLong("id");
    HttpResult shipped = jar.call("POST", "/api/orders/" + orderId + "/ship", token, null);
    long afterCommit = created(jar, token, "/api/products", product("AFTER-COMMIT", 3)).getLong("id");
    HttpResult rejected = jar.call("POST", "/api/orders", token, order(scarce, 2));
    long afterRollback = created(jar, token, "/api/products", product("AFTER-ROLLBACK", 5)).getLong("id");
    int exitCode = jar.kill();

    assertThat(shipped.status()).as("ship: %s", shipped).isEqualTo(200);
    assertThat(rejected.status()).as("order over the stock: %s", rejected).isEqualTo(409);
    assertThat(rejected.errorCode()).isEqualTo("insufficient_stock");
    assertThat(exitCode).as("exit code after SIGKILL").isEqualTo(EXIT_AFTER_SIGKILL);
    assertThat(jar.output()).as("server output").doesNotContain("Silo stopped");

    JarProcess restarted = jars.start(environment, List.of());
    assertThat(read(restarted, token, "/api/customers/ALFKI").getString("company_name")).isEqualTo("Alfreds");
    assertThat(read(restarted, token, "/api/products/" + scarce).getLong("units_in_stock")).isEqualTo(1);
    assertThat(read(restarted, token, "/api/orders/" + orderId).getString("status")).isEqualTo("shipped");
    assertThat(read(restarted, token, "/api/invoices/" + invoiceId).getLong("order_id")).isEqualTo(orderId);
    assertThat(read(restarted, token, "/api/products/" + afterCommit).getString("sku")).isEqualTo("AFTER-COMMIT");
    assertThat(read(restarted, token, "/api/products/" + afterRollback).getString("sku")).isEqualTo("AFTER-ROLLBACK");
  }

  @Test
  void writesAcknowledgedUntilSigkillSurvive() throws InterruptedException {
    Map<String, String> environment = JarServers.environment(workDir.resolve("silo-data"));
    JarProcess jar = jars.start(environment, List.of());
    provision(jar, "durable");
    String token = tenantToken(jar, "durable");
    ProductWriter writer = new ProductWriter(jar, token);
    List<Thread> writers = new ArrayList<>();
    for (int i = 0; i < ProductWriter.THREADS; i++) {
      Thread thread = new Thread(writer, "product-writer-" + i);
      writers.add(thread);
      thread.start();
    }

    assertThat(writer.firstWrites.await(60, TimeUnit.SECONDS)).as("first writes acknowledged").isTrue();
    // The writers keep sending, so the kill lands between and during requests.
    int exitCode = jar.kill();
    for (Thread thread : writers) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
    }

    assertThat(exitCode).as("exit code after SIGKILL").isEqualTo(EXIT_AFTER_SIGKILL);
    assertThat(writer.failures).as("writes answered with an error").isEmpty();
    JarProcess restarted = jars.start(environment, List.of());
    for (Map.Entry<Long, String> acknowledged : writer.acknowledged.entrySet()) {
      HttpResult result = restarted.call("GET", "/api/products/" + acknowledged.getKey(), token, null);
      assertThat(result.status()).as("acknowledged product %s after the restart: %s", acknowledged, result)
        .isEqualTo(200);
      assertThat(result.json().getString("sku")).isEqualTo(acknowledged.getValue());
    }
  }

  private static JsonObject product(String sku, long unitsInStock) {
    return new JsonObject().put("sku", sku).put("name", "Product " + sku).put("unit_price_cents", 250)
      .put("units_in_stock", unitsInStock);
  }

  private static JsonObject order(long productId, long quantity) {
    return new JsonObject().put("customer_id", "ALFKI")
      .put("lines", new JsonArray().add(new JsonObject().put("product_id", productId).put("quantity", quantity)));
  }

  private static JsonObject created(JarProcess jar, String token, String path, JsonObject body) {
    HttpResult result = jar.call("POST", path, token, body);
    assertThat(result.status()).as("POST %s: %s", path, result).isEqualTo(201);
    return result.json();
  }

  private static JsonObject read(JarProcess jar, String token, String path) {
    HttpResult result = jar.call("GET", path, token, null);
    assertThat(result.status()).as("GET %s: %s", path, result).isEqualTo(200);
    return result.json();
  }

  /**
   * Creates products from several threads until the server stops responding, and records
   * each product that got 201 with its SKU.
   */
  private static final class ProductWriter implements Runnable {

    static final int THREADS = 4;
    private static final int FIRST_WRITES = 50;

    final Map<Long, String> acknowledged = new ConcurrentHashMap<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final CountDownLatch firstWrites = new CountDownLatch(FIRST_WRITES);
    private final JarProcess jar;
    private final String token;

    ProductWriter(JarProcess jar, String token) {
      this.jar = jar;
      this.token = token;
    }

    @Override
    public void run() {
      for (int n = 0; ; n++) {
        String sku = Thread.currentThread().getName() + "-" + n;
        HttpResult result;
        try {
          result = jar.send("POST", "/api/products", token, product(sku, n));
        } catch (IOException e) {
          // The process was killed: this request's outcome is unknown, so it is not counted.
          return;
        }
        if (result.status() != 201) {
          failures.add(sku + ": " + result);
          while (firstWrites.getCount() > 0) {
            firstWrites.countDown();
          }
          return;
        }
        acknowledged.put(result.json().getLong("id"), sku);
        firstWrites.countDown();
      }
    }
  }
}
