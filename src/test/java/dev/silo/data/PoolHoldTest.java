package dev.silo.data;

import dev.silo.bus.Actions;
import dev.silo.bus.Addresses;
import dev.silo.bus.MessageHeaders;
import dev.silo.config.SiloOptions;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool commands {@code pool.hold} and {@code pool.release} of a data verticle's control address. */
class PoolHoldTest extends DataApiTestBase {

  @Test
  void heldPoolRejectsRequestsUntilReleased() {
    api.product("HELD", 100, 1);

    sendPoolCommand(Actions.POOL_HOLD, "checking the hold");
    HttpResult duringHold = api.get("/api/products");
    sendPoolCommand(Actions.POOL_RELEASE, "done");
    HttpResult afterRelease = api.get("/api/products");

    assertThat(duringHold.status()).as(duringHold.toString()).isEqualTo(503);
    assertThat(duringHold.errorCode()).isEqualTo("unavailable");
    assertThat(duringHold.json().getJsonObject("error").getString("message")).contains("checking the hold");
    assertThat(duringHold.headers().firstValue("Retry-After")).isPresent();
    assertThat(afterRelease.status()).as(afterRelease.toString()).isEqualTo(200);
    assertThat(afterRelease.items()).hasSize(1);
  }

  private void sendPoolCommand(String action, String reason) {
    int owner = Addresses.ownerOf(api.tenantId(), server.server().options().get(SiloOptions.DATA_INSTANCES));
    SiloTestServer.await(server.vertx().eventBus().request(Addresses.control(owner),
      new JsonObject().put("tenant_id", api.tenantId()).put("reason", reason),
      new DeliveryOptions().addHeader(MessageHeaders.ACTION, action)));
  }
}
