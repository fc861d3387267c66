package dev.silo;

import dev.silo.config.SiloOptions;
import dev.silo.testing.Await;
import dev.silo.testing.HttpResult;
import dev.silo.testing.ProcessResources;
import dev.silo.testing.SiloTestServer;
import dev.silo.testing.SqliteWriteLock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SiloServer#close()} with a request in flight, in the test JVM. */
class GracefulStopTest {

  @TempDir
  Path dir;

  private SiloTestServer silo;

  @Test
  void stopDrainsRequestsAndEmptiesWal() throws Exception {
    try (SiloTestServer server = SiloTestServer.start(dir, options -> options
      .with(SiloOptions.SQLITE_BUSY_TIMEOUT_MS, 30_000)
      .with(SiloOptions.SHUTDOWN_TIMEOUT_MS, 30_000))) {
      silo = server;
      stopWithWriteInFlight();
    }
  }

  private void stopWithWriteInFlight() throws Exception {
    silo.provision("stop-a");
    Path database = dir.resolve("tenants/stop-a.db");
    Path wal = dir.resolve("tenants/stop-a.db-wal");

    Future<Void> stopped;
    CompletableFuture<HttpResult> inFlight;
    try (SqliteWriteLock lock = SqliteWriteLock.hold(database)) {
      inFlight = silo.callAsync("POST", "/api/products", SiloTestServer.ADMIN_TOKEN, "stop-a", product("STOP-1"));
      // The test's connection and the request's, the first one that the server opens to this file.
      Await.until("the request holds a connection", () -> ProcessResources.self().openCount(database) >= 2);

      stopped = silo.server().close();
      HttpResult refused = silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, "stop-a", null);
      HttpResult ready = silo.call("GET", "/ready", null, null, null);
      HttpResult health = silo.call("GET", "/health", null, null, null);

      assertThat(refused.status()).as("request while draining: %s", refused).isEqualTo(503);
      assertThat(refused.errorCode()).isEqualTo("unavailable");
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(ready.status()).as("GET /ready while draining: %s", ready).isEqualTo(503);
      assertThat(ready.json().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(check -> "accepting-requests".equals(check.getString("id"))).findFirst().orElseThrow()
        .getString("status")).as("check accepting-requests while draining").isEqualTo("DOWN");
      assertThat(health.status()).as("GET /health while draining: %s", health).isEqualTo(200);
      assertThat(stopped.isComplete()).as("stop while a request is in flight").isFalse();

      lock.release();
      HttpResult finished = inFlight.join();
      assertThat(finished.status()).as("request in flight at the stop: %s", finished).isEqualTo(201);
      SiloTestServer.await(stopped);
      // The lock's connection is still open, so only the checkpoint can have emptied the WAL.
      assertThat(!Files.exists(wal) || Files.size(wal) == 0).as("%s is gone or empty", wal).isTrue();
    }
  }

  private static JsonObject product(String sku) {
    return new JsonObject().put("sku", sku).put("name", "Product " + sku).put("unit_price_cents", 100)
      .put("units_in_stock", 5);
  }
}
